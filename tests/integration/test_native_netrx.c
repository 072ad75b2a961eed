/* SPDX-License-Identifier: BSD-2-Clause */
/* The receive side of sg and GSO, natively: a frontend that asks for rx
 * sg, GSO and blank checksums gets a GSO packet from the switch whole,
 * over several rx slots with a GSO extra after the first, as Linux's
 * netback delivers it; one that does not gets the segments; a GSO packet
 * from the guest reaches a port that takes GSO whole and the others cut.
 * The backend waits for enough rx buffers for a whole packet and queues
 * only so many. A hostile backend (responses rewritten by hand: chains
 * too long, unterminated or over a page, extra info of unknown types,
 * twice or of a size 0, frames too large) marks the guest's device broken
 * with the reason, never a crash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "dev/netfront.h"
#include "gxen/time.h"
#include "hv/netback.h"
#include "hv/xs.h"
#include "net_world.h"
#include "net/inet_sum.h"
#include "sim.h"

#define NODE NET_WORLD_NODE
#define FE "/local/domain/1/" NODE
#define GSO_HOST_PACKETS 4

static const uint8_t *const guest_mac = net_world_guest_mac;
static const uint8_t *const host_mac = net_world_host_mac;
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct net_world w;
/* Packets the GSO-taking port got whole. */
static struct {
	int port;
	uint8_t pkt[GSO_HOST_PACKETS][XEN_NETIF_MAX_TX_SIZE];
	size_t len[GSO_HOST_PACKETS];
	struct hv_net_gso meta[GSO_HOST_PACKETS];
	unsigned n;
} gso_host = { .port = -1 };
static uint8_t pkt_frame[XEN_NETIF_MAX_TX_SIZE];
static uint8_t rx_frame[NETFRONT_RX_MAX];

static bool gso_host_frame(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	return true;
}

static enum hv_netswitch_take gso_host_packet(void *ctx, const void *pkt,
					      size_t len,
					      const struct hv_net_gso *gso)
{
	(void)ctx;
	if (gso_host.n == GSO_HOST_PACKETS)
		return HV_NETSWITCH_DROPPED;
	memcpy(gso_host.pkt[gso_host.n], pkt, len);
	gso_host.len[gso_host.n] = len;
	gso_host.meta[gso_host.n++] = *gso;
	return HV_NETSWITCH_TAKEN;
}

static int group_setup(void **state)
{
	(void)state;
	return net_world_start(&w, NULL);
}

static void down(void)
{
	net_world_down(&w);
	gso_host.n = 0;
}

static int group_teardown(void **state)
{
	(void)state;
	down();
	net_world_stop(&w);
	return 0;
}

/* A fresh backend offering everything, the frontend connected wanting
 * want (NULL: everything). */
static void up(const struct netfront_features *want)
{
	struct netfront_features all;

	down();
	assert_int_equal(net_world_backend(&w, NULL), 0);
	netfront_features_default(&all);
	assert_int_equal(netfront_connect_with(&w.nf, NODE,
					       want ? want : &all), 0);
	assert_true(w.nb->connected);
}

/* The default features with rx sg, GSO and blank checksums as given. */
static struct netfront_features rx_wants(bool sg, bool gso, bool csum)
{
	struct netfront_features f;

	netfront_features_default(&f);
	f.rx_sg = sg;
	f.rx_gso_tcpv4 = f.rx_gso_tcpv6 = gso;
	f.rx_csum = csum;
	return f;
}

static const char *node(const char *path)
{
	static char v[256];
	int n = hv_xs_read(w.xs, path, v, sizeof(v) - 1);

	v[n > 0 ? (n < (int)sizeof(v) - 1 ? n : (int)sizeof(v) - 1) : 0] = '\0';
	return v;
}

/* Ethernet + IPv4 or IPv6 + TCP from src to dst, payload bytes of a
 * pattern from seed, the TCP checksum left blank; the length. */
