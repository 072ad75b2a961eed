/* SPDX-License-Identifier: BSD-2-Clause */
/* Console output: Xen's console_io hypercall, or a PV console once one is
 * registered. */
#include <xen/xen.h>

#include "gxen/hypercall.h"
#include "kern/console.h"

static void (*backend)(const char *s, size_t len);

void console_set_backend(void (*fn)(const char *s, size_t len))
{
	backend = fn;
}

void console_reset(void)
{
	backend = NULL;
}

void console_write(const char *s, size_t len)
{
	if (backend) {
		backend(s, len);
		return;
	}
	if (HYPERVISOR_console_io(CONSOLEIO_write, (unsigned)len, s) < 0)
		arch_early_write(s, len);
}
