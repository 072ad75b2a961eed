/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The unix-socket transport, in process: the test is the client on a
 * blocking socket and turns the daemon's libuv loop by hand. Every wait is
 * "run the loop until the bytes are there", bounded by a turn count, never
 * by the clock.
 */
#include "test_xs_helpers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <hv/xs_uv.h>

#define MAX_TURNS 10000

struct fixture {
	struct hv_xs *xs;
	uv_loop_t loop;
	struct hv_xs_uv *srv;
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	signal(SIGPIPE, SIG_IGN);
	snprintf(f->dir, sizeof(f->dir), "/tmp/xs-uv-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/socket", f->dir);
	f->xs = txs_new();
	assert_int_equal(uv_loop_init(&f->loop), 0);
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, f->path, &f->srv), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hv_xs_uv_close(f->srv);
	uv_run(&f->loop, UV_RUN_DEFAULT); /* finish closing the handles */
	assert_int_equal(uv_loop_close(&f->loop), 0);
	hv_xs_free(f->xs);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int client_connect(struct fixture *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Turns the loop until fd has something to read (data or EOF). */
static void pump_until_readable(struct fixture *f, int fd)
{
	for (int i = 0; i < MAX_TURNS; i++) {
		if (readable(fd))
			return;
		uv_run(&f->loop, UV_RUN_NOWAIT);
	}
	fail_msg("no reply after %d loop turns", MAX_TURNS);
}

static void send_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

static void send_msg(int fd, uint32_t type, uint32_t req_id, const void *payload, uint32_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .len = len };

	send_all(fd, &hdr, sizeof(hdr));
	send_all(fd, payload, len);
}

