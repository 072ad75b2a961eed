/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xs-watchers: how a xenstored treats watchers that read slowly or not at
 * all, on its unix socket (every client is dom0). One writer writes
 * WRITES times over KEYS keys under /bench/w while
 *   slow:  one watcher reads each event, then sleeps DELAY µs;
 *   stuck: N watchers never read until the writer is done.
 * Prints the events each watcher got, whether it was disconnected, and the
 * daemon's resident memory (now and at its peak) read from /proc/PID.
 * Figures only, nothing asserted: bench/xs-watchers.sh runs it against the
 * model's daemon and against Xen's C xenstored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define MAX_STUCK 64
#define DONE_PATH "/bench/w/done"

struct watcher {
	int fd;
	unsigned delay_us;
	unsigned long events;
	bool saw_done;
	bool disconnected;
	pthread_t thread;
};

static const char *socket_path;

static void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "xs-watchers: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static int conn_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail("cannot connect to %s", socket_path);
	return fd;
}

static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static void send_msg(int fd, uint32_t type, uint32_t req_id, const char *a, const char *b)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id };
	/* A written value carries no nul; a watch token does. */
	size_t al = strlen(a) + 1, bl = b ? strlen(b) + (type != XS_WRITE) : 0;

	memcpy(buf + sizeof(hdr), a, al);
	if (b)
		memcpy(buf + sizeof(hdr) + al, b, bl);
	hdr.len = (uint32_t)(al + bl);
	memcpy(buf, &hdr, sizeof(hdr));
	if (write(fd, buf, sizeof(hdr) + hdr.len) != (ssize_t)(sizeof(hdr) + hdr.len))
		fail("short write to %s", socket_path);
}

/* Reads one message; false at EOF or error. */
static bool read_msg(int fd, struct xsd_sockmsg *hdr, char *payload)
{
	if (!read_full(fd, hdr, sizeof(*hdr)) || hdr->len > XENSTORE_PAYLOAD_MAX)
		return false;
	return read_full(fd, payload, hdr->len);
}

/* A request and its reply; a watcher's events before it are counted. */
static void call(int fd, uint32_t type, const char *a, const char *b, unsigned long *events)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr;

	send_msg(fd, type, 7, a, b);
	for (;;) {
		if (!read_msg(fd, &hdr, payload))
			fail("daemon closed the connection during %s", a);
		if (hdr.type == XS_WATCH_EVENT && events) {
			(*events)++;
			continue;
		}
		if (hdr.type != type || hdr.req_id != 7)
		{
			payload[hdr.len] = '\0';
			fprintf(stderr, "xs-watchers: got type %u (%s)\n", hdr.type, payload);
			fail("unexpected reply to %s", a);
		}
		return;
	}
}

static void watcher_open(struct watcher *w, const char *token)
{
	w->fd = conn_open();
	call(w->fd, XS_WATCH, "/bench/w", token, &w->events);
}

/* Takes one event; false at EOF. Notes the writer's last one. */
static bool watcher_take(struct watcher *w)
{
	static __thread char payload[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr;

	if (!read_msg(w->fd, &hdr, payload)) {
		w->disconnected = true;
		return false;
	}
	payload[hdr.len] = '\0';
	if (hdr.type == XS_WATCH_EVENT) {
		w->events++;
		if (strcmp(payload, DONE_PATH) == 0)
			w->saw_done = true;
	}
	return true;
}

static void *slow_reader(void *arg)
{
	struct watcher *w = arg;
	struct timespec pause = { 0, (long)w->delay_us * 1000 };

	while (!w->saw_done && watcher_take(w))
		nanosleep(&pause, NULL);
	return NULL;
}

/* Reads what is queued for a stuck watcher until DONE_PATH, EOF or 2 s of silence. */
static void drain(struct watcher *w)
{
	struct pollfd p = { .fd = w->fd, .events = POLLIN };

	while (!w->saw_done && poll(&p, 1, 2000) == 1)
		if (!watcher_take(w))
			break;
}

static void memory_of(long pid, long *rss, long *hwm)
{
	char path[64], line[128];
	FILE *f;

	*rss = *hwm = -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld kB", rss);
		sscanf(line, "VmHWM: %ld kB", hwm);
	}
	fclose(f);
}

static void writer_run(unsigned long writes, unsigned long keys)
{
	int fd = conn_open();
	char path[64];

	for (unsigned long i = 0; i < writes; i++) {
		snprintf(path, sizeof(path), "/bench/w/key-%lu", i % keys);
		call(fd, XS_WRITE, path, "v", NULL);
	}
	call(fd, XS_WRITE, DONE_PATH, "1", NULL);
	close(fd);
}

static void report(const char *label, const struct watcher *w, unsigned long writes)
{
	printf("  %s: %lu events of %lu writes + 2 (registration, done)%s%s\n", label, w->events,
	       writes, w->disconnected ? ", DISCONNECTED" : ", still connected",
	       w->saw_done ? "" : ", done event missing");
}

int main(int argc, char **argv)
{
	unsigned long writes, keys, n;
	struct watcher w[MAX_STUCK];
	long pid, rss, hwm;

	if (argc != 7 || (strcmp(argv[3], "slow") && strcmp(argv[3], "stuck"))) {
		fprintf(stderr, "usage: xs-watchers SOCKET DAEMON_PID slow|stuck N WRITES KEYS\n"
				"  slow: N = µs the watcher sleeps after each event\n"
				"  stuck: N = watchers that do not read (at most %d)\n", MAX_STUCK);
		return 2;
	}
	socket_path = argv[1];
	pid = strtol(argv[2], NULL, 10);
	n = strtoul(argv[4], NULL, 10);
	writes = strtoul(argv[5], NULL, 10);
	keys = strtoul(argv[6], NULL, 10);
	if (!keys || (argv[3][1] == 't' && (n < 1 || n > MAX_STUCK)))
		fail("bad count in %s", argv[4]);
	{
		int fd = conn_open();

		call(fd, XS_MKDIR, "/bench/w", NULL, NULL);
		close(fd);
	}
	memset(w, 0, sizeof(w));
	if (argv[3][1] == 'l') {
		w[0].delay_us = (unsigned)n;
		watcher_open(&w[0], "slow");
		pthread_create(&w[0].thread, NULL, slow_reader, &w[0]);
		writer_run(writes, keys);
		pthread_join(w[0].thread, NULL);
		memory_of(pid, &rss, &hwm);
		printf("slow watcher (%lu µs an event), %lu writes over %lu keys:\n", n, writes, keys);
		report("watcher", &w[0], writes);
	} else {
		for (unsigned long i = 0; i < n; i++)
			watcher_open(&w[i], "stuck");
		writer_run(writes, keys);
		memory_of(pid, &rss, &hwm);
		printf("%lu stuck watchers, %lu writes over %lu keys:\n", n, writes, keys);
		for (unsigned long i = 0; i < n; i++) {
			char label[32];

			drain(&w[i]);
			snprintf(label, sizeof(label), "watcher %lu", i);
			if (i < 2 || i == n - 1 || w[i].disconnected != w[0].disconnected ||
			    w[i].events != w[0].events)
				report(label, &w[i], writes);
		}
	}
	printf("  daemon memory after the writes: VmRSS %ld KiB, peak VmHWM %ld KiB\n", rss, hwm);
	return 0;
}
