/* SPDX-License-Identifier: BSD-2-Clause */
/* control/shutdown = "suspend": quiesce the domain and ask Xen to suspend
 * it (SCHEDOP_shutdown, SHUTDOWN_suspend). Xen 4.17 on ARM has no save or
 * restore: the vCPU stays paused and the toolstack keeps the domain as it
 * stopped, so there the call returns only when Xen refused it. Where a
 * toolstack resumes domains (x86 Xen; xensim run --suspend-resume) it
 * returns 1 when the suspend was cancelled (same domain, all connected)
 * and 0 in a new domain, restored perhaps on another host: then every
 * connection to Xen and dom0 is built again here. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "dev/xencons.h"
#include "gxen/control.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "gxen/time.h"
#include "gxen/xenstore.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "port.h"

#define SUSPEND_RESUMED_NEW_DOMAIN 0
#define SUSPEND_CANCELLED          1

/* What the new domain lacks, in the order each needs the last: the
 * shared page, then events, the grant table, the console and the store
 * rings (their pages and ports from the HVM parameters, as at boot).
 * Runs with interrupts masked; nothing may print before the console. */
static void rebuild_xen_links(void)
{
	int rc;

	if ((rc = shared_info_remap()))
		panic("resume: cannot map shared_info again: error %d", rc);
	if ((rc = evtchn_resume()))
		panic("resume: cannot set up event channels again: error %d",
		      rc);
	if ((rc = gnttab_resume()))
		panic("resume: cannot map the grant table again: error %d", rc);
	xencons_init();
}

/* The store needs interrupts: it waits on its event channel. Watches
 * are registered again; transactions open across the suspend end in
 * EAGAIN for their callers to start again. */
static void reconnect_store(void)
{
	int rc = xenstore_resume();

	if (rc == -XEN_ENODEV)
		return;
	if (!rc)
		rc = control_advertise();
	if (rc)
		kprintf("xensim guest: resume: xenstore unusable: error %d\n",
			rc);
}

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
	if (rc == SUSPEND_RESUMED_NEW_DOMAIN)
		rebuild_xen_links();
	time_resume();
	arch_irq_restore(flags);
	if (rc == SUSPEND_RESUMED_NEW_DOMAIN) {
		reconnect_store();
		kprintf("xensim guest: resumed in a new domain: shared_info, "
			"%s events, %u grant frame(s), console and xenstore "
			"connected again\n", evtchn_abi_name(),
			gnttab_nr_frames());
	} else if (rc == SUSPEND_CANCELLED) {
		kprintf("xensim guest: suspend cancelled; running on\n");
	} else {
		kprintf("xensim guest: suspend refused: error %ld; running "
			"on\n", rc);
	}
	return rc;
}
