/* SPDX-License-Identifier: BSD-2-Clause */
/* The grants behind a request's segments, mapped so the file I/O can use
 * the guest's pages themselves. With feature-persistent the frontend
 * promises to reuse a fixed set of grants: each queue keeps up to
 * BB_MAX_PERSISTENT of them mapped until the ring goes away; the rest, and
 * every grant without the feature, is mapped for one request. The guest
 * may rewrite a kept grant's entry at any time: the grant table reports
 * it at unmap, and the page we hold is still guest RAM. */
#include <stdlib.h>

#include "blkback_internal.h"

#define TABLE_SIZE BB_PGRANT_SLOTS

static unsigned hash(grant_ref_t gref)
{
	return (gref * 2654435761u) % TABLE_SIZE;
}

/* The kept entry for gref, or the free slot where it would go. */
static struct bb_pgrant *lookup(struct bb_queue *q, grant_ref_t gref)
{
	for (unsigned i = hash(gref);; i = (i + 1) % TABLE_SIZE) {
		struct bb_pgrant *p = &q->pgrants[i];

		if (!p->used || p->gref == gref)
			return p;
	}
}

/* A kept mapping of gref good for the operation, made now if there is
 * room; NULL when the grant is to be mapped for this request only. */
static struct bb_pgrant *kept(struct bb_queue *q, grant_ref_t gref,
			      bool writable)
{
	struct hv_blkback *bb = q->bb;
	struct hv_gnttab_mapping map;
	struct bb_pgrant *p;
	uint16_t gid = bb->guest->domid;

	if (!bb->persistent)
		return NULL;
	if (!q->pgrants) {
		q->pgrants = calloc(TABLE_SIZE, sizeof(*q->pgrants));
		if (!q->pgrants)
			return NULL;
	}
	p = lookup(q, gref);
	if (p->used)
		return p->writable || !writable ? p : NULL;
	if (q->nr_pgrants >= BB_MAX_PERSISTENT)
		return NULL;
	/* Writable if the guest allows it, so the page serves reads too. */
	if (hv_gnttab_map_ref(bb->dom0, gid, gref, false, &map) == GNTST_okay)
		p->writable = true;
	else if (!writable &&
		 hv_gnttab_map_ref(bb->dom0, gid, gref, true, &map) ==
		 GNTST_okay)
		p->writable = false;
	else
		return NULL;
	p->used = true;
	p->gref = gref;
	p->handle = map.handle;
	p->page = map.page;
	q->nr_pgrants++;
	return p;
}

int16_t bb_grants_map(struct bb_queue *q, struct bb_job *job)
{
	struct hv_blkback *bb = q->bb;
	/* A read writes the guest's pages; a write only reads them. */
	bool writable = job->kind == BB_READ;

	for (unsigned i = 0; i < job->nr_segs; i++) {
		struct bb_seg *s = &job->segs[i];
		struct bb_pgrant *p = kept(q, s->gref, writable);
		struct hv_gnttab_mapping map;

		if (p) {
			s->page = p->page;
		} else if (hv_gnttab_map_ref(bb->dom0, bb->guest->domid,
					     s->gref, !writable, &map) ==
			   GNTST_okay) {
			s->page = map.page;
			s->handle = map.handle;
			s->mapped_here = true;
		} else {
			job->nr_segs = i;
			bb_grants_release(q, job);
			return BLKIF_RSP_ERROR;
		}
		job->iov[i].iov_base = s->page + s->offset;
		job->iov[i].iov_len = s->len;
	}
	job->nr_iov = job->nr_segs;
	job->in_place = true;
	return BLKIF_RSP_OKAY;
}

void bb_grants_release(struct bb_queue *q, struct bb_job *job)
{
	for (unsigned i = 0; i < job->nr_segs; i++) {
		struct bb_seg *s = &job->segs[i];

		if (s->mapped_here)
			hv_gnttab_unmap(q->bb->dom0, s->handle);
		s->mapped_here = false;
		s->page = NULL;
	}
}

void bb_grants_forget(struct bb_queue *q)
{
	if (!q->pgrants)
		return;
	for (unsigned i = 0; i < TABLE_SIZE; i++)
		if (q->pgrants[i].used)
			hv_gnttab_unmap(q->bb->dom0, q->pgrants[i].handle);
	free(q->pgrants);
	q->pgrants = NULL;
	q->nr_pgrants = 0;
}
