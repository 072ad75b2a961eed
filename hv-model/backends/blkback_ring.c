/* SPDX-License-Identifier: BSD-2-Clause */
/* The block backend's rings: requests are copied once out of the shared
 * pages and checked before anything acts on them; responses go back with
 * only id, operation and status filled (nothing of ours leaks through the
 * padding). The frontend owns req_prod and may write anything there. */
#include <string.h>

#include <xen/errno.h>

#include "blkback_internal.h"
#include "hv/events.h"
#include "hv/evtchn.h"
#include "hv/log.h"

#define SECTOR 512u
#define SLOT_BYTES sizeof(union blkif_sring_entry)
#define SEGS_PER_PAGE BLKIF_SEGS_PER_INDIRECT_FRAME

/* ---- the shared pages: a ring may span several, not contiguous here ---- */

static void ring_copy_in(struct bb_queue *q, size_t off, void *dst,
			 size_t len)
{
	uint8_t *d = dst;

	while (len) {
		size_t page = off / BB_PAGE, in = off % BB_PAGE;
		size_t n = BB_PAGE - in < len ? BB_PAGE - in : len;

		memcpy(d, (uint8_t *)q->ring[page].page + in, n);
		d += n;
		off += n;
		len -= n;
	}
}

static void ring_copy_out(struct bb_queue *q, size_t off, const void *src,
			  size_t len)
{
	const uint8_t *s = src;

	while (len) {
		size_t page = off / BB_PAGE, in = off % BB_PAGE;
		size_t n = BB_PAGE - in < len ? BB_PAGE - in : len;

		memcpy((uint8_t *)q->ring[page].page + in, s, n);
		s += n;
		off += n;
		len -= n;
	}
}

static size_t slot_offset(const struct bb_queue *q, RING_IDX idx)
{
	return XEN_RING_HEADER_BYTES + xen_ring_slot(idx, q->nr_ents) *
	       SLOT_BYTES;
}

static RING_IDX *header(struct bb_queue *q, size_t field)
{
	return (RING_IDX *)((uint8_t *)q->ring[0].page +
			    field * sizeof(RING_IDX));
}

enum { REQ_PROD, REQ_EVENT, RSP_PROD, RSP_EVENT };

void bb_ring_mark_broken(struct bb_queue *q, const char *why)
{
	struct hv_blkback *bb = q->bb;

	if (q->broken)
		return;
	q->broken = true;
	bb->st.broken_rings++;
	hv_log(bb->m, HV_LOG_WARN, "(d%u) vbd %u queue %u: ring broken: %s",
	       bb->guest->domid, bb->devid, q->index, why);
}

void bb_ring_respond(struct bb_queue *q, uint64_t id, uint8_t op,
		     int16_t status)
{
	struct hv_blkback *bb = q->bb;
	struct blkif_response rsp;
	RING_IDX old, event;

	bb->st.responses++;
	if (status == BLKIF_RSP_ERROR)
		bb->st.errors++;
	else if (status == BLKIF_RSP_EOPNOTSUPP)
		bb->st.unsupported++;
	/* A broken ring gets nothing more from us. */
	if (q->broken || !q->nr_mapped)
		return;
	memset(&rsp, 0, sizeof(rsp));
	rsp.id = id;
	rsp.operation = op;
	rsp.status = status;
	ring_copy_out(q, slot_offset(q, q->rsp_prod_pvt), &rsp, sizeof(rsp));
	old = q->rsp_prod_pvt++;
	HV_EVENT(bb->m, .kind = HV_EV_RING_PRODUCE, .domid = bb->guest->domid,
		 .vcpu = HV_EV_NO_VCPU, .dev = "vbd", .devid = bb->devid,
		 .arg = { q->index, q->rsp_prod_pvt, 1 });
	/* The response must be visible before the index that publishes it. */
	__atomic_store_n(header(q, RSP_PROD), q->rsp_prod_pvt,
			 __ATOMIC_RELEASE);
	/* ...and the index before we read where the frontend wants waking. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	event = __atomic_load_n(header(q, RSP_EVENT), __ATOMIC_ACQUIRE);
	/* Notify when rsp_event lies in (old, new]: what it asked for. */
	if ((RING_IDX)(q->rsp_prod_pvt - event) <
	    (RING_IDX)(q->rsp_prod_pvt - old) && !bb_fault_hold_notify(q))
		hv_evtchn_send_from(bb->dom0, q->port);
}

/* ---- checking one request ---- */

/* The image range of a request, in 512-byte units, checked: inside the
 * image and, with larger sectors, on their boundaries. */
