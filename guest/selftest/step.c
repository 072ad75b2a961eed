/* SPDX-License-Identifier: BSD-2-Clause */
/* One step of a device self-check (block, reattach, fuzz workload): its
 * transcript line and its count. */
#include "kern/printf.h"
#include "selftest.h"

bool selftest_step(const char *tag, unsigned *passed, unsigned *failed,
		   bool ok, const char *name, const char *fmt, va_list ap)
{
	char msg[200];

	kvsnprintf(msg, sizeof(msg), fmt, ap);
	kprintf("%s: %s %s: %s\n", tag, ok ? "ok" : "FAIL", name, msg);
	if (ok)
		(*passed)++;
	else
		(*failed)++;
	return ok;
}
