/* SPDX-License-Identifier: BSD-2-Clause */
/* The xenstore client's message layer: framing, one request at a time,
 * strict reply checks, watch events queued and delivered from xs_poll().
 * Nothing the server sends is trusted: lengths are bounded before use,
 * ids must echo ours, strings must be terminated where the protocol says. */
#include <xen/errno.h>

#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "xs_internal.h"

#define MAX_WATCHES   16
#define EVENT_QUEUE   16
#define PATH_MAX_LEN  256
#define TOKEN_MAX_LEN 64
#define TXN_RETRIES   8
#define MAX_TXNS      8

struct watch {
	bool used;
	char path[PATH_MAX_LEN];
	char token[TOKEN_MAX_LEN];
	xs_watch_fn fn;
	void *arg;
};

/* A transaction we opened, and on which connection: one opened before a
 * resume is unknown to the new server (or, worse, its id is another's). */
struct txn {
	bool used;
	xs_transaction_t id;
	unsigned epoch;
};

struct event {
	char path[PATH_MAX_LEN];
	char token[TOKEN_MAX_LEN];
};

/* A message as it arrives: header first, then the payload. */
struct inbound {
	struct xsd_sockmsg hdr;
	size_t got;                            /* bytes of hdr + body so far */
	char body[XENSTORE_PAYLOAD_MAX + 1];   /* + a nul the client adds */
};

static struct {
	struct xenstore_domain_interface *page;
	struct xs_transport tp;
	bool connected;
	bool broken;
	uint32_t req_id;

	struct inbound in;
	bool reply_ready;
	struct xsd_sockmsg reply_hdr;
	char reply[XENSTORE_PAYLOAD_MAX + 1];

	struct watch watch[MAX_WATCHES];
	struct txn txn[MAX_TXNS];
	unsigned epoch;                        /* connections since connect */
	struct event queue[EVENT_QUEUE];
	unsigned q_head, q_len;
	bool delivering;

	char last_error[80];
} xs;

static int fail(int err, const char *why)
{
	ksnprintf(xs.last_error, sizeof(xs.last_error), "%s", why);
	return err;
}

static int broken(const char *why)
{
	xs.broken = true;
	kprintf("xenstore: connection broken: %s\n", why);
	return fail(-XEN_EIO, why);
}

/* A late reply would be taken for the next request's: the connection
 * cannot be used again until it is reset. */
static int timed_out(const char *why)
{
	broken(why);
	return fail(-XEN_ETIMEDOUT, why);
}

const char *xs_last_error(void)
{
	return xs.last_error;
}

bool xs_connected(void)
{
	return xs.connected && !xs.broken;
}

/* Wait for the other end; false once the request's deadline has passed. */
static bool wait_until(uint64_t deadline)
{
	if (deadline && xs.tp.now_ns(xs.tp.ctx) >= deadline)
		return false;
	xs.tp.wait(xs.tp.ctx, deadline);
	return true;
}

static uint64_t deadline(void)
{
	if (!xs.tp.timeout_ns || !xs.tp.now_ns)
		return 0;
	return xs.tp.now_ns(xs.tp.ctx) + xs.tp.timeout_ns;
}

/* A watch event: "path\0token\0", both bounded; malformed ones are dropped. */
static void queue_event(const char *body, size_t len)
{
	const char *path = body, *token, *end = body + len;
	size_t plen = strnlen(path, len), tlen;
	struct event *ev;

	if (plen == len || plen >= PATH_MAX_LEN) {
		kprintf("xenstore: dropped malformed watch event\n");
		return;
	}
	token = path + plen + 1;
	tlen = strnlen(token, (size_t)(end - token));
	if (token + tlen == end || tlen >= TOKEN_MAX_LEN) {
		kprintf("xenstore: dropped malformed watch event\n");
		return;
	}
	if (xs.q_len == EVENT_QUEUE) {
		kprintf("xenstore: watch event queue full, event dropped\n");
		return;
	}
	ev = &xs.queue[(xs.q_head + xs.q_len++) % EVENT_QUEUE];
	memcpy(ev->path, path, plen + 1);
	memcpy(ev->token, token, tlen + 1);
}

