/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's network layer for the net-test bootarg (selftest/net_stack.c):
 * just large enough to test a PV network device. Ethernet, ARP, IPv4
 * (no fragments), ICMP echo and UDP, on one netfront. The stack answers
 * ARP requests for its address, ICMP echo requests and UDP echo (port 7)
 * by itself; what the test waits for (an echo reply, a UDP datagram to
 * another port) is recorded in the struct for it to look at. Every frame
 * is the other side's word: lengths, versions and checksums are checked
 * before anything is answered or recorded. */
#ifndef SELFTEST_NET_STACK_H
#define SELFTEST_NET_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/netfront.h"
#include "net/inet_sum.h"

#define NET_ETH_HLEN     14
#define NET_IP_HLEN      20
#define NET_UDP_HLEN     8
#define NET_ICMP_HLEN    8
/* The most a UDP datagram carries in one 1514-byte frame. */
#define NET_UDP_MAX      (NETFRONT_FRAME_MAX - NET_ETH_HLEN - NET_IP_HLEN - \
			  NET_UDP_HLEN)
#define NET_PORT_ECHO    7
#define NET_PORT_DISCARD 9
#define UDP_SRC_PORT     40007    /* where the test's echoes come back to */

struct net_stack {
	struct netfront nf;
	uint8_t ip[4];
	/* The one neighbour the test talks to, once ARP told us. */
	uint8_t peer_ip[4], peer_mac[6];
	bool peer_known;
	/* The ICMP echo reply waited for (its sequence number). */
	uint16_t echo_seq;
	bool echo_answered;
	/* The last UDP datagram to us for a port the stack does not serve
	 * (the echo's answers come to the test's own port). */
	uint16_t udp_port;           /* its destination port; 0: none */
	size_t udp_len;
	uint8_t udp_data[NET_UDP_MAX];
	/* Counts: requests answered, datagrams to the discard port. */
	unsigned icmp_answered, udp_answered;
	uint64_t discard_frames, discard_bytes;
	uint8_t frame[NETFRONT_RX_MAX];      /* the frame being read */
	uint8_t out[NETFRONT_FRAME_MAX];     /* the frame being built */
};

/* Send the ARP request for peer_ip (broadcast). */
void net_arp_request(struct net_stack *n);
/* An ICMP echo request to the peer: sequence seq, len bytes of payload. */
void net_ping_send(struct net_stack *n, uint16_t seq, size_t len);
/* A UDP datagram to the peer from src_port to dst_port: len bytes
 * (at most NET_UDP_MAX) of data. Whether it was queued. */
bool net_udp_send(struct net_stack *n, uint16_t src_port, uint16_t dst_port,
		  const void *data, size_t len);
/* Take every frame waiting; false once the device is broken. */
bool net_pump(struct net_stack *n);
/* Serve the network until done(n, arg) or ns of virtual time passed;
 * whether done came true. */
bool net_serve(struct net_stack *n, bool (*done)(struct net_stack *n,
						 void *arg),
	       void *arg, uint64_t ns);

/* For the tests (selftest/net_test.c): len bytes of a pattern (round
 * picks it, written at pattern) to the peer's echo port; whether the
 * very same bytes came back within 100 ms of virtual time. */
bool net_udp_echo_one(struct net_stack *n, uint8_t *pattern, size_t len,
		      unsigned round);
/* Bootarg "net-suspend" (selftest/net_suspend.c): ping the peer (resolved
 * already) until the toolstack asks for something other than a suspend,
 * taking each suspend with traffic in flight; want replies and a UDP
 * echo are needed before the first suspend and after each resume. The
 * number of checks failed. */
unsigned net_suspend_run(struct net_stack *n, uint8_t *pattern,
			 unsigned want);

#endif
