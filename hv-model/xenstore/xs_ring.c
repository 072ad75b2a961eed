/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest ring transport. The page belongs to the guest and may change
 * under us at any time: each pass loads the guest-owned index once,
 * checks that it is at most one ring ahead of ours, and masks every
 * offset. Our own indexes (req_cons, rsp_prod) live here and are only
 * ever written to the page, never read back from it after attach.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/xs_ring.h>

#include "xs_internal.h"

struct hv_xs_ring {
	struct hv_xs *xs;
	struct hv_xs_conn *conn;
	struct xenstore_domain_interface *page;
	hv_xs_notify_fn notify;
	void *opaque;
	uint16_t domid;
	XENSTORE_RING_IDX req_cons;   /* ours; published to page->req_cons */
	XENSTORE_RING_IDX rsp_prod;   /* ours; published to page->rsp_prod */
	struct hv_xs_framer in;
	struct hv_xs_outq out;        /* replies and events not yet in the ring */
	uint64_t dropped;             /* events over the memory bound */
	uint32_t error;               /* XENSTORE_ERROR_*: broken until reset */
	bool in_kick, need_notify;
};

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void out_clear(struct hv_xs_ring *r)
{
	hv_xs_outq_clear(&r->out);
}

static void ring_fail(struct hv_xs_ring *r, uint32_t code, const char *why, uint32_t a, uint32_t b)
{
	hv_xs_log(r->xs, HV_XS_LOG_ERROR, r->domid,
	       "ring broken (error %u): %s (%u, %u); waiting for reconnect", code, why, a, b);
	r->error = code;
	store_release(&r->page->error, code);
	r->need_notify = true;
}

/* Copies queued replies and events into free rsp space. */
static bool push_output(struct hv_xs_ring *r)
{
	struct xenstore_domain_interface *page = r->page;
	XENSTORE_RING_IDX cons = load_acquire(&page->rsp_cons); /* one read */
	uint32_t used = r->rsp_prod - cons;
	uint32_t space;
	bool moved = false;

	if (used > XENSTORE_RING_SIZE) {
		ring_fail(r, XENSTORE_ERROR_RINGIDX, "rsp_cons is past rsp_prod", cons, r->rsp_prod);
		return false;
	}
	space = XENSTORE_RING_SIZE - used;
	while (space) {
		const uint8_t *data;
		uint32_t off = MASK_XENSTORE_IDX(r->rsp_prod);
		size_t n = hv_xs_outq_peek(&r->out, &data);

		if (!n)
			break;
		/* Stop at the free space, the queue's contiguous bytes, and the ring's end. */
		if (n > space)
			n = space;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		memcpy(page->rsp + off, data, n);
		hv_xs_outq_consume(&r->out, n);
		r->rsp_prod += (uint32_t)n;
		space -= (uint32_t)n;
		moved = true;
	}
	if (moved) {
		/* Release: the bytes must be visible before the index that covers them. */
		store_release(&page->rsp_prod, r->rsp_prod);
		r->need_notify = true;
	}
	return moved;
}

static bool input_blocked(const struct hv_xs_ring *r)
{
	uint32_t max = r->xs->cfg.max_outstanding;

	/* A guest that does not take its replies gets no more served. */
	return r->domid != 0 && max && r->out.replies >= max;
}

static void dispatch(struct hv_xs_ring *r)
{
	struct xsd_sockmsg hdr;

	hv_xs_framer_hdr(&r->in, &hdr);
	hv_xs_conn_request(r->conn, &hdr, hv_xs_framer_payload(&r->in));
	hv_xs_framer_reset(&r->in);
}

/* Takes request bytes, whole messages at a time, while replies may queue. */
static bool pull_input(struct hv_xs_ring *r)
{
	struct xenstore_domain_interface *page = r->page;
	XENSTORE_RING_IDX prod = load_acquire(&page->req_prod); /* one read */
	uint32_t avail = prod - r->req_cons;
	bool moved = false;

	if (avail > XENSTORE_RING_SIZE) {
		ring_fail(r, XENSTORE_ERROR_RINGIDX, "req_prod is more than a ring ahead",
			  prod, r->req_cons);
		return false;
	}
	while (avail && !r->error && !input_blocked(r)) {
		uint32_t off = MASK_XENSTORE_IDX(r->req_cons);
		size_t n = hv_xs_framer_want(&r->in);
		int rc;

		/* Stop at what is there, the current message's end, and the ring's end. */
		if (n > avail)
			n = avail;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		rc = hv_xs_framer_put(&r->in, page->req + off, n);
		r->req_cons += (uint32_t)n;
		avail -= (uint32_t)n;
		/* Release: our copy is taken before the guest may reuse the bytes. */
		store_release(&page->req_cons, r->req_cons);
		r->need_notify = true;
		moved = true;
		if (rc < 0) {
			struct xsd_sockmsg hdr;

			hv_xs_framer_hdr(&r->in, &hdr);
			ring_fail(r, XENSTORE_ERROR_PROTO, "payload over XENSTORE_PAYLOAD_MAX",
				  hdr.len, XENSTORE_PAYLOAD_MAX);
		} else if (rc == 1) {
			dispatch(r);
		}
	}
	return moved;
}

