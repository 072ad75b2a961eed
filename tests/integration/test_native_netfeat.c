/* SPDX-License-Identifier: BSD-2-Clause */
/* PV network feature negotiation, natively: each feature the backend
 * offers (struct hv_netback_features) and the frontend wants (struct
 * netfront_features) on and off, the keys each side writes, and what the
 * feature does on the rings: several queues with split event channels,
 * GSO packets cut into segments, checksums the backend fills, multicast
 * filtering, the MTU. Hostile frontends (requests and xenstore nodes
 * written by hand) get refused, counted or a broken device, never a
 * crash; a hostile backend's NULL response breaks the guest's device. */
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
#include "gxen/xenbus.h"
#include "hv/netback.h"
#include "hv/xs.h"
#include "net_world.h"
#include "net/inet_sum.h"
#include "sim.h"

#define NODE NET_WORLD_NODE
#define FE "/local/domain/1/" NODE
#define BE "/local/domain/0/backend/vif/1/0"

static const uint8_t *const guest_mac = net_world_guest_mac;
static const uint8_t *const host_mac = net_world_host_mac;

static struct net_world w;
static uint8_t big_frame[XEN_NETIF_MAX_TX_SIZE];
static uint8_t rx_frame[NETFRONT_RX_MAX];

static int group_setup(void **state)
{
	(void)state;
	return net_world_start(&w, NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	net_world_stop(&w);
	return 0;
}

static void make_backend(const struct hv_netback_features *offer)
{
	assert_int_equal(net_world_backend(&w, offer), 0);
}

static void down(void)
{
	net_world_down(&w);
}

/* A fresh backend offering offer, the frontend connected wanting want. */
static void up(const struct hv_netback_features *offer,
	       const struct netfront_features *want)
{
	down();
	make_backend(offer);
	assert_int_equal(netfront_connect_with(&w.nf, NODE, want), 0);
	assert_true(w.nb->connected);
}

static void up_default(void)
{
	struct hv_netback_features offer;
	struct netfront_features want;

	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	up(&offer, &want);
}

/* The value of a xenstore node, "" when absent. */
static const char *node(const char *path)
{
	static char v[256];
	int n = hv_xs_read(w.xs, path, v, sizeof(v) - 1);

	v[n > 0 ? (n < (int)sizeof(v) - 1 ? n : (int)sizeof(v) - 1) : 0] = '\0';
	return v;
}

/* Ethernet + IPv4 or IPv6 + TCP or UDP with payload bytes of a pattern,
 * the transport checksum left 0; the frame's length. */
static size_t make_l4(uint8_t *f, bool ipv6, uint8_t proto, size_t payload,
		      const uint8_t *dst)
{
	size_t l3 = 14, l4 = l3 + (ipv6 ? 40 : 20);
	size_t l4hl = proto == 6 ? 20 : 8, len = l4 + l4hl + payload;

	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, guest_mac, 6);
	inet_put16(f + 12, ipv6 ? 0x86dd : 0x0800);
	if (ipv6) {
		f[l3] = 0x60;
		inet_put16(f + l3 + 4, (uint16_t)(l4hl + payload));
		f[l3 + 6] = proto;
		f[l3 + 7] = 64;
		f[l3 + 8] = 0xfd;
		f[l3 + 23] = 1;
		f[l3 + 24] = 0xfd;
		f[l3 + 39] = 2;
	} else {
		f[l3] = 0x45;
		inet_put16(f + l3 + 2, (uint16_t)(20 + l4hl + payload));
		inet_put16(f + l3 + 4, 0x1234);
		f[l3 + 8] = 64;
		f[l3 + 9] = proto;
		f[l3 + 12] = 10;
		f[l3 + 15] = 1;
		f[l3 + 16] = 10;
		f[l3 + 19] = 2;
		inet_put16(f + l3 + 10, inet_fold(inet_sum(0, f + l3, 20)));
	}
	inet_put16(f + l4, 4000);
	inet_put16(f + l4 + 2, 5000);
	if (proto == 6) {
		inet_put16(f + l4 + 4, 0x0001);     /* seq 0x00010000 */
		f[l4 + 12] = 5 << 4;
		f[l4 + 13] = 0x18 | 0x01;      /* PSH ACK FIN */
		inet_put16(f + l4 + 14, 8192);
	} else {
		inet_put16(f + l4 + 4, (uint16_t)(8 + payload));
	}
	for (size_t i = 0; i < payload; i++)
		f[l4 + l4hl + i] = (uint8_t)(i * 13 + 7);
	return len;
}

