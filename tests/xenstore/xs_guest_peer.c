/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xs-guest-peer: plays an unprivileged guest against xenstored-sim
 * --ring-dir. As dom0 (the socket) it makes /local/domain/5 and
 * introduces domain 5; the daemon then serves DIR/domain-5, a page this
 * program shares with it, as domain 5's ring, and this program speaks the
 * guest's side of it. Checks what only an unprivileged domain meets:
 * permissions, per-domain quotas, watch events only for readable paths
 * (XSA-115), and a guest that stops reading. Every wait is bounded (a
 * hang is a FAIL). One line per check, then "N passed, N failed, N skipped".
 * usage: xs-guest-peer SOCKET DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define DOMID      5
#define WAIT_MS    20000 /* the longest any one answer may take */
#define STUCK_WRITES 14000

struct msg {
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

static int dom0_fd;
static struct xenstore_domain_interface *page;
static unsigned passed, failed;

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("ok %s\n", name);
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* Joins up to two strings, each with its nul; b_nul=false drops b's. */
static uint32_t payload_of(char *out, const char *a, const char *b, bool b_nul)
{
	uint32_t len = 0;

	if (a) {
		memcpy(out, a, strlen(a) + 1);
		len = (uint32_t)strlen(a) + 1;
	}
	if (b) {
		memcpy(out + len, b, strlen(b) + b_nul);
		len += (uint32_t)(strlen(b) + b_nul);
	}
	return len;
}

/* ---- dom0, over the socket ---- */

/* A request whose payload is given whole (nuls and all), and its reply. */
static bool dom0_raw(uint32_t type, const void *payload, uint32_t len, struct msg *rsp)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = type, .req_id = 1, .len = len };
	size_t got = 0;

	memcpy(buf + sizeof(hdr), payload, len);
	memcpy(buf, &hdr, sizeof(hdr));
	if (write(dom0_fd, buf, sizeof(hdr) + hdr.len) != (ssize_t)(sizeof(hdr) + hdr.len))
		return false;
	for (;;) { /* dom0 watches nothing: the next message is the reply */
		ssize_t n = read(dom0_fd, (char *)rsp + got, sizeof(rsp->hdr) - got);

		if (n <= 0)
			return false;
		got += (size_t)n;
		if (got == sizeof(rsp->hdr))
			break;
	}
	for (got = 0; got < rsp->hdr.len;) {
		ssize_t n = read(dom0_fd, rsp->body + got, rsp->hdr.len - got);

		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	rsp->body[rsp->hdr.len] = '\0';
	return true;
}

static bool dom0_call(uint32_t type, const char *a, const char *b, bool b_nul, struct msg *rsp)
{
	char payload[XENSTORE_PAYLOAD_MAX];

	return dom0_raw(type, payload, payload_of(payload, a, b, b_nul), rsp);
}

static bool dom0_ok(uint32_t type, const char *a, const char *b, bool b_nul)
{
	struct msg rsp;

	return dom0_call(type, a, b, b_nul, &rsp) && rsp.hdr.type == type;
}

/* ---- the guest, on the shared ring ---- */

static void guest_put(const void *data, uint32_t len)
{
	const uint8_t *p = data;

	for (int waited = 0; len && waited < WAIT_MS; ) {
		uint32_t prod = page->req_prod;
		uint32_t space = XENSTORE_RING_SIZE - (prod - __atomic_load_n(&page->req_cons, __ATOMIC_ACQUIRE));
		uint32_t n = len < space ? len : space;

		if (!n) {
			sleep_ms(1);
			waited++;
			continue;
		}
		for (uint32_t i = 0; i < n; i++)
			page->req[MASK_XENSTORE_IDX(prod + i)] = (char)p[i];
		/* The bytes before the index that publishes them. */
		__atomic_store_n(&page->req_prod, prod + n, __ATOMIC_RELEASE);
		p += n;
		len -= n;
	}
}

static void guest_send(uint32_t type, uint32_t req_id, const char *a, const char *b, bool b_nul)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id };

	hdr.len = payload_of(buf + sizeof(hdr), a, b, b_nul);
	memcpy(buf, &hdr, sizeof(hdr));
	guest_put(buf, (uint32_t)sizeof(hdr) + hdr.len);
}

