/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's xenbus half: see hv/netback.h. What is offered
 * comes from the config; the frontend's nodes are parsed strictly, per
 * queue (queue-N/ when it asks for several), and what it asks for that
 * was not offered (split event channels, multicast control, more queues)
 * or what it must ask for and did not (request-rx-copy) closes the
 * device with the reason in its error node. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/xs.h"
#include "netback_internal.h"

#define PAGE 4096u

static struct hv_netback *of(struct hv_xenbus_device *dev)
{
	return dev->priv;
}

void hv_netback_features_default(struct hv_netback_features *f)
{
	memset(f, 0, sizeof(*f));
	f->sg = f->gso_tcpv4 = f->gso_tcpv6 = true;
	f->csum = f->ipv6_csum = true;
	f->split_evtchn = f->mcast_control = true;
	f->max_queues = HV_NETBACK_DEFAULT_QUEUES;
	f->mtu = 1500;
}

int hv_netback_parse_mac(const char *s, uint8_t mac[HV_ETH_ALEN])
{
	for (unsigned i = 0; i < HV_ETH_ALEN; i++) {
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
				return -1;
		}
		mac[i] = (uint8_t)v;
		if (*s != (i + 1 < HV_ETH_ALEN ? ':' : '\0'))
			return -1;
		s++;
	}
	return 0;
}

static void mac_text(const uint8_t *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

void netback_broken(struct hv_netback *nb, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	if (nb->broken)
		return;
	nb->broken = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xenbus_device_error(&nb->dev, -XEN_EIO, "netback: frontend broke "
			       "the ring: %s", why);
}

unsigned hv_netback_rx_queued(const struct hv_netback *nb)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nb->nr_queues; i++)
		n += nb->queue[i].rxq_len;
	return n;
}

static void queue_release(struct hv_netback *nb, struct hv_netback_queue *q)
{
	if (q->tx_mapped)
		hv_gnttab_unmap(nb->dom0, q->tx_map.handle);
	if (q->rx_mapped)
		hv_gnttab_unmap(nb->dom0, q->rx_map.handle);
	q->tx_mapped = q->rx_mapped = false;
	if (q->rx_port && q->rx_port != q->tx_port)
		hv_evtchn_close_for(nb->dom0, q->rx_port);
	if (q->tx_port)
		hv_evtchn_close_for(nb->dom0, q->tx_port);
	q->tx_port = q->rx_port = 0;
	if (q->rxq)
		netback_rxq_clear(q);
}

static void disconnect(struct hv_xenbus_device *dev)
{
	struct hv_netback *nb = of(dev);

	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		queue_release(nb, &nb->queue[i]);
	nb->nr_queues = 0;
	nb->nr_mcast = 0;
	memset(&nb->req, 0, sizeof(nb->req));
	nb->connected = false;
	nb->broken = false;
}

/* What libxl and its vif-bridge hotplug script write in the backend's
 * directory: the script, the bridge, the device's type and the script's
 * word that it ran (the model has no script to run: the switch port is
 * there from the start). */
static int write_toolstack_nodes(struct hv_netback *nb)
{
	struct hv_xenbus_backend *xb = &nb->dev.xb;
	int rc;

	rc = hv_xenbus_backend_printf(xb, "script", "/etc/xen/scripts/vif-bridge");
	if (!rc)
		rc = hv_xenbus_backend_printf(xb, "bridge", "%s", nb->cfg.sw->name);
	if (!rc)
		rc = hv_xenbus_backend_printf(xb, "type", "vif");
	if (!rc)
		rc = hv_xenbus_backend_printf(xb, "hotplug-status", "connected");
	if (!rc)
		rc = hv_xenbus_frontend_write(xb, "trusted", "1");
	return rc;
}

/* The frontend's mtu, which libxl writes dom0's and read-only to the
 * guest, unlike the device's other frontend nodes. */
static int write_mtu(struct hv_netback *nb, const char *mtu)
{
	struct hv_xenbus_backend *xb = &nb->dev.xb;
	const struct hv_xs_perm dom0_owned[] = {
		{ 0, HV_XS_PERM_NONE }, { nb->guest->domid, HV_XS_PERM_READ } };
	char path[HV_XENBUS_PATH_MAX + 8];
	int rc = hv_xenbus_frontend_write(xb, "mtu", mtu);

	snprintf(path, sizeof(path), "%s/mtu", xb->fe_path);
	return rc ? rc : hv_xs_set_perms(xb->xs, path, dom0_owned, 2);
}

