/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmark's floor: a server on the same socket that does no xenstore
 * work at all. It frames each request and answers it with a fixed reply of
 * the right shape (a read gets "value", a directory the 100 names the load
 * expects, a transaction id 1), one process per connection, blocking reads,
 * one write per read. What it reaches is what the client and the kernel
 * allow on this machine, about the most any daemon can (with 4 connections
 * more: its processes run in parallel). Watches need state shared between
 * connections, so the watch workload has no floor.
 */
#include "xs_floor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define HDR_LEN   sizeof(struct xsd_sockmsg)
#define IN_SIZE   (64 * 1024)
#define OUT_SIZE  (256 * 1024)

/* "key-0\0key-1\0 ... key-99\0": what the directory workload lists. */
static size_t directory_names(char *buf, size_t size)
{
	size_t used = 0;

	for (int i = 0; i < 100; i++)
		used += (size_t)snprintf(buf + used, size - used, "key-%d", i) + 1;
	return used;
}

/* Appends the fixed reply to one request; false if out has no room. */
static int put_reply(char *out, size_t *used, const struct xsd_sockmsg *req,
		     const char *dir, size_t dir_len)
{
	struct xsd_sockmsg rsp = { .type = req->type, .req_id = req->req_id, .tx_id = req->tx_id };
	const char *payload;

	switch (req->type) {
	case XS_READ:
		payload = "value";
		rsp.len = 5;
		break;
	case XS_DIRECTORY:
		payload = dir;
		rsp.len = (uint32_t)dir_len;
		break;
	case XS_TRANSACTION_START:
		payload = "1";
		rsp.len = 2;
		break;
	case XS_WRITE:
	case XS_MKDIR:
	case XS_TRANSACTION_END:
		payload = "OK";
		rsp.len = 3;
		break;
	default:
		rsp.type = XS_ERROR;
		payload = "EINVAL";
		rsp.len = 7;
	}
	if (*used + HDR_LEN + rsp.len > OUT_SIZE)
		return 0;
	memcpy(out + *used, &rsp, HDR_LEN);
	memcpy(out + *used + HDR_LEN, payload, rsp.len);
	*used += HDR_LEN + rsp.len;
	return 1;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Serves one connection until the client closes it. */
static void serve(int fd)
{
	static char in[IN_SIZE], out[OUT_SIZE], dir[1024];
	size_t dir_len = directory_names(dir, sizeof(dir)), have = 0;

	for (;;) {
		ssize_t n = read(fd, in + have, sizeof(in) - have);
		size_t off = 0, used = 0;

		if (n <= 0)
			return;
		have += (size_t)n;
		while (have - off >= HDR_LEN) {
			struct xsd_sockmsg req;

			memcpy(&req, in + off, HDR_LEN);
			if (req.len > XENSTORE_PAYLOAD_MAX)
				return;
			if (have - off < HDR_LEN + req.len)
				break;
			if (!put_reply(out, &used, &req, dir, dir_len)) {
				if (write_all(fd, out, used) < 0) /* out is full: send, go on */
					return;
				used = 0;
				continue;
			}
			off += HDR_LEN + req.len;
		}
		memmove(in, in + off, have - off);
		have -= off;
		if (used && write_all(fd, out, used) < 0)
			return;
	}
}

void xs_floor_serve(const char *socket_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int listener = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
	if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listener, 64) < 0) {
		fprintf(stderr, "floor server: %s: %s\n", socket_path, strerror(errno));
		_exit(1);
	}
	signal(SIGCHLD, SIG_IGN); /* connections' processes reap themselves */
	for (;;) {
		int fd = accept(listener, NULL, NULL);

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(listener);
			serve(fd);
			_exit(0);
		}
		close(fd);
	}
}
