/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's network backend (vif): one xenbus device of type "vif" per
 * network interface, its frames switched by a struct hv_netswitch. It
 * always offers feature-rx-copy (required: the frontend must write
 * request-rx-copy = 1); what else it offers is the config's
 * struct hv_netback_features (xl's vif spec: queues=, split-evtchn=,
 * sg=, gso=, csum=, ipv6-csum=, mcast=, mtu=). A frontend asking for what
 * was not offered is refused with the reason in the error node.
 * Everything the frontend writes, in xenstore and on its rings, is read
 * once into a local copy and checked before use:
 *   - a tx packet spans at most XEN_NETIF_NR_SLOTS_MIN data slots plus one
 *     extra-info slot per type; its slots' sizes add up to the size the
 *     first slot gives, no fragment after the first is empty, each lies
 *     within its page; headers split over slots are joined before
 *     anything looks at them; more than one data slot needs sg offered;
 *   - extra info: an unknown type, a GSO of size 0 or of a type not
 *     offered, a multicast request from a frontend that did not request
 *     multicast control, a type repeated: the packet is refused;
 *   - a packet is at least an Ethernet header and at most mtu + 14
 *     bytes, unless it carries a GSO extra (then up to 65535 bytes,
 *     TCP over IPv4 or IPv6, its MSS clamped to the MTU): it goes to the
 *     switch whole, which hands it on whole to a backend whose frontend
 *     takes GSO and cuts it into mtu-sized segments for everyone else;
 *     NETTXF_csum_blank needs checksum offload offered (IPv6: ipv6-csum)
 *     and a TCP or UDP packet: the backend fills the checksum;
 *   - a refused packet gets NETIF_RSP_ERROR on its data slots
 *     (NETIF_RSP_NULL on extra-info slots), is logged and counted;
 *   - a producer index that would overrun the ring, or a packet of more
 *     slots than the protocol allows, marks the device broken (logged
 *     once, error node, Closing);
 *   - frames for the guest wait in a bounded queue per queue
 *     (HV_NETBACK_RXQ, of which HV_NETBACK_RXQ_GSO GSO packets): a
 *     frontend that posts no rx buffers makes the backend drop and count,
 *     never hoard;
 *   - to a frontend that wrote feature-sg and feature-gso-tcpv4 (or
 *     -tcpv6) and takes blank checksums, a GSO packet is delivered as
 *     Linux's netback does: over as many rx slots as it fills (4096
 *     bytes each), its first slot flagged NETRXF_more_data,
 *     NETRXF_extra_info, NETRXF_csum_blank and NETRXF_data_validated, a
 *     GSO extra (type, MSS) in the next slot; it waits until enough rx
 *     buffers are posted for the whole packet. Any other frontend gets
 *     its segments, one slot each.
 * Grants are only ever copied through (GNTTABOP_copy's checks), never
 * mapped, except the ring pages. */
#ifndef HV_NETBACK_H
#define HV_NETBACK_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/io/netif.h>

#include "hv/gnttab.h"
#include "hv/netswitch.h"
#include "hv/xenbus_backend.h"

#define HV_NETBACK_TYPE       "vif"
#define HV_NETBACK_RXQ        64   /* frames queued per queue, at most */
#define HV_NETBACK_RXQ_GSO    8    /* of which GSO packets, at most */
#define HV_NETBACK_MAX_QUEUES 8    /* multi-queue-max-queues, at most */
#define HV_NETBACK_DEFAULT_QUEUES 4
#define HV_NETBACK_MCAST_MAX  64   /* multicast addresses a guest may add */
#define HV_NETBACK_MTU_MIN    68
#define HV_NETBACK_MTU_MAX    (HV_ETH_FRAME_MAX - HV_ETH_HLEN)

struct hv_domain;
struct hv_machine;
struct hv_xs;

/* What the backend offers beyond rx-copy (each a xenstore key). */
struct hv_netback_features {
	bool sg;                      /* feature-sg */
	bool gso_tcpv4, gso_tcpv6;    /* feature-gso-tcpv4, -tcpv6 */
	bool csum;                    /* feature-no-csum-offload = !csum */
	bool ipv6_csum;               /* feature-ipv6-csum-offload */
	bool split_evtchn;            /* feature-split-event-channels */
	bool mcast_control;           /* feature-multicast-control */
	unsigned max_queues;          /* multi-queue-max-queues, 1.. */
	unsigned mtu;                 /* the guest's MTU (mtu node) */
};

/* What Linux's netback offers (every feature), HV_NETBACK_DEFAULT_QUEUES
 * queues, MTU 1500. */
void hv_netback_features_default(struct hv_netback_features *f);

struct hv_netback_config {
	unsigned devid;               /* device/vif/N */
	uint8_t mac[HV_ETH_ALEN];     /* the guest's address (xl's mac=) */
	struct hv_netswitch *sw;      /* the bridge it joins */
	struct hv_netback_features offer;
};

/* What the frontend asked for, once connected. */
struct hv_netback_requested {
	unsigned queues;              /* multi-queue-num-queues (or 1) */
	bool split_evtchn;            /* event-channel-tx/-rx written */
	bool rx_sg, rx_gso_tcpv4, rx_gso_tcpv6; /* what it can receive */
	bool rx_csum, rx_ipv6_csum;
	bool rx_notify;               /* feature-rx-notify */
	bool mcast_control;           /* request-multicast-control */
};

struct hv_netback_stats {
	uint64_t tx_packets, tx_bytes, tx_errors;  /* guest -> switch */
	uint64_t tx_gso;              /* packets segmented from a GSO extra */
	uint64_t tx_segments;         /* segments those make at their MSS */
	uint64_t tx_csum_filled;      /* checksums filled for csum_blank */
	uint64_t tx_bad_extra;        /* packets refused for their extras */
	uint64_t mcast_adds, mcast_dels;
	uint64_t rx_packets, rx_bytes;             /* switch -> guest */
	uint64_t rx_gso;              /* of those, GSO packets whole */
	uint64_t rx_dropped;          /* a queue was full */
	uint64_t rx_filtered;         /* multicast the guest did not add */
	uint64_t rx_errors;           /* a buffer the copy refused */
};

/* A frame or a GSO packet waiting for the guest's rx buffers. */
struct hv_netback_frame {
	uint16_t len;
	struct hv_net_gso gso;        /* type XEN_NETIF_GSO_TYPE_NONE: a frame */
	uint8_t *big;                 /* a GSO packet's bytes (allocated) */
	uint8_t data[HV_ETH_FRAME_MAX];   /* a frame's */
};

struct hv_netback;

/* One queue: its two rings, mapped, dom0's end of its channel(s) (tx and
 * rx the same port unless split) and the frames waiting for it. */
struct hv_netback_queue {
	struct hv_netback *nb;
	unsigned index;
	struct hv_gnttab_mapping tx_map, rx_map;
	bool tx_mapped, rx_mapped;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	evtchn_port_t tx_port, rx_port;
	struct hv_netback_frame *rxq; /* a ring of HV_NETBACK_RXQ */
	unsigned rxq_head, rxq_len;
	unsigned rxq_gso;             /* GSO packets among them */
	uint64_t tx_packets, rx_packets;
};

struct hv_netback {
	struct hv_xenbus_device dev;
	struct hv_machine *machine;
	struct hv_domain *dom0, *guest;
	struct hv_netback_config cfg;
	int sw_port;                  /* our port on cfg.sw, -1 none */
	bool connected;
	bool broken;
	struct hv_netback_requested req;
	unsigned nr_queues;           /* connected queues */
	struct hv_netback_queue queue[HV_NETBACK_MAX_QUEUES];
	/* Multicast addresses the guest added (request-multicast-control). */
	uint8_t mcast[HV_NETBACK_MCAST_MAX][HV_ETH_ALEN];
	unsigned nr_mcast;
	uint8_t pkt[XEN_NETIF_MAX_TX_SIZE];   /* a tx packet being assembled */
	uint8_t seg[HV_ETH_FRAME_MAX];        /* one segment of a GSO packet */
	struct hv_netback_stats stats;
};

/* The device for guest: its directories (the frontend's mac, handle and
 * mtu as libxl writes them), the features offered, a port on cfg->sw.
 * 0 or a negative Xen errno; err says why. */
int hv_netback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_netback_config *cfg,
		      struct hv_netback **out, char *err, size_t errlen);
