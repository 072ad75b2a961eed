/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's data path, per queue: tx requests in, frames to
 * the switch; frames from the switch into rx buffers. Each request is
 * copied once out of the shared ring and checked in the copy; each
 * producer index read once and checked against what the ring can hold.
 * A tx packet is a first data slot, the extra-info slots it announces
 * (chained by XEN_NETIF_EXTRA_FLAG_MORE), then the data slots its
 * more_data flags chain. An rx frame is laid out the same way, each
 * response in the slot of the request it consumed. */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/events.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "netback_internal.h"

#define PAGE 4096u
#define MAX_EXTRAS (XEN_NETIF_EXTRA_TYPE_MAX - 1)   /* one of each type */

/* The peer writes the shared header at any time: one read each. */
static RING_IDX read_once(const RING_IDX *p)
{
	return *(const volatile RING_IDX *)p;
}

/* Tell the machine's event sinks the backend moved an index of ring r
 * (0 tx, 1 rx; 2 and 3 for the second queue, and so on) by count to
 * idx. */
static void trace_ring(const struct hv_netback *nb, enum hv_event_kind kind,
		       unsigned r, RING_IDX idx, unsigned count)
{
	HV_EVENT(nb->machine, .kind = kind, .domid = nb->guest->domid,
		 .vcpu = HV_EV_NO_VCPU, .dev = "vif", .devid = nb->dev.xb.devid,
		 .arg = { r, idx, count });
}

/* ---- tx: guest -> switch ---- */

struct tx_packet {
	struct netif_tx_request data[XEN_NETIF_NR_SLOTS_MIN];
	unsigned nr_data;
	struct netif_extra_info extra[MAX_EXTRAS + 1];
	unsigned nr_extra;
	/* Extras by type (index type - 1), NULL when absent. */
	const struct netif_extra_info *by_type[MAX_EXTRAS];
	const char *bad;         /* why it is refused, or NULL */
};

/* Responses in slot order: the first data slot, a NULL per extra slot,
 * then the other data slots (as Linux's netback answers). */
static void tx_respond(struct hv_netback_queue *q, const struct tx_packet *p,
		       int16_t status)
{
	for (unsigned i = 0; i < p->nr_data + p->nr_extra; i++) {
		struct netif_tx_response *rsp =
			XEN_RING_RSP(&q->tx, q->tx.rsp_prod_pvt);
		bool extra = i >= 1 && i <= p->nr_extra;
		unsigned d = i == 0 ? 0 : i - p->nr_extra;

		rsp->id = extra ? 0 : p->data[d].id;
		rsp->status = extra ? NETIF_RSP_NULL : status;
		q->tx.rsp_prod_pvt++;
	}
}

/* The next slot, or false when it is not yet published. */
static bool tx_slot(struct hv_netback_queue *q, RING_IDX prod, RING_IDX *cons,
		    void *out, size_t len)
{
	if (*cons == prod)
		return false;
	memcpy(out, XEN_RING_REQ(&q->tx, *cons), len);
	(*cons)++;
	return true;
}

/* Check one extra slot where it enters. */
static void tx_check_extra(struct hv_netback *nb, struct tx_packet *p,
			   const struct netif_extra_info *x)
{
	const struct hv_netback_features *f = &nb->cfg.offer;

	if (p->bad)
		return;
	if (x->type == XEN_NETIF_EXTRA_TYPE_NONE ||
	    x->type >= XEN_NETIF_EXTRA_TYPE_MAX) {
		p->bad = "extra info of an unknown type";
	} else if (p->by_type[x->type - 1]) {
		p->bad = "extra info type given twice";
	} else if (x->type == XEN_NETIF_EXTRA_TYPE_GSO) {
		if (x->u.gso.size == 0)
			p->bad = "GSO extra of size 0";
		else if (!(x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 &&
			   f->gso_tcpv4) &&
			 !(x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 &&
			   f->gso_tcpv6))
			p->bad = "GSO extra of a type not offered";
	} else if (x->type == XEN_NETIF_EXTRA_TYPE_HASH) {
		p->bad = "hash extra without a control ring";
	} else if (!nb->req.mcast_control) {
		p->bad = "multicast extra, but multicast control was not "
			 "requested";
	} else if (!(x->u.mcast.addr[0] & 1)) {
		p->bad = "multicast extra for a unicast address";
	}
	if (!p->bad)
		p->by_type[x->type - 1] = x;
}

