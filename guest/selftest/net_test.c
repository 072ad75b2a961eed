/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "net-test": the guest on its first PV network device (vif 0),
 * through the network layer of net_stack.c. The guest is
 * 10.0.0.<net-ip>; it answers ARP, ICMP echo and UDP echo (port 7). With
 * net-peer=<N> it resolves 10.0.0.<N> (asking for 5 s of virtual time:
 * the peer may still be booting), sends it net-count echo requests
 * (default 4), then one UDP datagram to its echo port for each size of
 * udp_sizes (up to what one frame holds) and checks that the same bytes
 * come back, each within 100 ms of virtual time. With net-blast=<F> it
 * then sends F datagrams of net-size bytes a frame (default 1514) to the
 * peer's discard port (9) as fast as its tx buffers allow; net-sink=<F>
 * counts those until F came or none came for 100 ms. Last it keeps
 * answering for net-linger ms (default 200) so that its peer can finish
 * too. With net-suspend the pinging goes on instead across the
 * toolstack's suspends (selftest/net_suspend.c). Prints one "net-test:"
 * line per step; 0 when every request was answered. */
#include <xen/errno.h>

#include "gxen/time.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "net_stack.h"
#include "selftest.h"

#define REPLY_WAIT_NS (100ull * NSEC_PER_MSEC)
#define PING_BYTES    56

/* Datagram sizes for UDP echo: empty, odd, around a cache line, half a
 * frame, a whole frame. */
static const size_t udp_sizes[] = { 0, 1, 63, 700, NET_UDP_MAX };

struct net_test {
	struct net_stack n;
	char found[32];
	uint8_t pattern[NET_UDP_MAX];
};

static bool peer_resolved(struct net_stack *n, void *arg)
{
	(void)arg;
	return n->peer_known;
}

static bool echo_back(struct net_stack *n, void *arg)
{
	(void)arg;
	return n->echo_answered;
}

static bool udp_back(struct net_stack *n, void *arg)
{
	(void)arg;
	return n->udp_port == UDP_SRC_PORT;
}

static bool resolve_peer(struct net_stack *n)
{
	/* The peer may still be booting: ask every 100 ms, for 5 s. */
	for (unsigned i = 0; i < 50 && !n->peer_known; i++) {
		net_arp_request(n);
		net_serve(n, peer_resolved, NULL, REPLY_WAIT_NS);
	}
	if (!n->peer_known) {
		kprintf("net-test: no ARP reply from 10.0.0.%u\n",
			n->peer_ip[3]);
		return false;
	}
	kprintf("net-test: 10.0.0.%u is at %02x:%02x:%02x:%02x:%02x:%02x\n",
		n->peer_ip[3], n->peer_mac[0], n->peer_mac[1], n->peer_mac[2],
		n->peer_mac[3], n->peer_mac[4], n->peer_mac[5]);
	return true;
}

static unsigned ping(struct net_stack *n, unsigned count)
{
	unsigned replies = 0;

	for (unsigned i = 0; i < count; i++) {
		net_ping_send(n, (uint16_t)(i + 1), PING_BYTES);
		replies += net_serve(n, echo_back, NULL, REPLY_WAIT_NS);
	}
	kprintf("net-test: ping 10.0.0.%u: %u/%u replies\n", n->peer_ip[3],
		replies, count);
	return count - replies;
}

bool net_udp_echo_one(struct net_stack *n, uint8_t *pattern, size_t len,
		      unsigned round)
{
	for (size_t k = 0; k < len; k++)
		pattern[k] = (uint8_t)(k * 13 + round);
	n->udp_port = 0;
	if (!net_udp_send(n, UDP_SRC_PORT, NET_PORT_ECHO, pattern, len) ||
	    !net_serve(n, udp_back, NULL, REPLY_WAIT_NS)) {
		kprintf("net-test: udp echo of %u bytes: no answer\n",
			(unsigned)len);
		return false;
	}
	if (n->udp_len != len || memcmp(n->udp_data, pattern, len) != 0) {
		kprintf("net-test: udp echo of %u bytes: %u bytes came back, "
			"not the ones sent\n", (unsigned)len,
			(unsigned)n->udp_len);
		return false;
	}
	return true;
}

static unsigned udp_echo(struct net_test *t)
{
	unsigned echoed = 0, count = sizeof(udp_sizes) / sizeof(udp_sizes[0]);

	for (unsigned i = 0; i < count; i++)
		echoed += net_udp_echo_one(&t->n, t->pattern, udp_sizes[i], i);
	kprintf("net-test: udp echo 10.0.0.%u: %u/%u datagrams of 0..%u bytes "
		"came back intact\n", t->n.peer_ip[3], echoed, count,
		(unsigned)NET_UDP_MAX);
	return count - echoed;
}

/* net-blast: frames of frame_len bytes to the peer's discard port, as
 * fast as the tx buffers come back. */