static size_t make_tcp(uint8_t *f, bool ipv6, size_t payload,
		       const uint8_t *dst, const uint8_t *src, unsigned seed)
{
	size_t l3 = 14, l4 = l3 + (ipv6 ? 40 : 20), len = l4 + 20 + payload;

	memset(f, 0, l4 + 20);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	inet_put16(f + 12, ipv6 ? 0x86dd : 0x0800);
	if (ipv6) {
		f[l3] = 0x60;
		inet_put16(f + l3 + 4, (uint16_t)(20 + payload));
		f[l3 + 6] = 6;
		f[l3 + 7] = 64;
		f[l3 + 8] = 0xfd;
		f[l3 + 23] = 1;
		f[l3 + 24] = 0xfd;
		f[l3 + 39] = 2;
	} else {
		f[l3] = 0x45;
		inet_put16(f + l3 + 2, (uint16_t)(40 + payload));
		inet_put16(f + l3 + 4, 0x1234);
		f[l3 + 8] = 64;
		f[l3 + 9] = 6;
		f[l3 + 12] = 10;
		f[l3 + 15] = 1;
		f[l3 + 16] = 10;
		f[l3 + 19] = 2;
		inet_put16(f + l3 + 10, inet_fold(inet_sum(0, f + l3, 20)));
	}
	inet_put16(f + l4, 4000);
	inet_put16(f + l4 + 2, 5000);
	inet_put16(f + l4 + 4, (uint16_t)seed);    /* seq seed << 16 */
	f[l4 + 12] = 5 << 4;
	f[l4 + 13] = 0x18;                    /* PSH ACK */
	inet_put16(f + l4 + 14, 8192);
	for (size_t i = 0; i < payload; i++)
		f[l4 + 20 + i] = (uint8_t)(i * 13 + seed);
	return len;
}

/* Whether a frame's IPv4 header and TCP checksums hold. */
static bool checksums_ok(const uint8_t *f, size_t len)
{
	bool ipv6 = inet_get16(f + 12) == 0x86dd;
	size_t l3 = 14, l4 = l3 + (ipv6 ? 40 : 20), l4len;
	uint32_t sum;

	if (ipv6) {
		l4len = inet_get16(f + l3 + 4);
		sum = inet_sum(0, f + l3 + 8, 32);
	} else {
		if (inet_fold(inet_sum(0, f + l3, 20)) != 0)
			return false;
		l4len = inet_get16(f + l3 + 2) - 20u;
		sum = inet_sum(0, f + l3 + 12, 8);
	}
	if (l4 + l4len > len)
		return false;
	sum += 6 + (uint32_t)l4len;
	return inet_fold(inet_sum(sum, f + l4, l4len)) == 0;
}

/* One frame for the guest into rx_frame, waiting a little: its length. */
static long recv_info(struct netfront_rx_info *info)
{
	long n = 0;

	for (unsigned i = 0; i < 20 && n == 0; i++) {
		n = netfront_recv_info(&w.nf, rx_frame, sizeof(rx_frame), info);
		if (n == 0)
			net_world_settle();
	}
	return n;
}

static void send_gso_to_guest(bool ipv6, size_t payload, uint16_t mss,
			      unsigned seed, size_t *len)
{
	struct hv_net_gso gso = {
		ipv6 ? XEN_NETIF_GSO_TYPE_TCPV6 : XEN_NETIF_GSO_TYPE_TCPV4, mss,
	};

	*len = make_tcp(pkt_frame, ipv6, payload, guest_mac, host_mac, seed);
	hv_netswitch_input_gso(&w.sw, w.host_port, pkt_frame, *len, &gso);
}

/* ---- what the frontend asks for ---- */

static void test_rx_features_are_written_as_asked(void **state)
{
	static const struct {
		bool sg, gso, csum;
		const char *sg_key, *gso_key, *no_csum_key;
		size_t rx_max;
	} cases[] = {
		{ true, true, true, "1", "1", "0", NETFRONT_RX_MAX },
		{ true, false, true, "1", "0", "0", NETFRONT_FRAME_MAX },
		{ false, true, true, "0", "0", "0", NETFRONT_FRAME_MAX },
		{ true, true, false, "1", "0", "1", NETFRONT_FRAME_MAX },
		{ false, false, false, "0", "0", "1", NETFRONT_FRAME_MAX },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netfront_features want = rx_wants(cases[i].sg,
							  cases[i].gso,
							  cases[i].csum);

		print_message("rx sg=%d gso=%d csum=%d\n", cases[i].sg,
			      cases[i].gso, cases[i].csum);
		up(&want);
		assert_string_equal(node(FE "/feature-sg"), cases[i].sg_key);
		assert_string_equal(node(FE "/feature-gso-tcpv4"),
				    cases[i].gso_key);
		assert_string_equal(node(FE "/feature-gso-tcpv6"),
				    cases[i].gso_key);
		assert_string_equal(node(FE "/feature-no-csum-offload"),
				    cases[i].no_csum_key);
		assert_int_equal(w.nf.rx_max, cases[i].rx_max);
		assert_int_equal(w.nb->req.rx_sg, cases[i].sg);
		assert_int_equal(w.nb->req.rx_gso_tcpv4,
				 cases[i].gso_key[0] == '1');
		assert_int_equal(w.nb->req.rx_csum, cases[i].csum);
		/* A receive buffer smaller than the device's largest frame
		 * is refused. */
		assert_int_equal(netfront_recv(&w.nf, rx_frame,
					       cases[i].rx_max - 1),
				 -XEN_EINVAL);
	}
}

