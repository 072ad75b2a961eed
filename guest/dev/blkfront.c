/* SPDX-License-Identifier: BSD-2-Clause */
/* blkfront's data path: the shared rings, the bounce pages and grants each
 * request id owns from connect to disconnect, building requests and taking
 * in responses. The backend writes the response slots and rsp_prod: each
 * response is copied once and checked (id in range and pending, operation
 * echoed, status known) and rsp_prod may never pass what we asked for;
 * anything else marks the device broken. Requests are built in their ring
 * slot, cleared whole first (no stale byte in the padding), and published
 * only once complete. */
#include <stdarg.h>

#include <xen/errno.h>

#include "blkfront.h"
#include "gxen/evtchn.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

#define SECTORS_PER_PAGE (PAGE_SIZE / BLKFRONT_SECTOR)

_Static_assert(BLKFRONT_MAX_DEPTH <= 32, "a queue's pending ids fit its mask");

static void log_dev(const struct blkfront *dev, const char *fmt, va_list ap)
{
	char msg[160];

	kvsnprintf(msg, sizeof(msg), fmt, ap);
	kprintf("blkfront: d%u %s: %s\n", dev->domid, dev->xb.nodename, msg);
}

void blkfront_complete_request(struct blk_request *req, int status)
{
	req->status = status;
	req->completed = true;
	if (req->done)
		req->done(req, req->arg);
}

static void complete(struct blkfront_queue *queue, unsigned id, int status)
{
	struct blkfront_slot *slot = &queue->slot[id];
	struct blk_request *req = slot->req;

	queue->pending &= ~(1u << id);
	slot->req = NULL;
	blkfront_complete_request(req, status);
}

void blkfront_mark_broken(struct blkfront *dev, const char *fmt, ...)
{
	unsigned failed = 0;
	va_list ap;

	if (dev->broken)
		return;
	dev->broken = true;
	va_start(ap, fmt);
	kvsnprintf(dev->broken_reason, sizeof(dev->broken_reason), fmt, ap);
	va_end(ap);
	for (unsigned q = 0; q < dev->nr_queues; q++)
		failed += dev->queue[q].in_flight;
	kprintf("blkfront: d%u %s: backend broken: %s; failing %u pending "
		"request(s)\n", dev->domid, dev->xb.nodename,
		dev->broken_reason, failed);
	/* Completed requests stay completed; only those in flight fail. The
	 * slots are never reused: their grants may still be in the
	 * backend's hands. */
	for (unsigned q = 0; q < dev->nr_queues; q++) {
		struct blkfront_queue *queue = &dev->queue[q];

		/* Lowest id first; each completion clears its bit. */
		while (queue->pending)
			complete(queue, (unsigned)__builtin_ctz(queue->pending),
				 -XEN_EIO);
		queue->in_flight = 0;
	}
}