/* Take one packet's slots (at least one is published). A packet still
 * being written is left for later (false, nothing consumed). One longer
 * than the protocol allows breaks the device. */
static bool tx_take(struct hv_netback_queue *q, RING_IDX prod,
		    struct tx_packet *p)
{
	struct hv_netback *nb = q->nb;
	RING_IDX cons = q->tx.req_cons;
	uint16_t flags;

	memset(p, 0, sizeof(*p));
	if (!tx_slot(q, prod, &cons, &p->data[0], sizeof(p->data[0])))
		return false;
	p->nr_data = 1;
	flags = p->data[0].flags;
	if (flags & NETTXF_extra_info) {
		uint8_t more;

		do {
			struct netif_extra_info *x;

			if (p->nr_extra == MAX_EXTRAS + 1) {
				netback_broken(nb, "tx packet has more than %u "
					       "extra-info slots", MAX_EXTRAS);
				return false;
			}
			x = &p->extra[p->nr_extra];
			if (!tx_slot(q, prod, &cons, x, sizeof(*x)))
				return false;
			p->nr_extra++;
			more = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
			tx_check_extra(nb, p, x);
		} while (more);
		if (p->nr_extra > MAX_EXTRAS && !p->bad)
			p->bad = "extra info type given twice";
	}
	while (flags & NETTXF_more_data) {
		if (p->nr_data == XEN_NETIF_NR_SLOTS_MIN) {
			netback_broken(nb, "tx packet spans more than %u slots",
				       XEN_NETIF_NR_SLOTS_MIN);
			return false;
		}
		if (!tx_slot(q, prod, &cons, &p->data[p->nr_data],
			     sizeof(p->data[0])))
			return false;
		flags = p->data[p->nr_data++].flags;
		if (flags & NETTXF_extra_info && !p->bad)
			p->bad = "extra-info flag on a later fragment";
	}
	q->tx.req_cons = cons;
	trace_ring(nb, HV_EV_RING_CONSUME, q->index * 2, cons,
		   p->nr_data + p->nr_extra);
	return true;
}

/* The packet's size limits and fragments; NULL when they hold. */
static const char *tx_check_size(struct hv_netback *nb, struct tx_packet *p)
{
	size_t total = p->data[0].size, later = 0;
	bool gso = p->by_type[XEN_NETIF_EXTRA_TYPE_GSO - 1] != NULL;

	if (p->nr_data > 1 && !nb->cfg.offer.sg)
		return "more than one slot, but sg was not offered";
	if (total < HV_ETH_HLEN)
		return "packet shorter than an Ethernet header";
	if (!gso && total > nb->cfg.offer.mtu + HV_ETH_HLEN)
		return "packet over the MTU, without a GSO extra";
	for (unsigned i = 1; i < p->nr_data; i++) {
		if (p->data[i].size == 0)
			return "empty fragment after the first";
		later += p->data[i].size;
	}
	if (later > total)
		return "fragments larger than the packet";
	return NULL;
}