/* A whole message arrived: an event to queue or the reply we wait for. */
static int dispatch(void)
{
	const struct xsd_sockmsg *h = &xs.in.hdr;

	xs.in.body[h->len] = '\0';
	if (h->type == XS_WATCH_EVENT) {
		queue_event(xs.in.body, h->len);
		return 0;
	}
	if (xs.reply_ready || h->req_id != xs.req_id)
		return broken("reply to no request of ours");
	xs.reply_hdr = *h;
	memcpy(xs.reply, xs.in.body, (size_t)h->len + 1);
	xs.reply_ready = true;
	return 0;
}

/* Take whatever the ring holds; whole messages are dispatched. */
static int pump(void)
{
	for (;;) {
		size_t want, hdr_size = sizeof(xs.in.hdr);
		char *dst;
		long n;

		if (xs_ring_error(xs.page))
			return broken("server reported a ring error");
		if (xs.in.got < hdr_size) {
			dst = (char *)&xs.in.hdr + xs.in.got;
			want = hdr_size - xs.in.got;
		} else {
			dst = xs.in.body + (xs.in.got - hdr_size);
			want = hdr_size + xs.in.hdr.len - xs.in.got;
		}
		n = want ? xs_ring_get(xs.page, dst, want) : 0;
		if (n < 0)
			return broken("impossible reply ring indexes");
		xs.in.got += (size_t)n;
		if (xs.in.got == hdr_size && xs.in.hdr.len > XENSTORE_PAYLOAD_MAX)
			return broken("reply longer than the protocol allows");
		if (xs.in.got < hdr_size || xs.in.got < hdr_size + xs.in.hdr.len) {
			if (n == 0)
				return 0;
			continue;
		}
		xs.in.got = 0;
		if (dispatch())
			return -XEN_EIO;
	}
}

static int send_all(const char *msg, size_t len, uint64_t until)
{
	size_t done = 0;

	while (done < len) {
		long n = xs_ring_put(xs.page, msg + done, len - done);

		if (n < 0)
			return broken("impossible request ring indexes");
		if (n > 0) {
			done += (size_t)n;
			xs.tp.kick(xs.tp.ctx);
			continue;
		}
		/* The ring is full: the server must drain it first. */
		if (pump())
			return -XEN_EIO;
		if (!wait_until(until))
			return timed_out("request not taken before the timeout");
	}
	return 0;
}

/* Map the server's error name to an errno value. */
static int error_reply(const char *name)
{
	for (unsigned i = 0; i < XSD_ERROR_COUNT; i++)
		if (strcmp(name, xsd_errors[i].errstring) == 0)
			return fail(-xsd_errors[i].errnum, name);
	return fail(-XEN_EIO, "unknown error name in reply");
}

static struct txn *find_txn(xs_transaction_t t)
{
	for (unsigned i = 0; i < MAX_TXNS; i++)
		if (xs.txn[i].used && xs.txn[i].id == t)
			return &xs.txn[i];
	return NULL;
}

/* Opened on a connection before the last resume: it is gone. */
static bool txn_lost(xs_transaction_t t)
{
	const struct txn *tx = t == XBT_NIL ? NULL : find_txn(t);

	return tx && tx->epoch != xs.epoch;
}

/* Send one request built from parts (each sent with its nul unless it is
 * the last and raw) and wait for its reply in xs.reply. */
