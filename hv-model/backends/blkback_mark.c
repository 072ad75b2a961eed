/* SPDX-License-Identifier: BSD-2-Clause */
/* A connected backend copied and put back (see hv_blkback_mark in
 * hv/blkback.h): for a fuzzer that connects once and then runs every case
 * from that point, instead of a handshake of some fifty store writes per
 * case. Only while nothing is in flight: a job on its way holds mappings
 * and timers the caller's restore of the machine would not know about. */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "blkback_internal.h"

struct hv_blkback_mark {
	struct hv_blkback bb;
	struct bb_pgrant *pgrants[HV_BLKBACK_MAX_QUEUES];   /* copies */
};

static bool idle(const struct hv_blkback *bb)
{
	return !bb->jobs && !bb->pending && !bb->batches_busy &&
	       !bb->st.in_flight && !bb->audit;
}

void hv_blkback_mark_free(struct hv_blkback_mark *mark)
{
	if (!mark)
		return;
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++)
		free(mark->pgrants[i]);
	free(mark);
}

struct hv_blkback_mark *hv_blkback_mark(const struct hv_blkback *bb)
{
	struct hv_blkback_mark *mark;
	size_t table = BB_PGRANT_SLOTS * sizeof(struct bb_pgrant);

	if (!idle(bb) || !(mark = calloc(1, sizeof(*mark))))
		return NULL;
	mark->bb = *bb;
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++) {
		if (!bb->q[i].pgrants)
			continue;
		mark->pgrants[i] = malloc(table);
		if (!mark->pgrants[i]) {
			hv_blkback_mark_free(mark);
			return NULL;
		}
		memcpy(mark->pgrants[i], bb->q[i].pgrants, table);
	}
	return mark;
}

int hv_blkback_rewind(struct hv_blkback *bb,
		      const struct hv_blkback_mark *mark)
{
	size_t table = BB_PGRANT_SLOTS * sizeof(struct bb_pgrant);
	struct bb_pgrant *tables[HV_BLKBACK_MAX_QUEUES];
	struct bb_job *free_jobs = bb->free_jobs;
	uint64_t bufs_total = bb->bufs_total;
	uv_loop_t loop;

	if (!idle(bb))
		return -XEN_EBUSY;
	/* What the case allocated stays ours: the tables (in place, or
	 * made), the recycled jobs and their buffers, the pool's loop. */
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++) {
		tables[i] = bb->q[i].pgrants;
		if (mark->pgrants[i] && !tables[i] &&
		    !(tables[i] = malloc(table)))
			return -XEN_ENOMEM;
	}
	memcpy(&loop, &bb->loop, sizeof(loop));
	*bb = mark->bb;
	memcpy(&bb->loop, &loop, sizeof(loop));
	bb->free_jobs = free_jobs;
	bb->bufs_total = bufs_total;
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++) {
		if (!mark->pgrants[i]) {
			free(tables[i]);
			bb->q[i].pgrants = NULL;
			continue;
		}
		memcpy(tables[i], mark->pgrants[i], table);
		bb->q[i].pgrants = tables[i];
	}
	return 0;
}
