/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xenstore workloads over a unix socket, speaking the wire protocol
 * directly (no libxenstore): a request is a struct xsd_sockmsg and its
 * payload, a reply the same. Replies are read through a buffer, so
 * several replies or watch events arriving in one read are all used.
 * Every reply is checked; anything unexpected ends the program.
 */
#include "xs_load.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

const char *const xs_load_name[XS_LOAD_COUNT] = {
	"read", "write", "directory", "transaction", "watch-event", "16-pipelined-reads",
	"4-conns-writing",
};

const char *const xs_load_unit[XS_LOAD_COUNT] = {
	"reads", "writes", "dirs", "txns", "events", "reads", "writes",
};

#define NR_KEYS       100 /* /bench/keys/key-0 .. key-99 */
#define PIPELINE      16
#define WRITERS       4
#define CHECK_EVERY   32 /* units between two looks at the clock */
#define IN_BUF_SIZE   (64 * 1024)

struct client {
	int fd;
	uint32_t next_req_id;
	size_t start, end; /* unread bytes are in[start..end) */
	char in[IN_BUF_SIZE];
};

struct reply {
	struct xsd_sockmsg hdr;
	const char *payload; /* valid until the next read on the client */
};

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("xs-compare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct client *client_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		fail("out of memory");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail("connect %s: %s", path, strerror(errno));
	return c;
}

static void client_close(struct client *c)
{
	close(c->fd);
	free(c);
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("write to daemon: %s", n < 0 ? strerror(errno) : "closed");
		p += n;
		len -= (size_t)n;
	}
}

/*
 * Appends one request to out (at *used); returns its req_id. The caller
 * sends out in one write, which is how pipelined requests go.
 */
static uint32_t put_request(struct client *c, char *out, size_t *used, size_t size,
			    uint32_t type, uint32_t tx_id, const void *payload, uint32_t len)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = ++c->next_req_id, .tx_id = tx_id, .len = len,
	};

	if (*used + sizeof(hdr) + len > size)
		fail("request buffer too small");
	memcpy(out + *used, &hdr, sizeof(hdr));
	memcpy(out + *used + sizeof(hdr), payload, len);
	*used += sizeof(hdr) + len;
	return hdr.req_id;
}

