/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's transmit path: frames out through tx buffers
 * we grant read-only (a frame's queue chosen by a hash of its flow, so
 * one flow keeps its order), in one slot or over several with sg, with a
 * GSO extra when asked; multicast filter requests. See dev/netfront.h
 * for what is checked; each response is copied once and only the copy
 * is looked at. The receive path lives in netfront_rx.c, the handshake
 * in netfront_xs.c. */
#include <xen/errno.h>

#include "gxen/evtchn.h"
#include "netfront_internal.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

#define PAGE 4096u

void netfront_push(evtchn_port_t port, volatile RING_IDX *req_prod,
		   RING_IDX new_prod, volatile RING_IDX *req_event)
{
	RING_IDX old = *req_prod;

	/* The requests are in place before their index moves. */
	arch_wmb();
	*req_prod = new_prod;
	arch_mb();
	if (xen_ring_need_notify(old, new_prod, *req_event))
		evtchn_notify(port);
}

int netfront_usable(struct netfront *nf)
{
	if (!nf->connected)
		return -XEN_ENOTCONN;
	return nf->broken ? -XEN_EIO : 0;
}

/* ---- tx ---- */

static bool tx_response_ok(struct netfront_queue *q,
			   const struct netif_tx_response *rsp)
{
	struct netfront *nf = q->nf;

	if (rsp->status == NETIF_RSP_NULL) {
		/* An extra-info slot's answer: its id means nothing. */
		if (q->nulls_due == 0) {
			netfront_mark_broken(nf, "queue %u: tx NULL response, "
					     "but no extra-info slot is "
					     "unanswered", q->index);
			return false;
		}
		q->nulls_due--;
		return true;
	}
	if (rsp->id >= NETFRONT_TX_BUFS || !q->txb[rsp->id].pending) {
		netfront_mark_broken(nf, "queue %u: tx response for id %u, not "
				     "pending", q->index, rsp->id);
		return false;
	}
	switch (rsp->status) {
	case NETIF_RSP_OKAY:
		nf->stats.tx_packets++;
		break;
	case NETIF_RSP_ERROR:
	case NETIF_RSP_DROPPED:
		nf->stats.tx_errors++;
		break;
	default:
		netfront_mark_broken(nf, "queue %u: tx response %u has unknown "
				     "status %d", q->index, rsp->id,
				     rsp->status);
		return false;
	}
	q->txb[rsp->id].pending = false;
	q->tx_pending--;
	return true;
}

void netfront_tx_collect(struct netfront_queue *q)
{
	volatile netif_tx_sring_t *sring = q->tx.sring;
	struct netfront *nf = q->nf;
	RING_IDX prod;

	do {
		prod = sring->rsp_prod;
		/* Read the index before the responses it covers. */
		arch_rmb();
		if (!XEN_FRONT_RING_RSP_PROD_OK(&q->tx, prod)) {
			netfront_mark_broken(nf, "queue %u: tx rsp_prod %u "
					     "outside the %u request(s) "
					     "outstanding (rsp_cons %u)",
					     q->index, prod,
					     q->tx.req_prod_pvt - q->tx.rsp_cons,
					     q->tx.rsp_cons);
			return;
		}
		while (q->tx.rsp_cons != prod) {
			struct netif_tx_response rsp;

			memcpy(&rsp, (const void *)XEN_RING_RSP(&q->tx,
							       q->tx.rsp_cons),
			       sizeof(rsp));
			q->tx.rsp_cons++;
			if (!tx_response_ok(q, &rsp))
				return;
		}
		/* An event at the next response; look again after asking. */
		sring->rsp_event = q->tx.rsp_cons + 1;
		arch_mb();
	} while (sring->rsp_prod != q->tx.rsp_cons);
}

bool netfront_tx_idle(struct netfront *nf)
{
	if (netfront_usable(nf))
		return true;
	for (unsigned i = 0; i < nf->nr_queues; i++) {
		struct netfront_queue *q = &nf->q[i];

		netfront_tx_collect(q);
		if (q->tx_pending)
			return false;
	}
	return true;
}

/* The queue for a frame: a hash of its addresses (and, for IPv4, its
 * protocol and ports). */
static struct netfront_queue *tx_queue_of(struct netfront *nf,
					  const uint8_t *f, size_t len)
{
	uint32_t h = 2166136261u;
	size_t n = 12;

	if (nf->nr_queues == 1)
		return &nf->q[0];
	if (len >= 34 && f[12] == 0x08 && f[13] == 0x00) {
		size_t ihl = (size_t)(f[14] & 15) * 4;

		n = 34;
		if ((f[23] == 6 || f[23] == 17) && len >= 14 + ihl + 4)
			n = 14 + ihl + 4;
	}
	/* The MAC addresses; for IPv4 the protocol, the addresses and ports. */
	for (size_t i = 0; i < 12; i++)
		h = (h ^ f[i]) * 16777619u;
	if (n > 23)
		h = (h ^ f[23]) * 16777619u;
	for (size_t i = 26; i < n; i++)
		h = (h ^ f[i]) * 16777619u;
	/* Mix the high bits down: the low bits alone are a parity. */
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return &nf->q[h % nf->nr_queues];
}

/* n free tx buffers of q into ids; whether there were. */
static bool tx_bufs(struct netfront_queue *q, unsigned n, unsigned *ids)
{
	unsigned got = 0;

	for (unsigned b = 0; b < NETFRONT_TX_BUFS && got < n; b++)
		if (!q->txb[b].pending)
			ids[got++] = b;
	return got == n;
}