/* Whether a frame's IPv4 header and transport checksums hold. */
static bool checksums_ok(const uint8_t *f, size_t len)
{
	bool ipv6 = inet_get16(f + 12) == 0x86dd;
	size_t l3 = 14, l4 = l3 + (ipv6 ? 40 : 20), l4len;
	uint32_t sum = 0;
	uint8_t proto = ipv6 ? f[l3 + 6] : f[l3 + 9];

	if (ipv6) {
		l4len = inet_get16(f + l3 + 4);
		sum = inet_sum(sum, f + l3 + 8, 32);
	} else {
		if (inet_fold(inet_sum(0, f + l3, 20)) != 0)
			return false;
		l4len = inet_get16(f + l3 + 2) - 20u;
		sum = inet_sum(sum, f + l3 + 12, 8);
	}
	if (l4 + l4len > len)
		return false;
	sum += proto + (uint32_t)l4len;
	return inet_fold(inet_sum(sum, f + l4, l4len)) == 0;
}

/* A frame for the guest, into buf (HV_ETH_FRAME_MAX bytes). */
static long recv_one(uint8_t *buf)
{
	long n = 0;

	for (unsigned i = 0; i < 20 && n == 0; i++) {
		n = netfront_recv(&w.nf, rx_frame, sizeof(rx_frame));
		if (n == 0)
			net_world_settle();
	}
	assert_true(n <= HV_ETH_FRAME_MAX);
	if (n > 0)
		memcpy(buf, rx_frame, (size_t)n);
	return n;
}

/* A frame each way. */
static void assert_frames_cross(void)
{
	uint8_t f[200], got[HV_ETH_FRAME_MAX];
	size_t len = make_l4(f, false, 17, 100, host_mac);

	inet_put16(f + 34 + 6, 0);
	w.host_n = 0;
	assert_int_equal(netfront_send(&w.nf, f, len), 0);
	net_world_settle();
	assert_int_equal(w.host_n, 1);
	assert_memory_equal(w.host[0], f, len);
	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	hv_netswitch_input(&w.sw, w.host_port, f, len);
	assert_int_equal(recv_one(got), (long)len);
	assert_memory_equal(got, f, len);
}

/* ---- each feature on and off ---- */

struct feature_case {
	const char *name;
	size_t offer_at;             /* bool in hv_netback_features */
	size_t want_at;              /* bool in netfront_features */
	const char *offer_key;       /* backend node, "1" when offered */
	bool key_inverted;           /* feature-no-csum-offload */
};

#define OFF(f) offsetof(struct hv_netback_features, f)
#define WNT(f) offsetof(struct netfront_features, f)

static const struct feature_case features[] = {
	{ "split event channels", OFF(split_evtchn), WNT(split_evtchn),
	  "feature-split-event-channels", false },
	{ "sg", OFF(sg), WNT(sg), "feature-sg", false },
	{ "gso tcpv4", OFF(gso_tcpv4), WNT(gso_tcpv4), "feature-gso-tcpv4",
	  false },
	{ "gso tcpv6", OFF(gso_tcpv6), WNT(gso_tcpv6), "feature-gso-tcpv6",
	  false },
	{ "csum", OFF(csum), WNT(csum), "feature-no-csum-offload", true },
	{ "ipv6 csum", OFF(ipv6_csum), WNT(ipv6_csum),
	  "feature-ipv6-csum-offload", false },
	{ "multicast control", OFF(mcast_control), WNT(mcast_control),
	  "feature-multicast-control", false },
};

static bool *flag(void *base, size_t at)
{
	return (bool *)((char *)base + at);
}

static void test_each_feature_on_offered_off_or_unwanted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct feature_case *c = &features[i];

		for (unsigned mode = 0; mode < 3; mode++) {
			struct hv_netback_features offer;
			struct netfront_features want;
			char path[128];
			bool on = mode == 0;

			hv_netback_features_default(&offer);
			netfront_features_default(&want);
			*flag(&offer, c->offer_at) = mode != 1;
			*flag(&want, c->want_at) = mode != 2;
			print_message("%s: %s\n", c->name, mode == 0 ? "on" :
				      mode == 1 ? "not offered" : "not wanted");
			up(&offer, &want);
			snprintf(path, sizeof(path), BE "/%s", c->offer_key);
			/* feature-no-csum-offload is the model's own word for
			 * a refusal: absent when offered, as Linux's has it. */
			assert_string_equal(node(path), c->key_inverted ?
					    (mode != 1 ? "" : "1") :
					    (mode != 1 ? "1" : "0"));
			assert_int_equal(*flag(&w.nf.nego, c->want_at), on);
			assert_frames_cross();
		}
	}
}

