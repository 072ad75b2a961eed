/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test peer for the model's xenstored: a connection whose send callback
 * files replies and watch events in two queues, plus helpers that build
 * requests from strings. Header-only (static inline) so each test_xs_*
 * binary stays one source file.
 */
#ifndef TEST_XS_HELPERS_H
#define TEST_XS_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/xs.h>
#include <xen/errno.h>

struct tmsg {
	uint32_t seq;      /* arrival order across replies and events */
	struct xsd_sockmsg hdr;
	uint8_t payload[XENSTORE_PAYLOAD_MAX + 1]; /* +1: always nul-terminated */
};

struct tpeer {
	struct hv_xs *xs;
	struct hv_xs_conn *conn;
	uint32_t next_req;
	uint32_t seq;
	struct tmsg *replies;
	size_t nreplies, capreplies;
	struct tmsg *events;
	size_t nevents, capevents, event_head;
};

static inline void tmsg_push(struct tmsg **v, size_t *n, size_t *cap, uint32_t seq,
			     const void *msg, size_t len)
{
	struct tmsg *m;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = realloc(*v, *cap * sizeof(**v));
		assert_non_null(*v);
	}
	m = &(*v)[(*n)++];
	memset(m, 0, sizeof(*m));
	m->seq = seq;
	assert_true(len >= sizeof(m->hdr));
	memcpy(&m->hdr, msg, sizeof(m->hdr));
	assert_int_equal(m->hdr.len, len - sizeof(m->hdr));
	assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
	memcpy(m->payload, (const uint8_t *)msg + sizeof(m->hdr), m->hdr.len);
}

static inline int tpeer_send(void *opaque, const void *msg, size_t len, enum hv_xs_msg_kind kind)
{
	struct tpeer *p = opaque;

	if (kind == HV_XS_MSG_EVENT)
		tmsg_push(&p->events, &p->nevents, &p->capevents, p->seq++, msg, len);
	else
		tmsg_push(&p->replies, &p->nreplies, &p->capreplies, p->seq++, msg, len);
	return 0;
}

static inline void tpeer_init(struct tpeer *p, struct hv_xs *xs, uint16_t domid)
{
	memset(p, 0, sizeof(*p));
	p->xs = xs;
	p->next_req = 100;
	p->conn = hv_xs_conn_new(xs, domid, tpeer_send, p);
	assert_non_null(p->conn);
}

static inline void tpeer_fini(struct tpeer *p)
{
	hv_xs_conn_free(p->conn);
	free(p->replies);
	free(p->events);
	memset(p, 0, sizeof(*p));
}

/* A daemon with default limits and no log. */
static inline struct hv_xs *txs_new(void)
{
	struct hv_xs *xs = hv_xs_new(NULL);

	assert_non_null(xs);
	return xs;
}

/* Sends raw bytes as one request; returns its single reply. */
static inline const struct tmsg *traw(struct tpeer *p, uint32_t type, uint32_t tx,
				      const void *payload, uint32_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = p->next_req++, .tx_id = tx, .len = len };
	size_t before = p->nreplies;
	const struct tmsg *r;

	hv_xs_conn_request(p->conn, &hdr, payload);
	assert_int_equal(p->nreplies, before + 1);
	r = &p->replies[before];
	assert_int_equal(r->hdr.req_id, hdr.req_id); /* replies echo req_id */
	assert_int_equal(r->hdr.tx_id, tx);          /* and tx_id */
	return r;
}

/* Sends the strings (NULL-terminated list), each with its nul. */
static inline const struct tmsg *tcall(struct tpeer *p, uint32_t type, uint32_t tx, ...)
{
	uint8_t buf[XENSTORE_PAYLOAD_MAX];
	uint32_t len = 0;
	const char *s;
	va_list ap;

	va_start(ap, tx);
	while ((s = va_arg(ap, const char *)) != NULL) {
		size_t sl = strlen(s) + 1;

		assert_true(len + sl <= sizeof(buf));
		memcpy(buf + len, s, sl);
		len += (uint32_t)sl;
	}
	va_end(ap);
	return traw(p, type, tx, buf, len);
}

/* WRITE: path, nul, value (no nul). */
static inline const struct tmsg *twrite(struct tpeer *p, uint32_t tx, const char *path,
					const char *value)
{
	uint8_t buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(value);

	assert_true(pl + vl <= sizeof(buf));
	memcpy(buf, path, pl);
	memcpy(buf + pl, value, vl);
	return traw(p, XS_WRITE, tx, buf, (uint32_t)(pl + vl));
}

static inline void assert_ok(const struct tmsg *r, uint32_t type)
{
	if (r->hdr.type == XS_ERROR)
		fail_msg("expected success, got %s", (const char *)r->payload);
	assert_int_equal(r->hdr.type, type);
}

static inline void assert_xs_error(const struct tmsg *r, const char *name)
{
	assert_int_equal(r->hdr.type, XS_ERROR);
	assert_string_equal((const char *)r->payload, name);
	assert_int_equal(r->hdr.len, strlen(name) + 1);
}

static inline void twrite_ok(struct tpeer *p, uint32_t tx, const char *path, const char *value)
{
	assert_ok(twrite(p, tx, path, value), XS_WRITE);
}

/* READ that must succeed; returns the value, nul-terminated by the peer. */
static inline const char *tread_ok(struct tpeer *p, uint32_t tx, const char *path)
{
	const struct tmsg *r = tcall(p, XS_READ, tx, path, NULL);

	assert_ok(r, XS_READ);
	return (const char *)r->payload;
}

static inline uint32_t ttxn_start(struct tpeer *p)
{
	const struct tmsg *r = tcall(p, XS_TRANSACTION_START, 0, "", NULL);

	assert_ok(r, XS_TRANSACTION_START);
	return (uint32_t)strtoul((const char *)r->payload, NULL, 10);
}

static inline size_t tevents_pending(const struct tpeer *p)
{
	return p->nevents - p->event_head;
}

/* Pops the next watch event and checks its path and token. */
static inline void tevent_expect(struct tpeer *p, const char *path, const char *token)
{
	const struct tmsg *e;

	if (!tevents_pending(p))
		fail_msg("expected watch event %s, got none", path);
	e = &p->events[p->event_head++];
	assert_int_equal(e->hdr.type, XS_WATCH_EVENT);
	assert_int_equal(e->hdr.req_id, 0);
	assert_int_equal(e->hdr.tx_id, 0);
	assert_string_equal((const char *)e->payload, path);
	assert_string_equal((const char *)e->payload + strlen(path) + 1, token);
	assert_int_equal(e->hdr.len, strlen(path) + strlen(token) + 2);
}

static inline void twatch_ok(struct tpeer *p, const char *path, const char *token)
{
	assert_ok(tcall(p, XS_WATCH, 0, path, token, NULL), XS_WATCH);
	tevent_expect(p, path, token); /* fires once when registered */
}

/* Children of a DIRECTORY reply joined by ',' for easy comparison. */
static inline const char *tdir_joined(const struct tmsg *r, char *buf, size_t cap)
{
	size_t off = 0, out = 0;

	buf[0] = '\0';
	while (off < r->hdr.len) {
		const char *name = (const char *)r->payload + off;
		size_t nl = strlen(name);

		assert_true(out + nl + 2 <= cap);
		if (out)
			buf[out++] = ',';
		memcpy(buf + out, name, nl + 1);
		out += nl;
		off += nl + 1;
	}
	return buf;
}

#endif /* TEST_XS_HELPERS_H */