static void blast(struct net_test *t, unsigned frames, unsigned frame_len)
{
	struct net_stack *n = &t->n;
	size_t data_len = frame_len - NET_ETH_HLEN - NET_IP_HLEN - NET_UDP_HLEN;
	unsigned sent = 0, len = frame_len < 60 ? 60 : frame_len;

	memset(t->pattern, 0x5a, data_len);
	/* The first one builds the frame in n->out; the rest resend it. */
	if (frames && net_udp_send(n, UDP_SRC_PORT, NET_PORT_DISCARD,
				   t->pattern, data_len))
		sent++;
	while (sent < frames && !n->nf.broken) {
		int rc = netfront_send(&n->nf, n->out, len);

		if (rc == 0)
			sent++;
		else if (rc == -XEN_EAGAIN)
			time_sleep(10 * NSEC_PER_USEC);   /* buffers in flight */
		else
			break;
	}
	kprintf("net-test: blasted %u frames of %u bytes to 10.0.0.%u\n",
		sent, frame_len, n->peer_ip[3]);
}

/* net-sink: count the peer's discard datagrams until want came, or none
 * came for 100 ms after the first, or none at all for 10 s. */
static void sink(struct net_stack *n, unsigned want)
{
	uint64_t start = time_now(), seen = 0;
	unsigned quiet = 0;

	while (n->discard_frames < want && !n->nf.broken) {
		net_serve(n, NULL, NULL, 2 * NSEC_PER_MSEC);
		if (n->discard_frames != seen) {
			seen = n->discard_frames;
			quiet = 0;
		} else if ((seen && ++quiet == 50) ||
			   time_now() - start > 10000 * NSEC_PER_MSEC) {
			break;
		}
	}
	kprintf("net-test: sink got %u frames, %u bytes of data\n",
		(unsigned)n->discard_frames, (unsigned)n->discard_bytes);
}

static void found_vif(const char *nodename, void *arg)
{
	struct net_test *t = arg;

	if (!t->found[0])
		ksnprintf(t->found, sizeof(t->found), "%s", nodename);
}

static unsigned net_test(struct net_test *t);

/* The state lives in pages of its own: too big for the boot stack. */
#define NET_TEST_PAGES ((sizeof(struct net_test) + 4095) / 4096)

unsigned net_test_run(void)
{
	struct net_test *t = page_alloc(NET_TEST_PAGES);
	unsigned failed;

	if (!t) {
		kprintf("net-test: FAIL out of memory\n");
		return 1;
	}
	failed = net_test(t);
	page_free(t, NET_TEST_PAGES);
	return failed;
}

static unsigned net_test(struct net_test *t)
{
	struct net_stack *n = &t->n;
	unsigned ip = bootarg_uint("net-ip", 0, 254);
	unsigned peer = bootarg_uint("net-peer", 0, 254);
	unsigned count = bootarg_uint("net-count", 4, 1000);
	unsigned linger = bootarg_uint("net-linger", 200, 10000);
	unsigned blast_frames = bootarg_uint("net-blast", 0, 100000000);
	unsigned frame_len = bootarg_uint("net-size", NETFRONT_FRAME_MAX,
					  NETFRONT_FRAME_MAX);
	unsigned sink_frames = bootarg_uint("net-sink", 0, 100000000);
	unsigned failed = 0;
	struct netfront_features want;

	memset(t, 0, sizeof(*t));
	net_features_from_bootargs(&want);
	if (ip == 0) {
		kprintf("net-test: FAIL no net-ip=N bootarg (1..254)\n");
		return 1;
	}
	if (frame_len < NET_ETH_HLEN + NET_IP_HLEN + NET_UDP_HLEN) {
		kprintf("net-test: FAIL net-size=%u: a frame holds at least "
			"the 42 bytes of its headers\n", frame_len);
		return 1;
	}
	if (netfront_enumerate(found_vif, t) <= 0 ||
	    netfront_connect_with(&n->nf, t->found, &want)) {
		kprintf("net-test: FAIL no network device connected\n");
		return 1;
	}
	n->ip[0] = 10;
	n->ip[3] = (uint8_t)ip;
	n->peer_ip[0] = 10;
	n->peer_ip[3] = (uint8_t)peer;
	kprintf("net-test: %s up as 10.0.0.%u, mac %02x:%02x:%02x:%02x:%02x:"
		"%02x\n", t->found, ip, n->nf.mac[0], n->nf.mac[1],
		n->nf.mac[2], n->nf.mac[3], n->nf.mac[4], n->nf.mac[5]);
	net_features_print("net-test", &n->nf);
	if (peer && !resolve_peer(n))
		failed++;
	else if (peer && bootarg_present("net-suspend"))
		failed += net_suspend_run(n, t->pattern, count);
	else if (peer) {
		failed += ping(n, count);
		if (blast_frames)
			blast(t, blast_frames, frame_len);
		else
			failed += udp_echo(t);
	}
	if (sink_frames)
		sink(n, sink_frames);
	if (!bootarg_present("net-suspend"))
		net_serve(n, NULL, NULL, (uint64_t)linger * NSEC_PER_MSEC);
	kprintf("net-test: answered %u echo request(s), %u udp echo(es)%s%s\n",
		n->icmp_answered, n->udp_answered,
		n->nf.broken ? "; device broken: " : "",
		n->nf.broken ? n->nf.why : "");
	failed += n->nf.broken;
	netfront_disconnect(&n->nf);
	return failed;
}