/* The guest asked for a fresh connection (xenstore-ring.txt, reconnection). */
static void ring_reset(struct hv_xs_ring *r)
{
	struct xenstore_domain_interface *page = r->page;

	hv_xs_log(r->xs, HV_XS_LOG_INFO, r->domid, "ring reconnect");
	out_clear(r);
	hv_xs_framer_reset(&r->in);
	hv_xs_conn_reset(r->conn);
	/* Empty both queues by catching up with the guest's indexes. */
	r->req_cons = load_acquire(&page->req_prod);
	r->rsp_prod = load_acquire(&page->rsp_cons);
	store_release(&page->req_cons, r->req_cons);
	store_release(&page->rsp_prod, r->rsp_prod);
	r->error = XENSTORE_ERROR_NONE;
	store_release(&page->error, XENSTORE_ERROR_NONE);
	/* Last: the guest ignores everything until it sees this. */
	store_release(&page->connection, XENSTORE_CONNECTED);
	r->need_notify = true;
}

static void notify_if_needed(struct hv_xs_ring *r)
{
	if (r->need_notify && !r->in_kick) {
		r->need_notify = false;
		r->notify(r->opaque);
	}
}

void hv_xs_ring_kick(struct hv_xs_ring *r)
{
	r->in_kick = true;
	if (load_acquire(&r->page->connection) == XENSTORE_RECONNECT)
		ring_reset(r);
	while (!r->error) {
		bool moved = push_output(r);

		if (!r->error)
			moved |= pull_input(r);
		if (!moved)
			break;
	}
	r->in_kick = false;
	notify_if_needed(r);
}

static int ring_send(void *opaque, const void *data, size_t len, enum hv_xs_msg_kind kind)
{
	struct hv_xs_ring *r = opaque;
	int rc;

	if (r->error)
		return 0; /* nobody is listening until the guest reconnects */
	/* Replies are bounded by max_outstanding: only events meet the memory bound. */
	rc = hv_xs_outq_push(&r->out, data, len, kind, kind == HV_XS_MSG_EVENT);
	if (rc == -XEN_ENOSPC || rc == -XEN_ENOBUFS) {
		/* As C xenstored past a domain's hard quota: the event is lost. */
		if (!r->dropped++)
			hv_xs_log(r->xs, HV_XS_LOG_WARN, r->domid,
				  "output queue over its memory bound: watch events dropped");
		return 0; /* logged once here, not once per event */
	}
	if (rc < 0)
		return rc;
	push_output(r);
	notify_if_needed(r);
	return 0;
}

struct hv_xs_ring *hv_xs_ring_new(struct hv_xs *xs, uint16_t domid,
				  struct xenstore_domain_interface *page,
				  hv_xs_notify_fn notify, void *opaque)
{
	struct hv_xs_ring *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->xs = xs;
	r->page = page;
	r->notify = notify;
	r->opaque = opaque;
	r->domid = domid;
	hv_xs_outq_init(&r->out, xs,
			domid ? xs->cfg.max_guest_out_bytes : xs->cfg.max_dom0_out_bytes);
	/* Our indexes start wherever the page's do; read once, here only. */
	r->req_cons = load_acquire(&page->req_cons);
	r->rsp_prod = load_acquire(&page->rsp_prod);
	r->conn = hv_xs_conn_new(xs, domid, ring_send, r);
	if (!r->conn) {
		free(r);
		return NULL;
	}
	store_release(&page->error, XENSTORE_ERROR_NONE);
	/* Features are only ever added, never withdrawn. */
	__atomic_or_fetch(&page->server_features,
			  XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR,
			  __ATOMIC_RELEASE);
	return r;
}

void hv_xs_ring_free(struct hv_xs_ring *r)
{
	if (!r)
		return;
	hv_xs_conn_free(r->conn);
	out_clear(r);
	free(r);
}

uint32_t hv_xs_ring_error(const struct hv_xs_ring *r)
{
	return r->error;
}

int hv_xs_ring_rewind(struct hv_xs_ring *r)
{
	struct xenstore_domain_interface *page = r->page;

	if (r->error || r->in.have || hv_xs_outq_pending(&r->out) ||
	    load_acquire(&page->req_prod) != r->req_cons ||
	    load_acquire(&page->rsp_cons) != r->rsp_prod ||
	    load_acquire(&page->connection) != XENSTORE_CONNECTED || r->conn->ntxns)
		return -XEN_EBUSY;
	r->conn->next_txn_id = 0;
	r->req_cons = r->rsp_prod = 0;
	store_release(&page->req_prod, 0);
	store_release(&page->req_cons, 0);
	store_release(&page->rsp_cons, 0);
	store_release(&page->rsp_prod, 0);
	return 0;
}

struct hv_xs_conn *hv_xs_ring_conn(struct hv_xs_ring *r)
{
	return r->conn;
}

size_t hv_xs_ring_out_memory(const struct hv_xs_ring *r)
{
	return r->out.mem;
}

uint64_t hv_xs_ring_out_duplicates(const struct hv_xs_ring *r)
{
	return r->out.duplicates;
}
