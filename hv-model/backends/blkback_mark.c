/* SPDX-License-Identifier: BSD-2-Clause */
/* A connected backend copied and put back (see hv_blkback_mark in
 * hv/blkback.h): for a fuzzer that connects once and then runs every case
 * from that point, instead of a handshake of some fifty store writes per
 * case. Only while nothing is in flight: a job on its way holds mappings
 * and timers the caller's restore of the machine would not know about. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	memcpy(&mark->bb, bb, sizeof(*bb));
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
	struct hv_xs_conn *conn = bb->dev.xb.conn;
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
	bb->dev.xb.conn = conn;
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

/* What the rewind puts back, in a copy: the rest (what it keeps of the
 * live backend) cleared. */
static void put_back_part(struct hv_blkback *dst, const struct hv_blkback *bb)
{
	memcpy(dst, bb, sizeof(*dst));
	memset(&dst->loop, 0, sizeof(dst->loop));
	dst->free_jobs = NULL;
	dst->bufs_total = 0;
	dst->dev.xb.conn = NULL;
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++)
		dst->q[i].pgrants = NULL;
}

bool hv_blkback_mark_same(const struct hv_blkback_mark *a,
			  const struct hv_blkback_mark *b)
{
	size_t table = BB_PGRANT_SLOTS * sizeof(struct bb_pgrant);
	static struct hv_blkback x, y;   /* large: not on the stack */

	put_back_part(&x, &a->bb);
	put_back_part(&y, &b->bb);
	if (memcmp(&x, &y, sizeof(x)))
		return false;
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++)
		if (!a->pgrants[i] != !b->pgrants[i] ||
		    (a->pgrants[i] && memcmp(a->pgrants[i], b->pgrants[i], table)))
			return false;
	return true;
}

int hv_blkback_sleep(struct hv_blkback *bb)
{
	if (!idle(bb))
		return -XEN_EBUSY;
	hv_xenbus_backend_sleep(&bb->dev.xb);
	return 0;
}

int hv_blkback_wake(struct hv_blkback *bb)
{
	return hv_xenbus_backend_wake(&bb->dev.xb);
}

void hv_blkback_forget(struct hv_blkback *bb)
{
	if (!bb)
		return;
	hv_xenbus_backend_sleep(&bb->dev.xb);
	bb_io_fini(bb);
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++)
		free(bb->q[i].pgrants);
	if (bb->fd >= 0)
		close(bb->fd);
	free(bb);
}