/* Join the fragments into nb->pkt; its length, or 0 with p->bad set. */
static size_t tx_assemble(struct hv_netback *nb, struct tx_packet *p)
{
	size_t total = p->data[0].size, pos = 0;

	if (!p->bad)
		p->bad = tx_check_size(nb, p);
	if (p->bad)
		return 0;
	for (unsigned i = 0; i < p->nr_data; i++) {
		const struct netif_tx_request *s = &p->data[i];
		/* The first slot's size is the packet's; its own part is what
		 * the later slots leave over. */
		size_t len = i ? s->size : total;
		int16_t st;

		for (unsigned j = 1; i == 0 && j < p->nr_data; j++)
			len -= p->data[j].size;
		if ((size_t)s->offset + len > PAGE) {
			p->bad = "fragment crosses its page";
			return 0;
		}
		st = hv_gnttab_copy_from_ref(nb->dom0, nb->guest->domid,
					     s->gref, s->offset,
					     nb->pkt + pos, (uint16_t)len);
		if (st != GNTST_okay) {
			p->bad = "grant copy refused";
			return 0;
		}
		pos += len;
	}
	return pos;
}

/* A multicast filter request: the address joins or leaves the list. */
static const char *tx_mcast(struct hv_netback *nb, const struct tx_packet *p)
{
	const struct netif_extra_info *add =
		p->by_type[XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1];
	const struct netif_extra_info *del =
		p->by_type[XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1];

	if (p->nr_data != 1)
		return "multicast request with more than one data slot";
	if (add) {
		for (unsigned i = 0; i < nb->nr_mcast; i++)
			if (!memcmp(nb->mcast[i], add->u.mcast.addr, 6))
				return NULL;
		if (nb->nr_mcast == HV_NETBACK_MCAST_MAX)
			return "multicast list full";
		memcpy(nb->mcast[nb->nr_mcast++], add->u.mcast.addr, 6);
		nb->stats.mcast_adds++;
	}
	for (unsigned i = 0; del && i < nb->nr_mcast; i++) {
		if (memcmp(nb->mcast[i], del->u.mcast.addr, 6))
			continue;
		memmove(nb->mcast[i], nb->mcast[i + 1],
			(size_t)(nb->nr_mcast - i - 1) * 6);
		nb->nr_mcast--;
		nb->stats.mcast_dels++;
		break;
	}
	return NULL;
}

static void tx_one(struct hv_netback_queue *q, struct tx_packet *p)
{
	struct hv_netback *nb = q->nb;
	bool mcast = !p->bad &&
		(p->by_type[XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1] ||
		 p->by_type[XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1]);
	bool bad_extra = p->bad != NULL;
	size_t len = 0;

	if (mcast) {
		p->bad = tx_mcast(nb, p);
	} else if ((len = tx_assemble(nb, p)) != 0) {
		p->bad = netback_tx_offload(nb, len, p->data[0].flags &
					    NETTXF_csum_blank,
					    p->by_type[XEN_NETIF_EXTRA_TYPE_GSO
						       - 1]);
	}
	tx_respond(q, p, p->bad ? NETIF_RSP_ERROR : NETIF_RSP_OKAY);
	if (p->bad) {
		nb->stats.tx_errors++;
		nb->stats.tx_bad_extra += bad_extra;
		hv_log(nb->machine, HV_LOG_INFO, "netback: d%u vif %u: tx "
		       "packet refused: %s", nb->guest->domid, nb->cfg.devid,
		       p->bad);
		return;
	}
	if (mcast)
		return;
	q->tx_packets++;
	nb->stats.tx_packets++;
	nb->stats.tx_bytes += len;
}

/* Publish responses and tell the frontend on port if it asked. */
#define PUSH_AND_NOTIFY(nb, ring, port, r)                                  \
	do {                                                                \
		RING_IDX old_ = (ring).sring->rsp_prod;                     \
		RING_IDX new_ = (ring).rsp_prod_pvt;                        \
		/* Responses are in place before their index moves. */      \
		__atomic_thread_fence(__ATOMIC_RELEASE);                    \
		(ring).sring->rsp_prod = new_;                              \
		trace_ring((nb), HV_EV_RING_PRODUCE, (r), new_, new_ - old_); \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                    \
		if (xen_ring_need_notify(old_, new_,                        \
					 read_once(&(ring).sring->rsp_event)))\
			hv_evtchn_send_from((nb)->dom0, (port));            \
	} while (0)