static void recv_exact(struct fixture *f, int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n;

		pump_until_readable(f, fd);
		n = read(fd, p, len);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

static void recv_msg(struct fixture *f, int fd, struct tmsg *m)
{
	memset(m, 0, sizeof(*m));
	recv_exact(f, fd, &m->hdr, sizeof(m->hdr));
	assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
	recv_exact(f, fd, m->payload, m->hdr.len);
}

static void expect_msg(struct fixture *f, int fd, uint32_t type, uint32_t req_id, const char *s)
{
	struct tmsg m;

	recv_msg(f, fd, &m);
	assert_int_equal(m.hdr.type, type);
	assert_int_equal(m.hdr.req_id, req_id);
	assert_string_equal((const char *)m.payload, s);
}

static void test_xs_uv_write_and_read_over_socket(void **state)
{
	struct fixture *f = *state;
	int fd = client_connect(f);

	send_msg(fd, XS_WRITE, 1, "/sock\0hello", 11);
	expect_msg(f, fd, XS_WRITE, 1, "OK");
	send_msg(fd, XS_READ, 2, "/sock", 6);
	expect_msg(f, fd, XS_READ, 2, "hello");
	close(fd);
}

static void test_xs_uv_requests_split_across_writes_are_reassembled(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_GET_DOMAIN_PATH, .req_id = 3, .len = 3 };
	int fd = client_connect(f);

	send_all(fd, &hdr, 7);
	for (int i = 0; i < 5; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	send_all(fd, (const uint8_t *)&hdr + 7, sizeof(hdr) - 7);
	send_all(fd, "42\0", 3);
	expect_msg(f, fd, XS_GET_DOMAIN_PATH, 3, "/local/domain/42");
	close(fd);
}

/* Requests sent in one write are all answered, in order. */
static void test_xs_uv_pipelined_requests_are_all_answered_in_order(void **state)
{
	struct fixture *f = *state;
	uint8_t out[16 * (sizeof(struct xsd_sockmsg) + 2)], in[4096];
	size_t used = 0, want = 0;
	int fd = client_connect(f);
	ssize_t n;

	for (uint32_t id = 1; id <= 16; id++) {
		struct xsd_sockmsg hdr = { .type = XS_GET_DOMAIN_PATH, .req_id = id, .len = 2 };

		memcpy(out + used, &hdr, sizeof(hdr));
		memcpy(out + used + sizeof(hdr), (char[]){ (char)('0' + id % 10), '\0' }, 2);
		used += sizeof(hdr) + 2;
		want += sizeof(hdr) + sizeof("/local/domain/0");
	}
	send_all(fd, out, used);
	pump_until_readable(f, fd);
	n = read(fd, in, sizeof(in));
	assert_int_equal(n, (ssize_t)want);
	for (uint32_t id = 1, off = 0; id <= 16; id++) {
		struct xsd_sockmsg hdr;
		char path[32];

		memcpy(&hdr, in + off, sizeof(hdr));
		snprintf(path, sizeof(path), "/local/domain/%u", id % 10);
		assert_int_equal(hdr.type, XS_GET_DOMAIN_PATH);
		assert_int_equal(hdr.req_id, id);
		assert_string_equal((const char *)in + off + sizeof(hdr), path);
		off += (uint32_t)sizeof(hdr) + hdr.len;
	}
	close(fd);
}

/* Replies the socket cannot take at once wait, in order, until read. */
static void test_xs_uv_replies_beyond_the_socket_buffer_keep_their_order(void **state)
{
	struct fixture *f = *state;
	enum { READS = 400, VALUE_LEN = 2000 };
	static uint8_t requests[READS * (sizeof(struct xsd_sockmsg) + 5)];
	char value[VALUE_LEN + 1];
	int fd = client_connect(f);
	size_t used = 0;
	struct tmsg m;

	memset(value, 'v', VALUE_LEN);
	value[VALUE_LEN] = '\0';
	assert_int_equal(hv_xs_write_str(f->xs, "/big", value), 0);
	/* One write: many small ones would fill the socket before the loop runs. */
	for (uint32_t id = 1; id <= READS; id++) {
		struct xsd_sockmsg hdr = { .type = XS_READ, .req_id = id, .len = 5 };

		memcpy(requests + used, &hdr, sizeof(hdr));
		memcpy(requests + used + sizeof(hdr), "/big", 5);
		used += sizeof(hdr) + 5;
	}
	send_all(fd, requests, used);
	for (int i = 0; i < 50; i++) /* replies pile up: nobody reads yet */
		uv_run(&f->loop, UV_RUN_NOWAIT);
	for (uint32_t id = 1; id <= READS; id++) {
		recv_msg(f, fd, &m);
		assert_int_equal(m.hdr.type, XS_READ);
		assert_int_equal(m.hdr.req_id, id);
		assert_int_equal(m.hdr.len, VALUE_LEN);
	}
	close(fd);
}

static void test_xs_uv_socket_clients_are_dom0(void **state)
{
	struct fixture *f = *state;
	int fd = client_connect(f);

	send_msg(fd, XS_IS_DOMAIN_INTRODUCED, 4, "0", 2);
	expect_msg(f, fd, XS_IS_DOMAIN_INTRODUCED, 4, "T"); /* privileged op allowed */
	send_msg(fd, XS_WRITE, 5, "rel\0x", 5);
	expect_msg(f, fd, XS_WRITE, 5, "OK");
	assert_int_equal(hv_xs_read(f->xs, "/local/domain/0/rel", NULL, 0), 1);
	close(fd);
}

static void test_xs_uv_watch_event_reaches_socket_client(void **state)
{
	struct fixture *f = *state;
	int watcher = client_connect(f), writer = client_connect(f);
	struct tmsg m;

	send_msg(watcher, XS_WATCH, 1, "/w\0tok", 7);
	expect_msg(f, watcher, XS_WATCH, 1, "OK");
	expect_msg(f, watcher, XS_WATCH_EVENT, 0, "/w");
	send_msg(writer, XS_WRITE, 2, "/w/x\0", 5);
	expect_msg(f, writer, XS_WRITE, 2, "OK");
	recv_msg(f, watcher, &m);
	assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
	assert_int_equal(m.hdr.tx_id, 0);
	assert_memory_equal(m.payload, "/w/x\0tok\0", 9);
	close(watcher);
	close(writer);
}

/* Registers a watch on /w for a fresh client and takes its first event. */
static int watcher_connect(struct fixture *f)
{
	int fd = client_connect(f);

	send_msg(fd, XS_WATCH, 1, "/w\0tok", 7);
	expect_msg(f, fd, XS_WATCH, 1, "OK");
	expect_msg(f, fd, XS_WATCH_EVENT, 0, "/w");
	return fd;
}

/* A watcher that does not read hears of each node once, however often it changed. */
static void test_xs_uv_stuck_watcher_gets_repeated_changes_merged(void **state)
{
	struct fixture *f = *state;
	enum { WRITES = 100000, KEYS = 10 };
	int fd = watcher_connect(f);
	bool seen[KEYS] = { false };
	unsigned events = 0;
	char path[32];
	struct tmsg m;

	for (unsigned i = 0; i < WRITES; i++) {
		snprintf(path, sizeof(path), "/w/k%u", i % KEYS);
		assert_int_equal(hv_xs_write_str(f->xs, path, ""), 0);
		/* Without merging, 100000 events of 24 bytes would queue. */
		assert_true(hv_xs_out_memory(f->xs) < 64 * 1024);
	}
	assert_int_equal(hv_xs_write_str(f->xs, "/w/done", ""), 0);
	assert_int_equal(hv_xs_uv_clients(f->srv), 1);
	for (;;) {
		recv_msg(f, fd, &m);
		assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
		if (strcmp((const char *)m.payload, "/w/done") == 0)
			break;
		events++;
		assert_true(sscanf((const char *)m.payload, "/w/k%u", &(unsigned){ 0 }) == 1);
		seen[atoi((const char *)m.payload + 4) % KEYS] = true;
	}
	assert_true(events < WRITES / 10);
	for (int k = 0; k < KEYS; k++)
		assert_true(seen[k]);
	assert_int_equal(hv_xs_out_memory(f->xs), 0);
	close(fd);
}

/* Past max_dom0_out_bytes a client that does not read is disconnected; others stay. */
static void test_xs_uv_client_past_its_memory_bound_is_disconnected(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_config cfg;
	int stuck, reader;
	size_t peak = 0;
	char path[32], byte;
	struct tmsg m;

	hv_xs_uv_close(f->srv);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	hv_xs_free(f->xs);
	hv_xs_config_default(&cfg);
	cfg.max_dom0_out_bytes = 100000;
	f->xs = hv_xs_new(&cfg);
	assert_non_null(f->xs);
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, f->path, &f->srv), 0);
	stuck = watcher_connect(f);
	reader = client_connect(f);
	send_msg(reader, XS_GET_DOMAIN_PATH, 1, "1", 2); /* accepted once answered */
	expect_msg(f, reader, XS_GET_DOMAIN_PATH, 1, "/local/domain/1");
	for (unsigned i = 0; i < 50000 && hv_xs_uv_clients(f->srv) == 2; i++) {
		snprintf(path, sizeof(path), "/w/k%u", i);
		assert_int_equal(hv_xs_write_str(f->xs, path, ""), 0);
		if (hv_xs_out_memory(f->xs) > peak)
			peak = hv_xs_out_memory(f->xs);
	}
	/* The daemon's own accounting never passed the bound: it cut the client there. */
	assert_true(peak > cfg.max_dom0_out_bytes / 2);
	assert_true(peak <= cfg.max_dom0_out_bytes);
	assert_int_equal(hv_xs_uv_clients(f->srv), 1);
	assert_int_equal(hv_xs_out_memory(f->xs), 0);
	/* What the socket had taken is still there, then EOF. */
	for (;;) {
		pump_until_readable(f, stuck);
		if (recv(stuck, &byte, 1, MSG_PEEK) == 0)
			break;
		recv_msg(f, stuck, &m);
		assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
	}
	send_msg(reader, XS_READ, 2, "/w/k0", 6);
	expect_msg(f, reader, XS_READ, 2, "");
	close(stuck);
	close(reader);
}

