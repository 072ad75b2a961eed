/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV network device end to end in a running native guest: the
 * guest's netfront (dev/netfront.h) against dom0's netback
 * (hv/netback.h) on a virtual switch (hv/netswitch.h) whose other port is
 * this test, playing a host on the bridge. Frames go both ways byte for
 * byte; a guest that posts no buffers makes the backend drop and count,
 * never queue without bound; a hostile frontend (requests written by
 * hand: too many slots, empty fragments, runts, extra info, bad grants,
 * an impossible producer) gets errors or a broken device, never a crash;
 * a hostile backend (responses rewritten by hand: bad ids, pages
 * overrun, flags not negotiated, producers going backwards) marks the
 * guest's device broken with the reason, and it reconnects after. */
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
#include "gxen/xs.h"
#include "hv/netback.h"
#include "hv/xs.h"
#include "net_world.h"
#include "sim.h"

#define NODE NET_WORLD_NODE
#define BE "/local/domain/0/backend/vif/1/0"

static const uint8_t *const guest_mac = net_world_guest_mac;
static const uint8_t *const host_mac = net_world_host_mac;

static struct net_world w;

/* This test's frontend takes frames in one slot with whole checksums
 * (rx sg, GSO and checksum offload are test_native_netrx's). */
static int connect_single_slot(void)
{
	struct netfront_features want;

	netfront_features_default(&want);
	want.rx_sg = want.rx_gso_tcpv4 = want.rx_gso_tcpv6 = false;
	want.rx_csum = false;
	return netfront_connect_with(&w.nf, NODE, &want);
}

static int setup(void **state)
{
	(void)state;
	if (net_world_start(&w, NULL) || net_world_backend(&w, NULL))
		return -1;
	return connect_single_slot();
}

static int teardown(void **state)
{
	(void)state;
	net_world_stop(&w);
	return 0;
}

static long recv_one(uint8_t *buf)
{
	long n = 0;

	for (unsigned i = 0; i < 20 && n == 0; i++) {
		n = netfront_recv(&w.nf, buf, HV_ETH_FRAME_MAX);
		if (n == 0)
			net_world_settle();
	}
	return n;
}

static void reconnect(void)
{
	netfront_disconnect(&w.nf);
	assert_int_equal(connect_single_slot(), 0);
}

static void test_netfront_reads_its_mac_and_connects(void **state)
{
	char v[32];
	int n;

	(void)state;
	assert_true(w.nf.connected);
	assert_memory_equal(w.nf.mac, guest_mac, 6);
	n = hv_xs_read(w.xs, BE "/feature-rx-copy", v, sizeof(v) - 1);
	assert_int_equal(n, 1);
	n = hv_xs_read(w.xs, "/local/domain/1/" NODE "/request-rx-copy", v,
		       sizeof(v) - 1);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], '1');
	assert_true(w.nb->connected);
}

static void test_frames_cross_both_ways_byte_for_byte(void **state)
{
	static const size_t sizes[] = { 14, 60, 61, 1000, 1514 };
	uint8_t f[HV_ETH_FRAME_MAX], got[HV_ETH_FRAME_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = net_world_frame(f, host_mac, guest_mac, sizes[i],
					(unsigned)i);

		w.host_n = 0;
		assert_int_equal(netfront_send(&w.nf, f, len), 0);
		net_world_settle();
		assert_int_equal(w.host_n, 1);
		assert_int_equal(w.host_len[0], len);
		assert_memory_equal(w.host[0], f, len);

		len = net_world_frame(f, guest_mac, host_mac, sizes[i],
				 (unsigned)i + 100);
		hv_netswitch_input(&w.sw, w.host_port, f, len);
		assert_int_equal(recv_one(got), (long)len);
		assert_memory_equal(got, f, len);
	}
	assert_true(netfront_tx_idle(&w.nf));
	assert_int_equal(w.nf.stats.tx_errors, 0);
	assert_int_equal(w.nb->stats.tx_errors, 0);
}

