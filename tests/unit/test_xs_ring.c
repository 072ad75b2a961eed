/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ring transport on a page in plain memory, with the test playing the
 * guest: free-running indexes that start near UINT32_MAX, messages split
 * across the ring's end, a hostile guest (oversized len, bogus indexes,
 * scribbled error field), the reconnect handshake, and the limits on
 * outstanding replies, merged duplicate events and the memory bound on
 * queued events.
 */
#include "test_xs_helpers.h"

#include <stdio.h>

#include <hv/xs_ring.h>

struct fixture {
	struct hv_xs *xs;
	struct xenstore_domain_interface *page;
	struct hv_xs_ring *ring;
	struct tpeer dom0;
	int notified;
};

static void notify(void *opaque)
{
	struct fixture *f = opaque;

	f->notified++;
}

static void start(struct fixture *f, const struct hv_xs_config *cfg, uint32_t first_index)
{
	const struct hv_xs_perm home = { .domid = 1, .perms = HV_XS_PERM_NONE };

	f->xs = hv_xs_new(cfg);
	assert_non_null(f->xs);
	f->page = calloc(1, 4096);
	assert_non_null(f->page);
	f->page->req_cons = f->page->req_prod = first_index;
	f->page->rsp_cons = f->page->rsp_prod = first_index;
	f->ring = hv_xs_ring_new(f->xs, 1, f->page, notify, f);
	assert_non_null(f->ring);
	tpeer_init(&f->dom0, f->xs, 0);
	assert_int_equal(hv_xs_mkdir(f->xs, "/local/domain/1"), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/local/domain/1", &home, 1), 0);
}

static void stop(struct fixture *f)
{
	tpeer_fini(&f->dom0);
	hv_xs_ring_free(f->ring);
	hv_xs_free(f->xs);
	free(f->page);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	start(f, NULL, UINT32_MAX - 40); /* wraps within the first messages */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	stop(f);
	free(f);
	return 0;
}

static void restart_with(struct fixture *f, const struct hv_xs_config *cfg)
{
	stop(f);
	f->notified = 0;
	start(f, cfg, 0);
}

/* ---- the guest's side ---- */

static uint32_t req_space(const struct xenstore_domain_interface *pg)
{
	return XENSTORE_RING_SIZE - (pg->req_prod - pg->req_cons);
}

static void guest_put_bytes(struct xenstore_domain_interface *pg, const void *data, uint32_t len)
{
	const uint8_t *p = data;

	assert_true(len <= req_space(pg));
	for (uint32_t i = 0; i < len; i++)
		pg->req[MASK_XENSTORE_IDX(pg->req_prod + i)] = (char)p[i];
	pg->req_prod += len;
}

static void guest_send(struct xenstore_domain_interface *pg, uint32_t type, uint32_t req_id,
		       const void *payload, uint32_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = 0, .len = len };

	guest_put_bytes(pg, &hdr, sizeof(hdr));
	guest_put_bytes(pg, payload, len);
}

static void guest_send_str(struct xenstore_domain_interface *pg, uint32_t type, uint32_t req_id,
			   const char *a, const char *b)
{
	uint8_t buf[256];
	uint32_t len = 0;

	if (a) {
		memcpy(buf, a, strlen(a) + 1);
		len = (uint32_t)strlen(a) + 1;
	}
	if (b) {
		memcpy(buf + len, b, strlen(b) + 1);
		len += (uint32_t)strlen(b) + 1;
	}
	guest_send(pg, type, req_id, buf, len);
}

static uint32_t rsp_avail(const struct xenstore_domain_interface *pg)
{
	return pg->rsp_prod - pg->rsp_cons;
}

static void guest_peek(const struct xenstore_domain_interface *pg, uint32_t at, void *out, uint32_t len)
{
	uint8_t *o = out;

	for (uint32_t i = 0; i < len; i++)
		o[i] = (uint8_t)pg->rsp[MASK_XENSTORE_IDX(pg->rsp_cons + at + i)];
}

/* Takes one whole message off the rsp ring, if there is one. */
static bool guest_take(struct xenstore_domain_interface *pg, struct tmsg *m)
{
	memset(m, 0, sizeof(*m));
	if (rsp_avail(pg) < sizeof(m->hdr))
		return false;
	guest_peek(pg, 0, &m->hdr, sizeof(m->hdr));
	assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
	if (rsp_avail(pg) < sizeof(m->hdr) + m->hdr.len)
		return false;
	guest_peek(pg, sizeof(m->hdr), m->payload, m->hdr.len);
	pg->rsp_cons += (uint32_t)sizeof(m->hdr) + m->hdr.len;
	return true;
}