static int16_t check_range(const struct hv_blkback *bb, uint64_t sector,
			   uint64_t bytes, struct bb_job *job)
{
	uint64_t align = bb->f.sector_size;

	if (sector > bb->bytes / SECTOR ||
	    bytes > bb->bytes - sector * SECTOR)
		return BLKIF_RSP_ERROR;
	if ((sector * SECTOR) % align || bytes % align)
		return BLKIF_RSP_ERROR;
	job->offset = sector * SECTOR;
	job->len = bytes;
	return BLKIF_RSP_OKAY;
}

/* Each segment: its sectors within one page, in order; then its grant,
 * mapped the way the operation needs it (read: we write the guest's
 * page), so a bad one fails the request before any I/O. */
static int16_t check_segments(struct hv_blkback *bb, struct bb_job *job,
			      const struct blkif_request_segment *seg,
			      unsigned n, uint64_t sector)
{
	uint64_t bytes = 0;
	int16_t rc;

	if (bb_job_reserve(job, n))
		return BLKIF_RSP_ERROR;
	for (unsigned i = 0; i < n; i++) {
		struct blkif_request_segment s = seg[i];

		if (s.first_sect > s.last_sect ||
		    s.last_sect >= BB_PAGE / SECTOR)
			return BLKIF_RSP_ERROR;
		job->segs[i].gref = s.gref;
		job->segs[i].offset = (uint16_t)(s.first_sect * SECTOR);
		job->segs[i].len = (uint16_t)((s.last_sect - s.first_sect + 1) *
					      SECTOR);
		/* With larger sectors, every piece is whole sectors. */
		if (job->segs[i].len % bb->f.sector_size)
			return BLKIF_RSP_ERROR;
		bytes += job->segs[i].len;
	}
	job->nr_segs = n;
	rc = check_range(bb, sector, bytes, job);
	if (rc)
		return rc;
	if (job->kind == BB_WRITE && bb->readonly)
		return BLKIF_RSP_ERROR;
	return bb_grants_map(job->q, job);
}

static int16_t parse_rw(struct bb_queue *q, const union blkif_sring_entry *e,
			struct bb_job *job)
{
	struct hv_blkback *bb = q->bb;
	const struct blkif_request *req = &e->req;
	unsigned n = req->nr_segments;
	bool barrier = req->operation == BLKIF_OP_WRITE_BARRIER;

	job->kind = req->operation == BLKIF_OP_READ ? BB_READ : BB_WRITE;
	job->barrier = job->sync = barrier;
	/* Only a barrier may carry no data; none carries more than fits. */
	if ((n == 0 && !barrier) || n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	if (n == 0) {
		job->kind = BB_FLUSH;
		return BLKIF_RSP_OKAY;
	}
	return check_segments(bb, job, req->seg, n, req->sector_number);
}

static int16_t parse_flush(struct bb_queue *q,
			   const union blkif_sring_entry *e, struct bb_job *job)
{
	(void)q;
	/* A flush carries no data: segments would be a write in disguise. */
	if (e->req.nr_segments)
		return BLKIF_RSP_ERROR;
	job->kind = BB_FLUSH;
	job->barrier = true;
	return BLKIF_RSP_OKAY;
}

static int16_t parse_discard(struct bb_queue *q,
			     const union blkif_sring_entry *e,
			     struct bb_job *job)
{
	struct hv_blkback *bb = q->bb;
	struct blkif_request_discard req;

	memcpy(&req, e, sizeof(req));
	job->kind = BB_DISCARD;
	job->secure = req.flag & BLKIF_DISCARD_SECURE;
	if (job->secure && !bb->f.discard_secure)
		return BLKIF_RSP_EOPNOTSUPP;
	if (bb->readonly)
		return BLKIF_RSP_ERROR;
	if (req.nr_sectors > bb->bytes / SECTOR)
		return BLKIF_RSP_ERROR;
	return check_range(bb, req.sector_number, req.nr_sectors * SECTOR,
			   job);
}

/* The segments of an indirect request: copied out of the granted pages
 * that hold them, then checked as direct ones. */
static int16_t parse_indirect(struct bb_queue *q,
			      const union blkif_sring_entry *e,
			      struct bb_job *job)
{
	struct hv_blkback *bb = q->bb;
	struct blkif_request_indirect req;
	struct blkif_request_segment seg[HV_BLKBACK_MAX_INDIRECT_SEGS];
	unsigned n, pages;
	int16_t rc = BLKIF_RSP_OKAY;