/* dom0's turn: the state machine, then every queue's rings. Whether
 * anything was done. */
bool hv_netback_run(struct hv_netback *nb);
void hv_netback_destroy(struct hv_netback *nb);
/* Frames waiting for the guest, over every queue. */
unsigned hv_netback_rx_queued(const struct hv_netback *nb);

/* For a process that runs case after case on one connected backend (a
 * fuzzer): a copy of the backend as it is now (its device state, queues,
 * offers and counts; NULL while a frame waits for the guest), and the
 * backend put back to it, the frames queued since dropped. Neither takes
 * the machine, the store, the switch or guest memory: the caller puts
 * those back too (hv/state.h, hv_xs_snapshot), to the same moment. */
struct hv_netback_mark;
struct hv_netback_mark *hv_netback_mark(const struct hv_netback *nb);
void hv_netback_rewind(struct hv_netback *nb,
		       const struct hv_netback_mark *mark);
void hv_netback_mark_free(struct hv_netback_mark *mark);
/* Whether two marks hold the same backend, as far as a rewind puts it
 * back (not the live one's queues' memory and store connection). For
 * tests. */
bool hv_netback_mark_same(const struct hv_netback_mark *a,
			  const struct hv_netback_mark *b);
/* Several connected backends of one device, the machine put back under
 * each in turn: as hv_blkback_sleep, hv_blkback_wake and
 * hv_blkback_forget (hv/blkback.h). Forget detaches no switch port: the
 * caller puts the switch back too. */
void hv_netback_sleep(struct hv_netback *nb);
int hv_netback_wake(struct hv_netback *nb);
void hv_netback_forget(struct hv_netback *nb);

/* Parse "aa:bb:cc:dd:ee:ff"; 0 or -1. */
int hv_netback_parse_mac(const char *s, uint8_t mac[HV_ETH_ALEN]);

#endif