static int request(uint32_t type, xs_transaction_t t, const char *const *parts,
		   unsigned nr_parts, bool last_raw)
{
	static char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg *h = (struct xsd_sockmsg *)msg;
	size_t len = 0;
	uint64_t until;

	if (!xs.connected || xs.broken)
		return fail(-XEN_EIO, "not connected");
	/* As the server answers a transaction that conflicted: the caller
	 * starts it again. */
	if (txn_lost(t))
		return fail(-XEN_EAGAIN, "transaction lost in a suspend");
	for (unsigned i = 0; i < nr_parts; i++) {
		size_t n = strlen(parts[i]) + !(last_raw && i == nr_parts - 1);

		if (len + n > XENSTORE_PAYLOAD_MAX)
			return fail(-XEN_E2BIG, "request too long");
		memcpy(msg + sizeof(*h) + len, parts[i], n);
		len += n;
	}
	h->type = type;
	h->req_id = ++xs.req_id;
	h->tx_id = t;
	h->len = (uint32_t)len;
	xs.reply_ready = false;
	until = deadline();
	if (send_all(msg, sizeof(*h) + len, until))
		return -XEN_EIO;
	while (!xs.reply_ready) {
		if (pump())
			return -XEN_EIO;
		if (!xs.reply_ready && !wait_until(until))
			return timed_out("no reply before the timeout");
	}
	if (xs.reply_hdr.tx_id != t)
		return broken("reply names another transaction");
	if (xs.reply_hdr.type == XS_ERROR)
		return error_reply(xs.reply);
	if (xs.reply_hdr.type != type)
		return broken("reply of another type");
	return 0;
}

/* Replies that carry only "OK". */
static int request_ok(uint32_t type, xs_transaction_t t,
		      const char *const *parts, unsigned n, bool last_raw)
{
	int rc = request(type, t, parts, n, last_raw);

	if (rc)
		return rc;
	if (xs.reply_hdr.len != 3 || memcmp(xs.reply, "OK", 3) != 0)
		return fail(-XEN_EIO, "reply is not OK");
	return 0;
}

static int copy_reply(char *buf, size_t size)
{
	size_t len = xs.reply_hdr.len;

	if (len + 1 > size)
		return fail(-XEN_E2BIG, "reply does not fit the buffer");
	memcpy(buf, xs.reply, len);
	buf[len] = '\0';
	return 0;
}

int xs_read(xs_transaction_t t, const char *path, char *buf, size_t size)
{
	const char *parts[] = { path };
	int rc = request(XS_READ, t, parts, 1, false);

	if (rc || (rc = copy_reply(buf, size)))
		return rc;
	return (int)xs.reply_hdr.len;
}

int xs_write(xs_transaction_t t, const char *path, const char *value)
{
	const char *parts[] = { path, value };

	return request_ok(XS_WRITE, t, parts, 2, true);
}

int xs_mkdir(xs_transaction_t t, const char *path)
{
	const char *parts[] = { path };

	return request_ok(XS_MKDIR, t, parts, 1, false);
}

int xs_rm(xs_transaction_t t, const char *path)
{
	const char *parts[] = { path };

	return request_ok(XS_RM, t, parts, 1, false);
}

int xs_directory(xs_transaction_t t, const char *path, char *buf, size_t size)
{
	const char *parts[] = { path };
	size_t len;
	int rc = request(XS_DIRECTORY, t, parts, 1, false), count = 0;

	if (rc)
		return rc;
	/* Every entry must end in a nul: an unterminated tail is a lie. */
	len = xs.reply_hdr.len;
	if (len && xs.reply[len - 1] != '\0')
		return fail(-XEN_EIO, "directory reply not nul-terminated");
	if ((rc = copy_reply(buf, size)))
		return rc;
	for (size_t i = 0; i < len; i++)
		count += buf[i] == '\0';
	return count;
}

int xs_get_domain_path(uint16_t domid, char *buf, size_t size)
{
	char id[8];
	const char *parts[] = { id };
	int rc;

	ksnprintf(id, sizeof(id), "%u", domid);
	rc = request(XS_GET_DOMAIN_PATH, XBT_NIL, parts, 1, false);
	if (rc || (rc = copy_reply(buf, size)))
		return rc;
	return 0;
}

