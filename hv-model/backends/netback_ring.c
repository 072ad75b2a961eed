/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's data path: tx requests in, frames to the switch;
 * frames from the switch into rx buffers. Each request is copied once out
 * of the shared ring and checked in the copy; each producer index read
 * once and checked against what the ring can hold. */
#include <string.h>

#include <xen/errno.h>

#include "hv/events.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "netback_internal.h"

#define PAGE 4096u

/* The peer writes the shared header at any time: one read each. */
static RING_IDX read_once(const RING_IDX *p)
{
	return *(const volatile RING_IDX *)p;
}

/* ---- tx: guest -> switch ---- */

struct tx_packet {
	struct netif_tx_request slot[XEN_NETIF_NR_SLOTS_MIN];
	unsigned nr_slots;       /* taken from the ring, answered together */
	const char *bad;         /* why it is refused, or NULL */
};

/* Tell the machine's event sinks the backend moved an index of queue q
 * (0 tx, 1 rx) by count to idx. */
static void trace_ring(const struct hv_netback *nb, enum hv_event_kind kind,
		       unsigned q, RING_IDX idx, unsigned count)
{
	HV_EVENT(nb->machine, .kind = kind, .domid = nb->guest->domid,
		 .vcpu = HV_EV_NO_VCPU, .dev = "vif", .devid = nb->dev.xb.devid,
		 .arg = { q, idx, count });
}

static void tx_respond(struct hv_netback *nb, uint16_t id, int16_t status)
{
	struct netif_tx_response *rsp =
		XEN_RING_RSP(&nb->tx, nb->tx.rsp_prod_pvt);

	rsp->id = id;
	rsp->status = status;
	nb->tx.rsp_prod_pvt++;
}

/* Take one packet's slots (at least one is published). Slots past the
 * producer are not read: a packet still being written is left for later
 * (returns false). A packet longer than the protocol allows breaks the
 * device. */
static bool tx_take(struct hv_netback *nb, RING_IDX prod, struct tx_packet *p)
{
	RING_IDX cons = nb->tx.req_cons;
	uint16_t flags;

	memset(p, 0, sizeof(*p));
	do {
		if (cons == prod)
			return false;
		if (p->nr_slots == XEN_NETIF_NR_SLOTS_MIN) {
			netback_broken(nb, "tx packet spans more than %u slots",
				       XEN_NETIF_NR_SLOTS_MIN);
			return false;
		}
		p->slot[p->nr_slots] = *XEN_RING_REQ(&nb->tx, cons);
		flags = p->slot[p->nr_slots].flags;
		p->nr_slots++;
		cons++;
		/* Extra-info slots were never offered (no GSO, no multicast
		 * control): the slot after it is read as the next fragment,
		 * and the packet refused. */
		if (flags & NETTXF_extra_info)
			p->bad = "extra-info slot, not negotiated";
	} while (flags & (NETTXF_more_data | NETTXF_extra_info));
	nb->tx.req_cons = cons;
	trace_ring(nb, HV_EV_RING_CONSUME, 0, cons, p->nr_slots);
	return true;
}

/* Check the copy and join the fragments into nb->pkt; its length, or 0
 * with p->bad set. */
