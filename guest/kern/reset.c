/* SPDX-License-Identifier: BSD-2-Clause */
/* Clean state for a boot: each guest subsystem that keeps state between
 * calls puts it back as a freshly loaded image has it. On hardware the
 * image is fresh anyway; a native guest booted again in the same process
 * (a test, a fuzzer) is not, and without this would inherit bindings,
 * grant references, timeouts or a clock reading from the previous boot.
 * A reset makes no hypercall: the hypervisor's side belongs to the domain
 * being booted. Stateless files (control, dt, xenbus, the battery's
 * checks, which set up their own state) have nothing here; every writable
 * variable of the guest is accounted for in
 * tests/guest-state/guest-state.list, which make check holds to the build. */
#include "dev/xencons.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/shared.h"
#include "gxen/time.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/boot.h"
#include "kern/console.h"
#include "kern/irq.h"
#include "kern/page.h"

static void (*const resets[])(void) = {
	boot_dt_reset,          /* kern/main.c: what the device tree said */
	page_alloc_reset,       /* kern/page.c: the RAM range and bitmap */
	console_reset,          /* kern/console.c: a PV console backend */
	xencons_reset,          /* dev/xencons.c: the console ring and port */
	irq_reset,              /* kern/irq.c: upcall and timer handlers */
	shared_info_reset,      /* xen/shared.c: the mapped page */
	evtchn_state_reset,     /* xen/evtchn*.c: ports, 2L scan, FIFO queues */
	gnttab_reset,           /* xen/gnttab.c: frames, free list */
	time_reset,             /* xen/time.c: timeouts, last clock reading */
	xs_disconnect,          /* xen/xs.c: ring, watches, queued events */
	xenstore_reset,         /* xen/xenstore.c: port, last init result */
};

void kern_reset(void)
{
	for (unsigned i = 0; i < sizeof(resets) / sizeof(resets[0]); i++)
		resets[i]();
}
