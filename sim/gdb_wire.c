/* SPDX-License-Identifier: BSD-2-Clause */
/* The gdb stub's wire: the listening socket (TCP on the loopback address,
 * or unix), one connection at a time, and GDB's packet framing:
 * $data#cs with a two-digit modulo-256 checksum, acknowledged with + (or
 * - for a resend) until both sides agree to QStartNoAckMode; } escapes
 * $, #, } and * in what we send. A byte 0x03 outside a packet is gdb's
 * interrupt. Also the hex encoding the packets carry. Whatever arrives is
 * bounded and checked: an oversized or corrupt packet is refused with -,
 * never trusted. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "gdb_internal.h"

#define INTERRUPT_BYTE 0x03
/* Resends of a packet gdb keeps refusing before it counts as gone. */
#define MAX_RESENDS 8

static int fail(char *err, size_t errlen, const char *fmt, const char *a)
{
	snprintf(err, errlen, fmt, a);
	return -1;
}

/* "tcp:127.0.0.1:PORT" into addr, or "unix:PATH" into sun. */
static int parse_spec(const char *spec, struct sockaddr_in *in,
		      struct sockaddr_un *un, bool *is_unix, char *err,
		      size_t errlen)
{
	static const char tcp_prefix[] = "tcp:127.0.0.1:";
	char *end;
	unsigned long port;

	if (strncmp(spec, "unix:", 5) == 0) {
		const char *path = spec + 5;

		if (!*path)
			return fail(err, errlen, "--gdb %s: no socket path",
				    spec);
		if (strlen(path) >= sizeof(un->sun_path))
			return fail(err, errlen, "--gdb %s: the socket path is "
				    "too long", spec);
		memset(un, 0, sizeof(*un));
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, path);
		*is_unix = true;
		return 0;
	}
	if (strncmp(spec, tcp_prefix, sizeof(tcp_prefix) - 1) != 0)
		return fail(err, errlen, "--gdb '%s': want tcp:127.0.0.1:PORT "
			    "or unix:PATH (gdb is served on the loopback "
			    "address only)", spec);
	spec += sizeof(tcp_prefix) - 1;
	errno = 0;
	port = strtoul(spec, &end, 10);
	if (!*spec || *end || errno || port > 65535 || spec[0] == '-' ||
	    spec[0] == '+')
		return fail(err, errlen, "--gdb: port '%s' is not a number "
			    "from 0 to 65535", spec);
	memset(in, 0, sizeof(*in));
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*is_unix = false;
	return 0;
}

