/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's grant table (version 1): the frames mapped into the grant
 * window the device tree names, a free list of references, granting a
 * frame to a peer and ending the grant. The peer's use of an entry shows in
 * flags it (through Xen) writes: a grant still in use is never ended. */
#ifndef GXEN_GNTTAB_H
#define GXEN_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/grant_table.h>

#include "port.h"

/* Frames this layer will map at most (Xen on ARM allows 64 by default). */
#define GNTTAB_GUEST_MAX_FRAMES 64u

/* Forget the table and every reference, as at load (no hypercall). */
void gnttab_reset(void);

/* Once per boot, after kern_reset(): query the table and map its frames
 * at window (the /hypervisor region), at most window_size bytes of it.
 * 0 or -XEN_E*. */
int gnttab_init(paddr_t window, uint64_t window_size);
/* After a resume in a new domain: the table's frames mapped again where
 * they were. 0 or a negative Xen errno. */
int gnttab_resume(void);

/* For a harness that runs one guest for many inputs, once its devices
 * are gone: every reference from `from` on free again (kept ones too) and
 * its entry cleared, the frames past the first `frames` given back to
 * Xen, and those references handed out in order, as a fresh table's are.
 * The references below `from` must all be taken (reserved, or a batch
 * the caller keeps claimed): they are left as they are. -XEN_EBUSY, with
 * nothing changed, while Xen marks an entry from `from` on in use. */
int gnttab_rewind(unsigned frames, grant_ref_t from);

/* Grant domid access to frame (read-only or writable); the reference in
 * *ref. -XEN_ENOSPC when the table cannot grow, -XEN_EINVAL for a frame a
 * v1 entry cannot hold. */
int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly,
			grant_ref_t *ref);
/* End a grant and free its reference; -XEN_EBUSY while the peer still
 * maps or copies it (it stays granted), -XEN_EINVAL for a reference that
 * is not granted. */
int gnttab_end_access(grant_ref_t ref);
/* Whether the peer has the grant mapped or in a copy right now. */
bool gnttab_in_use(grant_ref_t ref);

/* A batch: references claimed together (all or none), used one by one;
 * what is left goes back with gnttab_batch_release. */
struct gnttab_batch {
	grant_ref_t head;
	unsigned count;
};
int gnttab_batch_claim(unsigned n, struct gnttab_batch *b);
int gnttab_batch_grant(struct gnttab_batch *b, domid_t domid, uint64_t frame,
		       bool readonly, grant_ref_t *ref);
void gnttab_batch_release(struct gnttab_batch *b);

unsigned gnttab_free_count(void);
unsigned gnttab_nr_frames(void);
unsigned gnttab_max_frames(void);
/* The guest frame number frame i of the table is mapped at. */
uint64_t gnttab_frame_gfn(unsigned i);
/* The entry for ref, for inspection (checks and tests); NULL if out of
 * range. */
const struct grant_entry_v1 *gnttab_entry(grant_ref_t ref);

#endif