static uint32_t rsp_avail(void)
{
	return __atomic_load_n(&page->rsp_prod, __ATOMIC_ACQUIRE) - page->rsp_cons;
}

static void rsp_copy(uint32_t at, void *out, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		((char *)out)[i] = page->rsp[MASK_XENSTORE_IDX(page->rsp_cons + at + i)];
}

/* Takes the next whole message, waiting at most wait_ms. */
static bool guest_take(struct msg *m, int wait_ms)
{
	for (int waited = 0;; waited++) {
		if (rsp_avail() >= sizeof(m->hdr)) {
			rsp_copy(0, &m->hdr, sizeof(m->hdr));
			if (m->hdr.len > XENSTORE_PAYLOAD_MAX)
				return false;
			if (rsp_avail() >= sizeof(m->hdr) + m->hdr.len) {
				rsp_copy(sizeof(m->hdr), m->body, m->hdr.len);
				m->body[m->hdr.len] = '\0';
				__atomic_store_n(&page->rsp_cons,
						 page->rsp_cons + (uint32_t)sizeof(m->hdr) + m->hdr.len,
						 __ATOMIC_RELEASE);
				return true;
			}
		}
		if (waited >= wait_ms)
			return false;
		sleep_ms(1);
	}
}

/* The reply to req_id; watch events met on the way are counted. */
static bool guest_call(uint32_t type, const char *a, const char *b, bool b_nul,
		       struct msg *rsp)
{
	static uint32_t req_id = 100;
	uint32_t id = ++req_id;

	guest_send(type, id, a, b, b_nul);
	while (guest_take(rsp, WAIT_MS))
		if (rsp->hdr.type != XS_WATCH_EVENT && rsp->hdr.req_id == id)
			return true;
	return false;
}

/* "OK", or the error name, or "(no reply)". */
static const char *guest_result(uint32_t type, const char *a, const char *b, bool b_nul)
{
	static struct msg rsp;

	if (!guest_call(type, a, b, b_nul, &rsp))
		return "(no reply)";
	if (rsp.hdr.type == XS_ERROR)
		return rsp.body;
	return rsp.hdr.type == type ? "OK" : "(wrong type)";
}

/* ---- checks ---- */

static void check_served(void)
{
	struct msg rsp;
	const char *r = guest_result(XS_WRITE, "data/x", "1", false);

	check(strcmp(r, "OK") == 0, "guest-write-own-home", "got %s", r);
	check(dom0_call(XS_READ, "/local/domain/5/data/x", NULL, false, &rsp) &&
	      strcmp(rsp.body, "1") == 0, "dom0-reads-what-the-guest-wrote", "got %s", rsp.body);
}

static void check_unprivileged(void)
{
	const char *r = guest_result(XS_WRITE, "/local/domain/0/evil", "1", false);

	check(strcmp(r, "EACCES") == 0, "guest-may-not-write-dom0s-tree", "got %s", r);
	r = guest_result(XS_READ, "/local/domain/0/name", NULL, false);
	check(strcmp(r, "EACCES") == 0, "guest-may-not-read-dom0s-tree", "got %s", r);
	r = guest_result(XS_INTRODUCE, "6", "1", true); /* privilege is checked first */
	check(strcmp(r, "EACCES") == 0, "guest-may-not-introduce", "got %s", r);
}

static void check_quotas(void)
{
	char path[64];
	const char *r = "OK";
	int ok = 0, watches = 0;

	/* Owned already: /local/domain/5, data, data/x; 1000 in all. */
	for (int i = 0; i < 1100 && strcmp(r, "OK") == 0; i++) {
		snprintf(path, sizeof(path), "data/q%d", i);
		r = guest_result(XS_WRITE, path, "", false);
		ok += strcmp(r, "OK") == 0;
	}
	check(ok == 997 && strcmp(r, "ENOSPC") == 0, "guest-node-quota-is-1000",
	      "%d writes, then %s", ok, r);
	r = guest_result(XS_RM, "data", NULL, false);
	check(strcmp(r, "OK") == 0, "guest-removes-its-nodes", "got %s", r);
	r = "OK";
	for (int i = 0; i < 200 && strcmp(r, "OK") == 0; i++) {
		snprintf(path, sizeof(path), "w%d", i);
		r = guest_result(XS_WATCH, path, "q", true);
		watches += strcmp(r, "OK") == 0;
	}
	check(watches == 128 && strcmp(r, "E2BIG") == 0, "guest-watch-quota-is-128",
	      "%d watches, then %s", watches, r);
	r = guest_result(XS_RESET_WATCHES, "", NULL, false);
	check(strcmp(r, "OK") == 0, "guest-resets-its-watches", "got %s", r);
}