int gdb_wire_listen(struct sim_gdb *gdb, const char *spec, char *err,
		    size_t errlen)
{
	struct sockaddr_in in;
	struct sockaddr_un un;
	socklen_t alen = sizeof(in);
	bool is_unix;
	int one = 1, fd;

	if (parse_spec(spec, &in, &un, &is_unix, err, errlen))
		return -1;
	fd = socket(is_unix ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(err, errlen, "--gdb: socket: %s", strerror(errno));
	if (!is_unix)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if ((is_unix ? bind(fd, (struct sockaddr *)&un, sizeof(un)) :
	     bind(fd, (struct sockaddr *)&in, sizeof(in))) || listen(fd, 1)) {
		snprintf(err, errlen, "--gdb %s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	gdb->listen_fd = fd;
	if (is_unix) {
		snprintf(gdb->unix_path, sizeof(gdb->unix_path), "%s",
			 un.sun_path);
		snprintf(gdb->where, sizeof(gdb->where), "%s", spec);
	} else {
		getsockname(fd, (struct sockaddr *)&in, &alen);
		snprintf(gdb->where, sizeof(gdb->where), "tcp:127.0.0.1:%u",
			 ntohs(in.sin_port));
	}
	return 0;
}

int gdb_wire_accept(struct sim_gdb *gdb)
{
	int fd, one = 1;

	do {
		fd = accept(gdb->listen_fd, NULL, NULL);
	} while (fd < 0 && errno == ECONNABORTED);
	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	/* Packets are small and each waits for its answer. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	gdb->fd = fd;
	gdb->no_ack = false;
	gdb->rpos = gdb->rlen = 0;
	return 0;
}

void gdb_wire_hangup(struct sim_gdb *gdb)
{
	if (gdb->fd >= 0)
		close(gdb->fd);
	gdb->fd = -1;
	gdb->running = false;
}

void gdb_wire_close(struct sim_gdb *gdb)
{
	gdb_wire_hangup(gdb);
	if (gdb->listen_fd >= 0)
		close(gdb->listen_fd);
	gdb->listen_fd = -1;
	if (gdb->unix_path[0])
		unlink(gdb->unix_path);
	gdb->unix_path[0] = 0;
}

/* The next byte from gdb: 0..255, -1 gone, -2 interrupted by a signal. */
static int next_byte(struct sim_gdb *gdb)
{
	ssize_t n;

	if (gdb->rpos < gdb->rlen)
		return gdb->rbuf[gdb->rpos++];
	if (gdb->fd < 0)
		return -1;
	n = read(gdb->fd, gdb->rbuf, sizeof(gdb->rbuf));
	if (n < 0 && errno == EINTR)
		return -2;
	if (n <= 0) {
		gdb_wire_hangup(gdb);
		return -1;
	}
	gdb->rpos = 1;
	gdb->rlen = (size_t)n;
	return gdb->rbuf[0];
}

static int send_all(struct sim_gdb *gdb, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(gdb->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gdb_wire_hangup(gdb);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The body of a packet after its '$', up to and checking "#cs". 1 good,
 * 0 bad (too long or a wrong checksum), or next_byte's error. */
static int read_body(struct sim_gdb *gdb)
{
	unsigned sum = 0;
	int c, hi, lo;
	bool too_long = false;

	gdb->in_len = 0;
	while ((c = next_byte(gdb)) >= 0 && c != '#') {
		sum += (unsigned)c;
		if (gdb->in_len < GDB_PACKET_MAX)
			gdb->in[gdb->in_len++] = (char)c;
		else
			too_long = true;
	}
	if (c < 0)
		return c;
	if ((hi = next_byte(gdb)) < 0)
		return hi;
	if ((lo = next_byte(gdb)) < 0)
		return lo;
	gdb->in[gdb->in_len] = 0;
	hi = gdb_hex_digit(hi);
	lo = gdb_hex_digit(lo);
	return !too_long && hi >= 0 && lo >= 0 &&
	       (unsigned)(hi << 4 | lo) == (sum & 0xff);
}

int gdb_wire_get(struct sim_gdb *gdb)
{
	for (;;) {
		int c = next_byte(gdb), good;

		if (c < 0)
			return c;
		if (c != '$')
			continue;        /* acks, a stray interrupt: nothing due */
		good = read_body(gdb);
		if (good < 0)
			return good;
		if (gdb->no_ack && good)
			return (int)gdb->in_len;
		if (!gdb->no_ack && send_all(gdb, good ? "+" : "-", 1))
			return -1;
		if (good)
			return (int)gdb->in_len;
	}
}

int gdb_wire_put(struct sim_gdb *gdb, const char *data, size_t len)
{
	static char frame[2 * GDB_PACKET_MAX + 8];
	size_t n = 0;
	unsigned sum = 0;

	if (gdb->fd < 0)
		return -1;
	frame[n++] = '$';
	for (size_t i = 0; i < len && n < sizeof(frame) - 6; i++) {
		char c = data[i];

		if (c == '$' || c == '#' || c == '}' || c == '*') {
			frame[n++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		frame[n++] = c;
		sum += (unsigned char)c;
	}
	n += (size_t)snprintf(frame + n, 4, "#%02x", sum & 0xff);
	for (unsigned tries = 0; tries < MAX_RESENDS; tries++) {
		int c;

		if (send_all(gdb, frame, n))
			return -1;
		if (gdb->no_ack)
			return 0;
		do {
			c = next_byte(gdb);
		} while (c == -2 || (c >= 0 && c != '+' && c != '-'));
		if (c < 0)
			return -1;
		if (c == '+')
			return 0;
	}
	gdb_wire_hangup(gdb);
	return -1;
}

int gdb_wire_puts(struct sim_gdb *gdb, const char *s)
{
	return gdb_wire_put(gdb, s, strlen(s));
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

bool gdb_wire_interrupt(struct sim_gdb *gdb)
{
	if (gdb->fd < 0)
		return gdb->listen_fd >= 0 && readable(gdb->listen_fd) &&
		       gdb_wire_accept(gdb) == 0;
	while (gdb->rpos < gdb->rlen || readable(gdb->fd)) {
		int c = next_byte(gdb);

		if (c < 0)
			return false;    /* gone: the guest runs on */
		if (c == INTERRUPT_BYTE)
			return true;
		if (c == '$') {
			/* A packet while running: only a stop makes sense;
			 * serve it once the guest is held. */
			gdb->rpos--;
			return true;
		}
	}
	return false;
}

/* ---- the packets' hex encoding ---- */

int gdb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool gdb_parse_hex(const char **p, uint64_t *v)
{
	unsigned n = 0;

	*v = 0;
	while (gdb_hex_digit(**p) >= 0) {
		if (++n > 16)
			return false;
		*v = *v << 4 | (uint64_t)gdb_hex_digit(**p);
		(*p)++;
	}
	return n > 0;
}

bool gdb_parse_tid(const char **p, int64_t *tid)
{
	uint64_t v;

	if (**p == '-' && (*p)[1] == '1') {
		*p += 2;
		*tid = -1;
		return true;
	}
	if (!gdb_parse_hex(p, &v) || v > 0xffff)
		return false;
	*tid = (int64_t)v;
	return true;
}

bool gdb_unhex(const char *s, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi = gdb_hex_digit(s[2 * i]);
		int lo = hi < 0 ? -1 : gdb_hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

size_t gdb_tohex(char *dst, const uint8_t *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		dst[2 * i] = digits[buf[i] >> 4];
		dst[2 * i + 1] = digits[buf[i] & 15];
	}
	dst[2 * len] = 0;
	return 2 * len;
}
