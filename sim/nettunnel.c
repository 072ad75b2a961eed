/* SPDX-License-Identifier: BSD-2-Clause */
/* --net-socket udp:HOST:PORT[,local=HOST:PORT]: one more port of the
 * run's switch whose far end is a host program, as QEMU's datagram
 * netdev: each Ethernet frame is one UDP datagram, both ways, between our
 * socket (bound to local=, by default 127.0.0.1 on a free port) and
 * HOST:PORT (the socket is connected to it: datagrams from anywhere else
 * never reach us).
 *
 * Determinism: what the host sends is taken in only at the guests' idle
 * points, before virtual time moves on (sim_tunnel_poll). When frames
 * went out since the last idle point, the host is owed an answer: the
 * poll waits, in wall-clock time, until as many well-formed frames came
 * back as went out or the socket was quiet for SIM_TUNNEL_QUIET_MS. A
 * host that only answers (one frame or none for each) therefore gives the
 * same run every time; one that speaks on its own is taken in at
 * whichever idle point follows.
 *
 * The host is the other side: a datagram shorter than an Ethernet header
 * or longer than a 1514-byte frame is dropped, counted on the switch
 * port and logged with the running count. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim_internal.h"

#define SIM_TUNNEL_QUIET_MS 200
/* Datagrams taken in at one idle point, at most: a flooding host cannot
 * hold the run there. */
#define SIM_TUNNEL_BATCH    256
#define SIM_TUNNEL_BUF      65536     /* any UDP datagram, whole */

struct sim_tunnel {
	int fd;
	int port;                    /* on the switch */
	struct hv_netswitch *sw;
	struct hv_machine *machine;
	char remote_name[32];        /* "HOST:PORT", for messages */
	uint64_t owed;               /* frames out since the last poll */
	uint64_t out_frames, in_frames, dropped, send_errors;
	uint8_t buf[SIM_TUNNEL_BUF];
};

/* "HOST:PORT" with a dotted IPv4 HOST; port 0 only when allowed. */
static int parse_addr(const char *s, size_t len, bool port0_ok,
		      struct sockaddr_in *sa)
{
	char host[32];
	const char *colon = memchr(s, ':', len);
	unsigned long port;
	char *end;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	if (colon + 1 == s + len || colon[1] == '-' || colon[1] == '+')
		return -1;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end != s + len || port > 65535 || (port == 0 && !port0_ok))
		return -1;
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static int tunnel_parse(const char *spec, struct sockaddr_in *remote,
			struct sockaddr_in *local, char *err, size_t errlen)
{
	const char *addr = spec + 4, *comma;

	if (strncmp(spec, "udp:", 4) != 0) {
		snprintf(err, errlen, "only udp:HOST:PORT[,local=HOST:PORT] "
			 "is known");
		return -1;
	}
	comma = strchr(addr, ',');
	if (parse_addr(addr, comma ? (size_t)(comma - addr) : strlen(addr),
		       false, remote)) {
		snprintf(err, errlen, "want udp:HOST:PORT with an IPv4 HOST "
			 "and a PORT from 1 to 65535");
		return -1;
	}
	memset(local, 0, sizeof(*local));
	local->sin_family = AF_INET;
	local->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!comma)
		return 0;
	if (strncmp(comma + 1, "local=", 6) != 0 ||
	    parse_addr(comma + 7, strlen(comma + 7), true, local)) {
		snprintf(err, errlen, "after the host's address only "
			 ",local=HOST:PORT (an IPv4 HOST, PORT 0 for any) is "
			 "known");
		return -1;
	}
	return 0;
}

/* The switch hands the host a frame: one datagram. */
static bool tunnel_deliver(void *ctx, const void *frame, size_t len)
{
	struct sim_tunnel *t = ctx;

	if (send(t->fd, frame, len, MSG_DONTWAIT) != (ssize_t)len) {
		if (t->send_errors++ == 0)
			hv_log(t->machine, HV_LOG_WARN, "net-socket: cannot "
			       "send to %s: %s (frames for the host are "
			       "dropped while it lasts)", t->remote_name,
			       strerror(errno));
		return false;
	}
	t->out_frames++;
	t->owed++;
	return true;
}

