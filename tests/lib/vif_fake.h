/* SPDX-License-Identifier: BSD-2-Clause */
/* A scripted network backend in dom0 for the guest's netfront tests and
 * fuzz targets: it makes a vif device (directories, the frontend's mac,
 * mtu and handle as the toolstack writes them, the features the caller
 * offers), maps the rings and binds the channels the frontend wrote, and
 * follows the frontend's state as Linux's netback does, when asked to;
 * the caller does the rest on the mapped rings. Header-only: each
 * program includes it once. */
#ifndef TESTS_VIF_FAKE_H
#define TESTS_VIF_FAKE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <xen/io/netif.h>

#include "dev/netfront.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/xenbus_backend.h"
#include "hv/xs.h"

#define VIF_PAGE 4096u
#define VIF_MAC  "00:16:3e:00:00:01"

/* The backend's keys, the first eight the features make offers with
 * (bit k of an offer mask writes vif_keys[k] = 1). */
static const char *const vif_keys[] = {
	"feature-rx-copy", "feature-sg", "feature-gso-tcpv4",
	"feature-gso-tcpv6", "feature-no-csum-offload",
	"feature-ipv6-csum-offload", "feature-split-event-channels",
	"feature-multicast-control", "multi-queue-max-queues", "state",
	"feature-rx-flip", "feature-ctrl-ring",
};
#define VIF_NR_KEYS (sizeof(vif_keys) / sizeof(vif_keys[0]))
#define VIF_OFFER_ALL 0xefu     /* every feature, checksum offload on */

struct vif_queue {
	struct hv_gnttab_mapping tx_map, rx_map;
	bool tx_mapped, rx_mapped;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	evtchn_port_t tx_port, rx_port;        /* dom0's ends */
};

struct vif_dev {
	struct hv_domain *dom0;
	struct hv_xs *xs;
	struct hv_xenbus_backend xb;
	bool made;
	struct vif_queue q[NETFRONT_MAX_QUEUES];
	unsigned nr_queues;                    /* mapped by vif_map_rings */
};

static void vif_frontend_changed(struct hv_xenbus_backend *xb,
				 enum xenbus_state state, void *arg)
{
	(void)xb, (void)state, (void)arg;
}

/* <frontend>/<dir><node> as a number, ~0 when absent or not one. */
static inline unsigned long vif_fe_ulong(struct vif_dev *d, const char *dir,
					 const char *node)
{
	char path[64];
	unsigned long v;

	snprintf(path, sizeof(path), "%s%s", dir, node);
	if (hv_xenbus_frontend_read_ulong(&d->xb, path, UINT32_MAX, &v))
		return ~0ul;
	return v;
}

static inline void vif_unmap_all(struct vif_dev *d)
{
	for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++) {
		struct vif_queue *q = &d->q[i];

		if (q->tx_mapped)
			hv_gnttab_unmap(d->dom0, q->tx_map.handle);
		if (q->rx_mapped)
			hv_gnttab_unmap(d->dom0, q->rx_map.handle);
		if (q->tx_port)
			hv_evtchn_close_for(d->dom0, q->tx_port);
		if (q->rx_port && q->rx_port != q->tx_port)
			hv_evtchn_close_for(d->dom0, q->rx_port);
		memset(q, 0, sizeof(*q));
	}
	d->nr_queues = 0;
}

static inline bool vif_has_maps(const struct vif_dev *d)
{
	for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++)
		if (d->q[i].tx_mapped || d->q[i].rx_mapped)
			return true;
	return false;
}

static inline bool vif_map_ref(struct vif_dev *d, const char *dir,
			       const char *node, struct hv_gnttab_mapping *map)
{
	unsigned long ref = vif_fe_ulong(d, dir, node);

	return ref != ~0ul &&
	       hv_gnttab_map_ref(d->dom0, 1, (grant_ref_t)ref, false, map) ==
	       GNTST_okay;
}

static inline evtchn_port_t vif_bind(struct vif_dev *d, const char *dir,
				     const char *node)
{
	unsigned long port = vif_fe_ulong(d, dir, node);
	evtchn_port_t local = 0;

	if (port != ~0ul)
		hv_evtchn_bind_interdomain_for(d->dom0, 1, (evtchn_port_t)port,
					       &local);
	return local;
}

