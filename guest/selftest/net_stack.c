/* SPDX-License-Identifier: BSD-2-Clause */
/* The net-test's network layer: see net_stack.h. Checksums, both ways,
 * live in two functions (net_tx_checksums, rx_checksums_ok): the only
 * places a negotiated checksum offload would change. */
#include <xen/errno.h>

#include "gxen/time.h"
#include "kern/string.h"
#include "net_stack.h"

#define ETHERTYPE_IP  0x0800
#define ETHERTYPE_ARP 0x0806
#define IPPROTO_ICMP  1
#define IPPROTO_UDP   17
#define ETH_MIN_FRAME 60          /* without the FCS */

/* The UDP pseudo-header's sum: addresses, protocol, UDP length. */
static uint32_t udp_pseudo_sum(const uint8_t *ip, size_t udp_len)
{
	return inet_sum(0, ip + 12, 8) + IPPROTO_UDP + (uint32_t)udp_len;
}

/* Fill the checksums of the IPv4 packet at ip (its header, then its ICMP
 * or UDP message) for sending. */
static void net_tx_checksums(uint8_t *ip)
{
	size_t total = inet_get16(ip + 2), l4_len = total - NET_IP_HLEN;
	uint8_t *l4 = ip + NET_IP_HLEN;

	inet_put16(ip + 10, 0);
	inet_put16(ip + 10, inet_fold(inet_sum(0, ip, NET_IP_HLEN)));
	if (ip[9] == IPPROTO_ICMP) {
		inet_put16(l4 + 2, 0);
		inet_put16(l4 + 2, inet_fold(inet_sum(0, l4, l4_len)));
	} else if (ip[9] == IPPROTO_UDP) {
		uint16_t sum;

		inet_put16(l4 + 6, 0);
		sum = inet_fold(inet_sum(udp_pseudo_sum(ip, l4_len), l4,
					 l4_len));
		/* 0 means "no checksum" in UDP over IPv4: send its twin. */
		inet_put16(l4 + 6, sum ? sum : 0xffff);
	}
}

/* Whether a received packet's header (ihl bytes) and its ICMP or UDP
 * message (l4_len bytes after it) carry right checksums. A UDP checksum
 * of 0 means the sender computed none, which IPv4 allows; one the
 * backend left blank (rx checksum offload) is not looked at. */
static bool rx_checksums_ok(const uint8_t *ip, size_t ihl, size_t l4_len,
			    bool l4_blank)
{
	const uint8_t *l4 = ip + ihl;

	if (inet_fold(inet_sum(0, ip, ihl)) != 0)
		return false;
	if (l4_blank && ip[9] != IPPROTO_ICMP)
		return true;
	if (ip[9] == IPPROTO_ICMP)
		return inet_fold(inet_sum(0, l4, l4_len)) == 0;
	if (ip[9] == IPPROTO_UDP)
		return inet_get16(l4 + 6) == 0 ||
		       inet_fold(inet_sum(udp_pseudo_sum(ip, l4_len), l4,
					  l4_len)) == 0;
	return true;
}

static void eth_header(struct net_stack *n, const uint8_t *dst, uint16_t type)
{
	memcpy(n->out, dst, 6);
	memcpy(n->out + 6, n->nf.mac, 6);
	inet_put16(n->out + 12, type);
}

/* Queue the frame built in out; whether it went. Every tx buffer in
 * flight: wait for the backend to give some back (100 us at a time, up
 * to 10 ms of virtual time). */
