/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's receive path: rx buffers posted on every queue,
 * frames taken in one slot or, when we asked for sg, over a chain of
 * slots (NETRXF_more_data), with a GSO extra after the first when we
 * asked for GSO. Nothing the backend writes is trusted: each response
 * is copied once out of the ring and only the copy is looked at; a
 * whole chain is checked before a byte of it is handed on (see
 * dev/netfront.h for the list). A response answers the request made in
 * its ring slot: we index our buffers by our own slot counter, never by
 * an extra-info slot's contents. */
#include <xen/errno.h>

#include "netfront_internal.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

#define PAGE 4096u

/* One frame's slots as the ring holds them, checked. */
struct rx_chain {
	RING_IDX end;                 /* the ring index after its last slot */
	unsigned slots;               /* ring slots, extra info included */
	unsigned nr;                  /* data slots */
	struct netif_rx_response data[NETFRONT_RX_SLOTS_MAX];
	struct netif_extra_info gso;  /* type NONE when there is none */
	size_t len;                   /* the data slots' bytes, added up */
	bool error;                   /* a slot carried an error status */
};

/* Post buffer id in q's next rx slot (not yet published). */
void netfront_rx_post(struct netfront_queue *q, unsigned id)
{
	struct netif_rx_request *req = XEN_RING_REQ(&q->rx, q->rx.req_prod_pvt);

	req->id = (uint16_t)id;
	req->pad = 0;
	req->gref = q->rxb[id].ref;
	q->rx_id_at[q->rx.req_prod_pvt % NETFRONT_RX_BUFS] = (uint16_t)id;
	q->rx.req_prod_pvt++;
	q->rxb[id].pending = true;
}

void netfront_rx_publish(struct netfront_queue *q)
{
	netfront_push(q->rx_port, &q->rx.sring->req_prod, q->rx.req_prod_pvt,
		      &q->rx.sring->req_event);
}

/* The flags a frame's first slot may carry: what we asked for. */
static uint16_t first_flags_allowed(const struct netfront *nf)
{
	uint16_t ok = NETRXF_data_validated;

	if (nf->nego.rx_csum)
		ok |= NETRXF_csum_blank;
	if (nf->nego.rx_sg)
		ok |= NETRXF_more_data;
	if (nf->nego.rx_gso_tcpv4 || nf->nego.rx_gso_tcpv6)
		ok |= NETRXF_extra_info;
	return ok;
}

/* The data response at ring index idx, copied: whether it keeps to the
 * protocol (an error status only marks the frame). */
static bool rx_slot_ok(struct netfront_queue *q, RING_IDX idx,
		       const struct netif_rx_response *rsp, bool first,
		       struct rx_chain *c)
{
	struct netfront *nf = q->nf;
	uint16_t want = q->rx_id_at[idx % NETFRONT_RX_BUFS];
	uint16_t allowed = first ? first_flags_allowed(nf) : NETRXF_more_data;

	if (rsp->id != want || !q->rxb[want].pending) {
		netfront_mark_broken(nf, "queue %u: rx response in slot %u has "
				     "id %u, the request there was %u",
				     q->index, idx, rsp->id, want);
		return false;
	}
	if (rsp->flags & ~allowed) {
		if (first)
			netfront_mark_broken(nf, "queue %u: rx response %u has "
					     "flags 0x%x: extra info, more "
					     "data, GSO or a blank checksum "
					     "were not negotiated", q->index,
					     rsp->id, rsp->flags);
		else
			netfront_mark_broken(nf, "queue %u: rx response %u, "
					     "slot %u of its frame, has flags "
					     "0x%x: only more data may follow "
					     "the first", q->index, rsp->id,
					     c->nr + 1, rsp->flags);
		return false;
	}
	if (rsp->status > 0 &&
	    (unsigned)rsp->offset + (unsigned)rsp->status > PAGE) {
		netfront_mark_broken(nf, "queue %u: rx response %u: offset %u "
				     "+ length %d crosses its page", q->index,
				     rsp->id, rsp->offset, rsp->status);
		return false;
	}
	if (rsp->status > 0)
		c->len += (size_t)rsp->status;
	else
		c->error = true;         /* an error, or an empty slot */
	return true;
}

/* The extra-info slots after a first slot that announced them: one GSO
 * extra of a type we asked for. */
