/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV network frontend (device/vif/N): one or more queues (a tx and
 * an rx ring of one page each, one event channel or a tx and an rx
 * channel), rx-copy (the backend copies into buffers we post). Frames go
 * out in one slot, or with sg in several (up to 65535 bytes with a GSO
 * extra). Frames come in whole in one slot, up to 1514 bytes; when we
 * ask for rx sg, over a chain of slots, and when we also ask for rx GSO
 * (and take blank checksums), as one TCP packet of up to 65535 bytes
 * with a GSO extra after its first slot. What the caller wants (struct
 * netfront_features) meets what the backend offers; the result is in
 * nf->nego. The caller owns the struct; the device keeps no globals.
 *
 * Nothing the backend writes is trusted. Each response is copied once
 * out of the ring and checked in the copy: the producer index may not
 * pass the requests made nor go backwards; a tx response's id must be in
 * range and pending, its status a known one, a NULL status only for an
 * extra-info slot we sent. An rx data response must answer the request
 * in its slot (same id) and stay within its page (offset + status <=
 * 4096); a frame's first slot may carry only the flags we asked for
 * (more data: rx sg; extra info: rx GSO; a blank checksum: rx csum),
 * later slots only more data; a chain is at most NETFRONT_RX_SLOTS_MAX
 * data slots and ends within the responses published; its extra info is
 * one GSO extra of a type we asked for and a size above 0; the frame is
 * at most mtu + 14 bytes, a GSO frame at most 65535. A bad response marks
 * the device broken, once, with the reason logged and kept in `why`:
 * every later call answers -XEN_EIO. A response with an error status
 * drops its frame (counted in rx_errors). */
#ifndef DEV_NETFRONT_H
#define DEV_NETFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#include "gxen/xenbus.h"

#define NETFRONT_ALEN       6
#define NETFRONT_FRAME_MAX  1514
#define NETFRONT_TX_BUFS    16    /* per queue */
#define NETFRONT_RX_BUFS    32    /* per queue: a whole GSO frame */
#define NETFRONT_RX_MAX     XEN_NETIF_MAX_TX_SIZE /* a GSO frame, at most */
#define NETFRONT_RX_SLOTS_MAX XEN_NETIF_NR_SLOTS_MIN /* data slots a frame */
#define NETFRONT_MAX_QUEUES 4

/* What the frontend uses when the backend offers it. */
struct netfront_features {
	unsigned queues;        /* multi-queue-num-queues, 1..MAX_QUEUES */
	bool split_evtchn;      /* event-channel-tx/-rx */
	bool sg;                /* send a frame over several slots */
	bool gso_tcpv4, gso_tcpv6; /* send TCP with a GSO extra */
	bool csum;              /* send IPv4 TCP/UDP with the csum blank */
	bool ipv6_csum;         /* the same over IPv6 */
	bool mcast_control;     /* request-multicast-control */
	bool rx_notify;         /* feature-rx-notify */
	/* What we take on rx (written for the backend, not offered by it). */
	bool rx_sg;             /* frames over several slots: feature-sg */
	bool rx_gso_tcpv4, rx_gso_tcpv6; /* GSO frames (need rx_sg, rx_csum) */
	bool rx_csum;           /* blank checksums: feature-no-csum-offload 0 */
};

/* Everything on, one queue (the guest has one vCPU, as Linux picks). */
void netfront_features_default(struct netfront_features *f);

struct netfront_buf {
	void *page;
	grant_ref_t ref;
	bool granted;
	bool pending;                /* posted, not yet answered */
};

struct netfront_stats {
	uint64_t tx_packets, tx_errors;    /* answered OKAY / ERROR, DROPPED */
	uint64_t rx_packets, rx_errors;    /* frames / error responses */
	uint64_t rx_gso, rx_multi_slot;    /* frames with a GSO extra / chains */
	/* Lost to a resume in a new domain: tx requests the old backend
	 * never answered, rx responses it left unread on the old ring. */
	uint64_t tx_dropped, rx_dropped;
};

/* What the last netfront_resume met on the old rings. */
struct netfront_resumed {
	unsigned tx_answered;   /* answers taken from the old tx ring */
	unsigned tx_dropped;    /* requests never answered: dropped */
	unsigned rx_dropped;    /* responses not yet read: dropped */
};

/* What came with a received frame. */
struct netfront_rx_info {
	uint8_t gso_type;       /* XEN_NETIF_GSO_TYPE_*, NONE without GSO */
	uint16_t gso_size;      /* its MSS */
	bool csum_blank;        /* the TCP/UDP checksum was not filled */
	bool data_validated;    /* the backend vouches for the data */
	unsigned slots;         /* ring slots it took, extra info included */
};

struct netfront;