/* What each side sees of split channels and multicast control. */
static void test_split_and_multicast_keys_follow_negotiation(void **state)
{
	struct hv_netback_features offer;
	struct netfront_features want;

	(void)state;
	up_default();
	assert_string_equal(node(FE "/event-channel"), "");
	assert_string_not_equal(node(FE "/event-channel-tx"), "");
	assert_string_not_equal(node(FE "/event-channel-rx"), "");
	assert_int_not_equal(w.nf.q[0].tx_port, w.nf.q[0].rx_port);
	assert_int_not_equal(w.nb->queue[0].tx_port, w.nb->queue[0].rx_port);
	assert_true(w.nb->req.split_evtchn);
	assert_string_equal(node(FE "/request-multicast-control"), "1");
	assert_true(w.nb->req.mcast_control);
	assert_string_equal(node(FE "/feature-rx-notify"), "1");
	assert_true(w.nb->req.rx_notify);
	assert_string_equal(node(FE "/multi-queue-num-queues"), "1");

	/* Reconnecting without them leaves no stale key behind. */
	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	want.split_evtchn = want.mcast_control = want.rx_notify = false;
	up(&offer, &want);
	assert_string_not_equal(node(FE "/event-channel"), "");
	assert_string_equal(node(FE "/event-channel-tx"), "");
	assert_string_equal(node(FE "/event-channel-rx"), "");
	assert_int_equal(w.nf.q[0].tx_port, w.nf.q[0].rx_port);
	assert_false(w.nb->req.split_evtchn);
	assert_string_equal(node(FE "/request-multicast-control"), "");
	assert_false(w.nb->req.mcast_control);
	assert_string_equal(node(FE "/feature-rx-notify"), "0");
	assert_false(w.nb->req.rx_notify);
	assert_frames_cross();
}

/* ---- several queues ---- */

static void test_two_queues_with_split_channels_carry_every_flow(
	void **state)
{
	struct hv_netback_features offer;
	struct netfront_features want;
	uint8_t f[100], got[HV_ETH_FRAME_MAX];
	unsigned frames = 32;

	(void)state;
	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	want.queues = 2;
	up(&offer, &want);
	assert_int_equal(w.nf.nr_queues, 2);
	assert_int_equal(w.nb->nr_queues, 2);
	assert_string_equal(node(FE "/multi-queue-num-queues"), "2");
	assert_string_equal(node(BE "/multi-queue-max-queues"), "4");
	assert_string_equal(node(FE "/tx-ring-ref"), "");
	for (unsigned q = 0; q < 2; q++) {
		char path[128];

		snprintf(path, sizeof(path), FE "/queue-%u/event-channel-tx", q);
		assert_string_not_equal(node(path), "");
		snprintf(path, sizeof(path), FE "/queue-%u/rx-ring-ref", q);
		assert_string_not_equal(node(path), "");
	}
	/* Flows from many sources in; every frame arrives once. */
	for (unsigned i = 0; i < frames; i++) {
		size_t len = make_l4(f, false, 17, 40, guest_mac);

		f[6] = 0x02;
		f[11] = (uint8_t)i;
		f[14 + 15] = (uint8_t)i;     /* source 10.0.0.i */
		hv_netswitch_input(&w.sw, w.host_port, f, len);
		assert_int_equal(recv_one(got), (long)len);
		assert_memory_equal(got, f, len);
	}
	assert_true(w.nb->queue[0].rx_packets > 0);
	assert_true(w.nb->queue[1].rx_packets > 0);
	assert_int_equal(w.nb->queue[0].rx_packets + w.nb->queue[1].rx_packets,
			 frames);
	assert_int_equal(w.nf.q[0].rx_packets + w.nf.q[1].rx_packets, frames);
	/* Flows to many destinations out. */
	w.host_n = 0;
	for (unsigned i = 0; i < frames; i++) {
		uint8_t dst[6] = { 0x02, 0, 0, 0, 1, (uint8_t)i };
		size_t len = make_l4(f, false, 17, 40, dst);

		assert_int_equal(netfront_send(&w.nf, f, len), 0);
		net_world_settle();
	}
	assert_int_equal(w.host_n, frames);
	assert_true(w.nf.q[0].tx_packets > 0 && w.nf.q[1].tx_packets > 0);
	assert_true(w.nb->queue[0].tx_packets > 0 &&
		    w.nb->queue[1].tx_packets > 0);
	assert_true(netfront_tx_idle(&w.nf));
}

