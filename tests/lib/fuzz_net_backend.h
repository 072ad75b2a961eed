/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's end of one netif queue (a vif_fake queue: its tx and rx rings
 * mapped, its channels bound) as a hostile backend plays it, driven by
 * fuzz input: the moves the netfront targets share (fuzz_netfront on the
 * native guest, fuzz_emu_netfront on the emulated one). It takes tx
 * requests and checks them (a malformed one is the frontend's bug),
 * answers them well or with any id and status, takes rx requests and
 * answers them with any id, offset, size and flags, puts extra-info slots
 * of any type and flags, moves a producer index anywhere, rewrites a
 * published rx response. Header-only: each target includes it once
 * (after fuzz_input.h and vif_fake.h). */
#ifndef TESTS_FUZZ_NET_BACKEND_H
#define TESTS_FUZZ_NET_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <xen/io/netif.h>

#include "dev/netfront.h"
#include "hv/evtchn.h"

#define FUZZ_NET_FIFO 64

/* What dom0 read from a queue's tx ring and has not answered. */
struct fuzz_net_seen {
	uint32_t fifo[FUZZ_NET_FIFO];  /* tx ids; extra-info slots as ~0 */
	unsigned head, tail;
	bool extra_due;                /* the next slot is an extra */
	bool in_chain;                 /* the next slot continues a packet */
};

/* One queue as the moves see it. */
struct fuzz_net_queue {
	struct vif_queue *q;
	struct fuzz_net_seen *seen;
	/* The guest's side of the queue, to check grant references against
	 * its buffers; NULL when this program cannot see it (emulated). */
	const struct netfront_queue *fq;
	struct hv_domain *dom0;
	void (*fail)(const char *what);   /* does not return */
};

/* Where the guest's side cannot be seen (fq NULL), the target may set
 * this: what is wrong with the grant a tx (or rx) request gives for its
 * buffer id, NULL when nothing (the emulated target asks the model's
 * grant table). */
static const char *(*fuzz_net_grant_wrong)(const struct fuzz_net_queue *n,
					   bool tx, uint16_t id,
					   grant_ref_t gref);

/* The moves on the rings, in the order the targets number them. */
enum fuzz_net_move {
	FUZZ_NET_TX_TAKE,    /* n: dom0 reads tx requests and checks them */
	FUZZ_NET_TX_ANSWER,  /* how: the oldest taken, mutated as how says */
	FUZZ_NET_TX_RAW,     /* id, status: any tx response */
	FUZZ_NET_TX_PUSH,    /* publish tx rsp_prod, notify */
	FUZZ_NET_TX_PROD,    /* where: tx rsp_prod moves anywhere */
	FUZZ_NET_RX_DATA,    /* how, ...: an rx response */
	FUZZ_NET_RX_EXTRA,   /* how, ...: an extra-info slot */
	FUZZ_NET_RX_PUSH,    /* publish rx rsp_prod, notify */
	FUZZ_NET_RX_PROD,    /* where: rx rsp_prod moves anywhere */
	FUZZ_NET_MOVES
};

/* One tx request as dom0 reads it: well formed, whatever came before. */
static void fuzz_net_check_tx(struct fuzz_net_queue *n,
			      const struct netif_tx_request *req)
{
	struct fuzz_net_seen *seen = n->seen;
	bool first = !seen->in_chain;
	const char *why;

	if (seen->extra_due) {
		const struct netif_extra_info *x = (const void *)req;

		if (x->type != XEN_NETIF_EXTRA_TYPE_GSO &&
		    x->type != XEN_NETIF_EXTRA_TYPE_MCAST_ADD &&
		    x->type != XEN_NETIF_EXTRA_TYPE_MCAST_DEL)
			n->fail("a tx extra of an unknown type");
		if (x->flags & XEN_NETIF_EXTRA_FLAG_MORE)
			n->fail("a tx extra chain the frontend never makes");
		seen->extra_due = false;
		return;
	}
	if (req->id >= NETFRONT_TX_BUFS)
		n->fail("a tx request id beyond the buffers");
	if (n->fq && req->gref != n->fq->txb[req->id].ref)
		n->fail("a tx request's grant is not its buffer's");
	if (fuzz_net_grant_wrong &&
	    (why = fuzz_net_grant_wrong(n, true, req->id, req->gref)))
		n->fail(why);
	if (req->offset != 0)
		n->fail("a tx request at an offset");
	if (req->flags & ~(NETTXF_csum_blank | NETTXF_data_validated |
			   NETTXF_more_data | NETTXF_extra_info))
		n->fail("a tx request with unknown flags");
	/* Only a first slot gives the whole size; the rest fit a page. */
	if ((!first || !(req->flags & NETTXF_more_data)) &&
	    req->size > VIF_PAGE)
		n->fail("a tx slot larger than its page");
	if (!first && req->flags & (NETTXF_extra_info | NETTXF_csum_blank))
		n->fail("a later tx slot with a first slot's flags");
	seen->extra_due = req->flags & NETTXF_extra_info;
	seen->in_chain = req->flags & NETTXF_more_data;
}

static void fuzz_net_tx_take(struct fuzz_net_queue *n, struct fuzz_input *in)
{
	struct vif_queue *q = n->q;
	struct fuzz_net_seen *seen = n->seen;
	RING_IDX prod = __atomic_load_n(&q->tx.sring->req_prod,
					__ATOMIC_ACQUIRE);
	unsigned count = fuzz_byte(in);

	if (prod - q->tx.req_cons > q->tx.nr_ents)
		n->fail("the guest overran its tx ring");
	while (count-- && q->tx.req_cons != prod) {
		struct netif_tx_request req;
		bool extra = seen->extra_due;

		memcpy(&req, XEN_RING_REQ(&q->tx, q->tx.req_cons), sizeof(req));
		q->tx.req_cons++;
		fuzz_net_check_tx(n, &req);
		if (seen->tail - seen->head < FUZZ_NET_FIFO)
			seen->fifo[seen->tail++ % FUZZ_NET_FIFO] =
				extra ? ~0u : req.id;
	}
}

/* Into a slot whose request dom0 has taken (answers the guest never
 * asked for are the producer index's lies, FUZZ_NET_TX_PROD). */
static void fuzz_net_tx_put(struct vif_queue *q, uint16_t id, int16_t status)
{
	struct netif_tx_response *rsp;

	if (q->tx.rsp_prod_pvt == q->tx.req_cons)
		return;
	rsp = XEN_RING_RSP(&q->tx, q->tx.rsp_prod_pvt);
	rsp->id = id;
	rsp->status = status;
	q->tx.rsp_prod_pvt++;
}

/* The oldest request taken answered, mutated as the input says. */
static void fuzz_net_tx_answer(struct fuzz_net_queue *n,
			       struct fuzz_input *in)
{
	static const int16_t statuses[] = {
		NETIF_RSP_OKAY, NETIF_RSP_OKAY, NETIF_RSP_ERROR,
		NETIF_RSP_DROPPED,
	};
	struct fuzz_net_seen *seen = n->seen;
	uint8_t how = fuzz_byte(in);
	uint32_t id;
	int16_t status;

	if (seen->head == seen->tail)
		return;
	id = seen->fifo[seen->head++ % FUZZ_NET_FIFO];
	status = id == ~0u ? NETIF_RSP_NULL : statuses[how & 3];
	if (how & 0x80)
		id ^= 1u << (fuzz_byte(in) & 15);
	if (how & 0x40)
		status = (int16_t)fuzz_u16(in);
	fuzz_net_tx_put(n->q, (uint16_t)id, status);
}

/* The tx or rx response producer: ours published and the event sent
 * (when there is a port), or, a lie, moved anywhere unannounced. */
static void fuzz_net_publish(struct fuzz_net_queue *n, bool rx, bool lie,
			     struct fuzz_input *in)
{
	struct vif_queue *q = n->q;
	volatile RING_IDX *prod = rx ? &q->rx.sring->rsp_prod :
				       &q->tx.sring->rsp_prod;
	RING_IDX pvt = rx ? q->rx.rsp_prod_pvt : q->tx.rsp_prod_pvt;
	evtchn_port_t port = rx ? q->rx_port : q->tx_port;

	if (lie) {
		*prod = fuzz_ring_index(pvt, in);
		return;
	}
	__atomic_store_n(prod, pvt, __ATOMIC_RELEASE);
	if (port)
		hv_evtchn_send_from(n->dom0, port);
}

/* An rx response in the slot of the request dom0 takes now. */
static void fuzz_net_rx_data(struct fuzz_net_queue *n, struct fuzz_input *in)
{
	struct vif_queue *q = n->q;
	RING_IDX prod = __atomic_load_n(&q->rx.sring->req_prod,
					__ATOMIC_ACQUIRE);
	uint8_t how = fuzz_byte(in);
	struct netif_rx_request req;
	struct netif_rx_response *rsp;
	const char *why;

	if (prod - q->rx.req_cons > q->rx.nr_ents)
		n->fail("the guest overran its rx ring");
	if (q->rx.req_cons == prod)
		return;
	memcpy(&req, XEN_RING_REQ(&q->rx, q->rx.req_cons), sizeof(req));
	q->rx.req_cons++;
	if (req.id >= NETFRONT_RX_BUFS ||
	    (n->fq && req.gref != n->fq->rxb[req.id].ref))
		n->fail("an rx request that is not one of the buffers");
	if (fuzz_net_grant_wrong &&
	    (why = fuzz_net_grant_wrong(n, false, req.id, req.gref)))
		n->fail(why);
	rsp = XEN_RING_RSP(&q->rx, q->rx.rsp_prod_pvt);
	rsp->id = how & 0x80 ? fuzz_u16(in) : req.id;
	rsp->offset = how & 0x40 ? fuzz_u16(in) : (uint16_t)(how & 3) * 64u;
	rsp->status = how & 0x20 ? (int16_t)fuzz_u16(in) :
				   (int16_t)(fuzz_byte(in) * 6);
	rsp->flags = how & 0x10 ? fuzz_u16(in) : (uint16_t)(how >> 2 & 3) << 2;
	q->rx.rsp_prod_pvt++;
}

/* An extra-info slot, in the slot of the request dom0 takes now. */
static void fuzz_net_rx_extra(struct fuzz_net_queue *n, struct fuzz_input *in)
{
	struct vif_queue *q = n->q;
	RING_IDX prod = __atomic_load_n(&q->rx.sring->req_prod,
					__ATOMIC_ACQUIRE);
	struct netif_extra_info *x;
	uint8_t how = fuzz_byte(in);

	if (q->rx.req_cons == prod)
		return;
	q->rx.req_cons++;
	x = (void *)XEN_RING_RSP(&q->rx, q->rx.rsp_prod_pvt);
	memset(x, 0, sizeof(*x));
	x->type = how & 0x80 ? fuzz_byte(in) : (how & 3) + 1;
	x->flags = how >> 2 & 1;
	if (x->type == XEN_NETIF_EXTRA_TYPE_GSO) {
		x->u.gso.type = how >> 3 & 3;
		x->u.gso.size = how & 0x20 ? 0 :
				(uint16_t)(1448 - (how & 0x40));
	} else {
		memset(x->u.mcast.addr, how, sizeof(x->u.mcast.addr));
	}
	q->rx.rsp_prod_pvt++;
}

/* A published rx response changed after the guest may have read it. */
static void fuzz_net_rewrite(struct vif_queue *q, struct fuzz_input *in)
{
	RING_IDX idx = q->rx.rsp_prod_pvt - 1 - (fuzz_byte(in) & 7);
	uint8_t bytes[8];

	for (unsigned i = 0; i < sizeof(bytes); i++)
		bytes[i] = fuzz_byte(in);
	memcpy((void *)XEN_RING_RSP(&q->rx, idx), bytes, sizeof(bytes));
}

/* One of the moves on the rings (m < FUZZ_NET_MOVES). */
static void fuzz_net_move(struct fuzz_net_queue *n, unsigned m,
			  struct fuzz_input *in)
{
	struct vif_queue *q = n->q;
	uint8_t id;

	switch (m) {
	case FUZZ_NET_TX_TAKE:
		fuzz_net_tx_take(n, in);
		break;
	case FUZZ_NET_TX_ANSWER:
		fuzz_net_tx_answer(n, in);
		break;
	case FUZZ_NET_TX_RAW:
		id = fuzz_byte(in);
		fuzz_net_tx_put(q, id, (int16_t)(int8_t)fuzz_byte(in));
		break;
	case FUZZ_NET_TX_PUSH:
	case FUZZ_NET_TX_PROD:
		fuzz_net_publish(n, false, m == FUZZ_NET_TX_PROD, in);
		break;
	case FUZZ_NET_RX_DATA:
		fuzz_net_rx_data(n, in);
		break;
	case FUZZ_NET_RX_EXTRA:
		fuzz_net_rx_extra(n, in);
		break;
	case FUZZ_NET_RX_PUSH:
	case FUZZ_NET_RX_PROD:
		fuzz_net_publish(n, true, m == FUZZ_NET_RX_PROD, in);
		break;
	}
}

/* n events with nothing behind them, on the tx and rx ports in turn. */
static void fuzz_net_storm(struct fuzz_net_queue *n, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		hv_evtchn_send_from(n->dom0, i & 1 ? n->q->rx_port :
						     n->q->tx_port);
}

#endif
