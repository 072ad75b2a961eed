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

/* The guest's grant table as large as it may grow, before the first
 * input: a table an earlier input grew would make a later one skip the
 * growing. Asking for more references than it can hold grows it to its
 * limit and takes none. */
static inline bool fuzz_handshake_grow_grants(void)
{
	struct gnttab_batch none;

	return gnttab_batch_claim(gnttab_max_frames() * (4096 / sizeof(grant_entry_v1_t)),
				  &none) == -XEN_ENOSPC &&
	       gnttab_nr_frames() == gnttab_max_frames();
}

/*
 * What the next input must find as this one did, run after each input
 * and once before the first: no watch event left for it (the client
 * takes in what this input's device left, as it would), and the xenstore
 * ring's indexes back at 0, so its messages wrap where they would on a
 * fresh ring, with transaction ids starting over; the Xen console and
 * the guest's port scan as fuzz_rewind.h puts them.
 */
static inline void fuzz_handshake_afresh(struct sim_native *sn)
{
	int rc;

	xs_poll();
	rc = hv_xs_ring_rewind(sim_native_xs_ring(sn));
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
