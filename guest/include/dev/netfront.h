/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV network frontend (device/vif/N): a tx and an rx ring of one page
 * each, one event channel, rx-copy (the backend copies into buffers we
 * post), single-slot packets up to a 1514-byte frame, checksums computed
 * by the guest. The caller owns the struct; the device keeps no globals.
 *
 * Nothing the backend writes is trusted. Each response is copied once out
 * of the ring and checked in the copy: the producer index may not pass
 * the requests made nor go backwards; a tx response's id must be in range
 * and pending, its status a known one; an rx response must answer the
 * request in its slot (same id), stay within its page (offset + status
 * <= 4096) and carry no flags we did not negotiate (extra info, more
 * data). A bad response marks the device broken, once, with the reason
 * logged and kept in `why`: every later call answers -XEN_EIO. */
#ifndef DEV_NETFRONT_H
#define DEV_NETFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#include "gxen/xenbus.h"

#define NETFRONT_ALEN      6
#define NETFRONT_FRAME_MAX 1514
#define NETFRONT_TX_BUFS   16
#define NETFRONT_RX_BUFS   16

struct netfront_buf {
	void *page;
	grant_ref_t ref;
	bool granted;
	bool pending;                /* posted, not yet answered */
};

struct netfront_stats {
	uint64_t tx_packets, tx_errors;    /* answered OKAY / ERROR, DROPPED */
	uint64_t rx_packets, rx_errors;    /* frames / error responses */
};

struct netfront {
	struct xenbus_device xb;
	uint8_t mac[NETFRONT_ALEN];
	bool connected;
	bool broken;
	char why[96];                /* why it is broken */
	void *tx_page, *rx_page;     /* the shared rings */
	grant_ref_t tx_ring_ref, rx_ring_ref;
	bool tx_granted, rx_granted;
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	evtchn_port_t port;
	struct netfront_buf txb[NETFRONT_TX_BUFS];
	struct netfront_buf rxb[NETFRONT_RX_BUFS];
	uint16_t rx_id_at[NETFRONT_RX_BUFS]; /* id posted per ring slot */
	struct netfront_stats stats;
};

/* Call found(nodename, arg) for each device/vif/<N>; how many, or a
 * negative Xen errno. */
int netfront_enumerate(void (*found)(const char *nodename, void *arg),
		       void *arg);
/* Connect to nodename ("device/vif/0"): 0, or a negative Xen errno after
 * logging why (-XEN_ENODEV: the backend lacks feature-rx-copy). */
int netfront_connect(struct netfront *nf, const char *nodename);
/* Queue one frame (14..NETFRONT_FRAME_MAX bytes) for the backend: 0,
 * -XEN_EAGAIN when every tx buffer is in flight, -XEN_EINVAL for a bad
 * length, -XEN_EIO once broken, -XEN_ENOTCONN when not connected. */
int netfront_send(struct netfront *nf, const void *frame, size_t len);
/* Take one received frame into buf (cap >= NETFRONT_FRAME_MAX): its
 * length, 0 when none waits, or as netfront_send. */
long netfront_recv(struct netfront *nf, void *buf, size_t cap);
/* Whether a response waits on the rx ring (or the device cannot be
 * used): what a wait for input looks at. */
bool netfront_rx_pending(struct netfront *nf);
/* Collect tx completions; whether every tx buffer is free again. */
bool netfront_tx_idle(struct netfront *nf);
/* Close the handshake and give back rings, buffers, grants and channel. */
int netfront_disconnect(struct netfront *nf);

#endif