bool netback_tx_run(struct hv_netback_queue *q)
{
	struct hv_netback *nb = q->nb;
	struct tx_packet p;
	bool did = false;
	RING_IDX prod;

	for (;;) {
		prod = read_once(&q->tx.sring->req_prod);
		if (!XEN_BACK_RING_REQ_PROD_OK(&q->tx, prod)) {
			netback_broken(nb, "queue %u: tx req_prod %u impossible "
				       "(req_cons %u, %u slots)", q->index,
				       prod, q->tx.req_cons, q->tx.nr_ents);
			return did;
		}
		/* Requests are read only after their index. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (q->tx.req_cons == prod || !tx_take(q, prod, &p))
			break;
		tx_one(q, &p);
		did = true;
	}
	if (did && !nb->broken)
		PUSH_AND_NOTIFY(nb, q->tx, q->tx_port, q->index * 2);
	if (!nb->broken) {
		/* Ask for an event at the next request, then look again. */
		q->tx.sring->req_event = q->tx.req_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return did;
}

/* ---- rx: switch -> guest ---- */

/* The queue a frame goes to: a hash of its flow (addresses, and for
 * IPv4 the protocol and ports), so that one flow keeps its order. */
static unsigned rx_queue_of(const struct hv_netback *nb, const uint8_t *f,
			    size_t len)
{
	uint32_t h = 2166136261u;
	size_t n = 12;

	if (nb->nr_queues == 1)
		return 0;
	if (len >= 34 && f[12] == 0x08 && f[13] == 0x00) {
		size_t ihl = (size_t)(f[14] & 15) * 4;

		n = 34;                 /* through the IPv4 addresses */
		if ((f[23] == 6 || f[23] == 17) && len >= 14 + ihl + 4)
			n = 14 + ihl + 4;   /* and the ports */
	}
	for (size_t i = 0; i < n; i++)
		if (i < 12 || i == 23 || i >= 26)
			h = (h ^ f[i]) * 16777619u;
	/* Mix the high bits down: the low bits alone are a parity. */
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return h % nb->nr_queues;
}

/* With multicast control, only groups the guest added get through
 * (broadcast always does). */
static bool rx_wanted(const struct hv_netback *nb, const uint8_t *dst)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!nb->req.mcast_control || !(dst[0] & 1) || !memcmp(dst, bcast, 6))
		return true;
	for (unsigned i = 0; i < nb->nr_mcast; i++)
		if (!memcmp(nb->mcast[i], dst, 6))
			return true;
	return false;
}

/* The tail of the queue a frame of len bytes goes to, or NULL when it is
 * full (counted). */
static struct hv_netback_frame *rx_slot_for(struct hv_netback *nb,
					    const uint8_t *frame, size_t len,
					    bool gso)
{
	struct hv_netback_queue *q = &nb->queue[rx_queue_of(nb, frame, len)];
	struct hv_netback_frame *f;

	/* Bounded (XSA-392): a guest that posts no buffers gets drops. */
	if (q->rxq_len == HV_NETBACK_RXQ ||
	    (gso && q->rxq_gso == HV_NETBACK_RXQ_GSO)) {
		nb->stats.rx_dropped++;
		return NULL;
	}
	f = &q->rxq[(q->rxq_head + q->rxq_len) % HV_NETBACK_RXQ];
	memset(&f->gso, 0, sizeof(f->gso));
	f->big = NULL;
	f->len = (uint16_t)len;
	q->rxq_len++;
	q->rxq_gso += gso;
	return f;
}