/* The features offered, under the names Linux's netback uses (which has
 * no feature-no-csum-offload of its own: the model writes it only when
 * told to refuse IPv4 checksum offload); mac, handle and mtu as libxl
 * writes them (mtu in the backend only when not 1500). */
static int probe(struct hv_xenbus_device *dev)
{
	struct hv_netback *nb = of(dev);
	const struct hv_netback_features *f = &nb->cfg.offer;
	const struct { const char *node; unsigned value; } keys[] = {
		{ "feature-rx-copy", 1 }, { "feature-rx-flip", 0 },
		{ "feature-sg", f->sg },
		{ "feature-gso-tcpv4", f->gso_tcpv4 },
		{ "feature-gso-tcpv6", f->gso_tcpv6 },
		{ "feature-ipv6-csum-offload", f->ipv6_csum },
		{ "feature-split-event-channels", f->split_evtchn },
		{ "feature-multicast-control", f->mcast_control },
		{ "multi-queue-max-queues", f->max_queues },
	};
	char mac[24], handle[12], mtu[12];
	int rc = write_toolstack_nodes(nb);

	mac_text(nb->cfg.mac, mac, sizeof(mac));
	snprintf(handle, sizeof(handle), "%u", nb->cfg.devid);
	snprintf(mtu, sizeof(mtu), "%u", f->mtu);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !rc; i++)
		rc = hv_xenbus_backend_printf(&dev->xb, keys[i].node, "%u",
					      keys[i].value);
	if (!rc && !f->csum)
		rc = hv_xenbus_backend_printf(&dev->xb,
					      "feature-no-csum-offload", "1");
	if (!rc)
		rc = hv_xenbus_backend_printf(&dev->xb, "mac", "%s", mac);
	if (!rc)
		rc = hv_xenbus_backend_printf(&dev->xb, "handle", "%s", handle);
	if (!rc && f->mtu != 1500)
		rc = hv_xenbus_backend_printf(&dev->xb, "mtu", "%s", mtu);
	/* libxl writes these in the frontend's directory too. */
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "mac", mac);
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "handle", handle);
	if (!rc)
		rc = write_mtu(nb, mtu);
	return rc;
}