static void test_xs_uv_oversized_payload_closes_only_that_client(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_WRITE, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };
	int bad = client_connect(f), good = client_connect(f);
	char byte;

	send_all(bad, &hdr, sizeof(hdr));
	pump_until_readable(f, bad);
	assert_int_equal(read(bad, &byte, 1), 0); /* EOF: disconnected */
	send_msg(good, XS_GET_DOMAIN_PATH, 2, "1", 2);
	expect_msg(f, good, XS_GET_DOMAIN_PATH, 2, "/local/domain/1");
	assert_int_equal(hv_xs_uv_clients(f->srv), 1);
	close(bad);
	close(good);
}

static void test_xs_uv_disconnect_frees_the_connection_state(void **state)
{
	struct fixture *f = *state;
	size_t nodes = hv_xs_live_nodes(f->xs);
	int fd = client_connect(f);

	send_msg(fd, XS_TRANSACTION_START, 1, "", 1);
	recv_exact(f, fd, &(struct xsd_sockmsg){ 0 }, sizeof(struct xsd_sockmsg));
	close(fd);
	for (int i = 0; i < MAX_TURNS && hv_xs_uv_clients(f->srv); i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	assert_int_equal(hv_xs_uv_clients(f->srv), 0);
	assert_int_equal(hv_xs_live_nodes(f->xs), nodes);
}

static void test_xs_uv_listen_replaces_stale_socket_but_not_files(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_uv *second;
	char file[128];
	int fd;

	/* A leftover socket at the path is replaced. */
	hv_xs_uv_close(f->srv);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	close(fd);
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, f->path, &f->srv), 0);
	/* A regular file is not ours to remove. */
	snprintf(file, sizeof(file), "%s/file", f->dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, file, &second), -XEN_EEXIST);
	unlink(file);
}