static void test_queue_count_is_clamped_to_the_offer(void **state)
{
	static const struct { unsigned offer, want, got; } cases[] = {
		{ 2, 4, 2 }, { 1, 2, 1 }, { 4, 3, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hv_netback_features offer;
		struct netfront_features want;

		hv_netback_features_default(&offer);
		netfront_features_default(&want);
		offer.max_queues = cases[i].offer;
		want.queues = cases[i].want;
		up(&offer, &want);
		assert_int_equal(w.nf.nr_queues, cases[i].got);
		assert_int_equal(w.nb->nr_queues, cases[i].got);
		/* One queue keeps its keys at the top level. */
		assert_int_equal(node(FE "/tx-ring-ref")[0] != '\0',
				 cases[i].got == 1);
		assert_frames_cross();
	}
}

/* ---- a frontend asking for what was not offered ---- */

struct bad_ask {
	const char *node, *value;
	const char *want;            /* in the backend's error node */
	bool split_off, mcast_off;
};

static void test_backend_refuses_requests_not_offered(void **state)
{
	static const struct bad_ask cases[] = {
		{ "multi-queue-num-queues", "9", "multi-queue-num-queues 9: "
		  "1 to the 4 offered", false, false },
		{ "multi-queue-num-queues", "0", "multi-queue-num-queues 0",
		  false, false },
		{ "event-channel-tx", "5", "split event channels were not "
		  "offered", true, false },
		{ "request-multicast-control", "1", "multicast control was not "
		  "offered", false, true },
		{ "request-rx-copy", "0", "request-rx-copy = 1 is required",
		  false, false },
		{ "feature-sg", "2", "malformed feature-sg", false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hv_netback_features offer;
		struct xenbus_device xb;
		char path[128];

		print_message("%s = %s\n", cases[i].node, cases[i].value);
		down();
		hv_netback_features_default(&offer);
		offer.split_evtchn = !cases[i].split_off;
		offer.mcast_control = !cases[i].mcast_off;
		make_backend(&offer);
		/* A frontend doing the handshake by hand. */
		assert_int_equal(xenbus_probe(&xb, NODE), 0);
		assert_int_equal(xenbus_switch_state(&xb,
						     XenbusStateInitialising), 0);
		net_world_settle();
		assert_int_equal(xenbus_printf(XBT_NIL, xb.nodename,
					       "request-rx-copy", "1"), 0);
		assert_int_equal(xenbus_printf(XBT_NIL, xb.nodename,
					       cases[i].node, "%s",
					       cases[i].value), 0);
		/* Connected, as Linux's netfront says before its backend
		 * connects (netback ignores Initialised). */
		assert_int_equal(xenbus_switch_state(&xb,
						     XenbusStateConnected), 0);
		net_world_settle();
		net_world_settle();
		print_message("backend: %s\n", node(BE "/error"));
		assert_non_null(strstr(node(BE "/error"), cases[i].want));
		assert_false(w.nb->connected);
		assert_string_equal(node(BE "/state"), "5");   /* Closing */
		xenbus_switch_state(&xb, XenbusStateClosed);
		net_world_settle();
		snprintf(path, sizeof(path), FE "/%s", cases[i].node);
		hv_xs_rm(w.xs, path);
	}
	/* A well-behaved frontend connects after all that. */
	up_default();
	assert_frames_cross();
}

/* ---- GSO ---- */

/* Send a TCP frame of payload bytes with a GSO extra of mss; check the
 * segments the host got: count, lengths, sequence numbers, flags,
 * checksums, and that they add up to the payload. */
static void gso_round(bool ipv6, size_t payload, uint16_t mss, unsigned want)
{
	struct netfront_tx_offload off = {
		.gso_type = ipv6 ? XEN_NETIF_GSO_TYPE_TCPV6 :
				   XEN_NETIF_GSO_TYPE_TCPV4,
		.gso_size = mss, .csum_blank = true,
	};
	size_t len = make_l4(big_frame, ipv6, 6, payload, host_mac);
	size_t hdr = 14 + (ipv6 ? 40 : 20) + 20, off_in = 0;
	uint64_t gso0 = w.nb->stats.tx_gso;

	print_message("%s: %zu bytes, mss %u\n", ipv6 ? "tcpv6" : "tcpv4",
		      payload, mss);
	w.host_n = 0;
	assert_int_equal(netfront_send_offload(&w.nf, big_frame, len, &off), 0);
	net_world_settle();
	assert_int_equal(w.nb->stats.tx_gso, gso0 + 1);
	assert_int_equal(w.host_n, want);
	for (unsigned i = 0; i < w.host_n; i++) {
		const uint8_t *s = w.host[i];
		size_t chunk = w.host_len[i] - hdr;
		uint32_t seq = (uint32_t)inet_get16(s + hdr - 20 + 4) << 16 |
			       inet_get16(s + hdr - 20 + 6);

		assert_true(w.host_len[i] <= HV_ETH_FRAME_MAX);
		assert_true(chunk <= mss);
		assert_true(checksums_ok(s, w.host_len[i]));
		assert_int_equal(seq, 0x00010000u + off_in);
		/* FIN and PSH only on the last segment. */
		assert_int_equal(s[hdr - 20 + 13] & 0x09,
				 i + 1 == w.host_n ? 0x09 : 0);
		assert_memory_equal(s + hdr, big_frame + hdr + off_in, chunk);
		off_in += chunk;
	}
	assert_int_equal(off_in, payload);
	assert_true(netfront_tx_idle(&w.nf));
	assert_int_equal(w.nf.q[0].nulls_due, 0);
}

static void test_gso_packets_are_cut_into_segments(void **state)
{
	(void)state;
	up_default();
	assert_true(w.nf.nego.gso_tcpv4 && w.nf.nego.gso_tcpv6);
	gso_round(false, 6000, 1000, 6);
	gso_round(false, 6000, 9000, 5);     /* MSS above the MTU: 1460 */
	gso_round(true, 3000, 1200, 3);
	gso_round(false, 40000, 1460, 28);
	assert_int_equal(w.nb->stats.tx_errors, 0);
}

static void test_gso_not_negotiated_is_not_sent(void **state)
{
	struct netfront_tx_offload off = {
		.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1000,
	};
	struct hv_netback_features offer;
	struct netfront_features want;
	size_t len = make_l4(big_frame, false, 6, 3000, host_mac);

	(void)state;
	for (unsigned mode = 0; mode < 3; mode++) {
		hv_netback_features_default(&offer);
		netfront_features_default(&want);
		if (mode == 0)
			offer.gso_tcpv4 = false;
		else if (mode == 1)
			want.gso_tcpv4 = false;
		else
			offer.sg = false;     /* no GSO without sg */
		up(&offer, &want);
		assert_false(w.nf.nego.gso_tcpv4);
		assert_int_equal(netfront_send_offload(&w.nf, big_frame, len, &off),
				 -XEN_EOPNOTSUPP);
		/* Without GSO a frame is at most the MTU. */
		assert_int_equal(netfront_send(&w.nf, big_frame, len),
				 -XEN_EINVAL);
	}
}

/* ---- checksum offload ---- */

static void test_backend_fills_blank_checksums(void **state)
{
	static const struct { bool ipv6; uint8_t proto; } cases[] = {
		{ false, 17 }, { false, 6 }, { true, 17 }, { true, 6 },
	};
	const struct netfront_tx_offload blank = { .csum_blank = true };
	uint8_t f[400];

	(void)state;
	up_default();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = make_l4(f, cases[i].ipv6, cases[i].proto, 300,
				     host_mac);
		uint64_t filled = w.nb->stats.tx_csum_filled;

		assert_false(checksums_ok(f, len));
		w.host_n = 0;
		assert_int_equal(netfront_send_offload(&w.nf, f, len, &blank),
				 0);
		net_world_settle();
		assert_int_equal(w.host_n, 1);
		assert_true(checksums_ok(w.host[0], w.host_len[0]));
		assert_int_equal(w.nb->stats.tx_csum_filled, filled + 1);
	}
}

static void test_checksum_offload_off_leaves_it_to_the_guest(void **state)
{
	const struct netfront_tx_offload blank = { .csum_blank = true };
	struct hv_netback_features offer;
	struct netfront_features want;
	uint8_t f[400];
	size_t v4, v6;

	(void)state;
	for (unsigned mode = 0; mode < 3; mode++) {
		hv_netback_features_default(&offer);
		netfront_features_default(&want);
		if (mode == 0)
			offer.csum = false;
		else if (mode == 1)
			want.csum = false;
		else
			offer.ipv6_csum = false;
		up(&offer, &want);
		assert_string_equal(node(BE "/feature-no-csum-offload"),
				    mode == 0 ? "1" : "");
		v4 = make_l4(f, false, 17, 300, host_mac);
		assert_int_equal(netfront_send_offload(&w.nf, f, v4, &blank),
				 mode == 2 ? 0 : -XEN_EOPNOTSUPP);
		v6 = make_l4(f, true, 17, 300, host_mac);
		assert_int_equal(netfront_send_offload(&w.nf, f, v6, &blank),
				 mode == 2 ? -XEN_EOPNOTSUPP : 0);
	}
}

/* ---- multicast control ---- */

static unsigned deliver_group(const uint8_t *group)
{
	uint8_t f[100], got[HV_ETH_FRAME_MAX];
	size_t len = make_l4(f, false, 17, 40, group);

	memcpy(f + 6, host_mac, 6);
	hv_netswitch_input(&w.sw, w.host_port, f, len);
	return recv_one(got) > 0;
}

static void test_multicast_control_filters_groups(void **state)
{
	static const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct hv_netback_features offer;
	struct netfront_features want;

	(void)state;
	up_default();
	assert_int_equal(deliver_group(group), 0);
	assert_int_equal(w.nb->stats.rx_filtered, 1);
	assert_int_equal(deliver_group(bcast), 1);
	assert_int_equal(netfront_mcast_add(&w.nf, group), 0);
	net_world_settle();
	assert_int_equal(w.nb->stats.mcast_adds, 1);
	assert_true(netfront_tx_idle(&w.nf));
	assert_int_equal(w.nf.q[0].nulls_due, 0);
	assert_int_equal(deliver_group(group), 1);
	assert_int_equal(netfront_mcast_del(&w.nf, group), 0);
	net_world_settle();
	assert_int_equal(w.nb->stats.mcast_dels, 1);
	assert_int_equal(deliver_group(group), 0);
	assert_int_equal(netfront_mcast_add(&w.nf, host_mac), -XEN_EINVAL);

	/* Without it, every group gets through and nothing is asked. */
	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	want.mcast_control = false;
	up(&offer, &want);
	assert_int_equal(deliver_group(group), 1);
	assert_int_equal(netfront_mcast_add(&w.nf, group), -XEN_EOPNOTSUPP);
}

/* ---- the MTU ---- */

static void test_mtu_from_the_config_bounds_frames(void **state)
{
	struct hv_netback_features offer;
	struct netfront_features want;
	uint8_t f[1200];
	int16_t st;

	(void)state;
	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	offer.mtu = 1000;
	up(&offer, &want);
	assert_string_equal(node(FE "/mtu"), "1000");
	assert_string_equal(node(BE "/mtu"), "1000");
	assert_int_equal(w.nf.mtu, 1000);
	memset(f, 0, sizeof(f));
	memcpy(f, host_mac, 6);
	assert_int_equal(netfront_send(&w.nf, f, 1015), -XEN_EINVAL);
	assert_int_equal(netfront_send(&w.nf, f, 1014), 0);
	net_world_settle();
	assert_true(netfront_tx_idle(&w.nf));
	/* A frontend ignoring it gets an error. */
	*XEN_RING_REQ(&w.nf.q[0].tx, w.nf.q[0].tx.req_prod_pvt) =
		(struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0, 0, 0, 1100 };
	w.nf.q[0].tx.req_prod_pvt++;
	w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt;
	net_world_settle();
	st = XEN_RING_RSP(&w.nf.q[0].tx, w.nf.q[0].tx.rsp_cons)->status;
	w.nf.q[0].tx.rsp_cons++;
	assert_int_equal(st, NETIF_RSP_ERROR);
	/* A frame over the guest's MTU is dropped, not handed to it. */
	{
		uint64_t dropped = w.nb->stats.rx_dropped;
		uint8_t got[HV_ETH_FRAME_MAX];

		memcpy(f, guest_mac, 6);
		memcpy(f + 6, host_mac, 6);
		hv_netswitch_input(&w.sw, w.host_port, f, 1015);
		assert_int_equal(recv_one(got), 0);
		assert_int_equal(w.nb->stats.rx_dropped, dropped + 1);
		hv_netswitch_input(&w.sw, w.host_port, f, 1014);
		assert_int_equal(recv_one(got), 1014);
		assert_false(w.nf.broken);
	}
	/* 1500 is the most a vif may have. */
	offer.mtu = 1501;
	{
		struct hv_netback_config nc = { .devid = 1, .sw = NULL };
		struct hv_netback *nb;
		char err[200];

		nc.offer = offer;
		assert_int_equal(hv_netback_create(sim_native_machine(w.sn),
						   w.xs, sim_native_dom0(w.sn),
						   sim_native_domain(w.sn), &nc,
						   &nb, err, sizeof(err)),
				 -XEN_EINVAL);
		assert_string_equal(err, "mtu must be 68 to 1500");
	}
}

/* ---- hostile extra info ---- */

struct bad_extra {
	const char *why;
	struct netif_extra_info x[6];
	unsigned nr;
	bool mcast_off, gso6_off, csum_off, sg_off;
	uint16_t flags;               /* of the data slot */
	size_t frame;                 /* its size */
	bool counted;                 /* as a bad extra */
};

#define GSO(sz, ty, fl) { XEN_NETIF_EXTRA_TYPE_GSO, fl, { .gso = { sz, ty, 0, 0 } } }
#define MC(t, a0) { t, 0, { .mcast = { { a0, 0, 0x5e, 0, 0, 1 } } } }

static void put_slot(const void *slot, size_t len)
{
	memcpy(XEN_RING_REQ(&w.nf.q[0].tx, w.nf.q[0].tx.req_prod_pvt), slot,
	       len);
	w.nf.q[0].tx.req_prod_pvt++;
}

static void test_backend_refuses_bad_extra_info(void **state)
{
	const struct bad_extra cases[] = {
		{ .why = "unknown type 7", .x = { { 7, 0, { .pad = { 0 } } } }, .nr = 1 },
		{ .why = "type 0", .x = { { 0, 0, { .pad = { 0 } } } }, .nr = 1 },
		{ .why = "GSO of size 0", .x = { GSO(0, XEN_NETIF_GSO_TYPE_TCPV4, 0) }, .nr = 1 },
		{ .why = "GSO of type 3", .x = { GSO(1000, 3, 0) }, .nr = 1 },
		{ .why = "GSO tcpv6 not offered",
		  .x = { GSO(1000, XEN_NETIF_GSO_TYPE_TCPV6, 0) }, .nr = 1,
		  .gso6_off = true },
		{ .why = "hash without a control ring",
		  .x = { { XEN_NETIF_EXTRA_TYPE_HASH, 0, { .pad = { 0 } } } },
		  .nr = 1 },
		{ .why = "GSO twice",
		  .x = { GSO(1000, XEN_NETIF_GSO_TYPE_TCPV4,
			     XEN_NETIF_EXTRA_FLAG_MORE),
			 GSO(1000, XEN_NETIF_GSO_TYPE_TCPV4, 0) }, .nr = 2 },
		{ .why = "multicast add not requested",
		  .x = { MC(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0x01) }, .nr = 1,
		  .mcast_off = true },
		{ .why = "multicast del for a unicast address",
		  .x = { MC(XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0x02) }, .nr = 1 },
	};
	const struct bad_extra plain[] = {
		{ .why = "csum_blank not offered", .csum_off = true,
		  .flags = NETTXF_csum_blank, .frame = 100 },
		{ .why = "csum_blank on a frame that is not TCP or UDP",
		  .flags = NETTXF_csum_blank, .frame = 60 },
	};
	int16_t st[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) +
	     sizeof(plain) / sizeof(plain[0]); i++) {
		const struct bad_extra *c = i < sizeof(cases) / sizeof(cases[0]) ?
			&cases[i] : &plain[i - sizeof(cases) / sizeof(cases[0])];
		struct hv_netback_features offer;
		struct netfront_features want;
		size_t len = c->frame ? c->frame : 60;
		unsigned n = 0;

		print_message("%s\n", c->why);
		hv_netback_features_default(&offer);
		netfront_features_default(&want);
		want.mcast_control = !c->mcast_off;
		offer.gso_tcpv6 = !c->gso6_off;
		offer.csum = !c->csum_off;
		up(&offer, &want);
		make_l4(w.nf.q[0].txb[0].page, false, 17, 100 - 42, host_mac);
		if (c->frame == 60)
			((uint8_t *)w.nf.q[0].txb[0].page)[12] = 0x88;
		put_slot(&(struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0,
			 (uint16_t)(c->flags | (c->nr ? NETTXF_extra_info : 0)),
			 0, (uint16_t)len }, sizeof(struct netif_tx_request));
		for (unsigned x = 0; x < c->nr; x++)
			put_slot(&c->x[x], sizeof(c->x[x]));
		w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt;
		net_world_settle();
		while (w.nf.q[0].tx.rsp_cons != w.nf.q[0].tx.sring->rsp_prod &&
		       n < 8)
			st[n++] = XEN_RING_RSP(&w.nf.q[0].tx,
					       w.nf.q[0].tx.rsp_cons++)->status;
		assert_int_equal(n, 1 + c->nr);
		assert_int_equal(st[0], NETIF_RSP_ERROR);
		for (unsigned x = 1; x < n; x++)
			assert_int_equal(st[x], NETIF_RSP_NULL);
		assert_int_equal(w.nb->stats.tx_errors, 1);
		assert_int_equal(w.nb->stats.tx_bad_extra, c->nr ? 1 : 0);
		assert_int_equal(w.host_n, 0);
		assert_false(w.nb->broken);
	}
}

