/* SPDX-License-Identifier: BSD-2-Clause */
/* What the network backend's xenbus half (netback.c) and its data path
 * (netback_ring.c) share. */
#ifndef HV_NETBACK_INTERNAL_H
#define HV_NETBACK_INTERNAL_H

#include "hv/netback.h"

/* The frontend broke the protocol: log once, error node, Closing; the
 * rings are no longer looked at. */
void netback_broken(struct hv_netback *nb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Take the tx requests the frontend published; whether any. */
bool netback_tx_run(struct hv_netback *nb);
/* Move queued frames into the rx buffers the frontend posted; whether
 * any. */
bool netback_rx_run(struct hv_netback *nb);
/* The switch hands us a frame for the guest. */
bool netback_enqueue(void *ctx, const void *frame, size_t len);

#endif