int xs_transaction_start(xs_transaction_t *t)
{
	const char *parts[] = { "" };
	uint32_t id = 0;
	struct txn *tx;
	int rc = request(XS_TRANSACTION_START, XBT_NIL, parts, 1, false);

	if (rc)
		return rc;
	/* The new id as decimal digits and a nul, nothing else. */
	if (xs.reply_hdr.len < 2 || xs.reply_hdr.len > 11 ||
	    xs.reply[xs.reply_hdr.len - 1] != '\0')
		return fail(-XEN_EIO, "malformed transaction id");
	for (const char *p = xs.reply; *p; p++) {
		if (*p < '0' || *p > '9' || id > (UINT32_MAX - 9) / 10)
			return fail(-XEN_EIO, "malformed transaction id");
		id = id * 10 + (uint32_t)(*p - '0');
	}
	if (id == XBT_NIL)
		return fail(-XEN_EIO, "transaction id 0");
	*t = id;
	/* An id the server reuses after a resume is the new one's. */
	tx = find_txn(id);

	for (unsigned i = 0; i < MAX_TXNS && !tx; i++)
		if (!xs.txn[i].used)
			tx = &xs.txn[i];
	/* Untracked when more are open: such a one would not survive a
	 * resume as EAGAIN, only as the server's error. */
	if (tx)
		*tx = (struct txn){ .used = true, .id = id,
				    .epoch = xs.epoch };
	return 0;
}

int xs_transaction_end(xs_transaction_t t, bool abort)
{
	const char *parts[] = { abort ? "F" : "T" };
	struct txn *tx = find_txn(t);
	bool lost = txn_lost(t);

	/* Ended either way: the server forgets it whatever it answers. */
	if (tx)
		tx->used = false;
	if (lost)
		return abort ? 0 : fail(-XEN_EAGAIN, "transaction lost in a "
					"suspend");
	return request_ok(XS_TRANSACTION_END, t, parts, 1, false);
}

int xs_transact(int (*body)(xs_transaction_t t, void *arg), void *arg)
{
	for (unsigned attempt = 0; attempt < TXN_RETRIES; attempt++) {
		xs_transaction_t t;
		int rc = xs_transaction_start(&t);

		if (rc)
			return rc;
		rc = body(t, arg);
		if (rc == -XEN_EAGAIN) {
			/* Lost in a suspend: start again. */
			xs_transaction_end(t, true);
			continue;
		}
		if (rc) {
			xs_transaction_end(t, true);
			return rc;
		}
		rc = xs_transaction_end(t, false);
		if (rc != -XEN_EAGAIN)
			return rc;
	}
	return fail(-XEN_EAGAIN, "transaction kept conflicting");
}

static struct watch *find_watch(const char *path, const char *token)
{
	for (unsigned i = 0; i < MAX_WATCHES; i++)
		if (xs.watch[i].used && strcmp(xs.watch[i].token, token) == 0 &&
		    (!path || strcmp(xs.watch[i].path, path) == 0))
			return &xs.watch[i];
	return NULL;
}

int xs_watch(const char *path, const char *token, xs_watch_fn fn, void *arg)
{
	const char *parts[] = { path, token };
	struct watch *w = NULL;
	int rc;

	if (strlen(path) >= PATH_MAX_LEN || strlen(token) >= TOKEN_MAX_LEN)
		return fail(-XEN_E2BIG, "watch path or token too long");
	if (find_watch(NULL, token))
		return fail(-XEN_EEXIST, "token already in use");
	for (unsigned i = 0; i < MAX_WATCHES && !w; i++)
		if (!xs.watch[i].used)
			w = &xs.watch[i];
	if (!w)
		return fail(-XEN_ENOSPC, "too many watches");
	/* Register first: the first event may arrive before the reply. */
	w->used = true;
	memcpy(w->path, path, strlen(path) + 1);
	memcpy(w->token, token, strlen(token) + 1);
	w->fn = fn;
	w->arg = arg;
	rc = request_ok(XS_WATCH, XBT_NIL, parts, 2, false);
	if (rc)
		w->used = false;
	return rc;
}