/* ---- GSO packets whole ---- */

static void test_gso_packet_arrives_whole_over_several_slots(void **state)
{
	static const struct {
		bool ipv6;
		size_t payload;
		uint16_t mss;
		unsigned slots;       /* data slots and the extra */
	} cases[] = {
		{ false, 8000, 1000, 3 },
		{ true, 3000, 1200, 2 },
		{ false, 1000, 500, 2 },
		{ false, 60000, 1460, 16 },
		{ true, 65535 - 74, 1440, 17 },
	};

	(void)state;
	up(NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netfront_rx_info info;
		uint64_t nb_gso = w.nb->stats.rx_gso;
		uint64_t nf_gso = w.nf.stats.rx_gso;
		size_t len;

		print_message("%s: %zu bytes, mss %u\n",
			      cases[i].ipv6 ? "tcpv6" : "tcpv4",
			      cases[i].payload, cases[i].mss);
		send_gso_to_guest(cases[i].ipv6, cases[i].payload,
				  cases[i].mss, (unsigned)i + 1, &len);
		assert_int_equal(recv_info(&info), (long)len);
		assert_memory_equal(rx_frame, pkt_frame, len);
		assert_int_equal(info.gso_type, cases[i].ipv6 ?
				 XEN_NETIF_GSO_TYPE_TCPV6 :
				 XEN_NETIF_GSO_TYPE_TCPV4);
		assert_int_equal(info.gso_size, cases[i].mss);
		assert_true(info.csum_blank);
		assert_true(info.data_validated);
		assert_int_equal(info.slots, cases[i].slots);
		assert_int_equal(w.nb->stats.rx_gso, nb_gso + 1);
		assert_int_equal(w.nf.stats.rx_gso, nf_gso + 1);
		assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)), 0);
	}
	assert_false(w.nf.broken);
	assert_int_equal(w.nf.stats.rx_errors, 0);
}

/* A frontend that did not ask for all of rx sg, GSO and blank checksums
 * gets the segments, each whole and checksummed in one slot. */
