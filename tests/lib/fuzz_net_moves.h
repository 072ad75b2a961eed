/* SPDX-License-Identifier: BSD-2-Clause */
/* What fuzz_netback's input makes of its bytes besides its own moves: the
 * guest's memory layout, the frontend's tx slots (field by field, extra
 * info, raw), and the host's side of the switch (a frame to the guest, a
 * broadcast or a multicast, or a TCP packet over IPv4 or IPv6 for the
 * backend to cut at an MSS; pkt holds XEN_NETIF_MAX_TX_SIZE bytes). */
#ifndef TESTS_FUZZ_NET_MOVES_H
#define TESTS_FUZZ_NET_MOVES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <xen/event_channel.h>
#include <xen/io/netif.h>

#include "fuzz_input.h"
#include "hv/netswitch.h"

#define PAGE          4096u
#define QUEUES        4
#define RING_PAGE     16u        /* tx ring of queue q: 16 + 2q, rx +1 */
#define RING_REF      8u         /* the same layout */
#define DATA_PAGE     128u       /* data page k: ref DATA_REF + k */
#define DATA_REF      512u
#define DATA_PAGES    32u
#define HEADER_BYTES  64u        /* of each data page, reset per input */

/* The frontend's end of one queue. */
struct fe_queue {
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	evtchn_port_t tx_port, rx_port;
	bool tx_lied, rx_lied;        /* a producer index was not ours */
	RING_IDX tx_published, rx_published;
};

static const uint8_t fuzz_net_guest_mac[6] = { 0x00, 0x16, 0x3e, 0, 0, 1 };
static const uint8_t fuzz_net_host_mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };

static inline void fuzz_net_host_frame(struct hv_netswitch *sw, int port,
				       uint8_t *pkt, struct fuzz_input *in)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	uint16_t len = fuzz_u16(in);
	uint8_t to = fuzz_byte(in);

	len %= HV_ETH_FRAME_MAX + 64;
	memset(pkt, to, len < 64 ? 64 : len);
	memcpy(pkt, to & 1 ? bcast : to & 2 ? mcast : fuzz_net_guest_mac, 6);
	memcpy(pkt + 6, fuzz_net_host_mac, 6);
	hv_netswitch_input(sw, port, pkt, len);
}

/* A TCP packet from the host, over IPv4 or IPv6, to be cut at mss. */
static inline void fuzz_net_host_gso(struct hv_netswitch *sw, int port,
				     uint8_t *pkt, struct fuzz_input *in)
{
	uint16_t payload = fuzz_u16(in), mss = fuzz_u16(in);
	uint8_t how = fuzz_byte(in);
	bool v6 = how & 1;
	size_t l3 = HV_ETH_HLEN, l4 = l3 + (v6 ? 40 : 20), len;
	struct hv_net_gso gso = {
		.type = v6 ? XEN_NETIF_GSO_TYPE_TCPV6 :
			     XEN_NETIF_GSO_TYPE_TCPV4,
		/* Mostly a real MSS: a tiny one cuts 64 KiB into thousands
		 * of segments, slow to fuzz with; now and then any. */
		.mss = how & 2 ? mss : (uint16_t)(536 + mss % 925),
	};

	payload %= XEN_NETIF_MAX_TX_SIZE - 100;
	len = l4 + 20 + payload;
	memset(pkt, how, len);
	memcpy(pkt, fuzz_net_guest_mac, 6);
	memcpy(pkt + 6, fuzz_net_host_mac, 6);
	pkt[12] = v6 ? 0x86 : 0x08;
	pkt[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		pkt[l3] = 0x60;
		pkt[l3 + 4] = (uint8_t)((len - l4) >> 8);
		pkt[l3 + 5] = (uint8_t)(len - l4);
		pkt[l3 + 6] = 6;
	} else {
		pkt[l3] = 0x45;
		pkt[l3 + 2] = (uint8_t)((len - l3) >> 8);
		pkt[l3 + 3] = (uint8_t)(len - l3);
		pkt[l3 + 9] = 6;
	}
	pkt[l4 + 12] = 0x50;
	hv_netswitch_input_gso(sw, port, pkt, len, &gso);
}

static inline grant_ref_t fuzz_net_ref_of(uint8_t r)
{
	/* Mostly a data page; now and then a ring's, or none at all. */
	if (r < 0xe0)
		return DATA_REF + r % DATA_PAGES;
	if (r < 0xf0)
		return RING_REF + (r & 15);
	return 0xfff0u + (r & 15);
}

static inline void fuzz_net_tx_put(struct fe_queue *q, const void *slot)
{
	memcpy(XEN_RING_REQ(&q->tx, q->tx.req_prod_pvt), slot,
	       sizeof(struct netif_tx_request));
	q->tx.req_prod_pvt++;
}

static inline void fuzz_net_tx_req(struct fe_queue *q, struct fuzz_input *in)
{
	struct netif_tx_request req;

	req.id = fuzz_byte(in);
	req.gref = fuzz_net_ref_of(fuzz_byte(in));
	req.offset = fuzz_u16(in);
	req.size = fuzz_u16(in);
	req.flags = fuzz_byte(in);
	fuzz_net_tx_put(q, &req);
}

/* An extra-info slot (smaller than the slot it fills). */
static inline void fuzz_net_tx_extra(struct fe_queue *q, struct fuzz_input *in)
{
	union {
		struct netif_extra_info x;
		struct netif_tx_request slot;
	} u;

	memset(&u, 0, sizeof(u));
	u.x.type = fuzz_byte(in);
	u.x.flags = fuzz_byte(in);
	for (unsigned i = 0; i < sizeof(u.x.u.mcast.addr); i++)
		u.x.u.mcast.addr[i] = fuzz_byte(in);
	fuzz_net_tx_put(q, &u.slot);
}

static inline void fuzz_net_tx_raw(struct fe_queue *q, struct fuzz_input *in)
{
	uint8_t slot[sizeof(struct netif_tx_request)];

	for (unsigned i = 0; i < sizeof(slot); i++)
		slot[i] = fuzz_byte(in);
	fuzz_net_tx_put(q, slot);
}

#endif
