/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's xenbus handshake: what the backend offers is
 * read and checked (feature-rx-copy is required) and met with what the
 * caller wants (nf->nego: queues up to multi-queue-max-queues, split
 * event channels, sg, GSO, checksum offload, multicast control); our
 * MAC and MTU come from the frontend directory the toolstack wrote; each
 * queue's rings and buffers are granted, and what we ask for is written
 * (queue-N/ when more than one queue): request-rx-copy,
 * feature-rx-notify, what we take on rx (feature-sg, feature-gso-tcpv4
 * and -tcpv6, feature-no-csum-offload and feature-ipv6-csum-offload, each
 * 0 or 1 as the caller wants), request-multicast-control. Teardown gives
 * a page back only once the backend no longer maps it. */
#include <stdarg.h>

#include <xen/errno.h>

#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "netfront_internal.h"
#include "port.h"

#define PAGE 4096u

void netfront_mark_broken(struct netfront *nf, const char *fmt, ...)
{
	va_list ap;

	if (nf->broken)
		return;
	nf->broken = true;
	va_start(ap, fmt);
	kvsnprintf(nf->why, sizeof(nf->why), fmt, ap);
	va_end(ap);
	kprintf("netfront: %s: backend broken: %s\n", nf->xb.nodename,
		nf->why);
}

static void ring_event(evtchn_port_t port, void *arg)
{
	/* Senders and receivers look at the rings when they next call. */
	(void)port;
	(void)arg;
}

int netfront_enumerate(void (*found)(const char *nodename, void *arg),
		       void *arg)
{
	return xenbus_enumerate("vif", found, arg);
}

void netfront_features_default(struct netfront_features *f)
{
	memset(f, 0, sizeof(*f));
	f->queues = 1;
	f->split_evtchn = f->sg = f->gso_tcpv4 = f->gso_tcpv6 = true;
	f->csum = f->ipv6_csum = f->mcast_control = f->rx_notify = true;
	f->rx_sg = f->rx_gso_tcpv4 = f->rx_gso_tcpv6 = f->rx_csum = true;
}

/* A page granted to the backend (read-only or not); NULL on failure. */
static void *grant_page(struct netfront *nf, bool readonly, grant_ref_t *ref,
			bool *granted)
{
	void *page = page_alloc(1);

	if (!page)
		return NULL;
	if (gnttab_grant_access(nf->xb.otherend_id, virt_to_pfn(page),
				readonly, ref)) {
		page_free(page, 1);
		return NULL;
	}
	*granted = true;
	return page;
}

/* Give back one page: kept (and said) while the backend still maps it. */
static void ungrant_page(struct netfront *nf, void **page, grant_ref_t ref,
			 bool *granted)
{
	if (*granted && gnttab_end_access(ref) != 0) {
		kprintf("netfront: %s: backend still maps grant %u; page "
			"kept\n", nf->xb.nodename, ref);
		*page = NULL;
	}
	*granted = false;
	if (*page)
		page_free(*page, 1);
	*page = NULL;
}

static void release_queue(struct netfront *nf, struct netfront_queue *q)
{
	if (q->rx_port && q->rx_port != q->tx_port)
		evtchn_unbind(q->rx_port);
	if (q->tx_port)
		evtchn_unbind(q->tx_port);
	q->tx_port = q->rx_port = 0;
	ungrant_page(nf, &q->tx_page, q->tx_ring_ref, &q->tx_granted);
	ungrant_page(nf, &q->rx_page, q->rx_ring_ref, &q->rx_granted);
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++)
		ungrant_page(nf, &q->txb[i].page, q->txb[i].ref,
			     &q->txb[i].granted);
	for (unsigned i = 0; i < NETFRONT_RX_BUFS; i++)
		ungrant_page(nf, &q->rxb[i].page, q->rxb[i].ref,
			     &q->rxb[i].granted);
}

void netfront_release(struct netfront *nf)
{
	for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++)
		release_queue(nf, &nf->q[i]);
	nf->connected = false;
}

