/* SPDX-License-Identifier: BSD-2-Clause */
/* control/shutdown = "suspend": quiesce the domain and ask Xen to suspend
 * it (SCHEDOP_shutdown, SHUTDOWN_suspend). Xen 4.17 on ARM has no save or
 * restore: the vCPU stays paused and the toolstack keeps the domain as it
 * stopped, so the call returns only when Xen refused it. */
#include <xen/sched.h>

#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "port.h"

long kern_suspend(void)
{
	struct sched_shutdown req = { .reason = SHUTDOWN_suspend };
	unsigned long flags;
	long rc;

	/* Nothing may run behind the hypercall's back: no event upcall, no
	 * timer interrupt; xenstore has nothing in flight (its requests are
	 * answered before they return) and the console ring keeps what was
	 * written for dom0 to read. */
	kprintf("xensim guest: suspending: events masked, timer stopped\n");
	flags = arch_irq_save();
	time_quiesce();
	rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &req);
	time_resume();
	arch_irq_restore(flags);
	kprintf("xensim guest: suspend refused: error %ld; running on\n", rc);
	return rc;
}