static int refuse(struct hv_netback *nb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(struct hv_netback *nb, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xenbus_device_error(&nb->dev, -XEN_EINVAL, "netback: %s", why);
	return -XEN_EINVAL;
}

/* A frontend node that must be absent or 0..max: its value, dflt when
 * absent, -1 when malformed. */
static long optional_ulong(struct hv_netback *nb, const char *node,
			   unsigned long max, long dflt)
{
	unsigned long v;
	int rc = hv_xenbus_frontend_read_ulong(&nb->dev.xb, node, max, &v);

	if (rc == -XEN_ENOENT)
		return dflt;
	return rc ? -1 : (long)v;
}

static int map_ring(struct hv_netback *nb, const char *node,
		    struct hv_gnttab_mapping *map, bool *mapped)
{
	unsigned long ref;
	int16_t st;

	if (hv_xenbus_frontend_read_ulong(&nb->dev.xb, node, UINT32_MAX, &ref))
		return -XEN_EINVAL;
	st = hv_gnttab_map_ref(nb->dom0, nb->guest->domid, (grant_ref_t)ref,
			       false, map);
	if (st != GNTST_okay)
		return -XEN_EINVAL;
	*mapped = true;
	return 0;
}

static void on_kick(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	/* The rings are looked at on dom0's every turn. */
	(void)ctx;
	(void)d;
	(void)port;
}

/* dom0's end of the guest's port named by node; 0 or an errno. */
static int bind_port(struct hv_netback *nb, const char *node,
		     evtchn_port_t *out)
{
	unsigned long port;

	if (hv_xenbus_frontend_read_ulong(&nb->dev.xb, node, UINT32_MAX,
					  &port) || port == 0 ||
	    hv_evtchn_bind_interdomain_for(nb->dom0, nb->guest->domid,
					   (evtchn_port_t)port, out)) {
		*out = 0;
		return -XEN_EINVAL;
	}
	hv_evtchn_set_consumer(nb->dom0, *out, on_kick, nb);
	return 0;
}

/* Queue i's rings and channel(s), from dir ("" or "queue-N/"). */
static int connect_queue(struct hv_netback *nb, unsigned i, const char *dir)
{
	struct hv_netback_queue *q = &nb->queue[i];
	char node[48];
	long split;

	snprintf(node, sizeof(node), "%sevent-channel-tx", dir);
	split = optional_ulong(nb, node, UINT32_MAX, -2);
	if (split == -1)
		return refuse(nb, "malformed %s", node);
	if (split >= 0 && !nb->cfg.offer.split_evtchn)
		return refuse(nb, "%s: split event channels were not offered",
			      node);
	snprintf(node, sizeof(node), "%stx-ring-ref", dir);
	if (map_ring(nb, node, &q->tx_map, &q->tx_mapped))
		return refuse(nb, "missing, malformed or unmappable %s", node);
	snprintf(node, sizeof(node), "%srx-ring-ref", dir);
	if (map_ring(nb, node, &q->rx_map, &q->rx_mapped))
		return refuse(nb, "missing, malformed or unmappable %s", node);
	if (split >= 0) {
		snprintf(node, sizeof(node), "%sevent-channel-tx", dir);
		if (bind_port(nb, node, &q->tx_port))
			return refuse(nb, "unbindable %s", node);
		snprintf(node, sizeof(node), "%sevent-channel-rx", dir);
		if (bind_port(nb, node, &q->rx_port))
			return refuse(nb, "missing, malformed or unbindable %s "
				      "(event-channel-tx was given)", node);
		nb->req.split_evtchn = true;
	} else {
		snprintf(node, sizeof(node), "%sevent-channel", dir);
		if (bind_port(nb, node, &q->tx_port))
			return refuse(nb, "missing, malformed or unbindable %s",
				      node);
		q->rx_port = q->tx_port;
	}
	/* The frontend initialised the shared headers. */
	XEN_BACK_RING_INIT(&q->tx, (netif_tx_sring_t *)q->tx_map.page, PAGE);
	XEN_BACK_RING_INIT(&q->rx, (netif_rx_sring_t *)q->rx_map.page, PAGE);
	q->tx_packets = q->rx_packets = 0;
	return 0;
}

/* The frontend's feature-* flags: what it can receive. */
static int read_requests(struct hv_netback *nb)
{
	static const struct { const char *node; size_t off; } flags[] = {
		{ "feature-sg", offsetof(struct hv_netback_requested, rx_sg) },
		{ "feature-gso-tcpv4",
		  offsetof(struct hv_netback_requested, rx_gso_tcpv4) },
		{ "feature-gso-tcpv6",
		  offsetof(struct hv_netback_requested, rx_gso_tcpv6) },
		{ "feature-ipv6-csum-offload",
		  offsetof(struct hv_netback_requested, rx_ipv6_csum) },
		{ "feature-rx-notify",
		  offsetof(struct hv_netback_requested, rx_notify) },
		{ "request-multicast-control",
		  offsetof(struct hv_netback_requested, mcast_control) },
	};
	long v;

	memset(&nb->req, 0, sizeof(nb->req));
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if ((v = optional_ulong(nb, flags[i].node, 1, 0)) < 0)
			return refuse(nb, "malformed %s (0 or 1)",
				      flags[i].node);
		*(bool *)((char *)&nb->req + flags[i].off) = v == 1;
	}
	/* Absent means the frontend takes checksum offload (netif.h). */
	if ((v = optional_ulong(nb, "feature-no-csum-offload", 1, 0)) < 0)
		return refuse(nb, "malformed feature-no-csum-offload (0 or 1)");
	nb->req.rx_csum = v == 0;
	if (nb->req.mcast_control && !nb->cfg.offer.mcast_control)
		return refuse(nb, "request-multicast-control: multicast "
			      "control was not offered");
	v = optional_ulong(nb, "request-rx-copy", 1, 0);
	if (v != 1)
		return refuse(nb, "frontend does not request rx-copy "
			      "(request-rx-copy = 1 is required)");
	v = optional_ulong(nb, "multi-queue-num-queues", UINT32_MAX, 1);
	if (v < 1 || (unsigned long)v > nb->cfg.offer.max_queues)
		return refuse(nb, "multi-queue-num-queues %ld: 1 to the %u "
			      "offered", v, nb->cfg.offer.max_queues);
	nb->req.queues = (unsigned)v;
	return 0;
}