/* Build one tx slot in place, every field written (no stale bytes). */
static void tx_put(struct netfront_queue *q, unsigned id, uint16_t size,
		   uint16_t flags)
{
	struct netif_tx_request *req = XEN_RING_REQ(&q->tx,
						    q->tx.req_prod_pvt);

	req->gref = q->txb[id].ref;
	req->offset = 0;
	req->flags = flags;
	req->id = (uint16_t)id;
	req->size = size;
	q->tx.req_prod_pvt++;
	q->txb[id].pending = true;
	q->tx_pending++;
}

static void tx_put_extra(struct netfront_queue *q,
			 const struct netif_extra_info *x)
{
	memcpy(XEN_RING_REQ(&q->tx, q->tx.req_prod_pvt), x, sizeof(*x));
	q->tx.req_prod_pvt++;
	q->nulls_due++;
}

/* Whether the offloads asked for were negotiated for this frame. */
static int tx_offload_ok(struct netfront *nf, size_t len,
			 const struct netfront_tx_offload *off)
{
	if (off->gso_type == XEN_NETIF_GSO_TYPE_NONE)
		return len > nf->mtu + 14u ? -XEN_EINVAL : 0;
	if ((off->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && !nf->nego.gso_tcpv4) ||
	    (off->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 && !nf->nego.gso_tcpv6))
		return -XEN_EOPNOTSUPP;
	if (off->gso_type > XEN_NETIF_GSO_TYPE_TCPV6 || off->gso_size == 0)
		return -XEN_EINVAL;
	return len > XEN_NETIF_MAX_TX_SIZE ? -XEN_EINVAL : 0;
}

int netfront_send_offload(struct netfront *nf, const void *frame, size_t len,
			  const struct netfront_tx_offload *off)
{
	const struct netfront_tx_offload none = { 0 };
	const uint8_t *bytes = frame;
	unsigned ids[NETFRONT_TX_BUFS], nr;
	struct netfront_queue *q;
	uint16_t flags = 0;
	int rc = netfront_usable(nf);

	if (rc)
		return rc;
	if (!off)
		off = &none;
	if (len < 14)
		return -XEN_EINVAL;
	if ((rc = tx_offload_ok(nf, len, off)))
		return rc;
	if (off->csum_blank) {
		bool ipv6 = bytes[12] == 0x86 && bytes[13] == 0xdd;

		if (ipv6 ? !nf->nego.ipv6_csum : !nf->nego.csum)
			return -XEN_EOPNOTSUPP;
		flags |= NETTXF_csum_blank | NETTXF_data_validated;
	}
	nr = (unsigned)((len + PAGE - 1) / PAGE);
	if (nr > 1 && !nf->nego.sg)
		return -XEN_EINVAL;
	if (nr > NETFRONT_TX_BUFS)
		return -XEN_EINVAL;
	q = tx_queue_of(nf, bytes, len);
	for (unsigned i = 0; i < nf->nr_queues; i++)
		netfront_tx_collect(&nf->q[i]);
	if (nf->broken)
		return -XEN_EIO;
	if (!tx_bufs(q, nr, ids))
		return -XEN_EAGAIN;
	for (unsigned i = 0; i < nr; i++) {
		size_t at = (size_t)i * PAGE;
		size_t part = len - at < PAGE ? len - at : PAGE;

		memcpy(q->txb[ids[i]].page, bytes + at, part);
		/* The first slot's size is the whole frame's. */
		tx_put(q, ids[i], (uint16_t)(i ? part : len),
		       (uint16_t)((i ? 0 : flags) |
				  (i + 1 < nr ? NETTXF_more_data : 0) |
				  (i == 0 && off->gso_type ?
				   NETTXF_extra_info : 0)));
		if (i == 0 && off->gso_type) {
			struct netif_extra_info x;

			memset(&x, 0, sizeof(x));
			x.type = XEN_NETIF_EXTRA_TYPE_GSO;
			x.u.gso.size = off->gso_size;
			x.u.gso.type = off->gso_type;
			tx_put_extra(q, &x);
		}
	}
	q->tx_packets++;
	netfront_push(q->tx_port, &q->tx.sring->req_prod, q->tx.req_prod_pvt,
		      &q->tx.sring->req_event);
	return 0;
}

int netfront_send(struct netfront *nf, const void *frame, size_t len)
{
	return netfront_send_offload(nf, frame, len, NULL);
}

/* A multicast filter request: a dummy slot carrying the extra. */
static int mcast_request(struct netfront *nf, const uint8_t *addr,
			 uint8_t type)
{
	struct netfront_queue *q = &nf->q[0];
	struct netif_extra_info x;
	unsigned id;
	int rc = netfront_usable(nf);

	if (rc)
		return rc;
	if (!nf->nego.mcast_control)
		return -XEN_EOPNOTSUPP;
	if (!(addr[0] & 1))
		return -XEN_EINVAL;
	netfront_tx_collect(q);
	if (nf->broken)
		return -XEN_EIO;
	if (!tx_bufs(q, 1, &id))
		return -XEN_EAGAIN;
	tx_put(q, id, 0, NETTXF_extra_info);
	memset(&x, 0, sizeof(x));
	x.type = type;
	memcpy(x.u.mcast.addr, addr, NETFRONT_ALEN);
	tx_put_extra(q, &x);
	netfront_push(q->tx_port, &q->tx.sring->req_prod, q->tx.req_prod_pvt,
		      &q->tx.sring->req_event);
	return 0;
}

int netfront_mcast_add(struct netfront *nf, const uint8_t *addr)
{
	return mcast_request(nf, addr, XEN_NETIF_EXTRA_TYPE_MCAST_ADD);
}

int netfront_mcast_del(struct netfront *nf, const uint8_t *addr)
{
	return mcast_request(nf, addr, XEN_NETIF_EXTRA_TYPE_MCAST_DEL);
}