static bool send_frame(struct net_stack *n, size_t len)
{
	if (len < ETH_MIN_FRAME) {
		memset(n->out + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	for (unsigned i = 0; i < 100; i++) {
		int rc = netfront_send(&n->nf, n->out, len);

		if (rc != -XEN_EAGAIN)
			return rc == 0;
		time_sleep(100 * NSEC_PER_USEC);
	}
	return false;
}

static void send_arp(struct net_stack *n, uint16_t op, const uint8_t *tha,
		     const uint8_t *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *a = n->out + NET_ETH_HLEN;

	eth_header(n, op == 1 ? bcast : tha, ETHERTYPE_ARP);
	inet_put16(a, 1);                /* Ethernet */
	inet_put16(a + 2, ETHERTYPE_IP);
	a[4] = 6;
	a[5] = 4;
	inet_put16(a + 6, op);
	memcpy(a + 8, n->nf.mac, 6);
	memcpy(a + 14, n->ip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	send_frame(n, NET_ETH_HLEN + 28);
}

void net_arp_request(struct net_stack *n)
{
	send_arp(n, 1, (const uint8_t[6]){ 0 }, n->peer_ip);
}

/* The IPv4 packet whose l4_len bytes of payload (proto's) are already at
 * out + NET_ETH_HLEN + NET_IP_HLEN: its headers, checksums, then off. */
static bool send_ip(struct net_stack *n, const uint8_t *dst_mac,
		    const uint8_t *dst_ip, uint8_t proto, size_t l4_len)
{
	uint8_t *ip = n->out + NET_ETH_HLEN;

	eth_header(n, dst_mac, ETHERTYPE_IP);
	ip[0] = 0x45;
	ip[1] = 0;
	inet_put16(ip + 2, (uint16_t)(NET_IP_HLEN + l4_len));
	inet_put16(ip + 4, 0);
	inet_put16(ip + 6, 0x4000);      /* don't fragment */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, n->ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	net_tx_checksums(ip);
	return send_frame(n, NET_ETH_HLEN + NET_IP_HLEN + l4_len);
}

void net_ping_send(struct net_stack *n, uint16_t seq, size_t len)
{
	uint8_t *icmp = n->out + NET_ETH_HLEN + NET_IP_HLEN;

	if (len > NET_UDP_MAX)
		len = NET_UDP_MAX;
	icmp[0] = 8;
	icmp[1] = 0;
	inet_put16(icmp + 4, 0x7873);            /* identifier */
	inet_put16(icmp + 6, seq);
	for (size_t k = 0; k < len; k++)
		icmp[NET_ICMP_HLEN + k] = (uint8_t)(k + seq);
	n->echo_seq = seq;
	n->echo_answered = false;
	send_ip(n, n->peer_mac, n->peer_ip, IPPROTO_ICMP, NET_ICMP_HLEN + len);
}

/* A UDP datagram built at out to dst (mac and address). */
static bool send_udp(struct net_stack *n, const uint8_t *dst_mac,
		     const uint8_t *dst_ip, uint16_t src_port,
		     uint16_t dst_port, size_t len)
{
	uint8_t *udp = n->out + NET_ETH_HLEN + NET_IP_HLEN;

	inet_put16(udp, src_port);
	inet_put16(udp + 2, dst_port);
	inet_put16(udp + 4, (uint16_t)(NET_UDP_HLEN + len));
	return send_ip(n, dst_mac, dst_ip, IPPROTO_UDP, NET_UDP_HLEN + len);
}

bool net_udp_send(struct net_stack *n, uint16_t src_port, uint16_t dst_port,
		  const void *data, size_t len)
{
	if (len > NET_UDP_MAX)
		return false;
	memcpy(n->out + NET_ETH_HLEN + NET_IP_HLEN + NET_UDP_HLEN, data, len);
	return send_udp(n, n->peer_mac, n->peer_ip, src_port, dst_port, len);
}

static void on_arp(struct net_stack *n, const uint8_t *a, size_t len)
{
	if (len < 28 || inet_get16(a) != 1 || inet_get16(a + 2) != ETHERTYPE_IP ||
	    a[4] != 6 || a[5] != 4)
		return;
	if (inet_get16(a + 6) == 1 && memcmp(a + 24, n->ip, 4) == 0)
		send_arp(n, 2, a + 8, a + 14);
	/* The peer's address from anything it says, request or reply:
	 * a peer that asked first need not be asked. */
	if (memcmp(a + 14, n->peer_ip, 4) == 0) {
		memcpy(n->peer_mac, a + 8, 6);
		n->peer_known = true;
	}
}

static void on_icmp(struct net_stack *n, const uint8_t *eth, const uint8_t *ip,
		    const uint8_t *icmp, size_t len)
{
	if (len < NET_ICMP_HLEN)
		return;
	if (icmp[0] == 8 && icmp[1] == 0) {
		/* Echo request: the same message back as a reply. */
		memcpy(n->out + NET_ETH_HLEN + NET_IP_HLEN, icmp, len);
		n->out[NET_ETH_HLEN + NET_IP_HLEN] = 0;
		send_ip(n, eth + 6, ip + 12, IPPROTO_ICMP, len);
		n->icmp_answered++;
	} else if (icmp[0] == 0 && memcmp(ip + 12, n->peer_ip, 4) == 0 &&
		   inet_get16(icmp + 6) == n->echo_seq) {
		n->echo_answered = true;
	}
}

static void on_udp(struct net_stack *n, const uint8_t *eth, const uint8_t *ip,
		   const uint8_t *udp, size_t len)
{
	uint16_t src_port, dst_port;
	size_t data_len;

	if (len < NET_UDP_HLEN || inet_get16(udp + 4) != len)
		return;
	src_port = inet_get16(udp);
	dst_port = inet_get16(udp + 2);
	data_len = len - NET_UDP_HLEN;
	if (dst_port == NET_PORT_ECHO) {
		/* RFC 862: the data back to where it came from. */
		memcpy(n->out + NET_ETH_HLEN + NET_IP_HLEN + NET_UDP_HLEN,
		       udp + NET_UDP_HLEN, data_len);
		if (send_udp(n, eth + 6, ip + 12, NET_PORT_ECHO, src_port,
			     data_len))
			n->udp_answered++;
	} else if (dst_port == NET_PORT_DISCARD) {
		n->discard_frames++;
		n->discard_bytes += data_len;
	} else {
		n->udp_port = dst_port;
		n->udp_len = data_len;
		memcpy(n->udp_data, udp + NET_UDP_HLEN, data_len);
	}
}

static void on_ipv4(struct net_stack *n, const uint8_t *eth, const uint8_t *ip,
		    size_t len, bool l4_blank)
{
	size_t ihl, total;

	if (len < NET_IP_HLEN || ip[0] >> 4 != 4)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	total = inet_get16(ip + 2);
	if (ihl < NET_IP_HLEN || total < ihl || total > len ||
	    memcmp(ip + 16, n->ip, 4) != 0 ||
	    (inet_get16(ip + 6) & 0x3fff) != 0 ||   /* fragments are not ours */
	    (ip[9] == IPPROTO_UDP && total - ihl < NET_UDP_HLEN) ||
	    !rx_checksums_ok(ip, ihl, total - ihl, l4_blank))
		return;
	if (ip[9] == IPPROTO_ICMP)
		on_icmp(n, eth, ip, ip + ihl, total - ihl);
	else if (ip[9] == IPPROTO_UDP)
		on_udp(n, eth, ip, ip + ihl, total - ihl);
}

bool net_pump(struct net_stack *n)
{
	struct netfront_rx_info info;
	long got;

	while ((got = netfront_recv_info(&n->nf, n->frame, sizeof(n->frame),
					 &info)) > 0) {
		size_t len = (size_t)got;

		if (len < NET_ETH_HLEN)
			continue;
		if (inet_get16(n->frame + 12) == ETHERTYPE_ARP)
			on_arp(n, n->frame + NET_ETH_HLEN, len - NET_ETH_HLEN);
		else if (inet_get16(n->frame + 12) == ETHERTYPE_IP)
			on_ipv4(n, n->frame, n->frame + NET_ETH_HLEN,
				len - NET_ETH_HLEN, info.csum_blank);
	}
	return got == 0;
}

static bool rx_waiting(void *arg)
{
	return netfront_rx_pending(&((struct net_stack *)arg)->nf);
}

bool net_serve(struct net_stack *n, bool (*done)(struct net_stack *n,
						 void *arg),
	       void *arg, uint64_t ns)
{
	uint64_t end = time_now() + ns;

	while (!(done && done(n, arg))) {
		uint64_t now = time_now();

		if (!net_pump(n))
			return false;
		if (done && done(n, arg))
			break;
		if (now >= end)
			return false;
		time_wait(rx_waiting, n, end - now);
	}
	return true;
}
