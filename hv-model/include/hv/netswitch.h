/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's virtual switch (a bridge like xensim0): ports that backends and
 * the host attach to, a table of the source MAC addresses it has seen on
 * each port, unicast frames to the port that owns their destination and
 * everything else flooded to every other port, with per-port counters.
 * A GSO packet (a TCP packet larger than a frame, as Linux's bridge
 * carries one) goes whole to a port that takes it so and as the segments
 * hv/netgso.h cuts to every other port and to the tap. A frame is
 * whatever a guest sent: only its length is trusted after it was checked
 * here. */
#ifndef HV_NETSWITCH_H
#define HV_NETSWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/netgso.h"

#define HV_ETH_ALEN        6
#define HV_ETH_HLEN        14
/* The largest frame switched: a 1500-byte MTU plus the Ethernet header. */
#define HV_ETH_FRAME_MAX   1514
#define HV_NETSWITCH_PORTS 16
#define HV_NETSWITCH_MACS  64

/* Hand a frame to the port's owner; false when it dropped it (a full
 * queue), counted against the port. */
typedef bool hv_netswitch_deliver_fn(void *ctx, const void *frame, size_t len);

/* What a port's owner did with a GSO packet offered whole. */
enum hv_netswitch_take {
	HV_NETSWITCH_TAKEN,      /* queued whole */
	HV_NETSWITCH_DROPPED,    /* refused (a full queue), counted */
	HV_NETSWITCH_CUT,        /* not whole: give it the segments */
};
typedef enum hv_netswitch_take hv_netswitch_deliver_gso_fn(
	void *ctx, const void *pkt, size_t len, const struct hv_net_gso *gso);

struct hv_netswitch_stats {
	uint64_t in_frames, in_bytes;      /* the port sent into the switch */
	uint64_t out_frames, out_bytes;    /* the switch gave the port */
	uint64_t out_dropped;              /* the port's owner refused */
	uint64_t in_errors;                /* runts and oversized frames */
};

struct hv_netswitch_port {
	bool used;
	hv_netswitch_deliver_fn *deliver;
	hv_netswitch_deliver_gso_fn *deliver_gso;   /* NULL: segments only */
	void *ctx;
	struct hv_netswitch_stats stats;
	/* Every frame the port sent in or was given, for a capture of it
	 * (NULL: none). */
	void (*tap)(void *ctx, const void *frame, size_t len);
	void *tap_ctx;
};

struct hv_netswitch {
	char name[16];
	struct hv_netswitch_port port[HV_NETSWITCH_PORTS];
	struct {
		uint8_t mac[HV_ETH_ALEN];
		int port;                  /* -1: free */
		uint64_t last_used;        /* for replacing the oldest */
	} fdb[HV_NETSWITCH_MACS];
	uint64_t clock;                    /* frames switched: the fdb's age */
	uint8_t seg[HV_ETH_FRAME_MAX];     /* a GSO packet's segment */
	/* Every frame that entered, for a capture (NULL: none). */
	void (*tap)(void *ctx, int port, const void *frame, size_t len);
	void *tap_ctx;
};

void hv_netswitch_init(struct hv_netswitch *sw, const char *name);
/* A new port; its number, or -XEN_ENOSPC when all are taken. */
int hv_netswitch_attach(struct hv_netswitch *sw, hv_netswitch_deliver_fn *fn,
			void *ctx);
/* The port goes, and every address learnt on it. */
void hv_netswitch_detach(struct hv_netswitch *sw, int port);
/* A frame from port: learn its source, forward or flood it. A runt
 * (shorter than an Ethernet header) or a frame over HV_ETH_FRAME_MAX is
 * counted as an error and dropped. */
void hv_netswitch_input(struct hv_netswitch *sw, int port, const void *frame,
			size_t len);
/* Capture port: fn sees each frame it sends (once the switch took it)
 * and each frame handed to it, a GSO packet as its segments; NULL
 * stops. */
void hv_netswitch_port_tap(struct hv_netswitch *sw, int port,
			   void (*fn)(void *ctx, const void *frame, size_t len),
			   void *ctx);
/* The port's owner is offered GSO packets whole through fn. */
void hv_netswitch_port_gso(struct hv_netswitch *sw, int port,
			   hv_netswitch_deliver_gso_fn *fn);
/* A GSO packet from port (gso: its type and MSS): learnt and forwarded
 * as a frame is. One that cannot be cut into frames (hv_net_gso_check
 * refuses it) is counted as an error and dropped. */
void hv_netswitch_input_gso(struct hv_netswitch *sw, int port,
			    const void *pkt, size_t len,
			    const struct hv_net_gso *gso);
const struct hv_netswitch_stats *hv_netswitch_stats(
	const struct hv_netswitch *sw, int port);

#endif