bool netback_enqueue(void *ctx, const void *frame, size_t len)
{
	struct hv_netback *nb = ctx;
	struct hv_netback_frame *f;

	/* A frame over the guest's MTU is not its to take. */
	if (!nb->connected || nb->broken || len < HV_ETH_HLEN ||
	    len > nb->cfg.offer.mtu + HV_ETH_HLEN) {
		nb->stats.rx_dropped++;
		return false;
	}
	if (!rx_wanted(nb, frame)) {
		nb->stats.rx_filtered++;
		return true;
	}
	if (!(f = rx_slot_for(nb, frame, len, false)))
		return false;
	memcpy(f->data, frame, len);
	return true;
}

/* Whether the frontend takes a GSO packet of gso's type whole: sg, GSO
 * of that type and blank checksums (as Linux's netback, whose device
 * drops TSO without checksum offload), and segments within our MTU. */
static bool rx_takes_gso(const struct hv_netback *nb, const uint8_t *pkt,
			 size_t len, const struct hv_net_gso *gso)
{
	const struct hv_netback_requested *r = &nb->req;
	struct hv_net_l4 v;
	unsigned mss;

	if (!r->rx_sg ||
	    (gso->type == XEN_NETIF_GSO_TYPE_TCPV4 &&
	     !(r->rx_gso_tcpv4 && r->rx_csum)) ||
	    (gso->type == XEN_NETIF_GSO_TYPE_TCPV6 &&
	     !(r->rx_gso_tcpv6 && r->rx_ipv6_csum)))
		return false;
	return !hv_net_gso_check(pkt, len, gso,
				 nb->cfg.offer.mtu + HV_ETH_HLEN, &v, &mss) &&
	       mss == gso->mss;
}

enum hv_netswitch_take netback_enqueue_gso(void *ctx, const void *pkt,
					   size_t len,
					   const struct hv_net_gso *gso)
{
	struct hv_netback *nb = ctx;
	struct hv_netback_frame *f;
	uint8_t *copy;

	if (!nb->connected || nb->broken) {
		nb->stats.rx_dropped++;
		return HV_NETSWITCH_DROPPED;
	}
	if (!rx_takes_gso(nb, pkt, len, gso))
		return HV_NETSWITCH_CUT;
	if (!rx_wanted(nb, pkt)) {
		nb->stats.rx_filtered++;
		return HV_NETSWITCH_TAKEN;
	}
	if (!(copy = malloc(len))) {
		nb->stats.rx_dropped++;
		return HV_NETSWITCH_DROPPED;
	}
	if (!(f = rx_slot_for(nb, pkt, len, true))) {
		free(copy);
		return HV_NETSWITCH_DROPPED;
	}
	memcpy(copy, pkt, len);
	f->big = copy;
	f->gso = *gso;
	return HV_NETSWITCH_TAKEN;
}

/* The head frame leaves q's queue. */
static void rx_dequeue(struct hv_netback_queue *q)
{
	struct hv_netback_frame *f = &q->rxq[q->rxq_head];

	if (f->big) {
		free(f->big);
		f->big = NULL;
		q->rxq_gso--;
	}
	q->rxq_head = (q->rxq_head + 1) % HV_NETBACK_RXQ;
	q->rxq_len--;
}

void netback_rxq_clear(struct hv_netback_queue *q)
{
	while (q->rxq_len)
		rx_dequeue(q);
	q->rxq_head = 0;
}

/* Ring slots a frame needs: a page of its bytes each, and one for the
 * GSO extra. */
static unsigned rx_slots_needed(const struct hv_netback_frame *f)
{
	return (f->len + PAGE - 1) / PAGE + (f->big ? 1u : 0u);
}

/* Take the next rx request (published, counted in need), copy up to a
 * page of bytes into its buffer and answer it in its own slot: the
 * byte count, or NETIF_RSP_ERROR when the copy was refused. */