static int share_queue(struct netfront *nf, struct netfront_queue *q)
{
	int rc;

	q->tx_page = grant_page(nf, false, &q->tx_ring_ref, &q->tx_granted);
	q->rx_page = grant_page(nf, false, &q->rx_ring_ref, &q->rx_granted);
	if (!q->tx_page || !q->rx_page)
		return -XEN_ENOMEM;
	XEN_SRING_INIT((netif_tx_sring_t *)q->tx_page);
	XEN_SRING_INIT((netif_rx_sring_t *)q->rx_page);
	XEN_FRONT_RING_INIT(&q->tx, (netif_tx_sring_t *)q->tx_page, PAGE);
	XEN_FRONT_RING_INIT(&q->rx, (netif_rx_sring_t *)q->rx_page, PAGE);
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++) {
		q->txb[i].page = grant_page(nf, true, &q->txb[i].ref,
					    &q->txb[i].granted);
		if (!q->txb[i].page)
			return -XEN_ENOMEM;
	}
	for (unsigned i = 0; i < NETFRONT_RX_BUFS; i++) {
		q->rxb[i].page = grant_page(nf, false, &q->rxb[i].ref,
					    &q->rxb[i].granted);
		if (!q->rxb[i].page)
			return -XEN_ENOMEM;
		netfront_rx_post(q, i);
	}
	/* The backend sees the buffers once it connects. */
	q->rx.sring->req_prod = q->rx.req_prod_pvt;
	rc = evtchn_alloc_unbound(nf->xb.otherend_id, ring_event, q,
				  &q->tx_port);
	if (rc)
		return rc;
	q->rx_port = q->tx_port;
	if (nf->nego.split_evtchn)
		rc = evtchn_alloc_unbound(nf->xb.otherend_id, ring_event, q,
					  &q->rx_port);
	return rc;
}

static int share_rings(struct netfront *nf)
{
	int rc = 0;

	for (unsigned i = 0; !rc && i < nf->nr_queues; i++) {
		nf->q[i].nf = nf;
		nf->q[i].index = i;
		rc = share_queue(nf, &nf->q[i]);
	}
	return rc;
}

static void stale_rm(const char *dir, const char *node)
{
	char path[XENBUS_PATH_MAX + 64];

	ksnprintf(path, sizeof(path), "%s/%s", dir, node);
	xs_rm(XBT_NIL, path);     /* absent is fine */
}

static void rm_node(struct netfront *nf, const char *fmt, unsigned n)
{
	char node[32];

	ksnprintf(node, sizeof(node), fmt, n);
	stale_rm(nf->xb.nodename, node);
}

/* Queue q's keys, at the top level or under queue-N/. */
static int write_queue(struct netfront *nf, struct netfront_queue *q)
{
	char dir[XENBUS_PATH_MAX + 16];
	int rc;

	if (nf->nr_queues == 1)
		ksnprintf(dir, sizeof(dir), "%s", nf->xb.nodename);
	else
		ksnprintf(dir, sizeof(dir), "%s/queue-%u", nf->xb.nodename,
			  q->index);
	/* The other channel layout's keys, from an earlier connection. */
	if (nf->nego.split_evtchn) {
		stale_rm(dir, "event-channel");
	} else {
		stale_rm(dir, "event-channel-tx");
		stale_rm(dir, "event-channel-rx");
	}
	rc = xenbus_printf(XBT_NIL, dir, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (!rc)
		rc = xenbus_printf(XBT_NIL, dir, "rx-ring-ref", "%u",
				   q->rx_ring_ref);
	if (!rc && nf->nego.split_evtchn) {
		rc = xenbus_printf(XBT_NIL, dir, "event-channel-tx", "%u",
				   q->tx_port);
		if (!rc)
			rc = xenbus_printf(XBT_NIL, dir, "event-channel-rx",
					   "%u", q->rx_port);
	} else if (!rc) {
		rc = xenbus_printf(XBT_NIL, dir, "event-channel", "%u",
				   q->tx_port);
	}
	return rc;
}


/* Keys an earlier connection wrote that this one's layout does not: a
 * backend would read them as ours. */
static void clear_stale(struct netfront *nf)
{
	static const char *const top[] = {
		"tx-ring-ref", "rx-ring-ref", "event-channel",
		"event-channel-tx", "event-channel-rx",
	};

	if (nf->nr_queues == 1) {
		for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++)
			rm_node(nf, "queue-%u", i);
	} else {
		for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
			rm_node(nf, top[i], 0);
		for (unsigned i = nf->nr_queues; i < NETFRONT_MAX_QUEUES; i++)
			rm_node(nf, "queue-%u", i);
	}
	if (!nf->nego.mcast_control)
		rm_node(nf, "request-multicast-control", 0);
}

