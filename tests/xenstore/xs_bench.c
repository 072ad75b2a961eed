/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xs-bench: xenstore operations per second over the unix socket. The
 * daemon (the model's xenstored on libuv) runs in a second thread of this
 * process; the main thread is a blocking client sending one request at a
 * time, like libxenstore. With --compare SOCKET the same client also runs
 * against another daemon already listening there and the ratio is printed.
 * Prints figures only: nothing here is asserted.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <hv/errno_name.h>
#include <hv/xs.h>
#include <hv/xs_uv.h>

#define OPS_PER_PHASE 20000

struct server {
	uv_loop_t loop;
	uv_async_t stop;
	struct hv_xs *xs;
	struct hv_xs_uv *srv;
};

static void on_stop(uv_async_t *a)
{
	struct server *s = a->data;

	hv_xs_uv_close(s->srv);
	uv_close((uv_handle_t *)&s->stop, NULL);
}

static void *serve(void *arg)
{
	struct server *s = arg;

	uv_run(&s->loop, UV_RUN_DEFAULT);
	return NULL;
}

static void die(const char *what)
{
	fprintf(stderr, "xs-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void io_all(int fd, void *buf, size_t len, int writing)
{
	char *p = buf;

	while (len) {
		ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			die(writing ? "write" : "read");
		p += n;
		len -= (size_t)n;
	}
}

/* One request, one reply; returns the reply's transaction id payload as a number. */
static unsigned long call(int fd, uint32_t type, uint32_t tx, const void *payload, uint32_t len)
{
	static uint32_t req_id;
	struct xsd_sockmsg hdr = { .type = type, .req_id = ++req_id, .tx_id = tx, .len = len };
	char reply[XENSTORE_PAYLOAD_MAX + 1];

	io_all(fd, &hdr, sizeof(hdr), 1);
	io_all(fd, (void *)payload, len, 1);
	io_all(fd, &hdr, sizeof(hdr), 0);
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		die("oversized reply");
	io_all(fd, reply, hdr.len, 0);
	reply[hdr.len] = '\0';
	if (hdr.type == XS_ERROR) {
		fprintf(stderr, "xs-bench: op %u failed: %s\n", (unsigned)type, reply);
		exit(1);
	}
	return strtoul(reply, NULL, 10);
}

static uint32_t key_payload(char *buf, int i, const char *value)
{
	int n = sprintf(buf, "/bench/key-%d", i % 100) + 1;

	if (!value)
		return (uint32_t)n;
	return (uint32_t)(n + sprintf(buf + n, "%s", value));
}

enum phase { WRITE, READ, DIRECTORY, TRANSACTION, MIX, PHASES };

static const char *const phase_name[PHASES] = {
	"write", "read", "directory", "transaction", "mixed",
};

/* Runs one unit of a phase; returns how many requests it sent. */
static int run_one(int fd, enum phase p, int i)
{
	char buf[128];
	unsigned long t;

	switch (p) {
	case WRITE:
		call(fd, XS_WRITE, 0, buf, key_payload(buf, i, "value"));
		return 1;
	case READ:
		call(fd, XS_READ, 0, buf, key_payload(buf, i, NULL));
		return 1;
	case DIRECTORY:
		call(fd, XS_DIRECTORY, 0, "/bench", 7);
		return 1;
	case TRANSACTION: /* start, read, write, commit */
		t = call(fd, XS_TRANSACTION_START, 0, "", 1);
		call(fd, XS_READ, (uint32_t)t, buf, key_payload(buf, i, NULL));
		call(fd, XS_WRITE, (uint32_t)t, buf, key_payload(buf, i, "txn"));
		call(fd, XS_TRANSACTION_END, (uint32_t)t, "T", 2);
		return 4;
	default: /* 4 plain requests and one transaction */
		return run_one(fd, WRITE, i) + run_one(fd, READ, i) + run_one(fd, READ, i + 1) +
		       run_one(fd, DIRECTORY, i) + run_one(fd, TRANSACTION, i);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	return fd;
}

/* Every phase against the daemon on fd; ops/s per phase into rate[]. */
static void measure(int fd, const char *label, double rate[PHASES])
{
	for (int i = 0; i < 100; i++)
		run_one(fd, WRITE, i); /* 100 keys to read and list */
	printf("xenstore over a unix socket (%s, one blocking client):\n", label);
	for (int p = 0; p < PHASES; p++) {
		int ops = 0, i = 0;
		double t0 = now(), dt;

		while (ops < OPS_PER_PHASE)
			ops += run_one(fd, (enum phase)p, i++);
		dt = now() - t0;
		rate[p] = ops / dt;
		printf("  %-12s %8.0f ops/s  (%d ops in %.3f s)\n", phase_name[p], rate[p], ops, dt);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/xs-bench-XXXXXX";
	struct server s = { 0 };
	double model[PHASES], peer[PHASES];
	const char *compare = NULL;
	pthread_t thread;
	int fd, rc;

	if (argc == 3 && strcmp(argv[1], "--compare") == 0) {
		compare = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: xs-bench [--compare SOCKET]\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/socket", dir);
	s.xs = hv_xs_new(NULL);
	if (!s.xs || uv_loop_init(&s.loop))
		die("setup");
	rc = hv_xs_uv_listen(s.xs, &s.loop, sa.sun_path, &s.srv);
	if (rc) {
		fprintf(stderr, "xs-bench: listen: %s\n", hv_errno_name(rc));
		return 1;
	}
	uv_async_init(&s.loop, &s.stop, on_stop);
	s.stop.data = &s;
	/* The loop is handed to the thread here and touched by nobody else. */
	if (pthread_create(&thread, NULL, serve, &s))
		die("pthread_create");

	fd = connect_to(sa.sun_path);
	measure(fd, "model xenstored, -O2", model);
	close(fd);
	if (compare) {
		fd = connect_to(compare);
		measure(fd, compare, peer);
		close(fd);
		printf("model xenstored vs %s (goal: at least 2x):\n", compare);
		for (int p = 0; p < PHASES; p++)
			printf("  %-12s %6.2fx\n", phase_name[p], model[p] / peer[p]);
	}
	uv_async_send(&s.stop);
	pthread_join(thread, NULL);
	uv_loop_close(&s.loop);
	hv_xs_free(s.xs);
	rmdir(dir);
	return 0;
}