static void test_switch_learns_and_floods(void **state)
{
	uint8_t f[64];
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	const struct hv_netswitch_stats *st;

	(void)state;
	/* Unknown destination: flooded to the guest too. */
	net_world_frame(f, other, host_mac, 64, 1);
	hv_netswitch_input(&w.sw, w.host_port, f, 64);
	uint8_t got[HV_ETH_FRAME_MAX];
	assert_int_equal(recv_one(got), 64);
	/* The host's address is learnt: the guest's reply goes only there. */
	w.host_n = 0;
	net_world_frame(f, host_mac, guest_mac, 64, 2);
	assert_int_equal(netfront_send(&w.nf, f, 64), 0);
	net_world_settle();
	assert_int_equal(w.host_n, 1);
	/* A runt never enters. */
	st = hv_netswitch_stats(&w.sw, w.host_port);
	uint64_t errors = st->in_errors;
	hv_netswitch_input(&w.sw, w.host_port, f, 13);
	assert_int_equal(st->in_errors, errors + 1);
}

/* XSA-392: a frontend that takes nothing cannot make the backend hoard. */
static void test_backend_queue_is_bounded_when_guest_reads_nothing(
	void **state)
{
	uint8_t f[128], got[HV_ETH_FRAME_MAX];
	uint64_t drop0 = w.nb->stats.rx_dropped;
	uint64_t rx0 = w.nb->stats.rx_packets;
	unsigned sent = 200, taken = 0;
	long n;

	(void)state;
	for (unsigned i = 0; i < sent; i++) {
		net_world_frame(f, guest_mac, host_mac, sizeof(f), i);
		hv_netswitch_input(&w.sw, w.host_port, f, sizeof(f));
		net_world_settle();
	}
	assert_true(hv_netback_rx_queued(w.nb) <= HV_NETBACK_RXQ);
	assert_int_equal(w.nb->stats.rx_packets - rx0 + hv_netback_rx_queued(w.nb) +
			 w.nb->stats.rx_dropped - drop0, sent);
	assert_true(w.nb->stats.rx_dropped - drop0 >=
		    sent - HV_NETBACK_RXQ - NETFRONT_RX_BUFS);
	/* What was kept is delivered once the guest reads again. */
	while ((n = recv_one(got)) > 0)
		taken++;
	assert_int_equal(n, 0);
	assert_int_equal(taken, sent - (w.nb->stats.rx_dropped - drop0));
}

/* ---- a hostile frontend: requests written by hand ---- */

/* Put req in the guest's next tx slot (as a frontend would, or not). */
static void put_tx(struct netif_tx_request req)
{
	*XEN_RING_REQ(&w.nf.q[0].tx, w.nf.q[0].tx.req_prod_pvt) = req;
	w.nf.q[0].tx.req_prod_pvt++;
}

static void publish_tx(void)
{
	w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt;
	net_world_settle();
}

/* The status of each response the backend gave since rsp_cons, taken. */
static unsigned take_tx_responses(int16_t *status, unsigned max)
{
	unsigned n = 0;

	while (w.nf.q[0].tx.rsp_cons != w.nf.q[0].tx.sring->rsp_prod && n < max) {
		status[n++] = XEN_RING_RSP(&w.nf.q[0].tx, w.nf.q[0].tx.rsp_cons)->status;
		w.nf.q[0].tx.rsp_cons++;
	}
	return n;
}

struct bad_tx {
	const char *why;
	unsigned nr;                  /* slots */
	struct netif_tx_request slot[3];
	int16_t status[3];            /* what each slot is answered */
};

#define E NETIF_RSP_ERROR
#define N NETIF_RSP_NULL

static void test_backend_refuses_bad_tx_packets_with_errors(void **state)
{
	grant_ref_t ref = w.nf.q[0].txb[0].ref;
	const struct bad_tx bad[] = {
		{ "runt", 1, { { ref, 0, 0, 0, 13 } }, { E } },
		{ "over the frame limit", 1, { { ref, 0, 0, 0, 1515 } }, { E } },
		{ "crosses its page", 1, { { ref, 4000, 0, 0, 200 } }, { E } },
		{ "ungranted reference", 1, { { 9999, 0, 0, 0, 60 } }, { E } },
		{ "empty fragment after the first", 2,
		  { { ref, 0, NETTXF_more_data, 0, 60 }, { ref, 0, 0, 1, 0 } },
		  { E, E } },
		{ "fragments larger than the packet", 2,
		  { { ref, 0, NETTXF_more_data, 0, 60 },
		    { ref, 0, 0, 1, 100 } }, { E, E } },
		{ "extra info of type 0", 2,
		  { { ref, 0, NETTXF_extra_info, 0, 60 }, { 0, 0, 0, 1, 0 } },
		  { E, N } },
	};
	int16_t st[4];

	(void)state;
	assert_true(netfront_tx_idle(&w.nf));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t errors = w.nb->stats.tx_errors;

		print_message("%s\n", bad[i].why);
		w.host_n = 0;
		for (unsigned s = 0; s < bad[i].nr; s++)
			put_tx(bad[i].slot[s]);
		publish_tx();
		assert_int_equal(take_tx_responses(st, 4), bad[i].nr);
		for (unsigned s = 0; s < bad[i].nr; s++)
			assert_int_equal(st[s], bad[i].status[s]);
		assert_int_equal(w.nb->stats.tx_errors, errors + 1);
		assert_int_equal(w.host_n, 0);
		assert_false(w.nb->broken);
	}
}