static uint32_t send_request(struct client *c, uint32_t type, uint32_t tx_id,
			     const void *payload, uint32_t len)
{
	char out[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t used = 0;
	uint32_t id = put_request(c, out, &used, sizeof(out), type, tx_id, payload, len);

	write_all(c->fd, out, used);
	return id;
}

/* The next whole message from the daemon. */
static struct reply next_message(struct client *c)
{
	struct reply r;

	for (;;) {
		size_t have = c->end - c->start;

		if (have >= sizeof(r.hdr)) {
			memcpy(&r.hdr, c->in + c->start, sizeof(r.hdr));
			if (r.hdr.len > XENSTORE_PAYLOAD_MAX)
				fail("reply of %u bytes", (unsigned)r.hdr.len);
			if (have >= sizeof(r.hdr) + r.hdr.len) {
				r.payload = c->in + c->start + sizeof(r.hdr);
				c->start += sizeof(r.hdr) + r.hdr.len;
				return r;
			}
		}
		if (c->start && c->end + sizeof(r.hdr) + XENSTORE_PAYLOAD_MAX > sizeof(c->in)) {
			memmove(c->in, c->in + c->start, have);
			c->start = 0;
			c->end = have;
		}
		ssize_t n = read(c->fd, c->in + c->end, sizeof(c->in) - c->end);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("read from daemon: %s", n < 0 ? strerror(errno) : "closed");
		c->end += (size_t)n;
	}
}

/* The reply to request `id` of `type`; an error reply or anything else fails. */
static struct reply expect_reply(struct client *c, uint32_t type, uint32_t id)
{
	struct reply r = next_message(c);

	if (r.hdr.type == XS_ERROR)
		fail("request type %u failed: %.*s", (unsigned)type, (int)r.hdr.len, r.payload);
	if (r.hdr.type != type || r.hdr.req_id != id)
		fail("expected reply type %u id %u, got type %u id %u", (unsigned)type,
		     (unsigned)id, (unsigned)r.hdr.type, (unsigned)r.hdr.req_id);
	return r;
}

static void expect_payload(const struct reply *r, const char *want, uint32_t len)
{
	if (r->hdr.len != len || memcmp(r->payload, want, len) != 0)
		fail("reply type %u: unexpected payload %.*s", (unsigned)r->hdr.type,
		     (int)r->hdr.len, r->payload);
}

static void call_ok(struct client *c, uint32_t type, const void *payload, uint32_t len)
{
	struct reply r = expect_reply(c, type, send_request(c, type, 0, payload, len));

	expect_payload(&r, "OK", 3);
}

/* "path\0value" without a trailing NUL, as XS_WRITE wants it. */
static uint32_t write_payload(char *buf, size_t size, const char *path, const char *value)
{
	int n = snprintf(buf, size, "%s%c%s", path, '\0', value);

	if (n < 0 || (size_t)n >= size)
		fail("payload too long");
	return (uint32_t)n;
}

static uint32_t path_payload(char *buf, size_t size, const char *fmt, unsigned n)
{
	int len = snprintf(buf, size, fmt, n);

	if (len < 0 || (size_t)len >= size)
		fail("path too long");
	return (uint32_t)len + 1;
}

void xs_load_prepare(const char *socket_path)
{
	struct client *c = client_open(socket_path);
	char path[64], buf[128];

	for (unsigned i = 0; i < NR_KEYS; i++) {
		path_payload(path, sizeof(path), "/bench/keys/key-%u", i);
		call_ok(c, XS_WRITE, buf, write_payload(buf, sizeof(buf), path, "value"));
	}
	call_ok(c, XS_MKDIR, "/bench/watched", sizeof("/bench/watched"));
	client_close(c);
}

static void read_one(struct client *c, unsigned i)
{
	char path[64];
	uint32_t len = path_payload(path, sizeof(path), "/bench/keys/key-%u", i % NR_KEYS);
	struct reply r = expect_reply(c, XS_READ, send_request(c, XS_READ, 0, path, len));

	expect_payload(&r, "value", 5);
}

static void write_one(struct client *c, const char *fmt, unsigned i)
{
	char path[64], buf[128];

	path_payload(path, sizeof(path), fmt, i % NR_KEYS);
	call_ok(c, XS_WRITE, buf, write_payload(buf, sizeof(buf), path, "value"));
}

static void directory_one(struct client *c)
{
	static const char dir[] = "/bench/keys";
	struct reply r = expect_reply(c, XS_DIRECTORY,
				      send_request(c, XS_DIRECTORY, 0, dir, sizeof(dir)));
	unsigned names = 0;

	for (uint32_t i = 0; i < r.hdr.len; i++)
		names += r.payload[i] == '\0';
	if (names != NR_KEYS)
		fail("directory listed %u names, not %u", names, NR_KEYS);
}

/* start, 2 reads, 2 writes, commit. */
static void transaction_one(struct client *c, unsigned i)
{
	char path[64], buf[128], tx_str[16];
	struct reply r = expect_reply(c, XS_TRANSACTION_START,
				      send_request(c, XS_TRANSACTION_START, 0, "", 1));
	unsigned long tx;
	char *end;

	if (r.hdr.len == 0 || r.hdr.len >= sizeof(tx_str))
		fail("transaction start: reply of %u bytes", (unsigned)r.hdr.len);
	memcpy(tx_str, r.payload, r.hdr.len);
	tx_str[r.hdr.len] = '\0';
	tx = strtoul(tx_str, &end, 10);
	if (end == tx_str || tx == 0 || tx > UINT32_MAX)
		fail("transaction start: id \"%s\"", tx_str);
	for (unsigned k = 0; k < 2; k++) {
		uint32_t len = path_payload(path, sizeof(path), "/bench/keys/key-%u",
					    (i * 2 + k) % NR_KEYS);

		r = expect_reply(c, XS_READ, send_request(c, XS_READ, (uint32_t)tx, path, len));
		expect_payload(&r, "value", 5);
	}
	for (unsigned k = 0; k < 2; k++) {
		path_payload(path, sizeof(path), "/bench/keys/key-%u", (i * 2 + k) % NR_KEYS);
		r = expect_reply(c, XS_WRITE,
				 send_request(c, XS_WRITE, (uint32_t)tx, buf,
					      write_payload(buf, sizeof(buf), path, "value")));
		expect_payload(&r, "OK", 3);
	}
	r = expect_reply(c, XS_TRANSACTION_END,
			 send_request(c, XS_TRANSACTION_END, (uint32_t)tx, "T", 2));
	expect_payload(&r, "OK", 3);
}

static void expect_event(struct client *c, const char *path, const char *token)
{
	struct reply r = next_message(c);
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;

	if (r.hdr.type != XS_WATCH_EVENT || r.hdr.len != plen + tlen ||
	    memcmp(r.payload, path, plen) != 0 || memcmp(r.payload + plen, token, tlen) != 0)
		fail("expected watch event %s, got type %u: %.*s", path, (unsigned)r.hdr.type,
		     (int)r.hdr.len, r.payload);
}

/* A write under the watched node, its reply, then the watcher's event. */
static void watched_write(struct client *c, struct client *watcher, unsigned i)
{
	char path[64];

	path_payload(path, sizeof(path), "/bench/watched/key-%u", i % NR_KEYS);
	write_one(c, "/bench/watched/key-%u", i);
	expect_event(watcher, path, "bench");
}

/* 16 reads sent in one write, then their 16 replies. */
static void pipelined_reads(struct client *c, unsigned i)
{
	char out[PIPELINE * 64], path[64];
	uint32_t ids[PIPELINE];
	size_t used = 0;

	for (unsigned k = 0; k < PIPELINE; k++) {
		uint32_t len = path_payload(path, sizeof(path), "/bench/keys/key-%u",
					    (i * PIPELINE + k) % NR_KEYS);

		ids[k] = put_request(c, out, &used, sizeof(out), XS_READ, 0, path, len);
	}
	write_all(c->fd, out, used);
	for (unsigned k = 0; k < PIPELINE; k++) {
		struct reply r = expect_reply(c, XS_READ, ids[k]);

		expect_payload(&r, "value", 5);
	}
}

struct writer {
	const char *socket_path;
	unsigned index;
	double seconds;
	unsigned long done;
	pthread_barrier_t *start;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct client *c = client_open(w->socket_path);
	char fmt[48];

	snprintf(fmt, sizeof(fmt), "/bench/conn-%u/key-%%u", w->index);
	write_one(c, fmt, 0); /* creates the parent before the clock starts */
	pthread_barrier_wait(w->start);
	double deadline = now() + w->seconds;

	do {
		for (unsigned k = 0; k < CHECK_EVERY; k++)
			write_one(c, fmt, (unsigned)w->done++);
	} while (now() < deadline);
	client_close(c);
	return NULL;
}

static struct xs_load_result four_writers(const char *socket_path, double seconds)
{
	struct writer w[WRITERS];
	pthread_t thread[WRITERS];
	pthread_barrier_t start;
	unsigned long total = 0;
	double t0;

	pthread_barrier_init(&start, NULL, WRITERS + 1);
	for (unsigned i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){
			.socket_path = socket_path, .index = i, .seconds = seconds, .start = &start,
		};
		if (pthread_create(&thread[i], NULL, writer_main, &w[i]))
			fail("pthread_create");
	}
	pthread_barrier_wait(&start);
	t0 = now();
	for (unsigned i = 0; i < WRITERS; i++) {
		pthread_join(thread[i], NULL);
		total += w[i].done;
	}
	pthread_barrier_destroy(&start);
	return (struct xs_load_result){ .units = (double)total, .seconds = now() - t0 };
}