/* Map and bind what the frontend wrote, queue by queue (what was mapped
 * before let go first): whether all of it. */
static inline bool vif_map_rings(struct vif_dev *d)
{
	unsigned long queues = vif_fe_ulong(d, "", "multi-queue-num-queues");
	bool ok = true;

	vif_unmap_all(d);
	if (queues == ~0ul)
		queues = 1;
	if (queues < 1 || queues > NETFRONT_MAX_QUEUES)
		return false;
	for (unsigned i = 0; i < queues; i++) {
		struct vif_queue *q = &d->q[i];
		char dir[16] = "";

		if (queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		q->tx_mapped = vif_map_ref(d, dir, "tx-ring-ref", &q->tx_map);
		q->rx_mapped = vif_map_ref(d, dir, "rx-ring-ref", &q->rx_map);
		if (!q->tx_mapped || !q->rx_mapped) {
			ok = false;
			continue;
		}
		XEN_BACK_RING_INIT(&q->tx, (netif_tx_sring_t *)q->tx_map.page,
				   VIF_PAGE);
		XEN_BACK_RING_INIT(&q->rx, (netif_rx_sring_t *)q->rx_map.page,
				   VIF_PAGE);
		q->tx_port = vif_bind(d, dir, "event-channel");
		if (q->tx_port) {
			q->rx_port = q->tx_port;
		} else {
			q->tx_port = vif_bind(d, dir, "event-channel-tx");
			q->rx_port = vif_bind(d, dir, "event-channel-rx");
		}
		ok = ok && q->tx_port && q->rx_port;
	}
	d->nr_queues = (unsigned)queues;
	return ok;
}

/* What a real backend does with the frontend's state: connect once the
 * frontend is Connected (as Linux's netback), follow it to Closing and
 * Closed, start over after. */
static inline void vif_honest(struct vif_dev *d)
{
	switch (hv_xenbus_frontend_state(&d->xb)) {
	case XenbusStateConnected:
		if (d->xb.be_state == XenbusStateConnected)
			break;
		if (vif_map_rings(d)) {
			hv_xenbus_backend_switch_state(&d->xb,
						       XenbusStateConnected);
		} else {
			vif_unmap_all(d);
			hv_xenbus_backend_switch_state(&d->xb,
						       XenbusStateClosing);
		}
		break;
	case XenbusStateClosing:
		hv_xenbus_backend_switch_state(&d->xb, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		vif_unmap_all(d);
		hv_xenbus_backend_switch_state(&d->xb, XenbusStateClosed);
		break;
	case XenbusStateInitialising:
		if (d->xb.be_state == XenbusStateClosed)
			hv_xenbus_backend_switch_state(&d->xb,
						       XenbusStateInitWait);
		break;
	default:
		break;
	}
}

/* The device vif/devid for guest 1, its backend offering what offers
 * says (bit k: vif_keys[k] = 1) and queues: 0 or -1. */
static inline int vif_make(struct vif_dev *d, struct hv_domain *dom0,
			   struct hv_xs *xs, unsigned devid, unsigned offers,
			   unsigned queues)
{
	char handle[12];

	memset(d, 0, sizeof(*d));
	snprintf(handle, sizeof(handle), "%u", devid);
	d->dom0 = dom0;
	d->xs = xs;
	if (hv_xenbus_backend_create(&d->xb, xs, 1, "vif", devid,
				     vif_frontend_changed, NULL) ||
	    hv_xenbus_frontend_write(&d->xb, "mac", VIF_MAC) ||
	    hv_xenbus_frontend_write(&d->xb, "mtu", "1500") ||
	    hv_xenbus_frontend_write(&d->xb, "handle", handle))
		return -1;
	for (unsigned k = 0; k < 8; k++)
		if (offers & 1u << k &&
		    hv_xenbus_backend_printf(&d->xb, vif_keys[k], "1"))
			return -1;
	if (hv_xenbus_backend_printf(&d->xb, "multi-queue-max-queues", "%u",
				     queues))
		return -1;
	d->made = true;
	return 0;
}

/* Let go of the rings and remove the device's directories. */
static inline void vif_destroy(struct vif_dev *d)
{
	vif_unmap_all(d);
	if (d->made)
		hv_xenbus_backend_destroy(&d->xb);
	d->made = false;
}

#endif