static void test_backend_breaks_on_endless_extra_chain(void **state)
{
	const struct netif_extra_info x =
		GSO(1000, XEN_NETIF_GSO_TYPE_TCPV4, XEN_NETIF_EXTRA_FLAG_MORE);

	(void)state;
	up_default();
	put_slot(&(struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0,
		 NETTXF_extra_info, 0, 100 }, sizeof(struct netif_tx_request));
	for (unsigned i = 0; i < 6; i++)
		put_slot(&x, sizeof(x));
	w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt;
	net_world_settle();
	assert_true(w.nb->broken);
	print_message("backend: %s\n", node(BE "/error"));
	assert_non_null(strstr(node(BE "/error"), "more than 4 extra-info"));
}

static void test_backend_refuses_several_slots_without_sg(void **state)
{
	struct hv_netback_features offer;
	struct netfront_features want;

	(void)state;
	hv_netback_features_default(&offer);
	netfront_features_default(&want);
	offer.sg = false;
	up(&offer, &want);
	assert_false(w.nf.nego.sg);
	make_l4(w.nf.q[0].txb[0].page, false, 17, 58, host_mac);
	put_slot(&(struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0,
		 NETTXF_more_data, 0, 100 }, sizeof(struct netif_tx_request));
	put_slot(&(struct netif_tx_request){ w.nf.q[0].txb[1].ref, 0, 0, 1,
		 40 }, sizeof(struct netif_tx_request));
	w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt;
	net_world_settle();
	assert_int_equal(w.nb->stats.tx_errors, 1);
	assert_int_equal(w.host_n, 0);
}

