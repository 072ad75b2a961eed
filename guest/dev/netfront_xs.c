/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's xenbus handshake: what the backend offers is
 * read and checked (feature-rx-copy is required), our MAC comes from the
 * frontend directory the toolstack wrote, the rings and buffers are
 * granted, and what we ask for is written: request-rx-copy,
 * feature-rx-notify, feature-sg = 0 (single-slot rx),
 * feature-no-csum-offload = 1 (we compute checksums). Teardown gives a
 * page back only once the backend no longer maps it. */
#include <stdarg.h>

#include <xen/errno.h>

#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/time.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "netfront_internal.h"
#include "port.h"

#define STATE_TIMEOUT_NS (5000ull * NSEC_PER_MSEC)
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

/* A page granted to the backend (read-only or not); NULL on failure. */
static void *grant_page(struct netfront *nf, bool readonly, grant_ref_t *ref,
			bool *granted)
{
	void *page = page_alloc(1);

	if (!page)
		return NULL;
	memset(page, 0, PAGE);
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

static void release(struct netfront *nf)
{
	if (nf->port)
		evtchn_unbind(nf->port);
	nf->port = 0;
	ungrant_page(nf, &nf->tx_page, nf->tx_ring_ref, &nf->tx_granted);
	ungrant_page(nf, &nf->rx_page, nf->rx_ring_ref, &nf->rx_granted);
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++)
		ungrant_page(nf, &nf->txb[i].page, nf->txb[i].ref,
			     &nf->txb[i].granted);
	for (unsigned i = 0; i < NETFRONT_RX_BUFS; i++)
		ungrant_page(nf, &nf->rxb[i].page, nf->rxb[i].ref,
			     &nf->rxb[i].granted);
	nf->connected = false;
}

static int share_rings(struct netfront *nf)
{
	nf->tx_page = grant_page(nf, false, &nf->tx_ring_ref, &nf->tx_granted);
	nf->rx_page = grant_page(nf, false, &nf->rx_ring_ref, &nf->rx_granted);
	if (!nf->tx_page || !nf->rx_page)
		return -XEN_ENOMEM;
	XEN_SRING_INIT((netif_tx_sring_t *)nf->tx_page);
	XEN_SRING_INIT((netif_rx_sring_t *)nf->rx_page);
	XEN_FRONT_RING_INIT(&nf->tx, (netif_tx_sring_t *)nf->tx_page, PAGE);
	XEN_FRONT_RING_INIT(&nf->rx, (netif_rx_sring_t *)nf->rx_page, PAGE);
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++) {
		nf->txb[i].page = grant_page(nf, true, &nf->txb[i].ref,
					     &nf->txb[i].granted);
		if (!nf->txb[i].page)
			return -XEN_ENOMEM;
	}
	for (unsigned i = 0; i < NETFRONT_RX_BUFS; i++) {
		nf->rxb[i].page = grant_page(nf, false, &nf->rxb[i].ref,
					     &nf->rxb[i].granted);
		if (!nf->rxb[i].page)
			return -XEN_ENOMEM;
		netfront_rx_post(nf, i);
	}
	/* The backend sees the buffers once it connects. */
	nf->rx.sring->req_prod = nf->rx.req_prod_pvt;
	return evtchn_alloc_unbound(nf->xb.otherend_id, ring_event, nf,
				    &nf->port);
}

static int write_nodes(struct netfront *nf)
{
	static const struct { const char *node; unsigned value; } asks[] = {
		{ "request-rx-copy", 1 }, { "feature-rx-notify", 1 },
		{ "feature-sg", 0 }, { "feature-gso-tcpv4", 0 },
		{ "feature-gso-tcpv6", 0 }, { "feature-no-csum-offload", 1 },
		{ "feature-ipv6-csum-offload", 0 },
	};
	const char *dir = nf->xb.nodename;
	int rc;

	rc = xenbus_printf(XBT_NIL, dir, "tx-ring-ref", "%u", nf->tx_ring_ref);
	if (!rc)
		rc = xenbus_printf(XBT_NIL, dir, "rx-ring-ref", "%u",
				   nf->rx_ring_ref);
	if (!rc)
		rc = xenbus_printf(XBT_NIL, dir, "event-channel", "%u",
				   nf->port);
	for (size_t i = 0; !rc && i < sizeof(asks) / sizeof(asks[0]); i++)
		rc = xenbus_printf(XBT_NIL, dir, asks[i].node, "%u",
				   asks[i].value);
	return rc;
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

static int handshake(struct netfront *nf)
{
	unsigned long rx_copy = 0;
	int rc;

	if (nf->xb.state != XenbusStateInitialising &&
	    (rc = xenbus_switch_state(&nf->xb, XenbusStateInitialising)))
		return rc;
	rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateInitWait,
				      STATE_TIMEOUT_NS);
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
	rc = share_rings(nf);
	if (!rc)
		rc = write_nodes(nf);
	if (!rc)
		rc = xenbus_switch_state(&nf->xb, XenbusStateInitialised);
	if (!rc)
		rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateConnected,
					      STATE_TIMEOUT_NS);
	if (!rc)
		rc = xenbus_switch_state(&nf->xb, XenbusStateConnected);
	return rc;
}

int netfront_connect(struct netfront *nf, const char *nodename)
{
	int rc;

	memset(nf, 0, sizeof(*nf));
	rc = xenbus_probe(&nf->xb, nodename);
	if (rc) {
		kprintf("netfront: %s: no usable backend (%d)\n", nodename, rc);
		return rc;
	}
	rc = handshake(nf);
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
				      STATE_TIMEOUT_NS);
	if (rc == -XEN_ENOTCONN)
		rc = 0;         /* it went straight to Closed */
	xenbus_switch_state(&nf->xb, XenbusStateClosed);
	if (rc == 0 && nf->xb.otherend_state != XenbusStateClosed)
		rc = xenbus_wait_for_otherend(&nf->xb, XenbusStateClosed,
					      STATE_TIMEOUT_NS);
	if (rc)
		kprintf("netfront: %s: backend did not close (%s)\n",
			nf->xb.nodename,
			xenbus_state_name(nf->xb.otherend_state));
	release(nf);
	return rc;
}