/* The next watch event, if any comes within wait_ms. */
static bool guest_event(struct msg *m, int wait_ms)
{
	while (guest_take(m, wait_ms))
		if (m->hdr.type == XS_WATCH_EVENT)
			return true;
	return false;
}

static void check_xsa115(void)
{
	struct msg ev;
	const char *r = guest_result(XS_WATCH, "/", "all", true);

	check(strcmp(r, "OK") == 0 && guest_event(&ev, WAIT_MS) && strcmp(ev.body, "/") == 0,
	      "guest-watches-the-root", "got %s", r);
	/* /secret inherits the root's permissions: dom0's alone. */
	dom0_ok(XS_WRITE, "/secret", "s", false);
	dom0_ok(XS_RM, "/secret", NULL, false);
	dom0_ok(XS_WRITE, "/local/domain/5/seen", "1", false);
	check(guest_event(&ev, WAIT_MS) && strcmp(ev.body, "/local/domain/5/seen") == 0,
	      "xsa115-no-event-for-unreadable-nodes", "first event %s", ev.body);
}

/*
 * The guest stops reading while dom0 changes many nodes it may read: its
 * queue reaches its memory bound and later events are lost, but dom0 and
 * the guest are still served, and once drained it hears of changes again.
 */
static void check_stuck_guest(void)
{
	char path[300], name[201];
	unsigned events = 0;
	bool served;
	struct msg ev;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	dom0_ok(XS_WRITE, "/pub", "", false);
	dom0_raw(XS_SET_PERMS, "/pub\0n0\0r5", sizeof("/pub\0n0\0r5"), &ev);
	for (unsigned i = 0; i < STUCK_WRITES; i++) {
		snprintf(path, sizeof(path), "/pub/%s-%05u", name, i);
		if (!dom0_ok(XS_WRITE, path, "", false))
			break;
	}
	served = dom0_ok(XS_READ, "/pub", NULL, false);
	check(served, "dom0-served-while-a-guest-is-stuck", "dom0 lost its connection");
	while (guest_event(&ev, 2000)) /* until 2 s of silence */
		events += strncmp(ev.body, "/pub/", 5) == 0;
	check(events > 1000 && events < STUCK_WRITES, "stuck-guest-events-dropped-at-its-bound",
	      "%u of %u events arrived", events, STUCK_WRITES);
	dom0_ok(XS_WRITE, "/pub/after", "", false);
	check(guest_event(&ev, WAIT_MS) && strcmp(ev.body, "/pub/after") == 0,
	      "drained-guest-hears-again", "got %s", ev.body);
}

static bool setup(const char *sock, const char *dir)
{
	struct msg rsp;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/domain-%d", dir, DOMID);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		return false;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	dom0_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (dom0_fd < 0 || connect(dom0_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return false;
	return dom0_ok(XS_MKDIR, "/local/domain/5", NULL, false) &&
	       dom0_ok(XS_SET_PERMS, "/local/domain/5", "n5", true) &&
	       dom0_raw(XS_INTRODUCE, "5\0" "1234\0" "7", sizeof("5\0" "1234\0" "7"), &rsp) &&
	       rsp.hdr.type == XS_INTRODUCE;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xs-guest-peer SOCKET DIR\n");
		return 2;
	}
	if (!setup(argv[1], argv[2])) {
		printf("ERROR setup: cannot introduce domain 5 with its ring in %s: %s\n", argv[2],
		       strerror(errno));
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	check(page->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION,
	      "introduce-attaches-the-ring", "server_features %u", page->server_features);
	check_served();
	check_unprivileged();
	check_quotas();
	check_xsa115();
	check_stuck_guest();
	printf("%u passed, %u failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