int sim_tunnel_open(struct sim *s)
{
	struct sockaddr_in remote, local;
	struct sim_tunnel *t;
	char err[160], host[INET_ADDRSTRLEN];

	if (tunnel_parse(s->cfg->net_socket, &remote, &local, err,
			     sizeof(err))) {
		sim_fail(s, SIM_SETUP_ERROR, "--net-socket %s: %s",
			 s->cfg->net_socket, err);
		return -1;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		sim_fail(s, SIM_SETUP_ERROR, "--net-socket: out of memory");
		return -1;
	}
	t->machine = s->machine;
	t->sw = s->sw;
	inet_ntop(AF_INET, &remote.sin_addr, host, sizeof(host));
	snprintf(t->remote_name, sizeof(t->remote_name), "%s:%u", host,
		 ntohs(remote.sin_port));
	t->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0 ||
	    bind(t->fd, (struct sockaddr *)&local, sizeof(local)) ||
	    connect(t->fd, (struct sockaddr *)&remote, sizeof(remote))) {
		sim_fail(s, SIM_SETUP_ERROR, "--net-socket %s: %s: %s",
			 s->cfg->net_socket, t->fd < 0 ? "socket" :
			 "cannot bind the local address or reach the host",
			 strerror(errno));
		if (t->fd >= 0)
			close(t->fd);
		free(t);
		return -1;
	}
	t->port = hv_netswitch_attach(s->sw, tunnel_deliver, t);
	if (t->port < 0) {
		sim_fail(s, SIM_SETUP_ERROR, "--net-socket: the switch has no "
			 "free port");
		close(t->fd);
		free(t);
		return -1;
	}
	s->tunnel = t;
	return 0;
}

/* A datagram from the host into the switch; whether it was a frame. */
static bool take_datagram(struct sim_tunnel *t, size_t len)
{
	const char *why = len < HV_ETH_HLEN ? "shorter than an Ethernet "
			  "header (14 bytes)" : len > HV_ETH_FRAME_MAX ?
			  "longer than a 1514-byte frame" : NULL;

	/* The switch checks the length too and counts the error on our
	 * port; the log says which datagram it was. */
	hv_netswitch_input(t->sw, t->port, t->buf, len);
	if (why) {
		t->dropped++;
		hv_log(t->machine, HV_LOG_WARN, "net-socket: dropped a "
		       "%zu-byte datagram from %s: %s (%llu dropped so far)",
		       len, t->remote_name, why,
		       (unsigned long long)t->dropped);
		return false;
	}
	t->in_frames++;
	return true;
}

bool sim_tunnel_poll(struct sim *s)
{
	struct sim_tunnel *t;
	uint64_t owed, answered = 0;
	unsigned taken = 0;

	if (s->borrowed)
		s = sim_world_first(s->world);
	t = s->tunnel;
	if (!t)
		return false;
	owed = t->owed;
	t->owed = 0;
	while (taken < SIM_TUNNEL_BATCH) {
		struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
		ssize_t got;

		if (poll(&pfd, 1, answered < owed ? SIM_TUNNEL_QUIET_MS : 0) <= 0)
			break;
		got = recv(t->fd, t->buf, sizeof(t->buf), MSG_DONTWAIT | MSG_TRUNC);
		if (got < 0)
			break;     /* the host refused a send (ICMP): said there */
		taken++;
		answered += take_datagram(t, (size_t)got);
	}
	return taken != 0;
}

void sim_tunnel_close(struct sim *s)
{
	struct sim_tunnel *t = s->tunnel;

	if (!t)
		return;
	hv_log(t->machine, HV_LOG_INFO, "net-socket: %llu frames to %s, %llu "
	       "from it, %llu datagrams dropped",
	       (unsigned long long)t->out_frames, t->remote_name,
	       (unsigned long long)t->in_frames,
	       (unsigned long long)t->dropped);
	hv_netswitch_detach(t->sw, t->port);
	close(t->fd);
	free(t);
	s->tunnel = NULL;
}

int sim_tunnel_check(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_in remote, local;

	return tunnel_parse(spec, &remote, &local, err, errlen);
}