static void guest_expect(struct fixture *f, uint32_t type, uint32_t req_id, const char *payload)
{
	struct tmsg m;

	assert_true(guest_take(f->page, &m));
	assert_int_equal(m.hdr.type, type);
	assert_int_equal(m.hdr.req_id, req_id);
	assert_string_equal((const char *)m.payload, payload);
}

/* ---- tests ---- */

static void test_xs_ring_advertises_reconnection_and_error(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->page->server_features,
			 XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
	assert_int_equal(f->page->error, XENSTORE_ERROR_NONE);
}

static void test_xs_ring_request_gets_reply_and_notify(void **state)
{
	struct fixture *f = *state;

	guest_send_str(f->page, XS_WRITE, 7, "name", NULL);
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->notified, 1);
	assert_int_equal(f->page->req_cons, f->page->req_prod);
	guest_expect(f, XS_WRITE, 7, "OK");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/1/name"), "");
}

static void test_xs_ring_indexes_wrap_past_uint32_max(void **state)
{
	struct fixture *f = *state;
	char value[8];

	/* 60 round trips: the 32-bit indexes wrap and messages straddle the ring end. */
	for (uint32_t i = 0; i < 60; i++) {
		uint8_t payload[16] = "k";
		int vl = snprintf(value, sizeof(value), "v%u", i);

		memcpy(payload + 2, value, (size_t)vl);
		guest_send(f->page, XS_WRITE, i, payload, 2 + (uint32_t)vl);
		hv_xs_ring_kick(f->ring);
		guest_expect(f, XS_WRITE, i, "OK");
		guest_send_str(f->page, XS_READ, 1000 + i, "k", NULL);
		hv_xs_ring_kick(f->ring);
		guest_expect(f, XS_READ, 1000 + i, value);
	}
	assert_true(f->page->req_prod < 4000); /* it did wrap */
	assert_true(f->page->rsp_prod < 4000);
}

/* A fuzzer's rewind: only an idle ring, with no transaction open, goes
 * back to 0, and it serves on from there. */
static void test_xs_ring_rewind_only_when_idle(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_READ, .req_id = 5, .len = 4 };
	struct xsd_sockmsg end = { .type = XS_TRANSACTION_END, .req_id = 3, .len = 2 };
	struct tmsg m;

	guest_send_str(f->page, XS_WRITE, 1, "k", NULL);
	hv_xs_ring_kick(f->ring);
	assert_int_equal(hv_xs_ring_rewind(f->ring), -XEN_EBUSY); /* reply unread */
	guest_expect(f, XS_WRITE, 1, "OK");
	guest_put_bytes(f->page, &hdr, 10);
	hv_xs_ring_kick(f->ring);
	assert_int_equal(hv_xs_ring_rewind(f->ring), -XEN_EBUSY); /* half a request */
	guest_put_bytes(f->page, (const uint8_t *)&hdr + 10, 6);
	guest_put_bytes(f->page, "k\0\0\0", 4);
	hv_xs_ring_kick(f->ring);
	assert_true(guest_take(f->page, &m));
	guest_send_str(f->page, XS_TRANSACTION_START, 2, "", NULL);
	hv_xs_ring_kick(f->ring);
	assert_true(guest_take(f->page, &m));
	assert_int_equal(hv_xs_ring_rewind(f->ring), -XEN_EBUSY); /* transaction open */
	assert_string_equal((const char *)m.payload, "1");
	end.tx_id = 1;
	guest_put_bytes(f->page, &end, sizeof(end));
	guest_put_bytes(f->page, "F", 2);
	hv_xs_ring_kick(f->ring);
	assert_true(guest_take(f->page, &m));
	assert_int_equal(hv_xs_ring_rewind(f->ring), 0);
	assert_int_equal(f->page->req_prod, 0);
	assert_int_equal(f->page->req_cons, 0);
	assert_int_equal(f->page->rsp_prod, 0);
	assert_int_equal(f->page->rsp_cons, 0);
	guest_send_str(f->page, XS_READ, 4, "k", NULL);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_READ, 4, "");
	assert_int_equal(f->page->req_cons, f->page->req_prod);
}