static size_t tx_assemble(struct hv_netback *nb, struct tx_packet *p)
{
	size_t total = p->slot[0].size, pos = 0;

	if (p->bad)
		return 0;
	if (total < HV_ETH_HLEN || total > HV_ETH_FRAME_MAX) {
		p->bad = total < HV_ETH_HLEN ? "packet shorter than an "
			 "Ethernet header" : "packet over the 1514-byte frame "
			 "limit";
		return 0;
	}
	for (unsigned i = 0; i < p->nr_slots; i++) {
		const struct netif_tx_request *s = &p->slot[i];
		/* The first slot's size is the packet's; its own part is what
		 * the later slots leave over. */
		size_t len = s->size;
		size_t later = 0;
		int16_t st;

		if (i == 0) {
			for (unsigned j = 1; j < p->nr_slots; j++)
				later += p->slot[j].size;
			if (later > total) {
				p->bad = "fragments larger than the packet";
				return 0;
			}
			len = total - later;
		} else if (len == 0) {
			p->bad = "empty fragment after the first";
			return 0;
		}
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

static void tx_one(struct hv_netback *nb, struct tx_packet *p)
{
	size_t len = tx_assemble(nb, p);
	int16_t status = len ? NETIF_RSP_OKAY : NETIF_RSP_ERROR;

	for (unsigned i = 0; i < p->nr_slots; i++)
		tx_respond(nb, p->slot[i].id, status);
	if (!len) {
		nb->stats.tx_errors++;
		hv_log(nb->machine, HV_LOG_INFO, "netback: d%u vif %u: tx "
		       "packet refused: %s", nb->guest->domid, nb->cfg.devid,
		       p->bad);
		return;
	}
	nb->stats.tx_packets++;
	nb->stats.tx_bytes += len;
	if (nb->sw_port >= 0)
		hv_netswitch_input(nb->cfg.sw, nb->sw_port, nb->pkt, len);
}

/* Publish responses and tell the frontend if it asked to be told. */
#define PUSH_AND_NOTIFY(nb, ring, q)                                        \
	do {                                                                \
		RING_IDX old_ = (ring).sring->rsp_prod;                     \
		RING_IDX new_ = (ring).rsp_prod_pvt;                        \
		/* Responses are in place before their index moves. */      \
		trace_ring((nb), HV_EV_RING_PRODUCE, (q), new_, new_ - old_);     \
		__atomic_thread_fence(__ATOMIC_RELEASE);                    \
		(ring).sring->rsp_prod = new_;                              \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                    \
		if (xen_ring_need_notify(old_, new_,                        \
					 read_once(&(ring).sring->rsp_event)))\
			hv_evtchn_send_from((nb)->dom0, (nb)->port);        \
	} while (0)

bool netback_tx_run(struct hv_netback *nb)
{
	struct tx_packet p;
	bool did = false;
	RING_IDX prod;

	for (;;) {
		prod = read_once(&nb->tx.sring->req_prod);
		if (!XEN_BACK_RING_REQ_PROD_OK(&nb->tx, prod)) {
			netback_broken(nb, "tx req_prod %u impossible (req_cons "
				       "%u, %u slots)", prod, nb->tx.req_cons,
				       nb->tx.nr_ents);
			return did;
		}
		/* Requests are read only after their index. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (nb->tx.req_cons == prod || !tx_take(nb, prod, &p))
			break;
		tx_one(nb, &p);
		did = true;
	}
	if (did && !nb->broken)
		PUSH_AND_NOTIFY(nb, nb->tx, 0);
	if (!nb->broken) {
		/* Ask for an event at the next request, then look again. */
		nb->tx.sring->req_event = nb->tx.req_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return did;
}

/* ---- rx: switch -> guest ---- */

bool netback_enqueue(void *ctx, const void *frame, size_t len)
{
	struct hv_netback *nb = ctx;
	struct hv_netback_frame *f;

	/* Bounded (XSA-392): a guest that posts no buffers gets drops. */
	if (!nb->connected || nb->broken || nb->rxq_len == HV_NETBACK_RXQ ||
	    len > HV_ETH_FRAME_MAX) {
		nb->stats.rx_dropped++;
		return false;
	}
	f = &nb->rxq[(nb->rxq_head + nb->rxq_len) % HV_NETBACK_RXQ];
	memcpy(f->data, frame, len);
	f->len = (uint16_t)len;
	nb->rxq_len++;
	return true;
}

bool netback_rx_run(struct hv_netback *nb)
{
	bool did = false;
	RING_IDX prod;

	while (nb->rxq_len) {
		struct hv_netback_frame *f = &nb->rxq[nb->rxq_head];
		struct netif_rx_request req;
		struct netif_rx_response *rsp;
		int16_t st;

		prod = read_once(&nb->rx.sring->req_prod);
		if (!XEN_BACK_RING_REQ_PROD_OK(&nb->rx, prod)) {
			netback_broken(nb, "rx req_prod %u impossible (req_cons "
				       "%u, %u slots)", prod, nb->rx.req_cons,
				       nb->rx.nr_ents);
			return did;
		}
		if (nb->rx.req_cons == prod) {
			/* No buffer: wait for the next one posted. */
			nb->rx.sring->req_event = nb->rx.req_cons + 1;
			break;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		req = *XEN_RING_REQ(&nb->rx, nb->rx.req_cons);
		nb->rx.req_cons++;
		trace_ring(nb, HV_EV_RING_CONSUME, 1, nb->rx.req_cons, 1);
		st = hv_gnttab_copy_to_ref(nb->dom0, nb->guest->domid, req.gref,
					   0, f->data, f->len);
		/* The response goes in the request's slot, id echoed. */
		rsp = XEN_RING_RSP(&nb->rx, nb->rx.rsp_prod_pvt);
		rsp->id = req.id;
		rsp->offset = 0;
		rsp->flags = 0;
		rsp->status = st == GNTST_okay ? (int16_t)f->len :
			      NETIF_RSP_ERROR;
		nb->rx.rsp_prod_pvt++;
		if (st == GNTST_okay) {
			nb->stats.rx_packets++;
			nb->stats.rx_bytes += f->len;
		} else {
			nb->stats.rx_errors++;
		}
		nb->rxq_head = (nb->rxq_head + 1) % HV_NETBACK_RXQ;
		nb->rxq_len--;
		did = true;
	}
	if (did)
		PUSH_AND_NOTIFY(nb, nb->rx, 1);
	return did;
}