int xs_unwatch(const char *path, const char *token)
{
	const char *parts[] = { path, token };
	struct watch *w = find_watch(path, token);

	if (!w)
		return fail(-XEN_ENOENT, "no such watch");
	w->used = false;
	return request_ok(XS_UNWATCH, XBT_NIL, parts, 2, false);
}

bool xs_wait_until(uint64_t deadline_ns)
{
	if (!xs.connected)
		return false;
	xs.tp.wait(xs.tp.ctx, deadline_ns);
	return true;
}

uint64_t xs_now_ns(void)
{
	return xs.tp.now_ns ? xs.tp.now_ns(xs.tp.ctx) : 0;
}

static __attribute__((noinline)) unsigned poll_ring(void)
{
	unsigned ran = 0;

	if (!xs.broken)
		pump();
	/* Callbacks may issue requests, which may queue more events. */
	xs.delivering = true;
	while (xs.q_len) {
		struct event ev = xs.queue[xs.q_head];
		struct watch *w;

		xs.q_head = (xs.q_head + 1) % EVENT_QUEUE;
		xs.q_len--;
		w = find_watch(NULL, ev.token);
		if (w) {
			w->fn(ev.path, ev.token, w->arg);
			ran++;
		}
	}
	xs.delivering = false;
	return ran;
}

unsigned xs_poll(void)
{
	if (!xs.connected || xs.delivering)
		return 0;
	/* The common case, drivers polling with nothing new: reads only
	 * (stores are what costs most under emulation). */
	if (!xs.q_len && (xs.broken || xs_ring_quiet(xs.page)))
		return 0;
	return poll_ring();
}

/* The reconnect handshake of xenstore-ring.txt: ask, then wait until the
 * server says the ring is fresh. */
static int reconnect(void)
{
	volatile uint32_t *conn = &xs.page->connection;
	uint64_t until = deadline();

	*conn = XENSTORE_RECONNECT;
	arch_wmb();
	xs.tp.kick(xs.tp.ctx);
	while (*conn != XENSTORE_CONNECTED) {
		if (xs_ring_error(xs.page))
			return broken("server reported a ring error");
		if (!wait_until(until))
			return timed_out("no answer to the reconnect request");
	}
	arch_rmb();
	return 0;
}

int xs_connect(struct xenstore_domain_interface *page,
	       const struct xs_transport *transport)
{
	memset(&xs, 0, sizeof(xs));
	if (!page || !transport || !transport->kick || !transport->wait)
		return -XEN_EINVAL;
	xs.page = page;
	xs.tp = *transport;
	xs.connected = true;
	if (page->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION)
		return reconnect();
	return 0;
}

/* Every watch registered again: the server fires each once. */
static int rewatch_all(void)
{
	int first = 0;

	for (unsigned i = 0; i < MAX_WATCHES; i++) {
		const char *parts[] = { xs.watch[i].path, xs.watch[i].token };
		int rc;

		if (!xs.watch[i].used)
			continue;
		rc = request_ok(XS_WATCH, XBT_NIL, parts, 2, false);
		if (rc && !first)
			first = rc;
	}
	return first;
}

int xs_resume(struct xenstore_domain_interface *page,
	      const struct xs_transport *transport)
{
	int rc;

	if (!page || !transport || !transport->kick || !transport->wait)
		return -XEN_EINVAL;
	/* What was on the way is the old connection's: a reply to nothing
	 * now, events the new registrations fire again. */
	memset(&xs.in, 0, sizeof(xs.in));
	xs.reply_ready = false;
	xs.q_head = xs.q_len = 0;
	xs.delivering = false;
	xs.page = page;
	xs.tp = *transport;
	xs.connected = true;
	xs.broken = false;
	xs.epoch++;
	if (page->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION &&
	    (rc = reconnect()))
		return rc;
	return rewatch_all();
}

void xs_disconnect(void)
{
	memset(&xs, 0, sizeof(xs));
}