struct netfront_queue {
	struct netfront *nf;
	unsigned index;
	void *tx_page, *rx_page;     /* the shared rings */
	grant_ref_t tx_ring_ref, rx_ring_ref;
	bool tx_granted, rx_granted;
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	evtchn_port_t tx_port, rx_port;   /* the same unless split */
	struct netfront_buf txb[NETFRONT_TX_BUFS];
	struct netfront_buf rxb[NETFRONT_RX_BUFS];
	uint16_t rx_id_at[NETFRONT_RX_BUFS]; /* id posted per ring slot */
	unsigned nulls_due;          /* extra-info slots sent, unanswered */
	unsigned tx_pending;         /* txb[] pending: idle is one test */
	uint64_t tx_packets, rx_packets;
};

struct netfront {
	struct xenbus_device xb;
	uint8_t mac[NETFRONT_ALEN];
	unsigned mtu;                /* from our directory, at most 1500 */
	size_t rx_max;               /* the largest frame recv may give */
	bool connected;
	bool broken;
	char why[160];               /* why it is broken */
	struct netfront_features want, nego;
	unsigned nr_queues;
	bool backend_mq;             /* it wrote multi-queue-max-queues */
	unsigned rx_next;            /* the queue recv looks at first */
	struct netfront_queue q[NETFRONT_MAX_QUEUES];
	struct netfront_stats stats;
	unsigned resumes;            /* reconnected in a new domain */
	struct netfront_resumed last_resume;
};

/* How a frame is to be sent. */
struct netfront_tx_offload {
	bool csum_blank;        /* TCP/UDP checksum left for the backend */
	uint8_t gso_type;       /* XEN_NETIF_GSO_TYPE_*, NONE for no GSO */
	uint16_t gso_size;      /* the MSS */
};

/* Call found(nodename, arg) for each device/vif/<N>; how many, or a
 * negative Xen errno. */
int netfront_enumerate(void (*found)(const char *nodename, void *arg),
		       void *arg);
/* Connect to nodename ("device/vif/0") with the default features: 0, or a
 * negative Xen errno after logging why (-XEN_ENODEV: the backend lacks
 * feature-rx-copy). */
int netfront_connect(struct netfront *nf, const char *nodename);
/* The same, using only what want allows. */
int netfront_connect_with(struct netfront *nf, const char *nodename,
			  const struct netfront_features *want);
/* Queue one frame (14..mtu + 14 bytes) for the backend: 0, -XEN_EAGAIN
 * when the tx buffers are in flight, -XEN_EINVAL for a bad length, -XEN_EIO
 * once broken, -XEN_ENOTCONN when not connected. */
int netfront_send(struct netfront *nf, const void *frame, size_t len);
/* The same with offloads: -XEN_EOPNOTSUPP when one was not negotiated
 * (a GSO frame may then be up to 65535 bytes). */
int netfront_send_offload(struct netfront *nf, const void *frame, size_t len,
			  const struct netfront_tx_offload *off);
/* Ask the backend to pass (add) or stop passing (del) frames for the
 * multicast group addr: 0, -XEN_EOPNOTSUPP without multicast control,
 * -XEN_EINVAL for a unicast address, or as netfront_send. */
int netfront_mcast_add(struct netfront *nf, const uint8_t *addr);
int netfront_mcast_del(struct netfront *nf, const uint8_t *addr);
/* Take one received frame into buf (cap >= nf->rx_max: NETFRONT_FRAME_MAX,
 * or NETFRONT_RX_MAX with rx GSO): its length, 0 when none waits, or as
 * netfront_send (-XEN_EINVAL for a smaller cap). */
long netfront_recv(struct netfront *nf, void *buf, size_t cap);
/* The same, with what came with the frame in *info. */
long netfront_recv_info(struct netfront *nf, void *buf, size_t cap,
			struct netfront_rx_info *info);
/* Whether a response waits on an rx ring (or the device cannot be
 * used): what a wait for input looks at. */
bool netfront_rx_pending(struct netfront *nf);
/* Collect tx completions; whether every tx buffer is free again. */
bool netfront_tx_idle(struct netfront *nf);
/* After the domain was resumed in a new one (kern_suspend returned 0):
 * the old backend's tx answers still on the old rings are taken (each
 * request answered counts as sent); requests it never answered and rx
 * responses not yet read are dropped and counted (stats.tx_dropped,
 * rx_dropped), as a NIC loses packets; nothing of the old domain is
 * closed (its ports and grants are gone with it). The backend is read
 * afresh and the device connects again (Initialising, then Connected)
 * with the features wanted before, the mac the toolstack wrote (a
 * change is logged) and fresh rx buffers. 0; a negative Xen errno when
 * it cannot reconnect (the device is then broken). A device not
 * connected, or broken, is left as it is. */
int netfront_resume(struct netfront *nf);
/* Close the handshake and give back rings, buffers, grants, channels. */
int netfront_disconnect(struct netfront *nf);

#endif
