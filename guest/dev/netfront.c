/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's data path: frames out through tx buffers we
 * grant read-only, frames in through rx buffers we post. See
 * dev/netfront.h for what is checked; each response is copied once and
 * only the copy is looked at. The handshake lives in netfront_xs.c. */
#include <xen/errno.h>

#include "gxen/evtchn.h"
#include "netfront_internal.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

#define PAGE 4096u

static void push_requests(struct netfront *nf, volatile RING_IDX *req_prod,
			  RING_IDX new_prod, volatile RING_IDX *req_event)
{
	RING_IDX old = *req_prod;

	/* The requests are in place before their index moves. */
	arch_wmb();
	*req_prod = new_prod;
	arch_mb();
	if (xen_ring_need_notify(old, new_prod, *req_event))
		evtchn_notify(nf->port);
}

/* ---- tx ---- */

static bool tx_response_ok(struct netfront *nf,
			   const struct netif_tx_response *rsp)
{
	if (rsp->id >= NETFRONT_TX_BUFS || !nf->txb[rsp->id].pending) {
		netfront_mark_broken(nf, "tx response for id %u, not pending",
				     rsp->id);
		return false;
	}
	switch (rsp->status) {
	case NETIF_RSP_OKAY:
		nf->stats.tx_packets++;
		return true;
	case NETIF_RSP_ERROR:
	case NETIF_RSP_DROPPED:
		nf->stats.tx_errors++;
		return true;
	case NETIF_RSP_NULL:
		netfront_mark_broken(nf, "tx response %u is NULL, but we sent "
				     "no extra-info slot", rsp->id);
		return false;
	default:
		netfront_mark_broken(nf, "tx response %u has unknown status "
				     "%d", rsp->id, rsp->status);
		return false;
	}
}

static void tx_collect(struct netfront *nf)
{
	volatile netif_tx_sring_t *sring = nf->tx.sring;
	RING_IDX prod;

	do {
		prod = sring->rsp_prod;
		/* Read the index before the responses it covers. */
		arch_rmb();
		if (!XEN_FRONT_RING_RSP_PROD_OK(&nf->tx, prod)) {
			netfront_mark_broken(nf, "tx rsp_prod %u outside the "
					     "%u request(s) outstanding "
					     "(rsp_cons %u)", prod,
					     nf->tx.req_prod_pvt - nf->tx.rsp_cons,
					     nf->tx.rsp_cons);
			return;
		}
		while (nf->tx.rsp_cons != prod) {
			struct netif_tx_response rsp;

			memcpy(&rsp, (const void *)XEN_RING_RSP(&nf->tx,
							       nf->tx.rsp_cons),
			       sizeof(rsp));
			nf->tx.rsp_cons++;
			if (!tx_response_ok(nf, &rsp))
				return;
			nf->txb[rsp.id].pending = false;
		}
		/* An event at the next response; look again after asking. */
		sring->rsp_event = nf->tx.rsp_cons + 1;
		arch_mb();
	} while (sring->rsp_prod != nf->tx.rsp_cons);
}

static int usable(struct netfront *nf)
{
	if (!nf->connected)
		return -XEN_ENOTCONN;
	return nf->broken ? -XEN_EIO : 0;
}

bool netfront_tx_idle(struct netfront *nf)
{
	if (usable(nf))
		return true;
	tx_collect(nf);
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++)
		if (nf->txb[i].pending)
			return false;
	return true;
}

int netfront_send(struct netfront *nf, const void *frame, size_t len)
{
	struct netif_tx_request *req;
	unsigned id;
	int rc = usable(nf);

	if (rc)
		return rc;
	if (len < 14 || len > NETFRONT_FRAME_MAX)
		return -XEN_EINVAL;
	tx_collect(nf);
	if (nf->broken)
		return -XEN_EIO;
	for (id = 0; id < NETFRONT_TX_BUFS && nf->txb[id].pending; id++)
		;
	if (id == NETFRONT_TX_BUFS)
		return -XEN_EAGAIN;
	memcpy(nf->txb[id].page, frame, len);
	/* Built in its slot, every field written (no stale bytes). */
	req = XEN_RING_REQ(&nf->tx, nf->tx.req_prod_pvt);
	req->gref = nf->txb[id].ref;
	req->offset = 0;
	req->flags = 0;        /* checksums are complete; one slot */
	req->id = (uint16_t)id;
	req->size = (uint16_t)len;
	nf->tx.req_prod_pvt++;
	nf->txb[id].pending = true;
	push_requests(nf, &nf->tx.sring->req_prod, nf->tx.req_prod_pvt,
		      &nf->tx.sring->req_event);
	return 0;
}