static void test_gso_packet_is_cut_for_a_frontend_without_rx_gso(
	void **state)
{
	static const struct { bool sg, gso, csum; } cases[] = {
		{ true, false, true }, { false, true, true },
		{ true, true, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netfront_features want = rx_wants(cases[i].sg,
							  cases[i].gso,
							  cases[i].csum);
		struct netfront_rx_info info;
		size_t len, at = 0;
		unsigned n = 0;
		long got;

		print_message("rx sg=%d gso=%d csum=%d\n", cases[i].sg,
			      cases[i].gso, cases[i].csum);
		up(&want);
		send_gso_to_guest(i == 2, 6000, 1000, 7, &len);
		while ((got = recv_info(&info)) > 0) {
			size_t hdr = i == 2 ? 74 : 54;

			assert_true(got <= HV_ETH_FRAME_MAX);
			assert_true(checksums_ok(rx_frame, (size_t)got));
			assert_int_equal(info.gso_type, XEN_NETIF_GSO_TYPE_NONE);
			assert_false(info.csum_blank);
			assert_int_equal(info.slots, 1);
			assert_memory_equal(rx_frame + hdr, pkt_frame + hdr + at,
					    (size_t)got - hdr);
			at += (size_t)got - hdr;
			n++;
		}
		assert_int_equal(got, 0);
		assert_int_equal(n, 6);
		assert_int_equal(at, 6000);
		assert_int_equal(w.nb->stats.rx_gso, 0);
	}
}

/* The guest's GSO packet, broadcast: whole to a port that takes GSO
 * (its MSS clamped to the MTU), cut for the plain host port. */
static void test_guest_gso_send_reaches_a_gso_port_whole(void **state)
{
	struct netfront_tx_offload off = {
		.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 9000,
		.csum_blank = true,
	};
	size_t len = make_tcp(pkt_frame, false, 10000, bcast, guest_mac, 3);

	(void)state;
	up(NULL);
	gso_host.port = hv_netswitch_attach(&w.sw, gso_host_frame, NULL);
	assert_true(gso_host.port >= 0);
	hv_netswitch_port_gso(&w.sw, gso_host.port, gso_host_packet);
	assert_int_equal(netfront_send_offload(&w.nf, pkt_frame, len, &off), 0);
	net_world_settle();
	assert_int_equal(gso_host.n, 1);
	assert_int_equal(gso_host.len[0], len);
	assert_memory_equal(gso_host.pkt[0], pkt_frame, len);
	assert_int_equal(gso_host.meta[0].type, XEN_NETIF_GSO_TYPE_TCPV4);
	assert_int_equal(gso_host.meta[0].mss, 1460);
	assert_int_equal(w.host_n, 7);        /* 10000 bytes at 1460 */
	for (unsigned i = 0; i < w.host_n; i++)
		assert_true(checksums_ok(w.host[i], w.host_len[i]));
	assert_int_equal(w.nb->stats.tx_gso, 1);
	assert_int_equal(w.nb->stats.tx_segments, 7);
	hv_netswitch_detach(&w.sw, gso_host.port);
	gso_host.port = -1;
}

/* The backend waits for buffers for a whole packet, keeps at most
 * HV_NETBACK_RXQ_GSO GSO packets waiting and drops the rest; what it
 * kept arrives in order once the guest reads. */
static void test_gso_packets_wait_for_buffers_and_are_bounded(void **state)
{
	unsigned sent = 20, taken = 0;
	/* 32 buffers hold 10 packets of 3 slots; 8 wait; 2 are dropped. */
	unsigned on_ring = NETFRONT_RX_BUFS / 3;
	unsigned kept = on_ring + HV_NETBACK_RXQ_GSO;
	struct netfront_rx_info info;
	long n;

	(void)state;
	up(NULL);
	for (unsigned i = 0; i < sent; i++) {
		size_t len;

		send_gso_to_guest(false, 8000, 1000, i + 1, &len);
		net_world_settle();
	}
	assert_int_equal(w.nb->stats.rx_dropped, sent - kept);
	assert_int_equal(hv_netback_rx_queued(w.nb), HV_NETBACK_RXQ_GSO);
	assert_int_equal(w.nb->queue[0].rxq_gso, HV_NETBACK_RXQ_GSO);
	while ((n = recv_info(&info)) > 0) {
		size_t len = make_tcp(pkt_frame, false, 8000, guest_mac, host_mac,
				      taken + 1);

		assert_int_equal(n, (long)len);
		assert_memory_equal(rx_frame, pkt_frame, len);
		assert_int_equal(info.slots, 3);
		taken++;
	}
	assert_int_equal(n, 0);
	assert_int_equal(taken, kept);
	assert_int_equal(hv_netback_rx_queued(w.nb), 0);
	assert_int_equal(w.nb->queue[0].rxq_gso, 0);
}

/* ---- a chain of plain slots ---- */

/* nr frames of len bytes (pattern seed + i) for the guest, not read:
 * their responses stand in the ring from rsp_cons. */
static RING_IDX park_frames(unsigned nr, size_t len)
{
	struct netfront_queue *q = &w.nf.q[0];
	RING_IDX first = q->rx.rsp_cons;
	uint8_t f[HV_ETH_FRAME_MAX];

	for (unsigned i = 0; i < nr; i++) {
		memcpy(f, guest_mac, 6);
		memcpy(f + 6, host_mac, 6);
		f[12] = 0x88;
		f[13] = 0xb5;
		for (size_t b = 14; b < len; b++)
			f[b] = (uint8_t)(b * 5 + i);
		hv_netswitch_input(&w.sw, w.host_port, f, len);
		net_world_settle();
	}
	assert_int_equal(q->rx.sring->rsp_prod, first + nr);
	return first;
}

/* Rewrite the response at idx as a data slot of its own buffer. */
static void put_rsp(RING_IDX idx, uint16_t offset, uint16_t flags,
		    int16_t status)
{
	struct netfront_queue *q = &w.nf.q[0];
	struct netif_rx_response *r = XEN_RING_RSP(&q->rx, idx);

	r->id = q->rx_id_at[idx % NETFRONT_RX_BUFS];
	r->offset = offset;
	r->flags = flags;
	r->status = status;
}

static const uint8_t *rx_page(RING_IDX idx)
{
	struct netfront_queue *q = &w.nf.q[0];

	return q->rxb[q->rx_id_at[idx % NETFRONT_RX_BUFS]].page;
}

static void test_frame_over_several_plain_slots_is_joined(void **state)
{
	struct netfront_rx_info info;
	uint8_t want[1000];
	RING_IDX i0;

	(void)state;
	up(NULL);
	i0 = park_frames(3, 1000);
	put_rsp(i0, 0, NETRXF_more_data, 400);
	put_rsp(i0 + 1, 100, NETRXF_more_data, 300);
	put_rsp(i0 + 2, 0, 0, 300);
	memcpy(want, rx_page(i0), 400);
	memcpy(want + 400, rx_page(i0 + 1) + 100, 300);
	memcpy(want + 700, rx_page(i0 + 2), 300);
	assert_int_equal(netfront_recv_info(&w.nf, rx_frame, sizeof(rx_frame), &info),
			 1000);
	assert_memory_equal(rx_frame, want, 1000);
	assert_int_equal(info.slots, 3);
	assert_int_equal(info.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	assert_int_equal(w.nf.stats.rx_multi_slot, 1);
	/* Every buffer went back: the next frames still arrive. */
	assert_int_equal(w.nf.q[0].rx.req_prod_pvt - w.nf.q[0].rx.rsp_cons,
			 NETFRONT_RX_BUFS);
	i0 = park_frames(1, 200);
	assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)), 200);
	assert_false(w.nf.broken);
}

