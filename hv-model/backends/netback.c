/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's xenbus half: see hv/netback.h. The frontend's
 * nodes are parsed strictly; what it asks for that was not offered
 * (split event channels, several queues) or what it must ask for and did
 * not (request-rx-copy) closes the device with the reason in its error
 * node. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/evtchn.h"
#include "hv/machine.h"
#include "netback_internal.h"

#define PAGE 4096u

static struct hv_netback *of(struct hv_xenbus_device *dev)
{
	return dev->priv;
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

static void disconnect(struct hv_xenbus_device *dev)
{
	struct hv_netback *nb = of(dev);

	if (nb->tx_mapped)
		hv_gnttab_unmap(nb->dom0, nb->tx_map.handle);
	if (nb->rx_mapped)
		hv_gnttab_unmap(nb->dom0, nb->rx_map.handle);
	nb->tx_mapped = nb->rx_mapped = false;
	if (nb->port)
		hv_evtchn_close_for(nb->dom0, nb->port);
	nb->port = 0;
	nb->connected = false;
	nb->broken = false;
	nb->rxq_head = nb->rxq_len = 0;
}

/* The features offered, as Linux's netback names them. */
static int probe(struct hv_xenbus_device *dev)
{
	static const struct { const char *node; const char *value; } keys[] = {
		{ "feature-rx-copy", "1" }, { "feature-rx-flip", "0" },
		{ "feature-sg", "1" }, { "feature-gso-tcpv4", "0" },
		{ "feature-gso-tcpv6", "0" }, { "feature-no-csum-offload", "1" },
		{ "feature-ipv6-csum-offload", "0" },
		{ "feature-split-event-channels", "0" },
		{ "feature-multicast-control", "0" },
	};
	struct hv_netback *nb = of(dev);
	char mac[24], handle[12];
	int rc = 0;

	mac_text(nb->cfg.mac, mac, sizeof(mac));
	snprintf(handle, sizeof(handle), "%u", nb->cfg.devid);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !rc; i++)
		rc = hv_xenbus_backend_printf(&dev->xb, keys[i].node, "%s",
					      keys[i].value);
	if (!rc)
		rc = hv_xenbus_backend_printf(&dev->xb, "mac", "%s", mac);
	if (!rc)
		rc = hv_xenbus_backend_printf(&dev->xb, "handle", "%s", handle);
	/* libxl writes these in the frontend's directory too. */
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "mac", mac);
	if (!rc)
		rc = hv_xenbus_frontend_write(&dev->xb, "handle", handle);
	return rc;
}

static int refuse(struct hv_netback *nb, const char *why)
{
	hv_xenbus_device_error(&nb->dev, -XEN_EINVAL, "netback: %s", why);
	return -XEN_EINVAL;
}

/* A frontend node that must be absent or 0..max; -1 when absent. */
static long optional_ulong(struct hv_netback *nb, const char *node,
			   unsigned long max, bool *bad)
{
	unsigned long v;
	int rc = hv_xenbus_frontend_read_ulong(&nb->dev.xb, node, max, &v);

	if (rc == -XEN_ENOENT)
		return -1;
	if (rc)
		*bad = true;
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

static int connect(struct hv_xenbus_device *dev)
{
	struct hv_netback *nb = of(dev);
	bool bad = false;
	long copy = optional_ulong(nb, "request-rx-copy", 1, &bad);
	long queues = optional_ulong(nb, "multi-queue-num-queues", 64, &bad);
	long split = optional_ulong(nb, "event-channel-tx", UINT32_MAX, &bad);
	unsigned long port;

	if (bad)
		return refuse(nb, "malformed request-rx-copy, "
			      "multi-queue-num-queues or event-channel-tx");
	if (copy != 1)
		return refuse(nb, "frontend does not request rx-copy "
			      "(request-rx-copy = 1 is required)");
	if (queues > 1)
		return refuse(nb, "multi-queue-num-queues above the 1 offered");
	if (split >= 0)
		return refuse(nb, "split event channels were not offered");
	if (map_ring(nb, "tx-ring-ref", &nb->tx_map, &nb->tx_mapped) ||
	    map_ring(nb, "rx-ring-ref", &nb->rx_map, &nb->rx_mapped))
		return refuse(nb, "missing, malformed or unmappable "
			      "tx-ring-ref or rx-ring-ref");
	if (hv_xenbus_frontend_read_ulong(&dev->xb, "event-channel",
					  UINT32_MAX, &port) || port == 0 ||
	    hv_evtchn_bind_interdomain_for(nb->dom0, nb->guest->domid,
					   (evtchn_port_t)port, &nb->port)) {
		nb->port = 0;
		return refuse(nb, "missing, malformed or unbindable "
			      "event-channel");
	}
	hv_evtchn_set_consumer(nb->dom0, nb->port, on_kick, nb);
	/* The frontend initialised the shared headers. */
	XEN_BACK_RING_INIT(&nb->tx, (netif_tx_sring_t *)nb->tx_map.page, PAGE);
	XEN_BACK_RING_INIT(&nb->rx, (netif_rx_sring_t *)nb->rx_map.page, PAGE);
	nb->connected = true;
	nb->broken = false;
	return 0;
}

static const struct hv_xenbus_device_ops netback_ops = {
	.probe = probe,
	.connect = connect,
	.disconnect = disconnect,
};

int hv_netback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_netback_config *cfg,
		      struct hv_netback **out, char *err, size_t errlen)
{
	struct hv_netback *nb = calloc(1, sizeof(*nb));
	int rc;

	*out = NULL;
	if (nb)
		nb->rxq = calloc(HV_NETBACK_RXQ, sizeof(*nb->rxq));
	if (!nb || !nb->rxq) {
		if (nb)
			free(nb);
		snprintf(err, errlen, "out of memory");
		return -XEN_ENOMEM;
	}
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
fail:
	if (nb->sw_port >= 0)
		hv_netswitch_detach(cfg->sw, nb->sw_port);
	free(nb->rxq);
	free(nb);
	return rc;
}

bool hv_netback_run(struct hv_netback *nb)
{
	bool did;

	if (!nb)
		return false;
	did = hv_xenbus_device_run(&nb->dev);
	if (!nb->connected || nb->broken)
		return did;
	did |= netback_tx_run(nb);
	if (!nb->broken)
		did |= netback_rx_run(nb);
	return did;
}

void hv_netback_destroy(struct hv_netback *nb)
{
	if (!nb)
		return;
	hv_xenbus_device_destroy(&nb->dev);
	if (nb->sw_port >= 0)
		hv_netswitch_detach(nb->cfg.sw, nb->sw_port);
	free(nb->rxq);
	free(nb);
}
