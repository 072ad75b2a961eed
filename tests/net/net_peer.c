/* SPDX-License-Identifier: BSD-2-Clause */
/* A host at the far end of xensim's --net-socket tunnel: raw Ethernet
 * frames in UDP datagrams on 127.0.0.1. It only ever answers, so a run
 * against it is deterministic: ARP requests for its address, ICMP echo
 * requests and UDP echo (port 7) to it, each answered to the address the
 * datagram came from; UDP to the discard port (9) is counted. Frames are
 * the guest's word: lengths and checksums are checked before anything is
 * answered, and a bad one is only counted.
 *
 *   net_peer --port-file FILE [--ip A.B.C.D] [--mac aa:bb:cc:dd:ee:ff]
 *            [--malformed] [--max-time SECONDS]
 *
 * It binds a free port, writes its number to FILE (written whole, then
 * renamed, so a reader never sees half of it), and serves until SIGTERM,
 * SIGINT or --max-time (default 120 s), then prints its counts on
 * stdout. --malformed: before its first answer it sends a 10-byte runt
 * and a 1600-byte datagram, which the switch must drop. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/inet_sum.h"

#define FRAME_MAX  1514
#define ETH_HLEN   14
#define IP_HLEN    20
#define PORT_ECHO  7
#define PORT_DISCARD 9

struct peer {
	int fd;
	uint8_t ip[4], mac[6];
	bool malformed, answered_once;
	struct sockaddr_in from;
	unsigned long frames, bad, arp, icmp, udp_echo, discard;
	uint8_t in[65536], out[FRAME_MAX];
};

static volatile sig_atomic_t stop;

static void on_signal(int signo)
{
	(void)signo;
	stop = 1;
}

static uint32_t udp_pseudo(const uint8_t *ip, size_t udp_len)
{
	return inet_sum(0, ip + 12, 8) + 17 + (uint32_t)udp_len;
}

static void send_out(struct peer *p, size_t len)
{
	if (p->malformed && !p->answered_once) {
		static uint8_t big[1600];

		memset(big, 0xee, sizeof(big));
		sendto(p->fd, big, 10, 0, (struct sockaddr *)&p->from,
		       sizeof(p->from));
		sendto(p->fd, big, sizeof(big), 0, (struct sockaddr *)&p->from,
		       sizeof(p->from));
	}
	p->answered_once = true;
	if (len < 60) {
		memset(p->out + len, 0, 60 - len);
		len = 60;
	}
	if (sendto(p->fd, p->out, len, 0, (struct sockaddr *)&p->from,
		   sizeof(p->from)) != (ssize_t)len)
		fprintf(stderr, "net_peer: sendto: %s\n", strerror(errno));
}

/* Ethernet header of an answer to the frame in `in`. */
static void reply_eth(struct peer *p, uint16_t type)
{
	memcpy(p->out, p->in + 6, 6);
	memcpy(p->out + 6, p->mac, 6);
	inet_put16(p->out + 12, type);
}

static void on_arp(struct peer *p, const uint8_t *a, size_t len)
{
	uint8_t *r = p->out + ETH_HLEN;

	if (len < 28 || inet_get16(a) != 1 || inet_get16(a + 2) != 0x0800 ||
	    a[4] != 6 || a[5] != 4 || inet_get16(a + 6) != 1 ||
	    memcmp(a + 24, p->ip, 4) != 0)
		return;
	reply_eth(p, 0x0806);
	memcpy(r, a, 6);
	inet_put16(r + 6, 2);
	memcpy(r + 8, p->mac, 6);
	memcpy(r + 14, p->ip, 4);
	memcpy(r + 18, a + 8, 10);      /* the asker's mac and address */
	send_out(p, ETH_HLEN + 28);
	p->arp++;
}

/* The IP header of an answer to `ip`, l4_len bytes of payload after it
 * already in place. */
static uint8_t *reply_ip(struct peer *p, const uint8_t *ip, size_t l4_len)
{
	uint8_t *r = p->out + ETH_HLEN;

	reply_eth(p, 0x0800);
	r[0] = 0x45;
	r[1] = 0;
	inet_put16(r + 2, (uint16_t)(IP_HLEN + l4_len));
	inet_put16(r + 4, 0);
	inet_put16(r + 6, 0x4000);
	r[8] = 64;
	r[9] = ip[9];
	inet_put16(r + 10, 0);
	memcpy(r + 12, p->ip, 4);
	memcpy(r + 16, ip + 12, 4);
	inet_put16(r + 10, inet_fold(inet_sum(0, r, IP_HLEN)));
	return r;
}