/* An error status in a chain drops the frame, counted, not the device. */
static void test_error_slot_in_a_chain_drops_the_frame(void **state)
{
	RING_IDX i0;

	(void)state;
	up(NULL);
	i0 = park_frames(3, 500);
	put_rsp(i0, 0, NETRXF_more_data, 500);
	put_rsp(i0 + 1, 0, NETRXF_more_data, NETIF_RSP_ERROR);
	put_rsp(i0 + 2, 0, 0, 500);
	assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)), 0);
	assert_int_equal(w.nf.stats.rx_errors, 1);
	assert_false(w.nf.broken);
	park_frames(1, 300);
	assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)), 300);
}

/* ---- a hostile backend ---- */

static struct netif_extra_info *extra_at(RING_IDX idx)
{
	return (struct netif_extra_info *)XEN_RING_RSP(&w.nf.q[0].rx, idx);
}

/* Spoilers of an 8000-byte GSO packet's three slots at i0 (data, extra,
 * data). */
static void extra_unknown(RING_IDX i0) { extra_at(i0 + 1)->type = 7; }
static void extra_mcast(RING_IDX i0)
{
	extra_at(i0 + 1)->type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
}
static void extra_hash(RING_IDX i0)
{
	extra_at(i0 + 1)->type = XEN_NETIF_EXTRA_TYPE_HASH;
}
static void gso_v6(RING_IDX i0)
{
	extra_at(i0 + 1)->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
}
static void gso_type_3(RING_IDX i0) { extra_at(i0 + 1)->u.gso.type = 3; }
static void gso_size_0(RING_IDX i0) { extra_at(i0 + 1)->u.gso.size = 0; }
static void gso_twice(RING_IDX i0)
{
	extra_at(i0 + 1)->flags = XEN_NETIF_EXTRA_FLAG_MORE;
	*extra_at(i0 + 2) = *extra_at(i0 + 1);
	extra_at(i0 + 2)->flags = 0;
}
static void extra_unpublished(RING_IDX i0)
{
	/* Only the first slot published: its extra is not. */
	w.nf.q[0].rx.sring->rsp_prod = i0 + 1;
}
static void not_terminated(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0 + 2)->flags = NETRXF_more_data;
}
static void extra_on_later(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0 + 2)->flags = NETRXF_extra_info;
}
static void csum_on_later(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0 + 2)->flags = NETRXF_csum_blank;
}
static void later_over_page(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0 + 2)->offset = 4000;
}
static void later_bad_id(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0 + 2)->id ^= 1;
}
static void gso_prefix(RING_IDX i0)
{
	XEN_RING_RSP(&w.nf.q[0].rx, i0)->flags |= NETRXF_gso_prefix;
}

