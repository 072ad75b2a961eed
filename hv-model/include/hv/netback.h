/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's network backend (vif): one xenbus device of type "vif" per
 * network interface, its frames switched by a struct hv_netswitch. It
 * offers feature-rx-copy (required: the frontend must write
 * request-rx-copy = 1) and feature-sg, one queue, one event channel, no
 * GSO, no checksum offload (feature-no-csum-offload = 1), no multicast
 * control. Everything the frontend writes, in xenstore and on its rings,
 * is read once into a local copy and checked before use:
 *   - a tx packet spans at most XEN_NETIF_NR_SLOTS_MIN slots, its slots'
 *     sizes add up to the size the first slot gives, no fragment after
 *     the first is empty, each lies within its page, the whole is at most
 *     HV_ETH_FRAME_MAX and at least an Ethernet header (headers split
 *     over slots are joined before anything looks at them); an extra-info
 *     slot, never offered, is refused; a bad packet gets NETIF_RSP_ERROR
 *     on each of its slots and counts as a tx error;
 *   - a producer index that would overrun the ring marks the device
 *     broken (logged once, error node, Closing);
 *   - frames for the guest wait in a bounded queue (HV_NETBACK_RXQ): a
 *     frontend that posts no rx buffers makes the backend drop and count,
 *     never hoard.
 * Grants are only ever copied through (GNTTABOP_copy's checks), never
 * mapped, except the two ring pages. */
#ifndef HV_NETBACK_H
#define HV_NETBACK_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/io/netif.h>

#include "hv/gnttab.h"
#include "hv/netswitch.h"
#include "hv/xenbus_backend.h"

#define HV_NETBACK_TYPE "vif"
#define HV_NETBACK_RXQ  64        /* frames queued for the guest, at most */

struct hv_domain;
struct hv_machine;
struct hv_xs;

struct hv_netback_config {
	unsigned devid;               /* device/vif/N */
	uint8_t mac[HV_ETH_ALEN];     /* the guest's address (xl's mac=) */
	struct hv_netswitch *sw;      /* the bridge it joins */
};

struct hv_netback_stats {
	uint64_t tx_packets, tx_bytes, tx_errors;  /* guest -> switch */
	uint64_t rx_packets, rx_bytes;             /* switch -> guest */
	uint64_t rx_dropped;          /* the queue was full */
	uint64_t rx_errors;           /* a buffer the copy refused */
};

struct hv_netback_frame {
	uint16_t len;
	uint8_t data[HV_ETH_FRAME_MAX];
};

struct hv_netback {
	struct hv_xenbus_device dev;
	struct hv_machine *machine;
	struct hv_domain *dom0, *guest;
	struct hv_netback_config cfg;
	int sw_port;                  /* our port on cfg.sw, -1 none */
	/* Connected: the rings, mapped, and dom0's end of the channel. */
	bool connected;
	bool broken;
	struct hv_gnttab_mapping tx_map, rx_map;
	bool tx_mapped, rx_mapped;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	evtchn_port_t port;
	/* Frames from the switch waiting for rx buffers: a ring of
	 * HV_NETBACK_RXQ. */
	struct hv_netback_frame *rxq;
	unsigned rxq_head, rxq_len;
	uint8_t pkt[HV_ETH_FRAME_MAX];   /* a tx packet being assembled */
	struct hv_netback_stats stats;
};

/* The device for guest: its directories (the frontend's mac and handle as
 * libxl writes them), the features offered, a port on cfg->sw. 0 or a
 * negative Xen errno; err says why. */
int hv_netback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_netback_config *cfg,
		      struct hv_netback **out, char *err, size_t errlen);
/* dom0's turn: the state machine, then both rings. Whether anything was
 * done. */
bool hv_netback_run(struct hv_netback *nb);
void hv_netback_destroy(struct hv_netback *nb);

/* Parse "aa:bb:cc:dd:ee:ff"; 0 or -1. */
int hv_netback_parse_mac(const char *s, uint8_t mac[HV_ETH_ALEN]);

#endif