static int write_nodes(struct netfront *nf)
{
	/* What we take on rx. */
	const struct { const char *node; unsigned value; } asks[] = {
		{ "request-rx-copy", 1 },
		{ "feature-rx-notify", nf->nego.rx_notify },
		{ "feature-sg", nf->nego.rx_sg },
		{ "feature-gso-tcpv4", nf->nego.rx_gso_tcpv4 },
		{ "feature-gso-tcpv6", nf->nego.rx_gso_tcpv6 },
		{ "feature-no-csum-offload", !nf->nego.rx_csum },
		{ "feature-ipv6-csum-offload", nf->nego.rx_csum },
	};
	const char *dir = nf->xb.nodename;
	int rc;

	clear_stale(nf);
	rc = 0;
	for (unsigned i = 0; !rc && i < nf->nr_queues; i++)
		rc = write_queue(nf, &nf->q[i]);
	/* As Linux: the count whenever the backend knows of queues. */
	if (!rc && nf->backend_mq)
		rc = xenbus_printf(XBT_NIL, dir, "multi-queue-num-queues", "%u",
				   nf->nr_queues);
	if (!rc && nf->nego.mcast_control)
		rc = xenbus_printf(XBT_NIL, dir, "request-multicast-control",
				   "1");
	for (size_t i = 0; !rc && i < sizeof(asks) / sizeof(asks[0]); i++)
		rc = xenbus_printf(XBT_NIL, dir, asks[i].node, "%u",
				   asks[i].value);
	return rc;
}

/* A backend feature flag: absent is dflt, anything but 0 or 1 is 0. */
static bool offered(struct netfront *nf, const char *node, bool dflt)
{
	unsigned long v;
	int rc = xenbus_read_ulong(XBT_NIL, nf->xb.otherend, node, 1, &v);

	if (rc == -XEN_ENOENT)
		return dflt;
	return rc == 0 && v == 1;
}

/* What we use: what the caller wants that the backend offers. */
static void negotiate(struct netfront *nf)
{
	const struct netfront_features *w = &nf->want;
	struct netfront_features *n = &nf->nego;
	unsigned long max = 1;

	nf->backend_mq = !xenbus_read_ulong(XBT_NIL, nf->xb.otherend,
					    "multi-queue-max-queues", 0xffff,
					    &max);
	if (!nf->backend_mq || !max)
		max = 1;
	n->queues = w->queues < 1 ? 1 : w->queues;
	if (n->queues > NETFRONT_MAX_QUEUES)
		n->queues = NETFRONT_MAX_QUEUES;
	if (n->queues > max) {
		kprintf("netfront: %s: %u queue(s) wanted, the backend offers "
			"%lu\n", nf->xb.nodename, n->queues, max);
		n->queues = (unsigned)max;
	}
	n->split_evtchn = w->split_evtchn &&
		offered(nf, "feature-split-event-channels", false);
	n->sg = w->sg && offered(nf, "feature-sg", false);
	/* A GSO frame spans several slots: no GSO without sg. */
	n->gso_tcpv4 = n->sg && w->gso_tcpv4 &&
		offered(nf, "feature-gso-tcpv4", false);
	n->gso_tcpv6 = n->sg && w->gso_tcpv6 &&
		offered(nf, "feature-gso-tcpv6", false);
	/* Absent means IPv4 checksum offload is on (netif.h). */
	n->csum = w->csum && !offered(nf, "feature-no-csum-offload", false);
	n->ipv6_csum = w->ipv6_csum &&
		offered(nf, "feature-ipv6-csum-offload", false);
	n->mcast_control = w->mcast_control &&
		offered(nf, "feature-multicast-control", false);
	n->rx_notify = w->rx_notify;
	/* On rx, what we ask for is what we get: a GSO frame spans slots
	 * and comes with its checksum blank. */
	n->rx_sg = w->rx_sg;
	n->rx_csum = w->rx_csum;
	n->rx_gso_tcpv4 = w->rx_gso_tcpv4 && w->rx_sg && w->rx_csum;
	n->rx_gso_tcpv6 = w->rx_gso_tcpv6 && w->rx_sg && w->rx_csum;
	nf->rx_max = n->rx_gso_tcpv4 || n->rx_gso_tcpv6 ? NETFRONT_RX_MAX :
		     NETFRONT_FRAME_MAX;
	nf->nr_queues = n->queues;
}

/* Our MTU, as the toolstack wrote it (1500 when absent); at most 1500:
 * bigger frames come only as GSO. */