static int connect(struct hv_xenbus_device *dev)
{
	struct hv_netback *nb = of(dev);
	int rc;

	/* A failed attempt may have left some behind. */
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		queue_release(nb, &nb->queue[i]);
	rc = read_requests(nb);

	for (unsigned i = 0; !rc && i < nb->req.queues; i++) {
		char dir[24] = "";

		/* One queue keeps the keys at the top level (netif.h). */
		if (nb->req.queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		nb->queue[i].nb = nb;
		nb->queue[i].index = i;
		rc = connect_queue(nb, i, dir);
		nb->nr_queues = i + 1;
	}
	if (rc)
		return rc;
	nb->connected = true;
	nb->broken = false;
	return 0;
}

static const struct hv_xenbus_device_ops netback_ops = {
	.probe = probe,
	.connect = connect,
	.disconnect = disconnect,
	/* Linux's netback ignores Initialised: a frontend that waits there
	 * for the backend never connects. */
	.connect_on_connected = true,
};

static const char *check_offer(const struct hv_netback_features *f)
{
	if (f->max_queues < 1 || f->max_queues > HV_NETBACK_MAX_QUEUES)
		return "queues must be 1 to 8";
	if (f->mtu < HV_NETBACK_MTU_MIN || f->mtu > HV_NETBACK_MTU_MAX)
		return "mtu must be 68 to 1500";
	return NULL;
}

int hv_netback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_netback_config *cfg,
		      struct hv_netback **out, char *err, size_t errlen)
{
	const char *bad = check_offer(&cfg->offer);
	struct hv_netback *nb;
	int rc = -XEN_ENOMEM;

	*out = NULL;
	if (bad) {
		snprintf(err, errlen, "%s", bad);
		return -XEN_EINVAL;
	}
	nb = calloc(1, sizeof(*nb));
	if (!nb)
		goto nomem;
	/* Not zeroed: a queued frame is written whole before it is read
	 * (rx_slot_for), and most of the queue is never used. */
	for (unsigned i = 0; i < cfg->offer.max_queues; i++)
		if (!(nb->queue[i].rxq = malloc(HV_NETBACK_RXQ *
						sizeof(struct hv_netback_frame))))
			goto nomem;
	nb->machine = m;
	nb->dom0 = dom0;
	nb->guest = guest;
	nb->cfg = *cfg;
	nb->sw_port = -1;
	if (cfg->sw) {
		nb->sw_port = hv_netswitch_attach(cfg->sw, netback_enqueue, nb);
		if (nb->sw_port < 0) {
			snprintf(err, errlen, "bridge %s has no free port",
				 cfg->sw->name);
			rc = nb->sw_port;
			goto fail;
		}
		hv_netswitch_port_gso(cfg->sw, nb->sw_port,
				      netback_enqueue_gso);
	}
	rc = hv_xenbus_device_create(&nb->dev, xs, m, guest->domid,
				     HV_NETBACK_TYPE, cfg->devid, &netback_ops,
				     nb);
	if (rc) {
		snprintf(err, errlen, "cannot create vif %u in xenstore: %d",
			 cfg->devid, rc);
		goto fail;
	}
	*out = nb;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	if (nb) {
		if (nb->sw_port >= 0)
			hv_netswitch_detach(cfg->sw, nb->sw_port);
		for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
			free(nb->queue[i].rxq);
		free(nb);
	}
	return rc;
}

bool hv_netback_run(struct hv_netback *nb)
{
	bool did;

	if (!nb)
		return false;
	did = hv_xenbus_device_run(&nb->dev);
	for (unsigned i = 0; i < nb->nr_queues; i++) {
		if (!nb->connected || nb->broken)
			break;
		did |= netback_tx_run(&nb->queue[i]);
		if (!nb->broken)
			did |= netback_rx_run(&nb->queue[i]);
	}
	return did;
}

void hv_netback_destroy(struct hv_netback *nb)
{
	if (!nb)
		return;
	hv_xenbus_device_destroy(&nb->dev);
	if (nb->sw_port >= 0)
		hv_netswitch_detach(nb->cfg.sw, nb->sw_port);
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++) {
		if (nb->queue[i].rxq)
			netback_rxq_clear(&nb->queue[i]);
		free(nb->queue[i].rxq);
	}
	free(nb);
}