	memcpy(&req, e, sizeof(req));
	n = req.nr_segments;
	/* The response carries the inner operation, as Linux's blkback
	 * answers (its frontend takes either). */
	job->operation = req.indirect_op;
	if (req.indirect_op != BLKIF_OP_READ &&
	    req.indirect_op != BLKIF_OP_WRITE)
		return BLKIF_RSP_ERROR;
	job->kind = req.indirect_op == BLKIF_OP_READ ? BB_READ : BB_WRITE;
	if (n == 0 || n > bb->f.max_indirect_segments)
		return BLKIF_RSP_ERROR;
	pages = (n + SEGS_PER_PAGE - 1) / SEGS_PER_PAGE;
	for (unsigned p = 0; p < pages && !rc; p++) {
		unsigned here = n - p * SEGS_PER_PAGE;

		if (here > SEGS_PER_PAGE)
			here = SEGS_PER_PAGE;
		if (hv_gnttab_copy_from_ref(bb->dom0, bb->guest->domid,
					    req.indirect_grefs[p], 0,
					    seg + p * SEGS_PER_PAGE,
					    (uint16_t)(here * sizeof(*seg))) !=
		    GNTST_okay)
			rc = BLKIF_RSP_ERROR;
	}
	return rc ? rc : check_segments(bb, job, seg, n, req.sector_number);
}

typedef int16_t parse_fn(struct bb_queue *q, const union blkif_sring_entry *e,
			 struct bb_job *job);

/* Each operation: how to read it, and whether this device offers it. */
static const struct {
	parse_fn *parse;
	bool (*offered)(const struct hv_blkback *bb);
} ops[] = {
	[BLKIF_OP_READ] = { parse_rw, NULL },
	[BLKIF_OP_WRITE] = { parse_rw, NULL },
	[BLKIF_OP_WRITE_BARRIER] = { parse_rw, bb_offers_barrier },
	[BLKIF_OP_FLUSH_DISKCACHE] = { parse_flush, bb_offers_flush },
	[BLKIF_OP_DISCARD] = { parse_discard, bb_offers_discard },
	[BLKIF_OP_INDIRECT] = { parse_indirect, bb_offers_indirect },
};

static void take_one(struct bb_queue *q, const union blkif_sring_entry *e)
{
	struct hv_blkback *bb = q->bb;
	uint8_t op = e->req.operation;
	struct bb_job *job;
	int16_t rc;

	bb->st.requests++;
	/* An op we do not know, or do not offer: EOPNOTSUPP, as Linux. */
	if (op >= sizeof(ops) / sizeof(ops[0]) || !ops[op].parse ||
	    (ops[op].offered && !ops[op].offered(bb))) {
		bb_ring_respond(q, e->req.id, op, BLKIF_RSP_EOPNOTSUPP);
		return;
	}
	job = bb_job_get(bb);
	if (!job) {
		bb_ring_respond(q, e->req.id, op, BLKIF_RSP_ERROR);
		return;
	}
	job->q = q;
	job->id = e->req.id;
	job->operation = op;
	rc = ops[op].parse(q, e, job);
	if (rc) {
		bb_ring_respond(q, job->id, job->operation, rc);
		bb_grants_release(q, job);
		bb_job_put(bb, job);
		return;
	}
	if (job->kind == BB_WRITE || job->kind == BB_DISCARD)
		bb->st.image_writes++;
	bb_io_submit(bb, job);
}

bool bb_ring_take(struct bb_queue *q)
{
	struct hv_blkback *bb = q->bb;
	union blkif_sring_entry slot;
	bool did = false;

	if (q->broken || !q->nr_mapped)
		return false;
	for (;;) {
		/* The frontend's index, read once and checked: it may claim
		 * more requests than the ring holds. */
		RING_IDX prod = __atomic_load_n(header(q, REQ_PROD),
						__ATOMIC_ACQUIRE);

		if ((RING_IDX)(prod - q->req_cons) > q->nr_ents) {
			bb_ring_mark_broken(q, "req_prod beyond the ring");
			return true;
		}
		while (q->req_cons != prod) {
			/* Every request taken owes a response slot; with none
			 * free, or our I/O memory spent, the rest waits. */
			if ((RING_IDX)(q->req_cons - q->rsp_prod_pvt) >=
			    q->nr_ents || bb->budget_used >= BB_IO_BUDGET)
				return did;
			ring_copy_in(q, slot_offset(q, q->req_cons), &slot,
				     sizeof(slot));
			q->req_cons++;
			HV_EVENT(bb->m, .kind = HV_EV_RING_CONSUME,
				 .domid = bb->guest->domid, .vcpu = HV_EV_NO_VCPU,
				 .dev = "vbd", .devid = bb->devid,
				 .arg = { q->index, q->req_cons, 1 });
			take_one(q, &slot);
			did = true;
		}
		/* Ask to be told of the next request, then look once more:
		 * one published meanwhile would otherwise wait forever. */
		__atomic_store_n(header(q, REQ_EVENT), q->req_cons + 1,
				 __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(header(q, REQ_PROD), __ATOMIC_ACQUIRE) ==
		    q->req_cons)
			return did;
	}
}