static void test_xs_ring_keeps_partial_request_until_rest_arrives(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_READ, .req_id = 5, .len = 4 };
	struct tmsg m;

	twrite_ok(&f->dom0, 0, "/local/domain/1/key", "val");
	guest_put_bytes(f->page, &hdr, 10);
	hv_xs_ring_kick(f->ring);
	guest_put_bytes(f->page, (const uint8_t *)&hdr + 10, 6);
	guest_put_bytes(f->page, "k", 1);
	hv_xs_ring_kick(f->ring);
	assert_false(guest_take(f->page, &m));
	guest_put_bytes(f->page, "ey\0", 3);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_READ, 5, "val");
}

static void test_xs_ring_relative_path_is_under_domain_home(void **state)
{
	struct fixture *f = *state;

	guest_send(f->page, XS_WRITE, 1, "device/x\0on", 11);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_WRITE, 1, "OK");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/1/device/x"), "on");
}

static void test_xs_ring_oversized_len_sets_error_field(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_WRITE, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };
	struct tmsg m;

	guest_put_bytes(f->page, &hdr, sizeof(hdr));
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->error, XENSTORE_ERROR_PROTO);
	assert_int_equal(hv_xs_ring_error(f->ring), XENSTORE_ERROR_PROTO);
	assert_true(f->notified >= 1);
	/* The ring is dead until reset; the daemon serves everyone else. */
	guest_send_str(f->page, XS_READ, 2, "name", NULL);
	hv_xs_ring_kick(f->ring);
	assert_false(guest_take(f->page, &m));
	twrite_ok(&f->dom0, 0, "/still", "serving");
}

static void test_xs_ring_req_prod_too_far_ahead_sets_ringidx_error(void **state)
{
	struct fixture *f = *state;

	f->page->req_prod = f->page->req_cons + XENSTORE_RING_SIZE + 1;
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->error, XENSTORE_ERROR_RINGIDX);
}

static void test_xs_ring_rsp_cons_past_prod_sets_ringidx_error(void **state)
{
	struct fixture *f = *state;

	f->page->rsp_cons = f->page->rsp_prod + 1; /* "consumed" bytes never produced */
	guest_send_str(f->page, XS_READ, 1, "name", NULL);
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->error, XENSTORE_ERROR_RINGIDX);
}

static void test_xs_ring_server_index_scribbled_by_guest_is_ignored(void **state)
{
	struct fixture *f = *state;
	uint32_t real_cons = f->page->req_cons;

	f->page->req_cons = real_cons + 500; /* the guest writes a field that is ours */
	f->page->error = XENSTORE_ERROR_COMM; /* and the error field */
	guest_send_str(f->page, XS_GET_DOMAIN_PATH, 3, "1", NULL);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_GET_DOMAIN_PATH, 3, "/local/domain/1");
	assert_int_equal(f->page->req_cons, f->page->req_prod);
}

static void test_xs_ring_reset_handshake_clears_error_and_state(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_WRITE, .len = 9999 };
	struct tmsg m;
	int before;

	guest_send_str(f->page, XS_WATCH, 1, "data", "tok");
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_WATCH, 1, "OK");
	guest_expect(f, XS_WATCH_EVENT, 0, "data");
	guest_put_bytes(f->page, &hdr, sizeof(hdr));
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->error, XENSTORE_ERROR_PROTO);

	f->page->connection = XENSTORE_RECONNECT;
	before = f->notified;
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->connection, XENSTORE_CONNECTED);
	assert_int_equal(f->page->error, XENSTORE_ERROR_NONE);
	assert_int_equal(f->page->req_cons, f->page->req_prod);   /* input emptied */
	assert_int_equal(f->page->rsp_prod, f->page->rsp_cons);   /* output emptied */
	assert_int_equal(f->notified, before + 1);
	/* The watch went with the old connection state. */
	twrite_ok(&f->dom0, 0, "/local/domain/1/data", "x");
	assert_false(guest_take(f->page, &m));
	/* And the ring works again. */
	guest_send_str(f->page, XS_READ, 9, "data", NULL);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_READ, 9, "x");
}

