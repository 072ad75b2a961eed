/* SPDX-License-Identifier: BSD-2-Clause */
/* panic() and the shutdown path: SCHEDOP_shutdown should not return; if it
 * does, the CPU halts so nothing runs on a domain that asked to stop. */
#include <xen/sched.h>

#include "gxen/hypercall.h"
#include "kern/panic.h"
#include "kern/printf.h"

_Noreturn void kern_shutdown(unsigned reason)
{
	struct sched_shutdown s = { .reason = reason };

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	arch_halt();
}

_Noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("panic: %s\n", buf);
	kern_shutdown(SHUTDOWN_crash);
}
