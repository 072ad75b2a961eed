/* SPDX-License-Identifier: BSD-2-Clause */
/* What the network frontend's handshake (netfront_xs.c) and data paths
 * (netfront.c for tx, netfront_rx.c for rx) share. */
#ifndef DEV_NETFRONT_INTERNAL_H
#define DEV_NETFRONT_INTERNAL_H

#include "dev/netfront.h"

/* The backend broke the protocol: log once, keep the reason. */
void netfront_mark_broken(struct netfront *nf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* 0 when the device can be used, else -XEN_ENOTCONN or -XEN_EIO. */
int netfront_usable(struct netfront *nf);
/* Publish requests up to new_prod (after a write barrier) and notify
 * port if the other end asked to be. */
void netfront_push(evtchn_port_t port, volatile RING_IDX *req_prod,
		   RING_IDX new_prod, volatile RING_IDX *req_event);
/* Put rx buffer id in q's next request slot; publish the slots put. */
void netfront_rx_post(struct netfront_queue *q, unsigned id);
void netfront_rx_publish(struct netfront_queue *q);
/* Take q's tx responses: buffers answered are free again. */
void netfront_tx_collect(struct netfront_queue *q);
/* From our xenbus device as probed: wait for the backend's InitWait,
 * read what it offers and our mac, share the rings and buffers, write
 * our keys, connect. 0 or a negative Xen errno. */
int netfront_handshake(struct netfront *nf);
/* Give back every queue's channels, grants and pages; not connected. */
void netfront_release(struct netfront *nf);

#endif