static void test_xs_ring_reset_drops_partial_request_and_queued_replies(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_READ, .req_id = 1, .len = 100 };

	guest_put_bytes(f->page, &hdr, sizeof(hdr));
	guest_put_bytes(f->page, "name", 4);
	hv_xs_ring_kick(f->ring);
	f->page->connection = XENSTORE_RECONNECT;
	hv_xs_ring_kick(f->ring);
	guest_send_str(f->page, XS_GET_DOMAIN_PATH, 2, "1", NULL);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_GET_DOMAIN_PATH, 2, "/local/domain/1");
}

static void test_xs_ring_reply_larger_than_free_space_arrives_in_pieces(void **state)
{
	struct fixture *f = *state;
	char big[3001];
	uint8_t got[3100];
	uint32_t have = 0, want = 16 + 3000;

	memset(big, 'z', 3000);
	big[3000] = '\0';
	twrite_ok(&f->dom0, 0, "/local/domain/1/big", big);
	guest_send_str(f->page, XS_READ, 4, "big", NULL);
	hv_xs_ring_kick(f->ring);
	while (have < want) {
		uint32_t n = rsp_avail(f->page);

		assert_true(n > 0 && n <= XENSTORE_RING_SIZE);
		guest_peek(f->page, 0, got + have, n);
		f->page->rsp_cons += n;
		have += n;
		hv_xs_ring_kick(f->ring); /* "I made room" */
	}
	assert_int_equal(have, want);
	assert_int_equal(((struct xsd_sockmsg *)got)->len, 3000);
	assert_memory_equal(got + 16, big, 3000);
}

static void test_xs_ring_watch_event_arrives_and_notifies(void **state)
{
	struct fixture *f = *state;
	int before;

	guest_send_str(f->page, XS_WATCH, 1, "device", "fe");
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_WATCH, 1, "OK");
	guest_expect(f, XS_WATCH_EVENT, 0, "device");
	before = f->notified;
	twrite_ok(&f->dom0, 0, "/local/domain/1/device/vbd", "");
	assert_int_equal(f->notified, before + 1); /* notified without a kick */
	guest_expect(f, XS_WATCH_EVENT, 0, "device/vbd");
}

static void test_xs_ring_stops_taking_requests_at_outstanding_limit(void **state)
{
	struct fixture *f = *state;
	char big[601];
	uint32_t req_len = 16 + 2, taken;
	struct tmsg m;
	int replies = 0;

	memset(big, 'y', 600);
	big[600] = '\0';
	twrite_ok(&f->dom0, 0, "/local/domain/1/b", big);
	for (uint32_t i = 0; i < 25; i++)
		guest_send_str(f->page, XS_READ, i, "b", NULL); /* 18 bytes each */
	hv_xs_ring_kick(f->ring);
	/* One reply fits in the ring, the next 20 wait in the queue: 21 taken. */
	taken = f->page->req_cons - (UINT32_MAX - 40);
	assert_int_equal(taken, 21 * req_len);
	/* As the guest drains replies, the rest are served, in order. */
	while (replies < 25) {
		if (guest_take(f->page, &m)) {
			assert_int_equal(m.hdr.req_id, replies);
			assert_int_equal(m.hdr.len, 600);
			replies++;
		} else {
			hv_xs_ring_kick(f->ring);
			assert_true(rsp_avail(f->page) > 0);
		}
	}
	assert_int_equal(f->page->req_cons, f->page->req_prod);
}

/* Drains the rsp ring into events[], kicking until nothing more comes. */
static int guest_drain(struct fixture *f, char (*paths)[32], int max, int *replies)
{
	struct tmsg m;
	int events = 0;

	for (;;) {
		if (guest_take(f->page, &m)) {
			if (m.hdr.type != XS_WATCH_EVENT) {
				(*replies)++;
				continue;
			}
			if (events < max)
				snprintf(paths[events], sizeof(paths[0]), "%.31s", (const char *)m.payload);
			events++;
			continue;
		}
		hv_xs_ring_kick(f->ring);
		if (!rsp_avail(f->page))
			return events;
	}
}

static void guest_watch_data(struct fixture *f)
{
	guest_send_str(f->page, XS_WATCH, 1, "data", "t");
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_WATCH, 1, "OK");
	guest_expect(f, XS_WATCH_EVENT, 0, "data");
}

