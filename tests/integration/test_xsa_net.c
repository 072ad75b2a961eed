/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE           /* REG_ERR, REG_EFL: ring_watch.h */
/* One regression test per class of Xen Security Advisory that concerns
 * the network device, natively: the guest's netfront against dom0's
 * netback on a virtual switch whose other port is this test, playing a
 * host. Where the advisory is about a hostile frontend, the test writes
 * the guest's tx requests by hand; where it is about a hostile backend,
 * it rewrites the backend's responses. Each expects a clear error or
 * recovery, a bounded queue, and no crash:
 *   XSA-155  each shared ring slot is read once, by netfront (rx
 *            responses) and by netback (tx requests);
 *   XSA-392  netback drops and counts what a guest that never reads
 *            leaves, frames and GSO packets, within a bounded queue;
 *   XSA-423  protocol headers split over slots are joined;
 *   XSA-432  18 tiny fragments inside the headers are joined, more than
 *            18 slots break the device (which reconnects);
 *   XSA-448  an empty fragment after the first is refused, and the next
 *            packet goes through. */
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
#include "ring_watch.h"
#include "sim.h"

#define NODE NET_WORLD_NODE
#define BE "/local/domain/0/backend/vif/1/0"

static const uint8_t *const guest_mac = net_world_guest_mac;
static const uint8_t *const host_mac = net_world_host_mac;

static struct net_world w;

static uint8_t rxbuf[NETFRONT_RX_MAX];

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

/* A machine, netback on the switch, netfront connected with every
 * feature (rx sg, GSO and blank checksums too) on one queue. */
static int setup(void **state)
{
	(void)state;
	if (net_world_start(&w, drop_line) || net_world_backend(&w, NULL))
		return -1;
	return netfront_connect(&w.nf, NODE);
}

static int teardown(void **state)
{
	(void)state;
	net_world_stop(&w);
	return 0;
}

/* Ethernet + IPv4 + TCP from the host to the guest with payload bytes;
 * the length. */
static size_t make_tcp4(uint8_t *f, size_t payload, unsigned seed)
{
	size_t l3 = 14, l4 = l3 + 20;

	memset(f, 0, l4 + 20);
	memcpy(f, guest_mac, 6);
	memcpy(f + 6, host_mac, 6);
	inet_put16(f + 12, 0x0800);
	f[l3] = 0x45;
	inet_put16(f + l3 + 2, (uint16_t)(40 + payload));
	f[l3 + 8] = 64;
	f[l3 + 9] = 6;
	f[l3 + 12] = 10;
	f[l3 + 15] = 2;
	f[l3 + 16] = 10;
	f[l3 + 19] = 1;
	inet_put16(f + l3 + 10, inet_fold(inet_sum(0, f + l3, 20)));
	inet_put16(f + l4, 5000);
	inet_put16(f + l4 + 2, 4000);
	inet_put16(f + l4 + 4, (uint16_t)seed);
	f[l4 + 12] = 5 << 4;
	f[l4 + 13] = 0x18;
	inet_put16(f + l4 + 14, 8192);
	for (size_t i = 0; i < payload; i++)
		f[l4 + 20 + i] = (uint8_t)(i * 13 + seed);
	return l4 + 20 + payload;
}

/* ---- a hostile frontend: tx requests written by hand ---- */

static struct netfront_queue *q0(void)
{
	return &w.nf.q[0];
}

static void put_tx(grant_ref_t ref, uint16_t offset, uint16_t flags,
		   uint16_t id, uint16_t size)
{
	*XEN_RING_REQ(&q0()->tx, q0()->tx.req_prod_pvt) =
		(struct netif_tx_request){ ref, offset, flags, id, size };
	q0()->tx.req_prod_pvt++;
}

static void publish_tx(void)
{
	q0()->tx.sring->req_prod = q0()->tx.req_prod_pvt;
	net_world_settle();
}