/* A header split over three slots is joined before anything reads it. */
static void test_backend_joins_headers_split_over_slots(void **state)
{
	uint8_t f[100];
	int16_t st[4];

	(void)state;
	net_world_frame(f, host_mac, guest_mac, sizeof(f), 9);
	memcpy(w.nf.q[0].txb[0].page, f, 5);
	memcpy(w.nf.q[0].txb[1].page, f + 5, 5);
	memcpy(w.nf.q[0].txb[2].page, f + 10, 90);
	w.host_n = 0;
	put_tx((struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0,
					  NETTXF_more_data, 0, 100 });
	put_tx((struct netif_tx_request){ w.nf.q[0].txb[1].ref, 0,
					  NETTXF_more_data, 1, 5 });
	put_tx((struct netif_tx_request){ w.nf.q[0].txb[2].ref, 0, 0, 2, 90 });
	publish_tx();
	assert_int_equal(take_tx_responses(st, 4), 3);
	assert_int_equal(st[0], NETIF_RSP_OKAY);
	assert_int_equal(w.host_n, 1);
	assert_int_equal(w.host_len[0], 100);
	assert_memory_equal(w.host[0], f, 100);
}

static void assert_backend_broken(const char *want)
{
	char err[200];
	int n = hv_xs_read(w.xs, BE "/error", err, sizeof(err) - 1);

	assert_true(w.nb->broken);
	assert_true(n > 0);
	err[n] = '\0';
	print_message("backend: %s\n", err);
	assert_non_null(strstr(err, want));
}

/* XSA-432 class: a packet longer than the protocol allows. */
static void test_backend_breaks_on_more_than_18_slots(void **state)
{
	(void)state;
	for (unsigned s = 0; s < XEN_NETIF_NR_SLOTS_MIN + 1; s++)
		put_tx((struct netif_tx_request){ w.nf.q[0].txb[0].ref, 0,
						  NETTXF_more_data,
						  (uint16_t)s, 1 });
	publish_tx();
	assert_backend_broken("tx packet spans more than 18 slots");
	reconnect();
	assert_false(w.nb->broken);
}

static void test_backend_breaks_on_impossible_req_prod(void **state)
{
	(void)state;
	w.nf.q[0].tx.sring->req_prod = w.nf.q[0].tx.req_prod_pvt + 1000;
	net_world_settle();
	assert_backend_broken("tx req_prod");
	reconnect();
	assert_false(w.nb->broken);
}

/* ---- a hostile backend: responses rewritten by hand ---- */

/* A frame for the guest, its response then spoilt by spoil(). */
static void deliver_and_spoil(void (*spoil)(struct netif_rx_response *))
{
	uint8_t f[80];
	RING_IDX idx = w.nf.q[0].rx.rsp_cons;

	net_world_frame(f, guest_mac, host_mac, sizeof(f), 3);
	hv_netswitch_input(&w.sw, w.host_port, f, sizeof(f));
	net_world_settle();
	assert_int_not_equal(w.nf.q[0].rx.sring->rsp_prod, idx);
	spoil(XEN_RING_RSP(&w.nf.q[0].rx, idx));
}

static void bad_id(struct netif_rx_response *r) { r->id = 99; }
static void over_page(struct netif_rx_response *r) { r->offset = 4090; }
static void extra(struct netif_rx_response *r) { r->flags = NETRXF_extra_info; }
static void more(struct netif_rx_response *r) { r->flags = NETRXF_more_data; }
static void huge(struct netif_rx_response *r) { r->status = 3000; }
static void blank(struct netif_rx_response *r) { r->flags = NETRXF_csum_blank; }