static void note(const struct blkfront *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(const struct blkfront *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_dev(dev, fmt, ap);
	va_end(ap);
}

static void on_event(evtchn_port_t port, void *arg)
{
	struct blkfront_queue *queue = arg;

	/* Responses are taken in by blk_poll, outside the interrupt. */
	(void)port;
	queue->events++;
}

/* ---- setting up and tearing down ---- */

static int queue_alloc(struct blkfront *dev, struct blkfront_queue *queue,
		       unsigned ring_pages)
{
	domid_t be = dev->xb.otherend_id;
	int rc;

	queue->dev = dev;
	queue->sring = page_alloc(ring_pages);
	if (!queue->sring)
		return -XEN_ENOMEM;
	queue->ring_pages = ring_pages;
	XEN_SRING_INIT(queue->sring);
	XEN_FRONT_RING_INIT(&queue->ring, queue->sring, ring_pages * PAGE_SIZE);
	queue->pushed = queue->ring.req_prod_pvt;
	queue->depth = queue->ring.nr_ents < BLKFRONT_MAX_DEPTH ?
		       queue->ring.nr_ents : BLKFRONT_MAX_DEPTH;
	for (unsigned i = 0; i < ring_pages; i++) {
		rc = gnttab_grant_access(be, virt_to_pfn((char *)queue->sring +
							 i * PAGE_SIZE),
					 false, &queue->ring_ref[i]);
		if (rc)
			return rc;
	}
	return evtchn_alloc_unbound(be, on_event, queue, &queue->port);
}

int blkfront_queues_alloc(struct blkfront *dev, unsigned nr_queues,
			  unsigned ring_pages)
{
	int rc;

	dev->nr_queues = nr_queues;
	for (unsigned q = 0; q < nr_queues; q++) {
		dev->queue[q].index = q;
		rc = queue_alloc(dev, &dev->queue[q], ring_pages);
		if (rc) {
			note(dev, "cannot set up queue %u: error %d", q, rc);
			return rc;
		}
	}
	return 0;
}

/* Claim every id's references at once; a grant table that cannot hold
 * them all (other drivers hold the rest, or the toolstack gave few
 * frames) gets a shallower queue, halved until it fits, rather than no
 * device: requests then wait for a free id (-XEN_EBUSY) as on a full
 * ring. */
static int claim_slots(struct blkfront *dev, struct blkfront_queue *queue,
		       unsigned per_slot)
{
	unsigned want = queue->depth;
	int rc = gnttab_batch_claim(queue->depth * per_slot, &queue->batch);

	while (rc == -XEN_ENOSPC && queue->depth > 1) {
		queue->depth /= 2;
		rc = gnttab_batch_claim(queue->depth * per_slot, &queue->batch);
	}
	if (rc == 0 && queue->depth != want)
		note(dev, "grant table short: queue %u takes %u request(s) at "
		     "a time, not %u", queue->index, queue->depth, want);
	return rc;
}

/* Each id gets its bounce pages (and an indirect page when the backend
 * takes indirect requests), granted once, here. */
static int slots_setup(struct blkfront *dev, struct blkfront_queue *queue)
{
	unsigned segs = dev->info.max_segments;
	bool indirect = segs > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	domid_t be = dev->xb.otherend_id;
	int rc;

	rc = claim_slots(dev, queue, segs + indirect);
	if (rc)
		return rc;
	for (unsigned i = 0; i < queue->depth; i++) {
		struct blkfront_slot *slot = &queue->slot[i];

		slot->pages = page_alloc(segs);
		if (!slot->pages)
			return -XEN_ENOMEM;
		for (unsigned s = 0; s < segs; s++) {
			rc = gnttab_batch_grant(&queue->batch, be,
						virt_to_pfn(slot->pages +
							    s * PAGE_SIZE),
						false, &slot->gref[s]);
			if (rc)
				return rc;
		}
		if (!indirect)
			continue;
		slot->indirect = page_alloc(1);
		if (!slot->indirect)
			return -XEN_ENOMEM;
		/* Read-only unless grants persist: Linux's blkback maps a
		 * persistent grant writable, whatever the request. */
		rc = gnttab_batch_grant(&queue->batch, be,
					virt_to_pfn(slot->indirect),
					!dev->info.persistent,
					&slot->indirect_gref);
		if (rc)
			return rc;
	}
	return 0;
}

int blkfront_slots_setup(struct blkfront *dev)
{
	int rc;

	for (unsigned q = 0; q < dev->nr_queues; q++) {
		rc = slots_setup(dev, &dev->queue[q]);
		if (rc) {
			note(dev, "cannot grant the buffers of queue %u: "
			     "error %d", q, rc);
			return rc;
		}
		if (dev->queue[q].depth < dev->info.depth)
			dev->info.depth = dev->queue[q].depth;
	}
	return 0;
}

/* End a grant; a page the backend still maps is left to it, never freed
 * or reused. Returns whether the page may be freed. */
static bool end_grant(const struct blkfront *dev, grant_ref_t ref)
{
	int rc = gnttab_end_access(ref);

	if (rc == -XEN_EBUSY) {
		note(dev, "backend still maps grant %u: leaving its page alone",
		     ref);
		return false;
	}
	return true;
}

static void slot_free(const struct blkfront *dev, struct blkfront_slot *slot,
		      unsigned segs)
{
	bool free_pages = true;

	if (!slot->pages)
		return;
	for (unsigned s = 0; s < segs; s++)
		if (slot->gref[s])
			free_pages &= end_grant(dev, slot->gref[s]);
	if (free_pages)
		page_free(slot->pages, segs);
	if (slot->indirect && (!slot->indirect_gref ||
			       end_grant(dev, slot->indirect_gref)))
		page_free(slot->indirect, 1);
	memset(slot, 0, sizeof(*slot));
}

static void queue_free(const struct blkfront *dev,
		       struct blkfront_queue *queue)
{
	bool free_ring = true;

	if (queue->port)
		evtchn_unbind(queue->port);
	for (unsigned i = 0; i < queue->depth; i++)
		slot_free(dev, &queue->slot[i], dev->info.max_segments);
	gnttab_batch_release(&queue->batch);
	for (unsigned i = 0; i < queue->ring_pages; i++)
		if (queue->ring_ref[i])
			free_ring &= end_grant(dev, queue->ring_ref[i]);
	if (queue->sring && free_ring)
		page_free(queue->sring, queue->ring_pages);
	memset(queue, 0, sizeof(*queue));
}

void blkfront_queues_free(struct blkfront *dev)
{
	for (unsigned q = 0; q < BLKFRONT_MAX_QUEUES; q++)
		queue_free(dev, &dev->queue[q]);
	dev->nr_queues = 0;
}

void blkfront_queues_forget(struct blkfront *dev)
{
	/* The ports were the old domain's: the same numbers may be bound to
	 * something else now, so none is closed. The grants are ended in
	 * the new, empty table, which only gives the references back. */
	for (unsigned q = 0; q < BLKFRONT_MAX_QUEUES; q++)
		dev->queue[q].port = 0;
	blkfront_queues_free(dev);
}

/* ---- requests ---- */

static struct blkfront_queue *pick_queue(struct blkfront *dev, unsigned *id)
{
	for (unsigned n = 0; n < dev->nr_queues; n++) {
		struct blkfront_queue *queue =
			&dev->queue[(dev->next_queue + n) % dev->nr_queues];

		/* The ids below depth that are free, lowest first. */
		uint32_t free = ~queue->pending &
				(queue->depth < 32 ? (1u << queue->depth) - 1 :
				 ~0u);

		if (!free)
			continue;
		dev->next_queue = (queue->index + 1) % dev->nr_queues;
		*id = (unsigned)__builtin_ctz(free);
		return queue;
	}
	return NULL;
}

/* The bounce pages' segments: the slot's pages from their start, 512-byte
 * ring sectors each. */
static unsigned bounce_segments(const struct blkfront_slot *slot,
				uint32_t bytes,
				struct blkif_request_segment *seg)
{
	unsigned nseg = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;

	for (unsigned s = 0; s < nseg; s++) {
		uint32_t len = bytes - s * PAGE_SIZE;

		if (len > PAGE_SIZE)
			len = PAGE_SIZE;
		seg[s].gref = slot->gref[s];
		seg[s].first_sect = 0;
		seg[s].last_sect = (uint8_t)(len / BLKFRONT_SECTOR - 1);
	}
	return nseg;
}

/* Read, write or barrier: the data goes straight to or from a registered
 * buffer the request lies in, or else through the slot's bounce pages
 * (a write's data copied in now); more segments than fit the request go
 * through the indirect page. */
static void build_rw(struct blkfront *dev, struct blkfront_slot *slot,
		     const struct blk_request *req, uint8_t op,
		     union blkif_sring_entry *e, uint64_t id)
{
	uint32_t bytes = req->count * dev->info.sector_size;
	/* Zeroed: each segment's padding goes to the backend too (on the
	 * ring or the indirect page), and must not carry our stack. */
	struct blkif_request_segment seg[BLKFRONT_MAX_SEGS] = { 0 };
	uint64_t sector = req->sector * (dev->info.sector_size /
					 BLKFRONT_SECTOR);
	unsigned nseg = blkfront_buffer_segments(dev, req->buf, bytes, seg,
						 dev->info.max_segments);

	slot->direct = nseg != 0;
	if (!slot->direct) {
		if (op != BLKIF_OP_READ)
			memcpy(slot->pages, req->buf, bytes);
		nseg = bounce_segments(slot, bytes, seg);
	}
	if (nseg <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		struct blkif_request *r = &e->req;

		r->operation = op;
		r->nr_segments = (uint8_t)nseg;
		r->handle = (blkif_vdev_t)dev->vdev;
		r->id = id;
		r->sector_number = sector;
		memcpy(r->seg, seg, nseg * sizeof(seg[0]));
		slot->operation = op;
		return;
	}
	struct blkif_request_indirect *ind = (struct blkif_request_indirect *)e;

	memcpy(slot->indirect, seg, nseg * sizeof(seg[0]));
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = op;
	ind->nr_segments = (uint16_t)nseg;
	ind->id = id;
	ind->sector_number = sector;
	ind->handle = (blkif_vdev_t)dev->vdev;
	ind->indirect_grefs[0] = slot->indirect_gref;
	slot->operation = BLKIF_OP_INDIRECT;
	slot->indirect_op = op;
}

static void build_discard(struct blkfront *dev, struct blkfront_slot *slot,
			  const struct blk_request *req,
			  union blkif_sring_entry *e, uint64_t id)
{
	struct blkif_request_discard *d = (struct blkif_request_discard *)e;
	uint64_t per = dev->info.sector_size / BLKFRONT_SECTOR;

	d->operation = BLKIF_OP_DISCARD;
	d->flag = req->op == BLK_DISCARD_SECURE ? BLKIF_DISCARD_SECURE : 0;
	d->handle = (blkif_vdev_t)dev->vdev;
	d->id = id;
	d->sector_number = req->sector * per;
	d->nr_sectors = (uint64_t)req->count * per;
	slot->operation = BLKIF_OP_DISCARD;
}

static void build_flush(struct blkfront *dev, struct blkfront_slot *slot,
			union blkif_sring_entry *e, uint64_t id)
{
	e->req.operation = dev->flush_op;
	e->req.nr_segments = 0;
	e->req.handle = (blkif_vdev_t)dev->vdev;
	e->req.id = id;
	slot->operation = dev->flush_op;
}

/* Make the requests written so far visible to the backend, and notify it
 * if it asked to be told of any of them (req_event in what we pushed):
 * one notification for a whole batch. */
static void push(struct blkfront_queue *queue)
{
	RING_IDX old = queue->pushed, new = queue->ring.req_prod_pvt;

	if (old == new)
		return;
	/* The requests must be visible before the index that publishes
	 * them. */
	arch_wmb();
	queue->sring->req_prod = new;
	queue->pushed = new;
	/* ...and the index before we look at where the backend wants an
	 * event. */
	arch_mb();
	if (xen_ring_need_notify(old, new, queue->sring->req_event))
		evtchn_notify(queue->port);
}


void blkfront_plug(struct blkfront *dev)
{
	dev->plugged = true;
}

void blkfront_unplug(struct blkfront *dev)
{
	dev->plugged = false;
	for (unsigned q = 0; q < dev->nr_queues; q++)
		push(&dev->queue[q]);
}

int blkfront_enqueue(struct blkfront *dev, struct blk_request *req)
{
	union blkif_sring_entry *e;
	struct blkfront_queue *queue;
	struct blkfront_slot *slot;
	unsigned id;

	queue = pick_queue(dev, &id);
	if (!queue)
		return -XEN_EBUSY;
	slot = &queue->slot[id];
	/* Built in its ring slot, cleared whole first so that no byte of an
	 * earlier request or response stays in the padding; the backend
	 * may look at it only once push() publishes it. */
	e = (union blkif_sring_entry *)XEN_RING_REQ(&queue->ring,
						  queue->ring.req_prod_pvt);
	memset(e, 0, sizeof(*e));
	switch (req->op) {
	case BLK_READ:
		build_rw(dev, slot, req, BLKIF_OP_READ, e, id);
		break;
	case BLK_WRITE:
	case BLK_WRITE_BARRIER:
		build_rw(dev, slot, req, req->op == BLK_WRITE ? BLKIF_OP_WRITE :
			 BLKIF_OP_WRITE_BARRIER, e, id);
		break;
	case BLK_FLUSH:
		build_flush(dev, slot, e, id);
		break;
	case BLK_DISCARD:
	case BLK_DISCARD_SECURE:
		build_discard(dev, slot, req, e, id);
		break;
	}
	slot->req = req;
	queue->pending |= 1u << id;
	slot->seq = dev->next_seq++;
	queue->in_flight++;
	req->completed = false;
	req->status = 0;
	req->queue = queue->index;
	req->id = id;
	queue->ring.req_prod_pvt++;
	if (!dev->plugged)
		push(queue);
	return 0;
}

/* ---- responses ---- */

static const char *op_name(uint8_t op)
{
	static const char *const names[] = {
		"read", "write", "write-barrier", "flush", "reserved",
		"discard", "indirect",
	};

	return op < sizeof(names) / sizeof(names[0]) ? names[op] : "unknown";
}

/* The backend said it cannot do this: turn the feature off, as Linux
 * does, so later calls fail at once instead of reaching the ring. */
static void feature_off(struct blkfront *dev, uint8_t op)
{
	if (op == BLKIF_OP_FLUSH_DISKCACHE || op == BLKIF_OP_WRITE_BARRIER) {
		if (dev->info.flush || dev->info.barrier)
			note(dev, "backend refused %s: turning flush and "
			     "barrier off", op_name(op));
		dev->info.flush = false;
		dev->info.flush_cache = false;
		dev->info.barrier = false;
	} else if (op == BLKIF_OP_DISCARD) {
		if (dev->info.discard)
			note(dev, "backend refused discard: turning it off");
		dev->info.discard = false;
		dev->info.secure_discard = false;
	}
}

static int status_of(struct blkfront *dev, const struct blkfront_slot *slot,
		     int16_t status)
{
	uint8_t op = slot->operation;
	bool feature_op = op == BLKIF_OP_FLUSH_DISKCACHE ||
			  op == BLKIF_OP_WRITE_BARRIER ||
			  op == BLKIF_OP_DISCARD;

	if (status == BLKIF_RSP_OKAY)
		return 0;
	/* Linux's rule: an error on an empty flush means "not supported". */
	if (status == BLKIF_RSP_EOPNOTSUPP ||
	    (status == BLKIF_RSP_ERROR && op == BLKIF_OP_FLUSH_DISKCACHE)) {
		if (feature_op) {
			feature_off(dev, op);
			return -XEN_EOPNOTSUPP;
		}
	}
	note(dev, "%s of %u sector(s) at %llu failed: status %d",
	     op_name(op), slot->req->count,
	     (unsigned long long)slot->req->sector, status);
	return status == BLKIF_RSP_EOPNOTSUPP ? -XEN_EOPNOTSUPP : -XEN_EIO;
}

/* Check one response (a local copy) against what we asked; false when the
 * backend broke the protocol (the device is then marked broken). */
static bool response_ok(struct blkfront *dev, struct blkfront_queue *queue,
			const struct blkif_response *rsp)
{
	const struct blkfront_slot *slot;

	if (rsp->id >= queue->depth) {
		blkfront_mark_broken(dev, "queue %u: response id %llu out of "
				     "range (0..%u)", queue->index,
				     (unsigned long long)rsp->id,
				     queue->depth - 1);
		return false;
	}
	slot = &queue->slot[rsp->id];
	if (!(queue->pending & 1u << rsp->id)) {
		blkfront_mark_broken(dev, "queue %u: response for id %u, which "
				     "has no request pending", queue->index,
				     (unsigned)rsp->id);
		return false;
	}
	if (rsp->operation != slot->operation &&
	    !(slot->operation == BLKIF_OP_INDIRECT &&
	      rsp->operation == slot->indirect_op)) {
		blkfront_mark_broken(dev, "queue %u: response for id %u says "
				     "operation %u, the request was %u (%s)",
				     queue->index, (unsigned)rsp->id,
				     rsp->operation, slot->operation,
				     op_name(slot->operation));
		return false;
	}
	if (rsp->status != BLKIF_RSP_OKAY && rsp->status != BLKIF_RSP_ERROR &&
	    rsp->status != BLKIF_RSP_EOPNOTSUPP) {
		blkfront_mark_broken(dev, "queue %u: response for id %u has "
				     "unknown status %d", queue->index,
				     (unsigned)rsp->id, rsp->status);
		return false;
	}
	return true;
}

static void finish(struct blkfront *dev, struct blkfront_queue *queue,
		   const struct blkif_response *rsp)
{
	struct blkfront_slot *slot = &queue->slot[rsp->id];
	struct blk_request *req = slot->req;
	int status = status_of(dev, slot, rsp->status);

	if (status == 0 && req->op == BLK_READ && !slot->direct)
		memcpy(req->buf, slot->pages,
		       (size_t)req->count * dev->info.sector_size);
	queue->in_flight--;
	dev->unanswered_reconnects = 0;
	complete(queue, (unsigned)rsp->id, status);
}

static unsigned collect_queue(struct blkfront *dev,
			      struct blkfront_queue *queue)
{
	volatile blkif_sring_t *sring = queue->sring;
	unsigned done = 0;
	RING_IDX prod;

	do {
		prod = sring->rsp_prod;
		/* Read the index before the responses it covers. */
		arch_rmb();
		if (!XEN_FRONT_RING_RSP_PROD_OK(&queue->ring, prod)) {
			blkfront_mark_broken(dev, "queue %u: rsp_prod %u is "
					     "beyond the %u request(s) "
					     "outstanding (rsp_cons %u)",
					     queue->index, prod,
					     queue->ring.req_prod_pvt -
					     queue->ring.rsp_cons,
					     queue->ring.rsp_cons);
			return done;
		}
		while (queue->ring.rsp_cons != prod) {
			struct blkif_response rsp;

			/* One copy; only the copy is looked at. */
			memcpy(&rsp, (const void *)XEN_RING_RSP(&queue->ring,
							       queue->ring.rsp_cons),
			       sizeof(rsp));
			queue->ring.rsp_cons++;
			if (!response_ok(dev, queue, &rsp))
				return done;
			finish(dev, queue, &rsp);
			done++;
			if (dev->broken)   /* a callback may have closed it */
				return done;
		}
		/* Ask for an event at the next response, then look again so
		 * one that slipped in meanwhile is not missed. A poll that
		 * found nothing asked already: no store (they are what
		 * costs most under emulation). */
		if (sring->rsp_event != queue->ring.rsp_cons + 1) {
			sring->rsp_event = queue->ring.rsp_cons + 1;
			arch_mb();
		}
	} while (sring->rsp_prod != queue->ring.rsp_cons);
	return done;
}

/* Whether a poll has anything to do on queue: a response or an event.
 * Reads only. */
static bool queue_has_news(const struct blkfront_queue *queue)
{
	const volatile blkif_sring_t *sring = queue->sring;

	return queue->events || sring->rsp_prod != queue->ring.rsp_cons;
}

static __attribute__((noinline)) unsigned collect_all(struct blkfront *dev)
{
	unsigned done = 0;

	for (unsigned q = 0; q < dev->nr_queues && !dev->broken; q++) {
		unsigned n = collect_queue(dev, &dev->queue[q]);

		if (dev->queue[q].events) {
			if (n == 0)
				dev->queue[q].spurious++;
			dev->queue[q].events = 0;
		}
		done += n;
	}
	return done;
}

unsigned blkfront_collect(struct blkfront *dev)
{
	bool news = false;

	for (unsigned q = 0; q < dev->nr_queues; q++)
		news |= queue_has_news(&dev->queue[q]);
	/* Most polls find nothing: they return before the work (and the
	 * stores, which cost most under emulation) of taking responses. */
	return news ? collect_all(dev) : 0;
}

unsigned blkfront_in_flight(const struct blkfront *dev)
{
	unsigned n = 0;

	for (unsigned q = 0; q < dev->nr_queues; q++)
		n += dev->queue[q].in_flight;
	return n;
}

unsigned blkfront_take_pending(struct blkfront *dev, struct blk_request **out,
			       unsigned max)
{
	unsigned n = 0;

	for (;;) {
		struct blkfront_slot *oldest = NULL;
		struct blkfront_queue *owner = NULL;
		unsigned oldest_id = 0;

		for (unsigned q = 0; q < dev->nr_queues; q++) {
			struct blkfront_queue *queue = &dev->queue[q];

			for (uint32_t p = queue->pending; p; p &= p - 1) {
				unsigned i = (unsigned)__builtin_ctz(p);
				struct blkfront_slot *slot = &queue->slot[i];

				if (!oldest || slot->seq < oldest->seq) {
					oldest = slot;
					oldest_id = i;
					owner = queue;
				}
			}
		}
		if (!oldest || n == max)
			return n;
		out[n++] = oldest->req;
		owner->pending &= ~(1u << oldest_id);
		oldest->req = NULL;
		owner->in_flight--;
	}
}