/* One unit of a single-connection workload. */
static void run_unit(struct client *c, struct client *watcher, enum xs_workload w, unsigned i)
{
	switch (w) {
	case XS_LOAD_READ:
		read_one(c, i);
		break;
	case XS_LOAD_WRITE:
		write_one(c, "/bench/keys/key-%u", i);
		break;
	case XS_LOAD_DIRECTORY:
		directory_one(c);
		break;
	case XS_LOAD_TRANSACTION:
		transaction_one(c, i);
		break;
	case XS_LOAD_WATCH:
		watched_write(c, watcher, i);
		break;
	case XS_LOAD_PIPELINED_READ:
		pipelined_reads(c, i);
		break;
	default:
		fail("workload %d has no unit", (int)w);
	}
}

struct xs_load_result xs_load_run(const char *socket_path, enum xs_workload w, double seconds)
{
	struct client *c, *watcher = NULL;
	unsigned long units = 0;
	double t0, dt;

	if (w == XS_LOAD_FOUR_WRITERS)
		return four_writers(socket_path, seconds);
	c = client_open(socket_path);
	if (w == XS_LOAD_WATCH) {
		static const char watch[] = "/bench/watched\0bench";

		watcher = client_open(socket_path);
		struct reply r = expect_reply(watcher, XS_WATCH,
					      send_request(watcher, XS_WATCH, 0, watch,
							   sizeof(watch)));

		expect_payload(&r, "OK", 3);
		expect_event(watcher, "/bench/watched", "bench"); /* fires once on registration */
	}
	t0 = now();
	do {
		for (unsigned k = 0; k < CHECK_EVERY; k++, units++)
			run_unit(c, watcher, w, (unsigned)units);
	} while ((dt = now() - t0) < seconds);
	if (watcher)
		client_close(watcher);
	client_close(c);
	return (struct xs_load_result){
		.units = (double)(units * (w == XS_LOAD_PIPELINED_READ ? PIPELINE : 1)),
		.seconds = dt,
	};
}