/* ---- rx ---- */

/* Post buffer id in the next rx slot (not yet published). */
void netfront_rx_post(struct netfront *nf, unsigned id)
{
	struct netif_rx_request *req = XEN_RING_REQ(&nf->rx,
						    nf->rx.req_prod_pvt);

	req->id = (uint16_t)id;
	req->pad = 0;
	req->gref = nf->rxb[id].ref;
	nf->rx_id_at[nf->rx.req_prod_pvt % NETFRONT_RX_BUFS] = (uint16_t)id;
	nf->rx.req_prod_pvt++;
	nf->rxb[id].pending = true;
}

void netfront_rx_publish(struct netfront *nf)
{
	push_requests(nf, &nf->rx.sring->req_prod, nf->rx.req_prod_pvt,
		      &nf->rx.sring->req_event);
}

/* The response for the request made at ring index idx, copied: whether it
 * keeps to the protocol. */
static bool rx_response_ok(struct netfront *nf, RING_IDX idx,
			   const struct netif_rx_response *rsp)
{
	uint16_t want = nf->rx_id_at[idx % NETFRONT_RX_BUFS];

	if (rsp->id != want || !nf->rxb[want].pending) {
		netfront_mark_broken(nf, "rx response in slot %u has id %u, "
				     "the request there was %u", idx, rsp->id,
				     want);
		return false;
	}
	if (rsp->flags & (NETRXF_extra_info | NETRXF_more_data |
			  NETRXF_gso_prefix)) {
		netfront_mark_broken(nf, "rx response %u has flags 0x%x: extra "
				     "info, more data or GSO were not "
				     "negotiated", rsp->id, rsp->flags);
		return false;
	}
	if (rsp->status > 0 &&
	    (unsigned)rsp->offset + (unsigned)rsp->status > PAGE) {
		netfront_mark_broken(nf, "rx response %u: offset %u + length "
				     "%d crosses its page", rsp->id,
				     rsp->offset, rsp->status);
		return false;
	}
	if (rsp->status > 0 && (unsigned)rsp->status > NETFRONT_FRAME_MAX) {
		netfront_mark_broken(nf, "rx response %u: %d bytes, over the "
				     "%u-byte frame", rsp->id, rsp->status,
				     NETFRONT_FRAME_MAX);
		return false;
	}
	return true;
}

bool netfront_rx_pending(struct netfront *nf)
{
	if (usable(nf))
		return true;        /* the caller's next call says why */
	return ((volatile netif_rx_sring_t *)nf->rx.sring)->rsp_prod !=
	       nf->rx.rsp_cons;
}

long netfront_recv(struct netfront *nf, void *buf, size_t cap)
{
	volatile netif_rx_sring_t *sring;
	long got = 0;
	RING_IDX prod;
	int rc = usable(nf);

	if (rc)
		return rc;
	if (cap < NETFRONT_FRAME_MAX)
		return -XEN_EINVAL;
	sring = nf->rx.sring;
	while (!got) {
		struct netif_rx_response rsp;
		RING_IDX idx = nf->rx.rsp_cons;

		prod = sring->rsp_prod;
		arch_rmb();
		if (!XEN_FRONT_RING_RSP_PROD_OK(&nf->rx, prod)) {
			netfront_mark_broken(nf, "rx producer index %u going "
					     "backwards or past the %u "
					     "buffer(s) posted (rsp_cons %u)",
					     prod, nf->rx.req_prod_pvt -
					     nf->rx.rsp_cons, nf->rx.rsp_cons);
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
		memcpy(&rsp, (const void *)XEN_RING_RSP(&nf->rx, idx),
		       sizeof(rsp));
		nf->rx.rsp_cons++;
		if (!rx_response_ok(nf, idx, &rsp))
			return -XEN_EIO;
		if (rsp.status > 0) {
			memcpy(buf, (const uint8_t *)nf->rxb[rsp.id].page +
			       rsp.offset, (size_t)rsp.status);
			got = rsp.status;
			nf->stats.rx_packets++;
		} else {
			nf->stats.rx_errors++;   /* error, or an empty frame */
		}
		/* The buffer goes straight back to the backend. */
		nf->rxb[rsp.id].pending = false;
		netfront_rx_post(nf, rsp.id);
		netfront_rx_publish(nf);
	}
	return got;
}