static void on_icmp(struct peer *p, const uint8_t *ip, const uint8_t *icmp,
		    size_t len)
{
	uint8_t *r = p->out + ETH_HLEN + IP_HLEN;

	if (len < 8 || inet_fold(inet_sum(0, icmp, len)) != 0) {
		p->bad++;
		return;
	}
	if (icmp[0] != 8 || icmp[1] != 0)
		return;
	memcpy(r, icmp, len);
	r[0] = 0;
	inet_put16(r + 2, 0);
	inet_put16(r + 2, inet_fold(inet_sum(0, r, len)));
	reply_ip(p, ip, len);
	send_out(p, ETH_HLEN + IP_HLEN + len);
	p->icmp++;
}

static void on_udp(struct peer *p, const uint8_t *ip, const uint8_t *udp,
		   size_t len)
{
	uint8_t *r = p->out + ETH_HLEN + IP_HLEN, *rip;
	uint16_t sum;

	if (len < 8 || inet_get16(udp + 4) != len ||
	    (inet_get16(udp + 6) && inet_fold(inet_sum(udp_pseudo(ip, len), udp, len)))) {
		p->bad++;
		return;
	}
	if (inet_get16(udp + 2) == PORT_DISCARD) {
		p->discard++;
		return;
	}
	if (inet_get16(udp + 2) != PORT_ECHO)
		return;
	memcpy(r, udp, len);
	inet_put16(r, PORT_ECHO);
	inet_put16(r + 2, inet_get16(udp));
	inet_put16(r + 6, 0);
	rip = reply_ip(p, ip, len);
	sum = inet_fold(inet_sum(udp_pseudo(rip, len), r, len));
	inet_put16(r + 6, sum ? sum : 0xffff);
	send_out(p, ETH_HLEN + IP_HLEN + len);
	p->udp_echo++;
}

static void on_ipv4(struct peer *p, const uint8_t *ip, size_t len)
{
	size_t ihl, total;

	if (len < IP_HLEN || ip[0] >> 4 != 4)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	total = inet_get16(ip + 2);
	if (ihl < IP_HLEN || total < ihl || total > len ||
	    inet_fold(inet_sum(0, ip, ihl)) != 0) {
		p->bad++;
		return;
	}
	if (memcmp(ip + 16, p->ip, 4) != 0 || (inet_get16(ip + 6) & 0x3fff))
		return;
	if (ip[9] == 1)
		on_icmp(p, ip, ip + ihl, total - ihl);
	else if (ip[9] == 17)
		on_udp(p, ip, ip + ihl, total - ihl);
}

static void on_frame(struct peer *p, size_t len)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	p->frames++;
	if (len < ETH_HLEN || len > FRAME_MAX) {
		p->bad++;
		return;
	}
	if (memcmp(p->in, p->mac, 6) != 0 && memcmp(p->in, bcast, 6) != 0)
		return;                         /* another station's */
	if (inet_get16(p->in + 12) == 0x0806)
		on_arp(p, p->in + ETH_HLEN, len - ETH_HLEN);
	else if (inet_get16(p->in + 12) == 0x0800)
		on_ipv4(p, p->in + ETH_HLEN, len - ETH_HLEN);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int write_port_file(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "net_peer: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: net_peer --port-file FILE [--ip A.B.C.D] "
		"[--mac aa:bb:cc:dd:ee:ff] [--malformed] [--max-time S]\n");
	exit(2);
}

static struct peer peer;

int main(int argc, char **argv)
{
	struct peer *p = &peer;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	const char *port_file = NULL;
	long max_time = 120;
	time_t start = time(NULL);

	parse_mac("02:00:00:00:00:fe", p->mac);
	inet_pton(AF_INET, "10.0.0.254", p->ip);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(arg, "--malformed") == 0) {
			p->malformed = true;
			continue;
		}
		if (!val)
			usage();
		i++;
		if (strcmp(arg, "--port-file") == 0)
			port_file = val;
		else if (strcmp(arg, "--ip") == 0 && inet_pton(AF_INET, val, p->ip) == 1)
			continue;
		else if (strcmp(arg, "--mac") == 0 && parse_mac(val, p->mac) == 0)
			continue;
		else if (strcmp(arg, "--max-time") == 0 && atol(val) > 0)
			max_time = atol(val);
		else
			usage();
	}
	if (!port_file)
		usage();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (p->fd < 0 || bind(p->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(p->fd, (struct sockaddr *)&sa, &salen)) {
		fprintf(stderr, "net_peer: socket: %s\n", strerror(errno));
		return 1;
	}
	if (write_port_file(port_file, ntohs(sa.sin_port)))
		return 1;
	while (!stop && time(NULL) - start < max_time) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		socklen_t fromlen = sizeof(p->from);
		ssize_t got;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		got = recvfrom(p->fd, p->in, sizeof(p->in), MSG_TRUNC,
			       (struct sockaddr *)&p->from, &fromlen);
		if (got >= 0)
			on_frame(p, (size_t)got);
	}
	printf("net_peer: %lu frames in, %lu bad; answered %lu arp, %lu icmp "
	       "echo, %lu udp echo; %lu discard\n", p->frames, p->bad, p->arp,
	       p->icmp, p->udp_echo, p->discard);
	return 0;
}