/* What the host refuses comes back as Xen's errno, never the host's. */
static void test_xs_uv_listen_reports_host_errors_as_xen_errnos(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_uv *srv = NULL;
	char file[256], path[512], longpath[200];
	int fd, rc;

	snprintf(file, sizeof(file), "%s/plain", f->dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	/* bind() under a missing directory: libuv's error, which it reports
	 * as EACCES for pipes (older versions passed ENOENT through). */
	snprintf(path, sizeof(path), "%s/missing/socket", f->dir);
	rc = hv_xs_uv_listen(f->xs, &f->loop, path, &srv);
	assert_true(rc == -XEN_EACCES || rc == -XEN_ENOENT);
	/* lstat() through a regular file (errno). */
	snprintf(path, sizeof(path), "%s/socket", file);
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, path, &srv), -XEN_ENOTDIR);
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(hv_xs_uv_listen(f->xs, &f->loop, longpath, &srv),
			 -XEN_ENAMETOOLONG);
	assert_null(srv);
	/* The refused listeners' handles finish closing. */
	for (int i = 0; i < 4; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	unlink(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_uv_write_and_read_over_socket),
		T(test_xs_uv_requests_split_across_writes_are_reassembled),
		T(test_xs_uv_pipelined_requests_are_all_answered_in_order),
		T(test_xs_uv_replies_beyond_the_socket_buffer_keep_their_order),
		T(test_xs_uv_socket_clients_are_dom0),
		T(test_xs_uv_watch_event_reaches_socket_client),
		T(test_xs_uv_stuck_watcher_gets_repeated_changes_merged),
		T(test_xs_uv_client_past_its_memory_bound_is_disconnected),
		T(test_xs_uv_oversized_payload_closes_only_that_client),
		T(test_xs_uv_disconnect_frees_the_connection_state),
		T(test_xs_uv_listen_reports_host_errors_as_xen_errnos),
		T(test_xs_uv_listen_replaces_stale_socket_but_not_files),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