/* ---- a hostile backend ---- */

static void test_netfront_breaks_on_null_response_without_extra(
	void **state)
{
	struct netfront_queue *q;

	(void)state;
	up_default();
	q = &w.nf.q[0];
	/* One request outstanding (never published), answered NULL. */
	q->tx.req_prod_pvt++;
	XEN_RING_RSP(&q->tx, q->tx.rsp_cons)->id = 0;
	XEN_RING_RSP(&q->tx, q->tx.rsp_cons)->status = NETIF_RSP_NULL;
	q->tx.sring->rsp_prod = q->tx.rsp_cons + 1;
	assert_true(netfront_tx_idle(&w.nf) || w.nf.broken);
	assert_true(w.nf.broken);
	print_message("guest: %s\n", w.nf.why);
	assert_non_null(strstr(w.nf.why, "NULL response"));
	assert_int_equal(netfront_send(&w.nf, big_frame, 60), -XEN_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_feature_on_offered_off_or_unwanted),
		cmocka_unit_test(test_split_and_multicast_keys_follow_negotiation),
		cmocka_unit_test(test_two_queues_with_split_channels_carry_every_flow),
		cmocka_unit_test(test_queue_count_is_clamped_to_the_offer),
		cmocka_unit_test(test_backend_refuses_requests_not_offered),
		cmocka_unit_test(test_gso_packets_are_cut_into_segments),
		cmocka_unit_test(test_gso_not_negotiated_is_not_sent),
		cmocka_unit_test(test_backend_fills_blank_checksums),
		cmocka_unit_test(test_checksum_offload_off_leaves_it_to_the_guest),
		cmocka_unit_test(test_multicast_control_filters_groups),
		cmocka_unit_test(test_mtu_from_the_config_bounds_frames),
		cmocka_unit_test(test_backend_refuses_bad_extra_info),
		cmocka_unit_test(test_backend_breaks_on_endless_extra_chain),
		cmocka_unit_test(test_backend_refuses_several_slots_without_sg),
		cmocka_unit_test(test_netfront_breaks_on_null_response_without_extra),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