static bool rx_extras(struct netfront_queue *q, RING_IDX prod, RING_IDX *idx,
		      struct rx_chain *c)
{
	struct netfront *nf = q->nf;
	struct netif_extra_info x;

	do {
		if (*idx == prod) {
			netfront_mark_broken(nf, "queue %u: rx frame's extra "
					     "info runs past the responses "
					     "published (rsp_prod %u)",
					     q->index, prod);
			return false;
		}
		memcpy(&x, (const void *)XEN_RING_RSP(&q->rx, *idx),
		       sizeof(x));
		(*idx)++;
		if (x.type != XEN_NETIF_EXTRA_TYPE_GSO) {
			netfront_mark_broken(nf, "queue %u: rx extra info of "
					     "type %u: only GSO was asked for",
					     q->index, x.type);
			return false;
		}
		if (c->gso.type != XEN_NETIF_EXTRA_TYPE_NONE) {
			netfront_mark_broken(nf, "queue %u: rx GSO extra given "
					     "twice", q->index);
			return false;
		}
		if (!(x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 &&
		      nf->nego.rx_gso_tcpv4) &&
		    !(x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 &&
		      nf->nego.rx_gso_tcpv6)) {
			netfront_mark_broken(nf, "queue %u: rx GSO extra of "
					     "type %u, not asked for",
					     q->index, x.u.gso.type);
			return false;
		}
		if (x.u.gso.size == 0) {
			netfront_mark_broken(nf, "queue %u: rx GSO extra of "
					     "size 0", q->index);
			return false;
		}
		c->gso = x;
	} while (x.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return true;
}

/* Read and check the chain of the frame at rsp_cons (at least its first
 * slot is published): whether it keeps to the protocol. */
static bool rx_chain_read(struct netfront_queue *q, RING_IDX prod,
			  struct rx_chain *c)
{
	struct netfront *nf = q->nf;
	RING_IDX idx = q->rx.rsp_cons;
	struct netif_rx_response rsp;

	memset(c, 0, sizeof(*c));
	do {
		if (c->nr == NETFRONT_RX_SLOTS_MAX) {
			netfront_mark_broken(nf, "queue %u: rx frame spans more "
					     "than %u slots", q->index,
					     NETFRONT_RX_SLOTS_MAX);
			return false;
		}
		/* The backend publishes a frame whole: a chain that goes on
		 * past rsp_prod is never finished. */
		if (idx == prod) {
			netfront_mark_broken(nf, "queue %u: rx frame's chain "
					     "runs past the responses "
					     "published (rsp_prod %u, %u "
					     "slot(s) so far)", q->index, prod,
					     c->nr);
			return false;
		}
		memcpy(&rsp, (const void *)XEN_RING_RSP(&q->rx, idx),
		       sizeof(rsp));
		if (!rx_slot_ok(q, idx, &rsp, c->nr == 0, c))
			return false;
		c->data[c->nr++] = rsp;
		idx++;
		if (c->nr == 1 && (rsp.flags & NETRXF_extra_info) &&
		    !rx_extras(q, prod, &idx, c))
			return false;
	} while (rsp.flags & NETRXF_more_data);
	c->end = idx;
	c->slots = idx - q->rx.rsp_cons;
	return true;
}

/* Whether the checked chain's length fits what it may be. */
static bool rx_chain_len_ok(struct netfront_queue *q,
			    const struct rx_chain *c)
{
	struct netfront *nf = q->nf;
	size_t max = c->gso.type != XEN_NETIF_EXTRA_TYPE_NONE ?
		     NETFRONT_RX_MAX : nf->mtu + 14u;

	if (c->error || c->len <= max)
		return true;
	netfront_mark_broken(nf, "queue %u: rx frame of %zu bytes in %u "
			     "slot(s), over the %zu-byte %s", q->index, c->len,
			     c->nr, max, max == NETFRONT_RX_MAX ? "GSO frame" :
			     "frame");
	return false;
}

/* Copy the chain's bytes into buf (the chain is error-free). */
static void rx_chain_copy(struct netfront_queue *q, const struct rx_chain *c,
			  uint8_t *buf)
{
	size_t at = 0;

	for (unsigned i = 0; i < c->nr; i++) {
		const struct netif_rx_response *rsp = &c->data[i];

		memcpy(buf + at, (const uint8_t *)q->rxb[rsp->id].page +
		       rsp->offset, (size_t)rsp->status);
		at += (size_t)rsp->status;
	}
}

/* Every buffer from rsp_cons to end goes straight back to the backend,
 * in slot order (extra-info slots' buffers too). */
static void rx_chain_repost(struct netfront_queue *q, RING_IDX end)
{
	while (q->rx.rsp_cons != end) {
		uint16_t id = q->rx_id_at[q->rx.rsp_cons % NETFRONT_RX_BUFS];

		q->rxb[id].pending = false;
		netfront_rx_post(q, id);
		q->rx.rsp_cons++;
	}
	netfront_rx_publish(q);
}

static void rx_info_fill(const struct rx_chain *c, uint16_t flags,
			 struct netfront_rx_info *info)
{
	memset(info, 0, sizeof(*info));
	info->slots = c->slots;
	info->csum_blank = flags & NETRXF_csum_blank;
	info->data_validated = flags & NETRXF_data_validated;
	if (c->gso.type == XEN_NETIF_EXTRA_TYPE_GSO) {
		info->gso_type = c->gso.u.gso.type;
		info->gso_size = c->gso.u.gso.size;
	}
}

bool netfront_rx_pending(struct netfront *nf)
{
	if (netfront_usable(nf))
		return true;        /* the caller's next call says why */
	for (unsigned i = 0; i < nf->nr_queues; i++)
		if (((volatile netif_rx_sring_t *)nf->q[i].rx.sring)->rsp_prod !=
		    nf->q[i].rx.rsp_cons)
			return true;
	return false;
}

/* One frame from q into buf: its length, 0 when none waits, -XEN_EIO. */
static long rx_take(struct netfront_queue *q, void *buf,
		    struct netfront_rx_info *info)
{
	volatile netif_rx_sring_t *sring = q->rx.sring;
	struct netfront *nf = q->nf;
	struct rx_chain c;
	long got = 0;
	RING_IDX prod;