static bool rx_put_data(struct hv_netback_queue *q, const uint8_t *bytes,
			size_t len, uint16_t flags)
{
	struct hv_netback *nb = q->nb;
	struct netif_rx_request req = *XEN_RING_REQ(&q->rx, q->rx.req_cons);
	struct netif_rx_response *rsp;
	int16_t st;

	q->rx.req_cons++;
	st = hv_gnttab_copy_to_ref(nb->dom0, nb->guest->domid, req.gref, 0,
				   bytes, (uint16_t)len);
	/* The response overlays the request just copied out. */
	rsp = XEN_RING_RSP(&q->rx, q->rx.rsp_prod_pvt);
	rsp->id = req.id;
	rsp->offset = 0;
	rsp->flags = flags;
	rsp->status = st == GNTST_okay ? (int16_t)len : NETIF_RSP_ERROR;
	q->rx.rsp_prod_pvt++;
	return st == GNTST_okay;
}

/* The GSO extra, in the slot of the next request (its buffer unused). */
static void rx_put_gso_extra(struct hv_netback_queue *q,
			     const struct hv_net_gso *gso)
{
	struct netif_extra_info *x;

	q->rx.req_cons++;
	x = (struct netif_extra_info *)XEN_RING_RSP(&q->rx,
						     q->rx.rsp_prod_pvt);
	memset(x, 0, sizeof(*x));
	x->type = XEN_NETIF_EXTRA_TYPE_GSO;
	x->u.gso.size = gso->mss;
	x->u.gso.type = gso->type;
	q->rx.rsp_prod_pvt++;
}

/* One frame into the guest's buffers (as many as rx_slots_needed are
 * published): a frame whole and checksummed in one slot with no flags;
 * a GSO packet over several, its checksum blank. */
static void rx_put_frame(struct hv_netback_queue *q,
			 const struct hv_netback_frame *f)
{
	struct hv_netback *nb = q->nb;
	const uint8_t *bytes = f->big ? f->big : f->data;
	bool ok = true;

	for (size_t at = 0; at < f->len; at += PAGE) {
		size_t chunk = f->len - at < PAGE ? f->len - at : PAGE;
		uint16_t flags = at + chunk < f->len ? NETRXF_more_data : 0;

		if (at == 0 && f->big)
			flags |= NETRXF_extra_info | NETRXF_csum_blank |
				 NETRXF_data_validated;
		ok &= rx_put_data(q, bytes + at, chunk, flags);
		if (at == 0 && f->big)
			rx_put_gso_extra(q, &f->gso);
	}
	if (ok) {
		q->rx_packets++;
		nb->stats.rx_packets++;
		nb->stats.rx_bytes += f->len;
		nb->stats.rx_gso += f->big != NULL;
	} else {
		nb->stats.rx_errors++;
	}
}

bool netback_rx_run(struct hv_netback_queue *q)
{
	struct hv_netback *nb = q->nb;
	bool did = false;
	RING_IDX prod;

	while (q->rxq_len) {
		const struct hv_netback_frame *f = &q->rxq[q->rxq_head];
		unsigned need = rx_slots_needed(f);
		RING_IDX first = q->rx.req_cons;

		prod = read_once(&q->rx.sring->req_prod);
		if (!XEN_BACK_RING_REQ_PROD_OK(&q->rx, prod)) {
			netback_broken(nb, "queue %u: rx req_prod %u impossible "
				       "(req_cons %u, %u slots)", q->index,
				       prod, q->rx.req_cons, q->rx.nr_ents);
			return did;
		}
		if (prod - q->rx.req_cons < need) {
			/* Not enough buffers for the whole frame: an event
			 * once there are. */
			q->rx.sring->req_event = q->rx.req_cons + need;
			break;
		}
		/* Requests are read only after their index. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		rx_put_frame(q, f);
		trace_ring(nb, HV_EV_RING_CONSUME, q->index * 2 + 1,
			   q->rx.req_cons, q->rx.req_cons - first);
		rx_dequeue(q);
		did = true;
	}
	if (did)
		PUSH_AND_NOTIFY(nb, q->rx, q->rx_port, q->index * 2 + 1);
	return did;
}