static void read_mtu(struct netfront *nf)
{
	unsigned long mtu;

	nf->mtu = 1500;
	if (xenbus_read_ulong(XBT_NIL, nf->xb.nodename, "mtu", 65535, &mtu))
		return;
	if (mtu < 68 || mtu > 1500) {
		kprintf("netfront: %s: mtu %lu clamped to %s\n",
			nf->xb.nodename, mtu, mtu < 68 ? "68" : "1500");
		mtu = mtu < 68 ? 68 : 1500;
	}
	nf->mtu = (unsigned)mtu;
}

/* "aa:bb:cc:dd:ee:ff" from our directory, as the toolstack wrote it. */
static int read_mac(struct netfront *nf)
{
	char path[XENBUS_PATH_MAX + 8], text[24];
	const char *s = text;
	int n;

	ksnprintf(path, sizeof(path), "%s/mac", nf->xb.nodename);
	n = xs_read(XBT_NIL, path, text, sizeof(text));
	if (n != 17)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < NETFRONT_ALEN; i++, s++) {
		unsigned v = 0;

		for (unsigned k = 0; k < 2; k++, s++) {
			char c = *s;

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned)(c - 'A' + 10);
			else
				return -XEN_EINVAL;
		}
		if (*s != (i + 1 < NETFRONT_ALEN ? ':' : '\0'))
			return -XEN_EINVAL;
		nf->mac[i] = (uint8_t)v;
	}
	return 0;
}

int netfront_handshake(struct netfront *nf)
{
	unsigned long rx_copy = 0;
	int rc;

	if (nf->xb.state != XenbusStateInitialising &&
	    (rc = xenbus_switch_state(&nf->xb, XenbusStateInitialising)))
		return rc;
	rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateInitWait,
				      XENBUS_STATE_TIMEOUT_NS);
	if (rc)
		return rc;
	if (xenbus_read_ulong(XBT_NIL, nf->xb.otherend, "feature-rx-copy", 1,
			      &rx_copy) || rx_copy != 1) {
		kprintf("netfront: %s: backend does not offer "
			"feature-rx-copy\n", nf->xb.nodename);
		return -XEN_ENODEV;
	}
	if (read_mac(nf)) {
		kprintf("netfront: %s: no valid mac in our directory\n",
			nf->xb.nodename);
		return -XEN_EINVAL;
	}
	read_mtu(nf);
	negotiate(nf);
	rc = share_rings(nf);
	if (!rc)
		rc = write_nodes(nf);
	/* Connected before the backend, as Linux's netfront: Linux's
	 * netback connects only then (it ignores Initialised). */
	if (!rc)
		rc = xenbus_switch_state(&nf->xb, XenbusStateConnected);
	if (!rc)
		rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateConnected,
					      XENBUS_STATE_TIMEOUT_NS);
	return rc;
}

int netfront_connect(struct netfront *nf, const char *nodename)
{
	struct netfront_features want;

	netfront_features_default(&want);
	return netfront_connect_with(nf, nodename, &want);
}

int netfront_connect_with(struct netfront *nf, const char *nodename,
			  const struct netfront_features *want)
{
	int rc;

	memset(nf, 0, sizeof(*nf));
	nf->want = *want;
	rc = xenbus_probe(&nf->xb, nodename);
	if (rc) {
		kprintf("netfront: %s: no usable backend (%d)\n", nodename, rc);
		return rc;
	}
	rc = netfront_handshake(nf);
	if (rc) {
		kprintf("netfront: %s: backend is %s, not Connected (%d)\n",
			nodename, xenbus_state_name(nf->xb.otherend_state), rc);
		netfront_disconnect(nf);
		return rc;
	}
	nf->connected = true;
	return 0;
}

int netfront_disconnect(struct netfront *nf)
{
	int rc;

	xenbus_switch_state(&nf->xb, XenbusStateClosing);
	rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateClosing,
				      XENBUS_STATE_TIMEOUT_NS);
	if (rc == -XEN_ENOTCONN)
		rc = 0;         /* it went straight to Closed */
	xenbus_switch_state(&nf->xb, XenbusStateClosed);
	if (rc == 0 && nf->xb.otherend_state != XenbusStateClosed)
		rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateClosed,
					      XENBUS_STATE_TIMEOUT_NS);
	if (rc)
		kprintf("netfront: %s: backend did not close (%s)\n",
			nf->xb.nodename,
			xenbus_state_name(nf->xb.otherend_state));
	netfront_release(nf);
	return rc;
}