	while (!got) {
		RING_IDX idx = q->rx.rsp_cons;

		prod = sring->rsp_prod;
		arch_rmb();
		if (!XEN_FRONT_RING_RSP_PROD_OK(&q->rx, prod)) {
			netfront_mark_broken(nf, "queue %u: rx producer index %u "
					     "going backwards or past the %u "
					     "buffer(s) posted (rsp_cons %u)",
					     q->index, prod,
					     q->rx.req_prod_pvt - q->rx.rsp_cons,
					     q->rx.rsp_cons);
			return -XEN_EIO;
		}
		if (idx == prod) {
			/* An event at the next response; look again. */
			sring->rsp_event = idx + 1;
			arch_mb();
			if (sring->rsp_prod == idx)
				return 0;
			continue;
		}
		if (!rx_chain_read(q, prod, &c) || !rx_chain_len_ok(q, &c))
			return -XEN_EIO;
		if (!c.error) {
			rx_chain_copy(q, &c, buf);
			rx_info_fill(&c, c.data[0].flags, info);
			got = (long)c.len;
			q->rx_packets++;
			nf->stats.rx_packets++;
			nf->stats.rx_gso += info->gso_type !=
					    XEN_NETIF_GSO_TYPE_NONE;
			nf->stats.rx_multi_slot += c.nr > 1;
		} else {
			nf->stats.rx_errors++;   /* error, or an empty frame */
		}
		rx_chain_repost(q, c.end);
	}
	return got;
}

long netfront_recv_info(struct netfront *nf, void *buf, size_t cap,
			struct netfront_rx_info *info)
{
	struct netfront_rx_info none;
	int rc = netfront_usable(nf);

	if (rc)
		return rc;
	if (cap < nf->rx_max)
		return -XEN_EINVAL;
	if (!info)
		info = &none;
	/* Each queue in turn, starting after the last one served. */
	for (unsigned n = 0; n < nf->nr_queues; n++) {
		unsigned i = (nf->rx_next + n) % nf->nr_queues;
		long got = rx_take(&nf->q[i], buf, info);

		if (got) {
			nf->rx_next = (i + 1) % nf->nr_queues;
			return got;
		}
	}
	return 0;
}

long netfront_recv(struct netfront *nf, void *buf, size_t cap)
{
	return netfront_recv_info(nf, buf, cap, NULL);
}
