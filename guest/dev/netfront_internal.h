/* SPDX-License-Identifier: BSD-2-Clause */
/* What the network frontend's handshake (netfront_xs.c) and data path
 * (netfront.c) share. */
#ifndef DEV_NETFRONT_INTERNAL_H
#define DEV_NETFRONT_INTERNAL_H

#include "dev/netfront.h"

/* The backend broke the protocol: log once, keep the reason. */
void netfront_mark_broken(struct netfront *nf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Put rx buffer id in q's next request slot; publish the slots put. */
void netfront_rx_post(struct netfront_queue *q, unsigned id);
void netfront_rx_publish(struct netfront_queue *q);

#endif