/* The status of each response the backend gave since rsp_cons, taken. */
static unsigned take_tx_responses(int16_t *status, unsigned max)
{
	unsigned n = 0;

	while (q0()->tx.rsp_cons != q0()->tx.sring->rsp_prod && n < max) {
		status[n++] = XEN_RING_RSP(&q0()->tx, q0()->tx.rsp_cons)->status;
		q0()->tx.rsp_cons++;
	}
	return n;
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

/* A good one-slot packet still gets through, and reaches the host. */
static void assert_next_packet_passes(void)
{
	uint8_t f[60];
	int16_t st[2];

	net_world_frame(f, host_mac, guest_mac, sizeof(f), 42);
	memcpy(q0()->txb[0].page, f, sizeof(f));
	w.host_n = 0;
	put_tx(q0()->txb[0].ref, 0, 0, 0, sizeof(f));
	publish_tx();
	assert_int_equal(take_tx_responses(st, 2), 1);
	assert_int_equal(st[0], NETIF_RSP_OKAY);
	assert_int_equal(w.host_n, 1);
	assert_memory_equal(w.host[0], f, sizeof(f));
}

/* XSA-423: the first slot holds one byte; the Ethernet, IP and TCP
 * headers each end in a different slot. The packet is joined before
 * anything reads its headers, and its blank checksum is filled over the
 * joined bytes. */
static void test_xsa423_headers_split_over_slots_are_joined(void **state)
{
	static const uint16_t cut[] = { 0, 1, 14, 30, 44 };
	uint8_t f[200];
	size_t len = make_tcp4(f, 146, 5);
	uint32_t sum;
	int16_t st[8];
	unsigned nr = sizeof(cut) / sizeof(cut[0]);

	(void)state;
	memcpy(f, host_mac, 6);            /* to the host, this time */
	memcpy(f + 6, guest_mac, 6);
	memset(f + 34 + 16, 0, 2);         /* the TCP checksum left blank */
	w.host_n = 0;
	for (unsigned i = 0; i < nr; i++) {
		size_t end = i + 1 < nr ? cut[i + 1] : len;

		memcpy(q0()->txb[i].page, f + cut[i], end - cut[i]);
		put_tx(q0()->txb[i].ref, 0,
		       (uint16_t)((i + 1 < nr ? NETTXF_more_data : 0) |
				  (i == 0 ? NETTXF_csum_blank |
					    NETTXF_data_validated : 0)),
		       (uint16_t)i, (uint16_t)(i ? end - cut[i] : len));
	}
	publish_tx();
	assert_int_equal(take_tx_responses(st, 8), nr);
	for (unsigned i = 0; i < nr; i++)
		assert_int_equal(st[i], NETIF_RSP_OKAY);
	assert_false(w.nb->broken);
	assert_int_equal(w.host_n, 1);
	assert_int_equal(w.host_len[0], len);
	/* The bytes as sent, but for the checksum, which now holds. */
	assert_memory_equal(w.host[0], f, 34 + 16);
	assert_memory_equal(w.host[0] + 34 + 18, f + 34 + 18, len - 34 - 18);
	sum = inet_sum(0, w.host[0] + 26, 8);          /* the addresses */
	sum += 6 + (uint32_t)(len - 34);
	sum = inet_sum(sum, w.host[0] + 34, len - 34);
	assert_int_equal(inet_fold(sum), 0);
}

/* XSA-432: the most a packet may be split, 18 slots, all but the first
 * one byte long and inside the headers, is joined whole. */
static void test_xsa432_18_tiny_fragments_are_joined(void **state)
{
	const unsigned nr = XEN_NETIF_NR_SLOTS_MIN;
	uint8_t f[60];
	uint8_t *page = q0()->txb[0].page;
	size_t first = sizeof(f) - (nr - 1);
	int16_t st[32];

	(void)state;
	net_world_frame(f, host_mac, guest_mac, sizeof(f), 7);
	/* One page, the fragments laid out one after the other. */
	memcpy(page, f, sizeof(f));
	w.host_n = 0;
	put_tx(q0()->txb[0].ref, 0, NETTXF_more_data, 0, sizeof(f));
	for (unsigned i = 1; i < nr; i++)
		put_tx(q0()->txb[0].ref, (uint16_t)(first + i - 1),
		       i + 1 < nr ? NETTXF_more_data : 0, (uint16_t)i, 1);
	publish_tx();
	assert_int_equal(take_tx_responses(st, 32), nr);
	for (unsigned i = 0; i < nr; i++)
		assert_int_equal(st[i], NETIF_RSP_OKAY);
	assert_false(w.nb->broken);
	assert_int_equal(w.host_n, 1);
	assert_int_equal(w.host_len[0], sizeof(f));
	assert_memory_equal(w.host[0], f, sizeof(f));
}

/* XSA-432: one slot more breaks the device, with the reason; the guest
 * reconnects and the device works again. */
static void test_xsa432_more_than_18_slots_break_the_device(void **state)
{
	(void)state;
	for (unsigned s = 0; s <= XEN_NETIF_NR_SLOTS_MIN; s++)
		put_tx(q0()->txb[0].ref, (uint16_t)s, NETTXF_more_data,
		       (uint16_t)s, s ? 1 : 60);
	publish_tx();
	assert_backend_broken("tx packet spans more than 18 slots");
	netfront_disconnect(&w.nf);
	assert_int_equal(netfront_connect(&w.nf, NODE), 0);
	assert_false(w.nb->broken);
	assert_next_packet_passes();
}

/* XSA-448: an empty fragment after the first is refused, every slot of
 * the packet answered with an error; the device is not broken. */
static void test_xsa448_an_empty_later_fragment_is_refused(void **state)
{
	uint64_t errors = w.nb->stats.tx_errors;
	int16_t st[4];

	(void)state;
	w.host_n = 0;
	put_tx(q0()->txb[0].ref, 0, NETTXF_more_data, 0, 100);
	put_tx(q0()->txb[1].ref, 0, NETTXF_more_data, 1, 0);
	put_tx(q0()->txb[2].ref, 0, 0, 2, 100);
	publish_tx();
	assert_int_equal(take_tx_responses(st, 4), 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(st[i], NETIF_RSP_ERROR);
	assert_int_equal(w.nb->stats.tx_errors, errors + 1);
	assert_int_equal(w.host_n, 0);
	assert_false(w.nb->broken);
	assert_next_packet_passes();
}

/* XSA-392: a guest that never reads cannot make netback hoard: frames
 * and whole GSO packets wait in a bounded queue, the rest is dropped and
 * counted; what waited arrives once the guest reads. */
static void test_xsa392_netback_drops_and_counts_for_a_guest_that_never_reads(
	void **state)
{
	static uint8_t pkt[16384];
	const struct hv_net_gso gso = { XEN_NETIF_GSO_TYPE_TCPV4, 1448 };
	const unsigned frames = 300, packets = 40;
	struct netfront_rx_info info;
	unsigned got = 0, got_gso = 0;
	long n;

	(void)state;
	for (unsigned i = 0; i < frames + packets; i++) {
		if (i % 8 == 7 && i / 8 < packets) {
			size_t len = make_tcp4(pkt, 12000, i);

			hv_netswitch_input_gso(&w.sw, w.host_port, pkt, len,
					       &gso);
		} else {
			net_world_frame(pkt, guest_mac, host_mac, 300, i);
			hv_netswitch_input(&w.sw, w.host_port, pkt, 300);
		}
		net_world_settle();
		assert_true(hv_netback_rx_queued(w.nb) <= HV_NETBACK_RXQ);
		assert_true(w.nb->queue[0].rxq_gso <= HV_NETBACK_RXQ_GSO);
	}
	assert_true(w.nb->stats.rx_dropped > 0);
	assert_int_equal(w.nb->stats.rx_packets + hv_netback_rx_queued(w.nb) +
			 w.nb->stats.rx_dropped, frames + packets);
	for (;;) {
		n = netfront_recv_info(&w.nf, rxbuf, sizeof(rxbuf), &info);
		if (n > 0) {
			got++;
			got_gso += info.gso_type != XEN_NETIF_GSO_TYPE_NONE;
			continue;
		}
		if (n < 0 || !hv_netback_rx_queued(w.nb))
			break;
		net_world_settle();        /* what waited goes into the buffers */
	}
	assert_int_equal(n, 0);
	assert_false(w.nf.broken);
	assert_int_equal(got, frames + packets - w.nb->stats.rx_dropped);
	assert_int_equal(got_gso, w.nb->stats.rx_gso);
	print_message("%u received (%u GSO), %llu dropped\n", got, got_gso,
		      (unsigned long long)w.nb->stats.rx_dropped);
}

/* ---- XSA-155: each ring slot read once ---- */

/* netfront copies each rx response once and looks only at its copy. */
static void test_xsa155_netfront_reads_each_rx_response_once(void **state)
{
	static const size_t sizes[] = { 60, 1514, 300, 999 };
	const unsigned nr = sizeof(sizes) / sizeof(sizes[0]);
	uint8_t f[HV_ETH_FRAME_MAX];
	unsigned reads[4];

	(void)state;
	for (unsigned i = 0; i < nr; i++) {
		net_world_frame(f, guest_mac, host_mac, sizes[i], i);
		hv_netswitch_input(&w.sw, w.host_port, f, sizes[i]);
	}
	net_world_settle();
	assert_int_equal(q0()->rx.sring->rsp_prod - q0()->rx.rsp_cons, nr);
	assert_int_equal(hv_netback_rx_queued(w.nb), 0);
	assert_int_equal(q0()->rx.rsp_cons, 0);
	assert_int_equal(ring_watch_start(q0()->rx_page, 4096), 0);
	for (unsigned i = 0; i < nr; i++)
		assert_int_equal(netfront_recv(&w.nf, rxbuf, sizeof(rxbuf)),
				 (long)sizes[i]);
	ring_watch_stop();
	ring_watch_count_reads(q0()->rx.sring->ring,
			       sizeof(q0()->rx.sring->ring[0]), nr, reads);
	for (unsigned s = 0; s < nr; s++) {
		if (reads[s] != 1)
			print_message("  slot %u read %u times\n", s, reads[s]);
		assert_int_equal(reads[s], 1);
	}
	assert_false(w.nf.broken);
}

/* netback copies each tx request once and looks only at its copy. */
static void test_xsa155_netback_reads_each_tx_request_once(void **state)
{
	const unsigned nr = 6;
	uint8_t f[100];
	unsigned reads[6];
	int16_t st[8];

	(void)state;
	/* Two one-slot packets, then one of four slots. */
	net_world_frame(f, host_mac, guest_mac, sizeof(f), 1);
	for (unsigned i = 0; i < 3; i++)
		memcpy(q0()->txb[i].page, f, sizeof(f));
	put_tx(q0()->txb[0].ref, 0, 0, 0, 60);
	put_tx(q0()->txb[1].ref, 0, 0, 1, 80);
	put_tx(q0()->txb[2].ref, 0, NETTXF_more_data, 2, 100);
	for (unsigned i = 3; i < nr; i++)
		put_tx(q0()->txb[2].ref, (uint16_t)(i * 10),
		       i + 1 < nr ? NETTXF_more_data : 0, (uint16_t)i, 10);
	assert_int_equal(q0()->tx.req_prod_pvt, nr);
	q0()->tx.sring->req_prod = q0()->tx.req_prod_pvt;
	w.host_n = 0;
	assert_int_equal(ring_watch_start(q0()->tx_page, 4096), 0);
	hv_netback_run(w.nb);
	ring_watch_stop();
	ring_watch_count_reads(q0()->tx.sring->ring,
			       sizeof(q0()->tx.sring->ring[0]), nr, reads);
	for (unsigned s = 0; s < nr; s++) {
		if (reads[s] != 1)
			print_message("  slot %u read %u times\n", s, reads[s]);
		assert_int_equal(reads[s], 1);
	}
	assert_int_equal(take_tx_responses(st, 8), nr);
	for (unsigned i = 0; i < nr; i++)
		assert_int_equal(st[i], NETIF_RSP_OKAY);
	assert_int_equal(w.host_n, 3);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xsa155_netfront_reads_each_rx_response_once),
		T(test_xsa155_netback_reads_each_tx_request_once),
		T(test_xsa392_netback_drops_and_counts_for_a_guest_that_never_reads),
		T(test_xsa423_headers_split_over_slots_are_joined),
		T(test_xsa432_18_tiny_fragments_are_joined),
		T(test_xsa432_more_than_18_slots_break_the_device),
		T(test_xsa448_an_empty_later_fragment_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