static void test_xs_ring_duplicate_events_merge_while_queued(void **state)
{
	static char paths[128][32];
	struct fixture *f = *state;
	int replies = 0, events;

	restart_with(f, NULL);
	guest_watch_data(f);
	/* Each event is 16 + strlen("data/x") + 1 + 2 = 25 bytes: 40 fit in the ring. */
	for (int i = 0; i < 100; i++)
		twrite_ok(&f->dom0, 0, "/local/domain/1/data/x", "");
	/* 40 in the ring, the 41st half copied: still queued, so the other 59 merge into it. */
	assert_int_equal(hv_xs_ring_out_duplicates(f->ring), 59);
	events = guest_drain(f, paths, 128, &replies);
	assert_int_equal(events, 41);
	assert_string_equal(paths[40], "data/x");
	assert_int_equal(hv_xs_ring_out_memory(f->ring), 0);
	assert_int_equal(hv_xs_out_memory(f->xs), 0);
	/* Once sent, the same change is news again. */
	twrite_ok(&f->dom0, 0, "/local/domain/1/data/x", "");
	assert_int_equal(guest_drain(f, paths, 128, &replies), 1);
	assert_int_equal(replies, 0);
}

static void test_xs_ring_special_events_never_merge(void **state)
{
	static char paths[128][32];
	struct fixture *f = *state;
	int replies = 0;
	char filler[200];

	restart_with(f, NULL);
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "@releaseDomain", "r1"), XS_SET_PERMS);
	guest_send_str(f->page, XS_WATCH, 1, "@releaseDomain", "t");
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_WATCH, 1, "OK");
	guest_expect(f, XS_WATCH_EVENT, 0, "@releaseDomain");
	/* Five 216-byte replies overfill the 1024-byte ring: what follows queues. */
	memset(filler, 'v', sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	guest_send_str(f->page, XS_WRITE, 2, "filler", filler);
	for (uint32_t id = 3; id < 8; id++)
		guest_send_str(f->page, XS_READ, id, "filler", NULL);
	hv_xs_ring_kick(f->ring);
	for (uint16_t d = 2; d < 7; d++) {
		assert_int_equal(hv_xs_domain_introduce(f->xs, d), 0);
		assert_int_equal(hv_xs_domain_release(f->xs, d), 0);
	}
	assert_int_equal(hv_xs_ring_out_duplicates(f->ring), 0);
	assert_int_equal(guest_drain(f, paths, 128, &replies), 5);
	assert_string_equal(paths[4], "@releaseDomain");
	assert_int_equal(replies, 6);
}

static void test_xs_ring_queued_events_are_bounded_by_memory(void **state)
{
	static char paths[4096][32];
	struct fixture *f = *state;
	struct hv_xs_config cfg;
	int replies = 0, events;
	char path[64];

	hv_xs_config_default(&cfg);
	cfg.max_guest_out_bytes = 100000;
	restart_with(f, &cfg);
	guest_watch_data(f);
	for (int i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/local/domain/1/data/x%04d", i);
		twrite_ok(&f->dom0, 0, path, "");
		/* The daemon's own accounting: under the bound, and all of it this ring's. */
		assert_true(hv_xs_ring_out_memory(f->ring) <= cfg.max_guest_out_bytes);
		assert_int_equal(hv_xs_out_memory(f->xs), hv_xs_ring_out_memory(f->ring));
	}
	/* At the bound, events are lost but replies still come: the guest is served. */
	assert_true(hv_xs_ring_out_memory(f->ring) > cfg.max_guest_out_bytes / 2);
	guest_send_str(f->page, XS_READ, 7, "data/x0000", NULL);
	hv_xs_ring_kick(f->ring);
	events = guest_drain(f, paths, 4096, &replies);
	assert_int_equal(replies, 1);
	/* What queued is the oldest changes, in order; the rest was dropped. */
	assert_true(events > 1000 && events < 3000);
	for (int i = 0; i < events; i++) {
		snprintf(path, sizeof(path), "data/x%04d", i);
		assert_string_equal(paths[i], path);
	}
	assert_int_equal(hv_xs_ring_out_memory(f->ring), 0);
	assert_int_equal(hv_xs_out_memory(f->xs), 0);
	/* Drained, the guest hears of changes again. */
	twrite_ok(&f->dom0, 0, "/local/domain/1/data/y", "");
	assert_int_equal(guest_drain(f, paths, 4096, &replies), 1);
	assert_string_equal(paths[0], "data/y");
}

