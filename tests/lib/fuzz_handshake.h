/* SPDX-License-Identifier: BSD-2-Clause */
/* For the fuzz targets that run a whole xenbus handshake per input on one
 * native machine (fuzz_xenbus, fuzz_netfront_xs): what makes an input
 * take the same paths whatever ran before it. Header-only: each fuzz
 * target includes it once, after fuzz_digest.h. */
#ifndef TESTS_FUZZ_HANDSHAKE_H
#define TESTS_FUZZ_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>

#include <xen/errno.h>

#include "gxen/gnttab.h"
#include "fuzz_rewind.h"
#include "gxen/xs.h"
#include "hv/xs_ring.h"
#include "sim.h"

/* References an input finds free in the guest's one-frame grant table:
 * its handshake's second grant grows the table (a single grant), and
 * blkfront's batch of request references grows it again. */
#define FUZZ_HANDSHAKE_FREE_GRANTS 1u

/* The rest of the first frame, claimed once before the first input and
 * kept; the first reference left free. */
static struct gnttab_batch fuzz_handshake_ballast;
static grant_ref_t fuzz_handshake_free_from;

/* The guest's grant table as large as it may grow, before the first
 * input, so the model's table has every frame from then on and the
 * guest's growing during an input (it starts each from one frame, see
 * below) maps them again the same way whatever ran before. Asking for
 * more references than it can hold grows it to its limit and takes
 * none. Then the table back to one frame, all but the last
 * FUZZ_HANDSHAKE_FREE_GRANTS of its references claimed for good. */
static inline bool fuzz_handshake_grow_grants(void)
{
	struct gnttab_batch none;
	unsigned per_frame = 4096 / sizeof(grant_entry_v1_t);

	fuzz_handshake_free_from = per_frame - FUZZ_HANDSHAKE_FREE_GRANTS;
	return gnttab_batch_claim(gnttab_max_frames() * per_frame, &none) ==
		       -XEN_ENOSPC &&
	       gnttab_nr_frames() == gnttab_max_frames() &&
	       gnttab_rewind(1, GNTTAB_NR_RESERVED_ENTRIES) == 0 &&
	       gnttab_batch_claim(fuzz_handshake_free_from -
				  GNTTAB_NR_RESERVED_ENTRIES,
				  &fuzz_handshake_ballast) == 0 &&
	       gnttab_free_count() == FUZZ_HANDSHAKE_FREE_GRANTS;
}

/*
 * What the next input must find as this one did, run after each input
 * (its backend gone, holding no mapping) and once before the first: no
 * watch event left for it (the client takes in what this input's device
 * left, as it would), the xenstore ring's indexes back at 0, so its
 * messages wrap where they would on a fresh ring, with transaction ids
 * starting over; the grant table at one frame (above); the Xen console
 * and the guest's port scan as fuzz_rewind.h puts them.
 */
static inline void fuzz_handshake_afresh(struct sim_native *sn)
{
	int rc;

	xs_poll();
	rc = hv_xs_ring_rewind(sim_native_xs_ring(sn));
	fuzz_digest_add(&rc, sizeof(rc));
	/* Back to one frame, FUZZ_HANDSHAKE_FREE_GRANTS free, so the table
	 * grows during the next input as it did during this one. */
	rc = gnttab_rewind(1, fuzz_handshake_free_from);
	fuzz_digest_add(&rc, sizeof(rc));
	fuzz_rewind_guest(sn);
}

/* Grant references in use: the table grows by frames, count what is
 * taken. */
static inline size_t fuzz_handshake_grants_in_use(void)
{
	return (size_t)gnttab_nr_frames() * (4096 / sizeof(grant_entry_v1_t)) -
	       gnttab_free_count();
}

#endif
