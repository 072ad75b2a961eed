/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend resumed in a new domain (see netfront_resume in
 * dev/netfront.h). The old rings are in our memory and keep what the old
 * backend wrote before the domain suspended: its tx answers free their
 * buffers; the rest of the old connection is dropped, as a NIC loses
 * packets (Linux's netfront drops every tx request in flight and every
 * rx buffer on a resume). The new domain's event channels and grant
 * table start empty: no old port is closed (its number may be another's
 * now) and ending an old grant only gives its reference back. */
#include <xen/errno.h>

#include "kern/printf.h"
#include "kern/string.h"
#include "netfront_internal.h"

/* Responses the old backend published on q's rx ring that were not read:
 * at most the buffers posted (its index is its word, not ours). */
static unsigned rx_unread(struct netfront_queue *q)
{
	RING_IDX prod = q->rx.sring->rsp_prod;

	if (!XEN_FRONT_RING_RSP_PROD_OK(&q->rx, prod))
		return 0;
	return prod - q->rx.rsp_cons;
}

/* Take what the old rings hold: tx answers, then what is lost. */
static void drain_old_rings(struct netfront *nf, struct netfront_resumed *r)
{
	uint64_t answered = nf->stats.tx_packets + nf->stats.tx_errors;

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < nf->nr_queues; i++) {
		struct netfront_queue *q = &nf->q[i];

		netfront_tx_collect(q);
		for (unsigned b = 0; b < NETFRONT_TX_BUFS; b++)
			r->tx_dropped += q->txb[b].pending;
		r->rx_dropped += rx_unread(q);
	}
	r->tx_answered = (unsigned)(nf->stats.tx_packets + nf->stats.tx_errors -
				    answered);
	nf->stats.tx_dropped += r->tx_dropped;
	nf->stats.rx_dropped += r->rx_dropped;
}

/* Forget the old connection: no port closed, grants ended in the new
 * table (which only frees the references), pages freed, every queue's
 * slots cleared; its packet counts stay. */
static void forget_old_connection(struct netfront *nf)
{
	for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++)
		nf->q[i].tx_port = nf->q[i].rx_port = 0;
	netfront_release(nf);
	for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++) {
		struct netfront_queue *q = &nf->q[i];
		uint64_t tx = q->tx_packets, rx = q->rx_packets;

		memset(q, 0, sizeof(*q));
		q->tx_packets = tx;
		q->rx_packets = rx;
	}
	nf->rx_next = 0;
}

static void say_changes(struct netfront *nf, const uint8_t *mac,
			const struct netfront_features *nego)
{
	if (memcmp(mac, nf->mac, NETFRONT_ALEN) != 0)
		kprintf("netfront: %s: the toolstack gave a new mac "
			"%02x:%02x:%02x:%02x:%02x:%02x across the resume\n",
			nf->xb.nodename, nf->mac[0], nf->mac[1], nf->mac[2],
			nf->mac[3], nf->mac[4], nf->mac[5]);
	if (memcmp(nego, &nf->nego, sizeof(*nego)) != 0)
		kprintf("netfront: %s: the new backend offers other features: "
			"%u queue(s) now, %u before\n", nf->xb.nodename,
			nf->nego.queues, nego->queues);
}

int netfront_resume(struct netfront *nf)
{
	struct netfront_features nego = nf->nego;
	char nodename[XENBUS_PATH_MAX];
	uint8_t mac[NETFRONT_ALEN];
	int rc;

	if (!nf->connected || nf->broken)
		return nf->broken ? -XEN_EIO : 0;
	drain_old_rings(nf, &nf->last_resume);
	memcpy(mac, nf->mac, sizeof(mac));
	forget_old_connection(nf);
	/* The old backend broke the protocol in its last answers: the
	 * device stays broken, as it would have without the suspend. */
	if (nf->broken)
		return -XEN_EIO;
	nf->resumes++;
	kprintf("netfront: %s: resumed: %u tx answer(s) taken from the old "
		"ring, %u tx request(s) and %u rx response(s) dropped\n",
		nf->xb.nodename, nf->last_resume.tx_answered,
		nf->last_resume.tx_dropped, nf->last_resume.rx_dropped);
	/* The tree the toolstack wrote for the new domain names the new
	 * backend; our state there starts again (Initialising). */
	memcpy(nodename, nf->xb.nodename, sizeof(nodename));
	rc = xenbus_probe(&nf->xb, nodename);
	if (rc == 0 && (rc = netfront_handshake(nf)) != 0) {
		kprintf("netfront: %s: backend is %s, not Connected (%d)\n",
			nodename, xenbus_state_name(nf->xb.otherend_state), rc);
		/* Closed, as a failed first connect leaves it. */
		netfront_disconnect(nf);
	}
	if (rc) {
		netfront_release(nf);
		netfront_mark_broken(nf, "cannot reconnect after the resume: "
				     "error %d", rc);
		return rc;
	}
	nf->connected = true;
	say_changes(nf, mac, &nego);
	return 0;
}