static void test_netfront_breaks_on_bad_gso_chains(void **state)
{
	static const struct {
		void (*spoil)(RING_IDX i0);
		const char *want;
		bool v6_off;
	} cases[] = {
		{ extra_unknown, "extra info of type 7", false },
		{ extra_mcast, "extra info of type 2", false },
		{ extra_hash, "extra info of type 4", false },
		{ gso_v6, "GSO extra of type 2, not asked for", true },
		{ gso_type_3, "GSO extra of type 3, not asked for", false },
		{ gso_size_0, "GSO extra of size 0", false },
		{ gso_twice, "GSO extra given twice", false },
		{ extra_unpublished, "extra info runs past the responses "
		  "published", false },
		{ not_terminated, "chain runs past the responses published",
		  false },
		{ extra_on_later, "only more data may follow", false },
		{ csum_on_later, "only more data may follow", false },
		{ later_over_page, "crosses its page", false },
		{ later_bad_id, "the request there was", false },
		{ gso_prefix, "were not negotiated", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netfront_features want = rx_wants(true, true, true);
		struct netfront_queue *q;
		RING_IDX i0;
		size_t len;

		want.rx_gso_tcpv6 = !cases[i].v6_off;
		up(&want);
		q = &w.nf.q[0];
		i0 = q->rx.rsp_cons;
		send_gso_to_guest(false, 8000, 1000, 5, &len);
		net_world_settle();
		assert_int_equal(q->rx.sring->rsp_prod, i0 + 3);
		cases[i].spoil(i0);
		assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)),
				 -XEN_EIO);
		assert_true(w.nf.broken);
		print_message("guest: %s\n", w.nf.why);
		assert_non_null(strstr(w.nf.why, cases[i].want));
		assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)),
				 -XEN_EIO);
	}
}

/* Chains built over parked plain frames. */
static void too_many_slots(RING_IDX i0)
{
	for (unsigned i = 0; i < 19; i++)
		put_rsp(i0 + i, 0, NETRXF_more_data, 100);
}
static void over_the_frame(RING_IDX i0)
{
	put_rsp(i0, 0, NETRXF_more_data, 1000);
	put_rsp(i0 + 1, 0, 0, 1000);
}
static void over_the_gso_frame(RING_IDX i0)
{
	struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };

	x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	x.u.gso.size = 1000;
	put_rsp(i0, 0, NETRXF_more_data | NETRXF_extra_info, 4000);
	*extra_at(i0 + 1) = x;
	for (unsigned i = 2; i < 18; i++)
		put_rsp(i0 + i, 0, i < 17 ? NETRXF_more_data : 0, 4000);
}
static void past_the_buffers(RING_IDX i0)
{
	w.nf.q[0].rx.sring->rsp_prod = i0 + NETFRONT_RX_BUFS + 1;
}

static void test_netfront_breaks_on_bad_plain_chains(void **state)
{
	static const struct {
		void (*spoil)(RING_IDX i0);
		const char *want;
		bool gso_off;
	} cases[] = {
		{ too_many_slots, "spans more than 18 slots", false },
		{ over_the_frame, "2000 bytes in 2 slot(s), over the 1514-byte "
		  "frame", false },
		{ over_the_gso_frame, "68000 bytes in 17 slot(s), over the "
		  "65535-byte GSO frame", false },
		{ past_the_buffers, "past the 32 buffer(s) posted", false },
		/* Extra info announced to a frontend that asked no GSO. */
		{ over_the_gso_frame, "were not negotiated", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netfront_features want = rx_wants(true, true, true);
		RING_IDX i0;

		want.rx_gso_tcpv4 = want.rx_gso_tcpv6 = !cases[i].gso_off;
		up(&want);
		i0 = park_frames(20, 64);
		cases[i].spoil(i0);
		assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)),
				 -XEN_EIO);
		print_message("guest: %s\n", w.nf.why);
		assert_non_null(strstr(w.nf.why, cases[i].want));
	}
	/* A well-behaved backend after all that. */
	up(NULL);
	park_frames(1, 64);
	assert_int_equal(netfront_recv(&w.nf, rx_frame, sizeof(rx_frame)), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_features_are_written_as_asked),
		cmocka_unit_test(test_gso_packet_arrives_whole_over_several_slots),
		cmocka_unit_test(test_gso_packet_is_cut_for_a_frontend_without_rx_gso),
		cmocka_unit_test(test_guest_gso_send_reaches_a_gso_port_whole),
		cmocka_unit_test(test_gso_packets_wait_for_buffers_and_are_bounded),
		cmocka_unit_test(test_frame_over_several_plain_slots_is_joined),
		cmocka_unit_test(test_error_slot_in_a_chain_drops_the_frame),
		cmocka_unit_test(test_netfront_breaks_on_bad_gso_chains),
		cmocka_unit_test(test_netfront_breaks_on_bad_plain_chains),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
