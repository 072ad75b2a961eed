/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "net-test": the guest on its first PV network device (vif 0)
 * with a network layer just large enough to test it: Ethernet, ARP,
 * IPv4 and ICMP echo, checksums computed here (no offload is
 * negotiated). The guest is 10.0.0.<net-ip>; it answers ARP requests for
 * its address and echo requests to it, and with net-peer=<N> resolves
 * 10.0.0.<N> (asking for 5 s of virtual time: the peer may still be
 * booting) and sends it net-count echo requests (default 4), each
 * answered or not within 100 ms of virtual time, then keeps answering for
 * net-linger ms (default 200) so that its peer can finish too. Every
 * frame is the other side's word: lengths, versions and checksums are
 * checked before anything is answered. Prints one "net-test:" line per
 * step; 0 when every request was answered. */
#include <xen/errno.h>

#include "dev/netfront.h"
#include "gxen/time.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define ETH_HLEN      14
#define ETHERTYPE_IP  0x0800
#define ETHERTYPE_ARP 0x0806
#define IP_HLEN       20
#define ICMP_HLEN     8
#define PING_BYTES    56
#define REPLY_WAIT_NS (100ull * NSEC_PER_MSEC)

struct net_test {
	struct netfront nf;
	uint8_t ip[4], peer_ip[4];
	uint8_t peer_mac[6];
	bool peer_known;
	uint16_t echo_seq;           /* the request waited for */
	bool echo_answered;
	unsigned answered;           /* echo requests we replied to */
	uint8_t frame[NETFRONT_FRAME_MAX];
	uint8_t out[NETFRONT_FRAME_MAX];
	char found[32];
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The Internet checksum (RFC 1071) over len bytes. */
static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void eth_header(struct net_test *t, const uint8_t *dst, uint16_t type)
{
	memcpy(t->out, dst, 6);
	memcpy(t->out + 6, t->nf.mac, 6);
	put16(t->out + 12, type);
}

static void send_frame(struct net_test *t, size_t len)
{
	/* Short frames are padded to Ethernet's 60-byte minimum. */
	if (len < 60) {
		memset(t->out + len, 0, 60 - len);
		len = 60;
	}
	for (unsigned i = 0; i < 100; i++) {
		int rc = netfront_send(&t->nf, t->out, len);

		if (rc != -XEN_EAGAIN)
			return;
		time_sleep(100 * NSEC_PER_USEC);   /* tx buffers in flight */
	}
}

static void send_arp(struct net_test *t, uint16_t op, const uint8_t *tha,
		     const uint8_t *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *a = t->out + ETH_HLEN;

	eth_header(t, op == 1 ? bcast : tha, ETHERTYPE_ARP);
	put16(a, 1);                /* Ethernet */
	put16(a + 2, ETHERTYPE_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, t->nf.mac, 6);
	memcpy(a + 14, t->ip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	send_frame(t, ETH_HLEN + 28);
}

static void on_arp(struct net_test *t, const uint8_t *a, size_t len)
{
	if (len < 28 || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IP ||
	    a[4] != 6 || a[5] != 4)
		return;
	if (get16(a + 6) == 1 && memcmp(a + 24, t->ip, 4) == 0)
		send_arp(t, 2, a + 8, a + 14);
	/* The peer's address from anything it says, request or reply:
	 * a peer that asked first need not be asked. */
	if (memcmp(a + 14, t->peer_ip, 4) == 0) {
		memcpy(t->peer_mac, a + 8, 6);
		t->peer_known = true;
	}
}

/* An IPv4 packet to dst carrying an ICMP message of icmp_len bytes
 * already at out + ETH_HLEN + IP_HLEN. */
static void send_ip_icmp(struct net_test *t, const uint8_t *dst_mac,
			 const uint8_t *dst_ip, size_t icmp_len)
{
	uint8_t *ip = t->out + ETH_HLEN, *icmp = ip + IP_HLEN;

	eth_header(t, dst_mac, ETHERTYPE_IP);
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + icmp_len));
	put16(ip + 4, 0);
	put16(ip + 6, 0x4000);      /* don't fragment */
	ip[8] = 64;
	ip[9] = 1;                  /* ICMP */
	put16(ip + 10, 0);
	memcpy(ip + 12, t->ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	put16(ip + 10, inet_csum(ip, IP_HLEN));
	put16(icmp + 2, 0);
	put16(icmp + 2, inet_csum(icmp, icmp_len));
	send_frame(t, ETH_HLEN + IP_HLEN + icmp_len);
}

static void on_icmp(struct net_test *t, const uint8_t *eth, const uint8_t *ip,
		    const uint8_t *icmp, size_t len)
{
	if (len < ICMP_HLEN || len > NETFRONT_FRAME_MAX - ETH_HLEN - IP_HLEN ||
	    inet_csum(icmp, len) != 0)
		return;
	if (icmp[0] == 8 && icmp[1] == 0) {
		/* Echo request: the same message back as a reply. */
		memcpy(t->out + ETH_HLEN + IP_HLEN, icmp, len);
		t->out[ETH_HLEN + IP_HLEN] = 0;
		send_ip_icmp(t, eth + 6, ip + 12, len);
		t->answered++;
	} else if (icmp[0] == 0 && memcmp(ip + 12, t->peer_ip, 4) == 0 &&
		   get16(icmp + 6) == t->echo_seq) {
		t->echo_answered = true;
	}
}

static void on_ipv4(struct net_test *t, const uint8_t *eth, const uint8_t *ip,
		    size_t len)
{
	size_t ihl, total;

	if (len < IP_HLEN || ip[0] >> 4 != 4)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	total = get16(ip + 2);
	if (ihl < IP_HLEN || total < ihl || total > len ||
	    inet_csum(ip, ihl) != 0 || memcmp(ip + 16, t->ip, 4) != 0 ||
	    (get16(ip + 6) & 0x3fff) != 0)   /* fragments are not ours */
		return;
	if (ip[9] == 1)
		on_icmp(t, eth, ip, ip + ihl, total - ihl);
}

/* Take every frame waiting; false once the device is broken. */
static bool pump(struct net_test *t)
{
	long n;

	while ((n = netfront_recv(&t->nf, t->frame, sizeof(t->frame))) > 0) {
		if (n < ETH_HLEN)
			continue;
		if (get16(t->frame + 12) == ETHERTYPE_ARP)
			on_arp(t, t->frame + ETH_HLEN, (size_t)n - ETH_HLEN);
		else if (get16(t->frame + 12) == ETHERTYPE_IP)
			on_ipv4(t, t->frame, t->frame + ETH_HLEN,
				(size_t)n - ETH_HLEN);
	}
	return n == 0;
}

static bool rx_waiting(void *arg)
{
	return netfront_rx_pending(&((struct net_test *)arg)->nf);
}

/* Serve the network until done(t) or ns of virtual time passed. */
static bool serve(struct net_test *t, bool (*done)(struct net_test *t),
		  uint64_t ns)
{
	uint64_t end = time_now() + ns;

	while (!(done && done(t))) {
		uint64_t now = time_now();

		if (!pump(t))
			return false;
		if (done && done(t))
			break;
		if (now >= end)
			return false;
		time_wait(rx_waiting, t, end - now);
	}
	return true;
}

static bool peer_resolved(struct net_test *t)
{
	return t->peer_known;
}

static bool echo_back(struct net_test *t)
{
	return t->echo_answered;
}

static void ping(struct net_test *t, unsigned count, unsigned *replies)
{
	uint8_t *icmp = t->out + ETH_HLEN + IP_HLEN;

	/* The peer may still be booting: ask every 100 ms, for 5 s. */
	for (unsigned i = 0; i < 50 && !t->peer_known; i++) {
		send_arp(t, 1, (const uint8_t[6]){ 0 }, t->peer_ip);
		serve(t, peer_resolved, REPLY_WAIT_NS);
	}
	if (!t->peer_known) {
		kprintf("net-test: no ARP reply from 10.0.0.%u\n",
			t->peer_ip[3]);
		return;
	}
	kprintf("net-test: 10.0.0.%u is at %02x:%02x:%02x:%02x:%02x:%02x\n",
		t->peer_ip[3], t->peer_mac[0], t->peer_mac[1], t->peer_mac[2],
		t->peer_mac[3], t->peer_mac[4], t->peer_mac[5]);
	for (unsigned i = 0; i < count; i++) {
		icmp[0] = 8;
		icmp[1] = 0;
		put16(icmp + 4, 0x7873);            /* identifier */
		t->echo_seq = (uint16_t)(i + 1);
		put16(icmp + 6, t->echo_seq);
		for (unsigned k = 0; k < PING_BYTES; k++)
			icmp[ICMP_HLEN + k] = (uint8_t)(k + i);
		t->echo_answered = false;
		send_ip_icmp(t, t->peer_mac, t->peer_ip, ICMP_HLEN + PING_BYTES);
		if (serve(t, echo_back, REPLY_WAIT_NS))
			(*replies)++;
	}
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
	unsigned ip = bootarg_uint("net-ip", 0, 254);
	unsigned peer = bootarg_uint("net-peer", 0, 254);
	unsigned count = bootarg_uint("net-count", 4, 1000);
	unsigned linger = bootarg_uint("net-linger", 200, 10000);
	unsigned replies = 0;

	memset(t, 0, sizeof(*t));
	if (ip == 0) {
		kprintf("net-test: FAIL no net-ip=N bootarg (1..254)\n");
		return 1;
	}
	if (netfront_enumerate(found_vif, t) <= 0 ||
	    netfront_connect(&t->nf, t->found)) {
		kprintf("net-test: FAIL no network device connected\n");
		return 1;
	}
	t->ip[0] = 10;
	t->ip[3] = (uint8_t)ip;
	t->peer_ip[0] = 10;
	t->peer_ip[3] = (uint8_t)peer;
	kprintf("net-test: %s up as 10.0.0.%u, mac %02x:%02x:%02x:%02x:%02x:"
		"%02x\n", t->found, ip, t->nf.mac[0], t->nf.mac[1], t->nf.mac[2],
		t->nf.mac[3], t->nf.mac[4], t->nf.mac[5]);
	if (peer) {
		ping(t, count, &replies);
		kprintf("net-test: ping 10.0.0.%u: %u/%u replies\n", peer,
			replies, count);
	}
	serve(t, NULL, (uint64_t)linger * NSEC_PER_MSEC);
	kprintf("net-test: answered %u echo request(s)%s%s\n", t->answered,
		t->nf.broken ? "; device broken: " : "",
		t->nf.broken ? t->nf.why : "");
	netfront_disconnect(&t->nf);
	return (peer && replies != count) || t->nf.broken;
}
