/* SPDX-License-Identifier: BSD-2-Clause */
/* For the native frontend targets, which put their ring pages back to a
 * snapshot before each input: only the entries an input wrote, not the
 * whole page. Header-only: each fuzz target includes it once. */
#ifndef TESTS_FUZZ_RING_RESTORE_H
#define TESTS_FUZZ_RING_RESTORE_H

#include <stddef.h>
#include <string.h>

#include <xen/io/ring.h>

/* Entries [lo, hi) (free-running indexes) of a ring of nr entries (a
 * power of two) of ent bytes each, after head bytes of indexes, back
 * from snap: at most all nr, in two pieces where they wrap. */
static inline void fuzz_ring_restore(void *page, const void *snap,
				     size_t head, size_t ent, RING_IDX nr,
				     RING_IDX lo, RING_IDX hi)
{
	unsigned char *p = (unsigned char *)page + head;
	const unsigned char *s = (const unsigned char *)snap + head;
	RING_IDX n = hi - lo < nr ? hi - lo : nr;
	RING_IDX first = lo & (nr - 1);
	RING_IDX part = n < nr - first ? n : nr - first;

	memcpy(p + first * ent, s + first * ent, part * ent);
	memcpy(p, s, (n - part) * ent);
}

#endif