static void test_xs_ring_total_bound_covers_every_queue(void **state)
{
	static char paths[4096][32];
	struct fixture *f = *state;
	struct hv_xs_config cfg;
	int replies = 0, events;
	char path[64];

	hv_xs_config_default(&cfg);
	cfg.max_total_out_bytes = 100000;
	restart_with(f, &cfg);
	guest_watch_data(f);
	for (int i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/local/domain/1/data/x%04d", i);
		twrite_ok(&f->dom0, 0, path, "");
		assert_true(hv_xs_out_memory(f->xs) <= cfg.max_total_out_bytes);
	}
	events = guest_drain(f, paths, 4096, &replies);
	assert_true(events > 1000 && events < 3000);
	assert_int_equal(hv_xs_out_memory(f->xs), 0);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void guest_reconnect(struct fixture *f)
{
	f->page->connection = XENSTORE_RECONNECT;
	hv_xs_ring_kick(f->ring);
	assert_int_equal(f->page->connection, XENSTORE_CONNECTED);
	assert_int_equal(f->page->error, XENSTORE_ERROR_NONE);
}

static void test_xs_ring_survives_random_requests_and_recovers_by_reset(void **state)
{
	struct fixture *f = *state;
	uint32_t seed = 2024, resets = 0;
	uint8_t junk[sizeof(struct xsd_sockmsg) + 64];

	for (int round = 0; round < 3000; round++) {
		static const char alphabet[] = "/ab@-_0159\0\0TFrwbn";
		struct xsd_sockmsg hdr = {
			.type = lcg(&seed) % (XS_TYPE_COUNT + 2),
			.req_id = lcg(&seed),
			.tx_id = lcg(&seed) % 4 ? 0 : lcg(&seed) % 3,
			.len = lcg(&seed) % 48,
		};
		uint32_t len = (uint32_t)sizeof(hdr) + hdr.len;

		memcpy(junk, &hdr, sizeof(hdr));
		for (uint32_t i = sizeof(hdr); i < len; i++)
			junk[i] = (uint8_t)alphabet[lcg(&seed) % (sizeof(alphabet) - 1)];
		if (lcg(&seed) % 16 == 0) /* now and then, plain garbage */
			for (uint32_t i = 0; i < len; i++)
				junk[i] = (uint8_t)lcg(&seed);
		if (len <= req_space(f->page))
			guest_put_bytes(f->page, junk, len);
		hv_xs_ring_kick(f->ring);
		f->page->rsp_cons = f->page->rsp_prod; /* the guest swallows every reply */
		hv_xs_ring_kick(f->ring);
		if (f->page->error != XENSTORE_ERROR_NONE) {
			guest_reconnect(f);
			resets++;
		}
	}
	assert_true(resets > 0);
	guest_reconnect(f);
	guest_send_str(f->page, XS_GET_DOMAIN_PATH, 77, "1", NULL);
	hv_xs_ring_kick(f->ring);
	guest_expect(f, XS_GET_DOMAIN_PATH, 77, "/local/domain/1");
	twrite_ok(&f->dom0, 0, "/dom0", "unaffected");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_ring_advertises_reconnection_and_error),
		T(test_xs_ring_request_gets_reply_and_notify),
		T(test_xs_ring_indexes_wrap_past_uint32_max),
		T(test_xs_ring_rewind_only_when_idle),
		T(test_xs_ring_keeps_partial_request_until_rest_arrives),
		T(test_xs_ring_relative_path_is_under_domain_home),
		T(test_xs_ring_oversized_len_sets_error_field),
		T(test_xs_ring_req_prod_too_far_ahead_sets_ringidx_error),
		T(test_xs_ring_rsp_cons_past_prod_sets_ringidx_error),
		T(test_xs_ring_server_index_scribbled_by_guest_is_ignored),
		T(test_xs_ring_reset_handshake_clears_error_and_state),
		T(test_xs_ring_reset_drops_partial_request_and_queued_replies),
		T(test_xs_ring_reply_larger_than_free_space_arrives_in_pieces),
		T(test_xs_ring_watch_event_arrives_and_notifies),
		T(test_xs_ring_stops_taking_requests_at_outstanding_limit),
		T(test_xs_ring_duplicate_events_merge_while_queued),
		T(test_xs_ring_special_events_never_merge),
		T(test_xs_ring_queued_events_are_bounded_by_memory),
		T(test_xs_ring_total_bound_covers_every_queue),
		T(test_xs_ring_survives_random_requests_and_recovers_by_reset),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