static void test_netfront_breaks_on_bad_rx_responses(void **state)
{
	static const struct {
		void (*spoil)(struct netif_rx_response *);
		const char *want;
	} cases[] = {
		{ bad_id, "has id 99" },
		{ over_page, "crosses its page" },
		{ extra, "were not negotiated" },
		{ more, "were not negotiated" },
		{ huge, "over the 1514-byte frame" },
		{ blank, "blank checksum were not negotiated" },
	};
	uint8_t got[HV_ETH_FRAME_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		deliver_and_spoil(cases[i].spoil);
		assert_int_equal(netfront_recv(&w.nf, got, sizeof(got)),
				 -XEN_EIO);
		assert_true(w.nf.broken);
		print_message("guest: %s\n", w.nf.why);
		assert_non_null(strstr(w.nf.why, cases[i].want));
		/* Every later call says so too. */
		assert_int_equal(netfront_send(&w.nf, got, 60), -XEN_EIO);
		reconnect();
		assert_false(w.nf.broken);
	}
}

static void test_netfront_breaks_on_rx_producer_going_backwards(
	void **state)
{
	uint8_t got[HV_ETH_FRAME_MAX];

	(void)state;
	w.nf.q[0].rx.sring->rsp_prod = w.nf.q[0].rx.rsp_cons - 1;
	assert_int_equal(netfront_recv(&w.nf, got, sizeof(got)), -XEN_EIO);
	assert_non_null(strstr(w.nf.why, "going backwards"));
	reconnect();
}

static void test_netfront_breaks_on_tx_response_not_pending(void **state)
{
	uint8_t f[60];

	(void)state;
	assert_true(netfront_tx_idle(&w.nf));
	/* A response nobody asked for: rsp_prod past the requests. */
	XEN_RING_RSP(&w.nf.q[0].tx, w.nf.q[0].tx.rsp_cons)->id = 3;
	w.nf.q[0].tx.sring->rsp_prod = w.nf.q[0].tx.rsp_cons + 1;
	net_world_frame(f, host_mac, guest_mac, sizeof(f), 4);
	assert_int_equal(netfront_send(&w.nf, f, sizeof(f)), -XEN_EIO);
	assert_non_null(strstr(w.nf.why, "tx rsp_prod"));
	reconnect();
	assert_int_equal(netfront_send(&w.nf, f, sizeof(f)), 0);
}

/* The backend's state node, "" when unreadable. */
static const char *backend_state(void)
{
	static char v[8];
	int n = hv_xs_read(w.xs, BE "/state", v, sizeof(v) - 1);

	v[n > 0 ? n : 0] = '\0';
	return v;
}

/* Linux's netback ignores a frontend at Initialised and connects only at
 * Connected; the model waits the same, so a frontend that waits at
 * Initialised for the backend fails here as it would under Linux. */
static void test_backend_connects_only_when_frontend_connected(void **state)
{
	(void)state;
	netfront_disconnect(&w.nf);
	assert_int_equal(xs_write(XBT_NIL, NODE "/state", "1"), 0);
	net_world_settle();
	assert_string_equal(backend_state(), "2");
	assert_int_equal(xs_write(XBT_NIL, NODE "/state", "3"), 0);
	net_world_settle();
	net_world_settle();
	assert_string_equal(backend_state(), "2");
	assert_false(w.nb->connected);
	/* Closed again, so that netfront may start over. */
	assert_int_equal(xs_write(XBT_NIL, NODE "/state", "6"), 0);
	net_world_settle();
	assert_int_equal(netfront_connect(&w.nf, NODE), 0);
	assert_string_equal(backend_state(), "4");
	assert_true(w.nb->connected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netfront_reads_its_mac_and_connects),
		cmocka_unit_test(test_frames_cross_both_ways_byte_for_byte),
		cmocka_unit_test(test_switch_learns_and_floods),
		cmocka_unit_test(test_backend_queue_is_bounded_when_guest_reads_nothing),
		cmocka_unit_test(test_backend_refuses_bad_tx_packets_with_errors),
		cmocka_unit_test(test_backend_joins_headers_split_over_slots),
		cmocka_unit_test(test_backend_breaks_on_more_than_18_slots),
		cmocka_unit_test(test_backend_breaks_on_impossible_req_prod),
		cmocka_unit_test(test_netfront_breaks_on_bad_rx_responses),
		cmocka_unit_test(test_netfront_breaks_on_rx_producer_going_backwards),
		cmocka_unit_test(test_netfront_breaks_on_tx_response_not_pending),
		cmocka_unit_test(test_backend_connects_only_when_frontend_connected),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
