/* SPDX-License-Identifier: BSD-2-Clause */
/* What the network backend's xenbus half (netback.c), its data path
 * (netback_ring.c) and its offloads (netback_offload.c) share. */
#ifndef HV_NETBACK_INTERNAL_H
#define HV_NETBACK_INTERNAL_H

#include "hv/netback.h"

/* The frontend broke the protocol: log once, error node, Closing; the
 * rings are no longer looked at. */
void netback_broken(struct hv_netback *nb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Take the tx requests the frontend published on q; whether any. */
bool netback_tx_run(struct hv_netback_queue *q);
/* Move q's queued frames into the rx buffers posted; whether any. */
bool netback_rx_run(struct hv_netback_queue *q);
/* The switch hands us a frame for the guest, or offers a GSO packet. */
bool netback_enqueue(void *ctx, const void *frame, size_t len);
enum hv_netswitch_take netback_enqueue_gso(void *ctx, const void *pkt,
					   size_t len,
					   const struct hv_net_gso *gso);
/* Drop every frame queued on q. */
void netback_rxq_clear(struct hv_netback_queue *q);

/* A checked tx packet in nb->pkt on its way to the switch: checksum
 * filled (csum_blank) or segmented (gso non-NULL, already checked for
 * size and a type offered). NULL when sent, else why it was refused. */
const char *netback_tx_offload(struct hv_netback *nb, size_t len,
			       bool csum_blank,
			       const struct netif_extra_info *gso);

#endif
