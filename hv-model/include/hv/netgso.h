/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP segmentation and transport checksums for dom0's network (the
 * backends and the switch): where a frame's IP and TCP or UDP headers
 * lie, the checksum a sender left blank, and a GSO packet (TCP over IPv4
 * or IPv6, up to 65535 bytes) cut into segments of at most its MSS, each
 * with its own lengths, sequence number, flags and checksums. Frames
 * are a guest's words: every length is checked against the bytes there
 * before anything is read. */
#ifndef HV_NETGSO_H
#define HV_NETGSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A packet to be cut: type XEN_NETIF_GSO_TYPE_TCPV4 or _TCPV6, mss the
 * most payload bytes a segment carries. */
struct hv_net_gso {
	uint8_t type;
	uint16_t mss;
};

/* Where the transport header lies in a frame, once checked. */
struct hv_net_l4 {
	bool ipv6;
	size_t l3, l4;           /* offsets of the IP and transport headers */
	size_t l4_len;           /* transport header and payload */
	uint8_t proto;           /* 6 TCP or 17 UDP */
};

/* The IP and TCP or UDP headers of f (len bytes): NULL, or why they are
 * not whole (IPv4 fragments and IPv6 extension headers are refused). */
const char *hv_net_l4_parse(const uint8_t *f, size_t len,
			    struct hv_net_l4 *v);
/* The transport checksum over the pseudo-header, written in place. */
void hv_net_l4_fill_csum(uint8_t *f, const struct hv_net_l4 *v);

/* Whether pkt can be cut as gso says into frames of at most frame_max
 * bytes: NULL (with its headers in *v and the MSS those frames allow,
 * at most gso->mss, in *mss) or why not. */
const char *hv_net_gso_check(const uint8_t *pkt, size_t len,
			     const struct hv_net_gso *gso, size_t frame_max,
			     struct hv_net_l4 *v, unsigned *mss);
/* How many segments pkt (checked) makes at mss. */
unsigned hv_net_gso_segments(const uint8_t *pkt, const struct hv_net_l4 *v,
			     unsigned mss);

typedef void hv_net_frame_fn(void *ctx, const void *frame, size_t len);
/* Cut pkt (checked, at the mss hv_net_gso_check gave) into segments
 * built one at a time in scratch (room for the largest) and handed to
 * fn: how many. */
unsigned hv_net_gso_cut(const uint8_t *pkt, const struct hv_net_l4 *v,
			unsigned mss, uint8_t *scratch, hv_net_frame_fn *fn,
			void *ctx);

#endif
