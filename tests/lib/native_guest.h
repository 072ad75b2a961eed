/* The guest's layers (page allocator, shared_info, event channels, grant
 * table, time) running in this process against a fresh machine, without
 * booting: a native vCPU whose hypercalls call the model, with the upcall
 * and the virtual timer delivered through the workstation port, plus a
 * privileged dom0 for model-side backends. For integration tests and
 * benchmarks; one at a time per process (the guest has globals). */
#ifndef TESTS_NATIVE_GUEST_H
#define TESTS_NATIVE_GUEST_H

#include <stdbool.h>

#include "gxen/evtchn.h"
#include "hv/machine.h"

struct native_guest {
	struct hv_machine *m;
	struct hv_domain *d;        /* domid 1: the guest, native */
	struct hv_domain *dom0;     /* domid 0: backends, model side only */
	unsigned idles;             /* wfi steps taken */
	/* Optional: dom0's turn, run at each wfi before anything else (a
	 * model-side service such as xenstored answering the guest). */
	void (*dom0_work)(void *ctx);
	void *dom0_ctx;
	bool deadlocked;            /* an idle with nothing left to fire */
};

/* Build the machine, attach the port, bring the guest's layers up with the
 * event ABI asked for, interrupts enabled. 0, or -1 (printed why). */
int native_guest_start(struct native_guest *ng, enum evtchn_abi abi);
void native_guest_stop(struct native_guest *ng);

#endif
