/* SPDX-License-Identifier: BSD-2-Clause */
/* For the frontend fuzz targets, which keep one native machine and put
 * their devices back to a snapshot before each input: the rest of what an
 * input leaves behind that would make the next one take other paths. The
 * caller has delivered every pending event (arch_irq_enable). Header-only:
 * each fuzz target includes it once. */
#ifndef TESTS_FUZZ_REWIND_H
#define TESTS_FUZZ_REWIND_H

#include "gxen/evtchn.h"
#include "hv/domain.h"
#include "hv/machine.h"
#include "sim.h"

static inline void fuzz_rewind_guest(struct sim_native *sn)
{
	struct hv_domain *guest = sim_native_domain(sn);

	/* The guest scans its ports from the same point each time. */
	evtchn_rewind_scan();
	/* The model's Xen console (where the guest's messages end up): no
	 * half line carried over, its ring from the start, so that lines
	 * split and the ring wraps where the input alone puts them. */
	guest->console_len = 0;
	guest->machine->conring_prod = 0;
}

#endif
