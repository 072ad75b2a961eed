/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the arm64 guest Image's xenstore client and xenbus, run
 * under Unicorn, facing a malicious xenstored. The guest boots once per
 * process with bootarg xs-peer (guest/selftest/xs_peer.c: reads, writes,
 * listings, transactions, watches and a xenbus device's state walk,
 * forever), served by the model's xenstored until its first request
 * after "xs-peer: ready" is on the ring; then the model lets go of the
 * ring (sim_emu_xs_detach: the store itself is not in the snapshot, so
 * it must see nothing an input does) and the machine is snapshotted.
 * Each input starts from there and plays xenstored on the guest's ring
 * page: take the requests (each must be well-formed: a known type, a
 * bounded length, the next request id), answer the oldest well from a
 * scripted store (a state for .../state, a backend path, a device list,
 * a transaction id, "OK") or badly (an error name, another request id,
 * transaction or type, any payload), put any header and payload or raw
 * bytes on the reply ring, send watch events for the guest's watch or
 * any path and token, move rsp_prod and req_cons anywhere, set the
 * error and connection fields, answer a reconnect, send events with
 * nothing behind them, let virtual time pass (the client's timeouts),
 * and run the guest a budget of instructions between moves.
 * Findings: the guest stops (xs-peer panics on a broken promise, the
 * model stops a guest that faults), a request on the ring is malformed
 * while this program left the request ring's indexes alone, or the
 * guest goes on to its next request after a reply that named another
 * request, transaction or type (it must break the connection, which it
 * says on its console: a resume then starts afresh on the same ring).
 * The rest (Image, edges, reset, FUZZ_DIGEST) is tests/lib/fuzz_emu.h's. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_emu.h"
#include "hv/evtchn.h"
#include "sim.h"

#define TAKEN_MAX   8u
#define NAME_MAX_   64u

enum {
	CMD_RUN,         /* n: the guest runs (n + 1) * 256 instructions */
	CMD_SERVE,       /* take requests, answer the oldest well, notify */
	CMD_ANSWER,      /* how, ...: take, answer the oldest as how says */
	CMD_HEADER,      /* type, req_id, tx_id, len, payload: any message */
	CMD_EVENT,       /* how, ...: a watch event */
	CMD_RAW,         /* n, bytes: onto the reply ring */
	CMD_INDEX,       /* which, value: an index or field of the page */
	CMD_STORM,       /* n: n (< 16) events and nothing behind them */
	CMD_IDLE,        /* virtual time passes while the guest waits */
	CMD_COUNT
};

/* A request taken off the ring, what an answer needs of it. */
struct taken {
	uint32_t type, req_id, tx_id;
	unsigned breaks;              /* srv.breaks when it was taken */
	char path[NAME_MAX_];
};

/* The server's side of the ring: our indexes, the requests taken and
 * not answered, the guest's watch as last registered. */
struct server {
	struct xenstore_domain_interface *page;
	uint32_t port;                /* dom0's end of the store's channel */
	uint32_t req_cons, rsp_prod;
	uint32_t last_req_id;
	bool meddled;                 /* we moved req_cons: the guest's
				       * requests are past judging */
	bool resync;                  /* a reconnect dropped what was on the
				       * ring: the next id is the guest's */
	/* The reply to request `lied` named another request, transaction or
	 * type: the client must break the connection, not go on to its next
	 * request (unless other bytes or indexes made it unjudgeable). */
	bool lying;
	uint32_t lied;
	/* How often the guest said it broke the connection. A request it
	 * broke on is no longer awaited, and after a break its next request
	 * is a fresh connection's (a resume without the reconnect feature
	 * keeps the ring and its ids): neither can be lied about. */
	unsigned breaks, lied_breaks;
	/* What went onto the reply ring: the highest request id a header
	 * named, and whether bytes, a cut or an index move may have put the
	 * guest's reading out of step with our messages. A request can only
	 * have been answered by something else than our answer to it if a
	 * header named its id, or the stream is out of step: only otherwise
	 * is a lie about it judged. */
	uint32_t max_put_id;
	bool any_put_id, dirty;
	bool cut;                     /* put() dropped bytes: a full ring */
	struct taken taken[TAKEN_MAX];
	unsigned head, nr_taken;
	char watch_path[NAME_MAX_], watch_token[NAME_MAX_];
};

static struct server srv;
static struct server saved_srv;

static void notify(void)
{
	hv_evtchn_send_from(sim_emu_dom0(fuzz_emu.emu), srv.port);
}

/* ---- requests ---- */

static void copy_ring(void *dst, uint32_t pos, size_t len)
{
	for (size_t i = 0; i < len; i++)
		((char *)dst)[i] = srv.page->req[MASK_XENSTORE_IDX(pos + i)];
}

static bool known_request(uint32_t type)
{
	switch (type) {
	case XS_READ: case XS_WRITE: case XS_MKDIR: case XS_RM:
	case XS_DIRECTORY: case XS_GET_DOMAIN_PATH: case XS_WATCH:
	case XS_UNWATCH: case XS_TRANSACTION_START:
	case XS_TRANSACTION_END:
		return true;
	}
	return false;
}

/* What the client promises of a request: a type it sends, a bounded
 * length, the next id (1 again after a fresh connect). */
static void check_request(const struct xsd_sockmsg *h)
{
	char msg[128];

	if (srv.meddled)
		return;
	if (!known_request(h->type) || h->len > XENSTORE_PAYLOAD_MAX ||
	    (h->req_id != srv.last_req_id + 1 && h->req_id != 1 &&
	     !srv.resync)) {
		snprintf(msg, sizeof(msg), "a malformed request: type %u, "
			 "id %u after %u, len %u", h->type, h->req_id,
			 srv.last_req_id, h->len);
		fuzz_emu_fail(msg);
	}
}

/* A watch request: the path and token to send events for. */
static void note_watch(uint32_t pos, uint32_t len)
{
	char body[2 * NAME_MAX_];
	size_t n = len < sizeof(body) - 1 ? len : sizeof(body) - 1;
	size_t plen;

	copy_ring(body, pos, n);
	body[n] = '\0';
	plen = strnlen(body, n);
	if (plen + 1 >= n || plen >= NAME_MAX_)
		return;
	snprintf(srv.watch_path, NAME_MAX_, "%s", body);
	snprintf(srv.watch_token, NAME_MAX_, "%s", body + plen + 1);
}

/* Every whole request on the ring, taken. */
static void take_requests(void)
{
	for (;;) {
		uint32_t prod = srv.page->req_prod;      /* read once */
		uint32_t avail = prod - srv.req_cons;
		struct xsd_sockmsg h;
		struct taken *t;

		if (avail > XENSTORE_RING_SIZE || avail < sizeof(h))
			return;
		copy_ring(&h, srv.req_cons, sizeof(h));
		check_request(&h);
		if (h.len > XENSTORE_PAYLOAD_MAX || avail < sizeof(h) + h.len)
			return;
		if (srv.lying && h.req_id != srv.lied && !srv.resync &&
		    srv.breaks == srv.lied_breaks)
			fuzz_emu_fail("the client took a reply that named another "
				      "request, transaction or type");
		srv.lying = false;
		srv.last_req_id = h.req_id;
		srv.resync = false;
		if (h.type == XS_WATCH)
			note_watch(srv.req_cons + sizeof(h), h.len);
		if (srv.nr_taken < TAKEN_MAX) {
			size_t n = h.len < NAME_MAX_ - 1 ? h.len : NAME_MAX_ - 1;

			t = &srv.taken[(srv.head + srv.nr_taken++) % TAKEN_MAX];
			t->type = h.type;
			t->req_id = h.req_id;
			t->tx_id = h.tx_id;
			t->breaks = srv.breaks;
			copy_ring(t->path, srv.req_cons + sizeof(h), n);
			t->path[n] = '\0';
		}
		srv.req_cons += sizeof(h) + h.len;
		srv.page->req_cons = srv.req_cons;
	}
}

/* The guest asked for a fresh ring (xenstore-ring.txt): both queues
 * emptied by catching up with its indexes, then CONNECTED. */
static void answer_reconnect(void)
{
	if (srv.page->connection != XENSTORE_RECONNECT)
		return;
	srv.req_cons = srv.page->req_prod;
	srv.rsp_prod = srv.page->rsp_cons;
	srv.page->req_cons = srv.req_cons;
	srv.page->rsp_prod = srv.rsp_prod;
	srv.page->error = XENSTORE_ERROR_NONE;
	srv.page->connection = XENSTORE_CONNECTED;
	srv.nr_taken = 0;
	srv.meddled = false;
	srv.resync = true;
	srv.lying = false;
}

/* ---- replies ---- */

/* Bytes onto the reply ring, as far as the guest left room; published. */
static void put(const void *data, size_t len)
{
	uint32_t cons = srv.page->rsp_cons;      /* read once */
	uint32_t used = srv.rsp_prod - cons;
	size_t room = used > XENSTORE_RING_SIZE ? 0 : XENSTORE_RING_SIZE - used;

	if (len > room) {
		len = room;
		srv.cut = true;
		srv.dirty = true;
	}
	for (size_t i = 0; i < len; i++)
		srv.page->rsp[MASK_XENSTORE_IDX(srv.rsp_prod + i)] =
			((const char *)data)[i];
	srv.rsp_prod += (uint32_t)len;
	srv.page->rsp_prod = srv.rsp_prod;
}

/* A header's id, for judging lies (server.max_put_id). */
static void note_header(uint32_t req_id)
{
	if (!srv.any_put_id || req_id > srv.max_put_id)
		srv.max_put_id = req_id;
	srv.any_put_id = true;
}

static void put_message(uint32_t type, uint32_t req_id, uint32_t tx_id,
			const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req_id,
				 .tx_id = tx_id, .len = len };

	note_header(req_id);
	put(&h, sizeof(h));
	put(body, len);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* What a store would say to t, shaped by the input: a read of a state
 * gets a state, of a backend a path, of an id a number; a listing of
 * the devices names device 0; everything else as the protocol says. */
static uint32_t scripted_body(const struct taken *t, struct fuzz_input *in,
			      char *body, size_t size)
{
	uint8_t v = fuzz_byte(in);
	int n;

	switch (t->type) {
	case XS_READ:
		if (ends_with(t->path, "/state"))
			n = snprintf(body, size, "%u", v % 9u);
		else if (ends_with(t->path, "/backend"))
			n = snprintf(body, size, "/local/domain/0/backend/vfz/"
				     "1/0");
		else if (ends_with(t->path, "-id"))
			n = snprintf(body, size, "%u", v & 0x80 ? 0x7ff0u : 0u);
		else
			n = snprintf(body, size, "value-%u", v);
		return (uint32_t)n;
	case XS_DIRECTORY:
		if (strcmp(t->path, "device/vfz") == 0 && !(v & 0x80))
			return (uint32_t)snprintf(body, size, "0") + 1;
		n = 0;
		for (unsigned i = 0; i < (v & 7u); i++)
			n += snprintf(body + n, size - (size_t)n, "e%u", i) + 1;
		return (uint32_t)n;
	case XS_GET_DOMAIN_PATH:
		return (uint32_t)snprintf(body, size, "/local/domain/1") + 1;
	case XS_TRANSACTION_START:
		return (uint32_t)snprintf(body, size, "%u", v + 1u) + 1;
	default:
		memcpy(body, "OK", 3);
		return 3;
	}
}

/* An error reply: one of the protocol's names, or any word. */
static uint32_t error_body(struct fuzz_input *in, char *body, size_t size)
{
	uint8_t v = fuzz_byte(in);

	if (v < 0xf0)
		return (uint32_t)snprintf(body, size, "%s",
					  xsd_errors[v % XSD_ERROR_COUNT].
					  errstring) + 1;
	return (uint32_t)snprintf(body, size, "E%u", v) + 1;
}

enum answer_how {
	HOW_RIGHT,       /* as the store would */
	HOW_ERROR,       /* an error name */
	HOW_REQ_ID,      /* another request's id */
	HOW_TX_ID,       /* another transaction's */
	HOW_TYPE,        /* another type */
	HOW_BODY,        /* any payload */
	HOW_COUNT
};

static void answer(struct fuzz_input *in, enum answer_how how, bool quiet)
{
	static char body[XENSTORE_PAYLOAD_MAX + 64];
	const struct taken *t;
	uint32_t len, type, req_id, tx_id;
	bool awaited;

	answer_reconnect();
	take_requests();
	if (!srv.nr_taken)
		return;
	t = &srv.taken[srv.head];
	srv.head = (srv.head + 1) % TAKEN_MAX;
	srv.nr_taken--;
	type = t->type;
	req_id = t->req_id;
	tx_id = t->tx_id;
	switch (how) {
	case HOW_ERROR:
		type = XS_ERROR;
		len = error_body(in, body, sizeof(body));
		break;
	case HOW_BODY:
		len = fuzz_byte(in);
		for (uint32_t i = 0; i < len; i++)
			body[i] = (char)fuzz_byte(in);
		break;
	default:
		len = scripted_body(t, in, body, sizeof(body));
		break;
	}
	if (how == HOW_REQ_ID)
		req_id += 1u + fuzz_byte(in);
	else if (how == HOW_TX_ID)
		tx_id += 1u + fuzz_byte(in);
	else if (how == HOW_TYPE)
		type = fuzz_byte(in);
	/* Only a reply to the one request the guest awaits is judged. */
	awaited = !srv.meddled && !srv.nr_taken &&
		  t->req_id == srv.last_req_id && t->breaks == srv.breaks &&
		  !srv.dirty && (!srv.any_put_id || srv.max_put_id < t->req_id);
	srv.cut = false;
	put_message(type, req_id, tx_id, body, len);
	srv.lying = awaited && !srv.cut &&
		    (req_id != t->req_id || tx_id != t->tx_id ||
		     (type != t->type && type != XS_ERROR &&
		      type != XS_WATCH_EVENT));
	srv.lied = t->req_id;
	srv.lied_breaks = srv.breaks;
	if (!quiet)
		notify();
}

/* Any header, and as much of its payload as the input has. */
static void any_message(struct fuzz_input *in)
{
	struct xsd_sockmsg h;
	uint8_t body[256];
	size_t n;

	h.type = fuzz_byte(in);
	h.req_id = srv.last_req_id + (uint32_t)(int8_t)fuzz_byte(in);
	h.tx_id = fuzz_byte(in) & 0x80 ? fuzz_u32(in) : 0;
	h.len = fuzz_u16(in);
	srv.lying = false;             /* it may complete the lie's bytes */
	n = h.len < sizeof(body) ? h.len : sizeof(body);
	for (size_t i = 0; i < n; i++)
		body[i] = fuzz_byte(in);
	put(&h, sizeof(h));
	note_header(h.req_id);
	srv.dirty |= n != h.len;         /* the rest is the next bytes */
	put(body, n);
}

/* A watch event: the guest's watch or any path, its token or any. */
static void watch_event(struct fuzz_input *in)
{
	char body[2 * NAME_MAX_ + 40];
	uint8_t how = fuzz_byte(in);
	int n;

	if (how & 1)
		n = snprintf(body, sizeof(body), "%s", srv.watch_path);
	else
		n = snprintf(body, sizeof(body), "p/%u", fuzz_byte(in));
	n++;
	if (how & 2)
		n += snprintf(body + n, sizeof(body) - (size_t)n, "%s",
			      srv.watch_token);
	else
		n += snprintf(body + n, sizeof(body) - (size_t)n, "t%u",
			      fuzz_byte(in));
	/* Without its last nul when the input says so. */
	n += !(how & 4);
	put_message(XS_WATCH_EVENT, 0, 0, body, (uint32_t)n);
	if (!(how & 8))
		notify();
}

static void raw_bytes(struct fuzz_input *in)
{
	uint8_t bytes[255];
	uint8_t n = fuzz_byte(in);

	for (unsigned i = 0; i < n; i++)
		bytes[i] = fuzz_byte(in);
	srv.dirty = true;
	srv.lying = false;
	put(bytes, n);
}

/* An index or field of the page, anywhere. */
static void move_index(struct fuzz_input *in)
{
	uint8_t which = fuzz_byte(in);
	uint32_t v = which & 0x80 ? fuzz_u32(in) :
		     (uint32_t)(int8_t)fuzz_byte(in);

	srv.lying = false;             /* the lie may be skipped or cut */
	srv.dirty = true;
	switch (which & 7) {
	case 0:
		srv.rsp_prod += v;
		srv.page->rsp_prod = srv.rsp_prod;
		break;
	case 1:
		srv.req_cons += v;
		srv.page->req_cons = srv.req_cons;
		srv.meddled = true;
		break;
	case 2:
		srv.page->error = v;
		break;
	case 3:
		srv.page->connection = v;
		break;
	case 4:
		srv.page->server_features = v;
		break;
	default:
		srv.page->rsp_prod = srv.rsp_prod + v;  /* only shown */
		break;
	}
}

/* ---- setup and the input loop ---- */

/* The client says so when it breaks the connection (guest/xen/xs.c). */
static void note_line(const char *line)
{
	if (strstr(line, "xenstore: connection broken"))
		srv.breaks++;
}

/* As xs-peer says it is ready, before its first request: from here on
 * this program is its xenstored. */
static void take_ring(void)
{
	void *page;

	if (sim_emu_xs_detach(fuzz_emu.emu, &page, &srv.port))
		fuzz_emu_fail("cannot take the xenstore ring");
	srv.page = page;
	srv.req_cons = srv.page->req_cons;
	srv.rsp_prod = srv.page->rsp_prod;
}

/* Its first request is on the ring, unanswered. */
static bool request_out(void *ctx)
{
	(void)ctx;
	return srv.page && srv.page->req_prod != srv.req_cons;
}

static void fuzz_emu_setup(const char *argv0)
{
	struct xsd_sockmsg first;
	struct sim_config cfg;

	fuzz_emu_config(&cfg, argv0, "console=hvc0 xs-peer");
	fuzz_emu_start("fuzz_emu_xs", "xs-peer: ready", &cfg);
	fuzz_emu.on_ready = take_ring;
	fuzz_emu.on_line = note_line;
	fuzz_emu_boot(request_out, NULL);
	/* Its ids go on from the boot's. */
	copy_ring(&first, srv.req_cons, sizeof(first));
	srv.last_req_id = first.req_id - 1;
	fuzz_emu_snapshot();
	saved_srv = srv;
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

/* One move of the server, as the input's next command says. */
static void play(struct fuzz_input *in)
{
	uint8_t n;

	switch (fuzz_byte(in) % CMD_COUNT) {
	case CMD_RUN:
		fuzz_emu_run(fuzz_byte(in));
		break;
	case CMD_SERVE:
		answer(in, HOW_RIGHT, false);
		break;
	case CMD_ANSWER:
		n = fuzz_byte(in);
		answer(in, (enum answer_how)(n % HOW_COUNT), n & 0x80);
		break;
	case CMD_HEADER:
		any_message(in);
		break;
	case CMD_EVENT:
		watch_event(in);
		break;
	case CMD_RAW:
		raw_bytes(in);
		break;
	case CMD_INDEX:
		move_index(in);
		break;
	case CMD_STORM:
		n = fuzz_byte(in) & 15;
		for (unsigned i = 0; i < n; i++)
			notify();
		break;
	case CMD_IDLE:
		fuzz_emu_idle();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };

	fuzz_emu_reset();
	srv = saved_srv;
	fuzz_digest_start();
	while (in.left)
		play(&in);
	fuzz_emu_finish();
	fuzz_digest_add(&srv.req_cons, sizeof(srv.req_cons));
	fuzz_digest_add(&srv.rsp_prod, sizeof(srv.rsp_prod));
	fuzz_digest_report();
	return 0;
}
