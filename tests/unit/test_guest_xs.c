/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's xenstore client: against the model's xenstored over a ring
 * page in memory, and against a scripted hostile server that sends what no
 * honest server would. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "xs_world.h"

static struct xs_world world, *w = &world;

static int setup_server(void **state)
{
	(void)state;
	return xs_world_start(w, true);
}

static int setup_hostile(void **state)
{
	(void)state;
	return xs_world_start(w, false);
}

static int teardown(void **state)
{
	(void)state;
	xs_world_stop(w);
	return 0;
}

static void test_xs_client_write_then_read(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(xs_write(XBT_NIL, "data/greeting", "hello"), 0);
	assert_int_equal(xs_read(XBT_NIL, "data/greeting", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(xs_read(XBT_NIL, "/local/domain/1/name", buf,
				 sizeof(buf)), 5);
	assert_string_equal(buf, "guest");
}

static void test_xs_client_errors_map_to_errno(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(xs_read(XBT_NIL, "data/missing", buf, sizeof(buf)),
			 -XEN_ENOENT);
	assert_string_equal(xs_last_error(), "ENOENT");
	/* dom1 may not write outside its own subtree. */
	assert_int_equal(xs_write(XBT_NIL, "/local/domain/0/x", "1"),
			 -XEN_EACCES);
	assert_int_equal(xs_write(XBT_NIL, "data/long", "0123456789"), 0);
	assert_int_equal(xs_read(XBT_NIL, "data/long", buf, sizeof(buf)),
			 -XEN_E2BIG);
	/* The connection survives all of that. */
	assert_true(xs_connected());
}

static void test_xs_client_directory_counts_entries(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(xs_mkdir(XBT_NIL, "data/dir"), 0);
	assert_int_equal(xs_write(XBT_NIL, "data/dir/a", "1"), 0);
	assert_int_equal(xs_write(XBT_NIL, "data/dir/b", "2"), 0);
	assert_int_equal(xs_directory(XBT_NIL, "data/dir", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "a");
	assert_string_equal(buf + 2, "b");
	assert_int_equal(xs_rm(XBT_NIL, "data/dir"), 0);
	assert_int_equal(xs_directory(XBT_NIL, "data/dir", buf, sizeof(buf)),
			 -XEN_ENOENT);
}

static void test_xs_client_domain_path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(xs_get_domain_path(XS_WORLD_DOMID, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/local/domain/1");
}

static int bump(xs_transaction_t t, void *arg)
{
	char buf[16];
	int *runs = arg;

	(*runs)++;
	if (xs_read(t, "data/counter", buf, sizeof(buf)) < 0)
		return -XEN_EIO;
	/* On the first run, someone else commits in between. */
	if (*runs == 1)
		hv_xs_write_str(w->xs, "/local/domain/1/data/counter", "5");
	return xs_write(t, "data/counter", buf[0] == '5' ? "6" : "1");
}

static void test_xs_client_transaction_retries_on_conflict(void **state)
{
	char buf[16];
	int runs = 0;

	(void)state;
	assert_int_equal(xs_write(XBT_NIL, "data/counter", "0"), 0);
	assert_int_equal(xs_transact(bump, &runs), 0);
	assert_int_equal(runs, 2);
	assert_int_equal(xs_read(XBT_NIL, "data/counter", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "6");
}

static void test_xs_client_aborted_transaction_leaves_nothing(void **state)
{
	xs_transaction_t t;
	char buf[8];

	(void)state;
	assert_int_equal(xs_transaction_start(&t), 0);
	assert_true(t != XBT_NIL);
	assert_int_equal(xs_write(t, "data/ghost", "boo"), 0);
	assert_int_equal(xs_transaction_end(t, true), 0);
	assert_int_equal(xs_read(XBT_NIL, "data/ghost", buf, sizeof(buf)),
			 -XEN_ENOENT);
}

struct seen {
	unsigned n;
	char path[8][64];
};

static void on_event(const char *path, const char *token, void *arg)
{
	struct seen *s = arg;

	assert_string_equal(token, "tok");
	if (s->n < 8)
		strcpy(s->path[s->n], path);
	s->n++;
}

static void test_xs_client_watch_fires_on_register_and_change(void **state)
{
	struct seen seen = { 0 };

	(void)state;
	assert_int_equal(xs_watch("data/w", "tok", on_event, &seen), 0);
	xs_poll();
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.path[0], "data/w");
	assert_int_equal(xs_write(XBT_NIL, "data/w/child", "x"), 0);
	xs_poll();
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.path[1], "data/w/child");
	assert_int_equal(xs_unwatch("data/w", "tok"), 0);
	assert_int_equal(xs_write(XBT_NIL, "data/w/child", "y"), 0);
	xs_poll();
	assert_int_equal(seen.n, 2);
	assert_int_equal(xs_watch("data/w", "tok", on_event, &seen), 0);
	assert_int_equal(xs_watch("data/v", "tok", on_event, &seen),
			 -XEN_EEXIST);
}

static void test_xs_client_large_value_crosses_the_ring(void **state)
{
	static char big[2001], back[2048];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	assert_int_equal(xs_write(XBT_NIL, "data/big", big), 0);
	assert_int_equal(xs_read(XBT_NIL, "data/big", back, sizeof(back)), 2000);
	assert_memory_equal(back, big, 2000);
}

static void test_xs_client_reconnects_after_a_broken_ring(void **state)
{
	char buf[16];
	int rc;

	(void)state;
	assert_int_equal(xs_write(XBT_NIL, "data/kept", "yes"), 0);
	/* The page says the ring is broken: the client gives it up. */
	w->page.error = XENSTORE_ERROR_COMM;
	assert_int_equal(xs_read(XBT_NIL, "data/kept", buf, sizeof(buf)),
			 -XEN_EIO);
	assert_false(xs_connected());
	/* Connecting again runs the reset handshake; the store is intact. */
	assert_int_equal(xs_connect(&w->page, &(struct xs_transport){ 0 }), -XEN_EINVAL);
	assert_int_equal(xs_world_reconnect(w), 0);
	assert_true(xs_connected());
	assert_int_equal(w->page.connection, XENSTORE_CONNECTED);
	assert_int_equal(w->page.error, XENSTORE_ERROR_NONE);
	rc = xs_read(XBT_NIL, "data/kept", buf, sizeof(buf));
	assert_int_equal(rc, 3);
	assert_string_equal(buf, "yes");
}

/* ---- a hostile server: the test writes the reply ring itself ---- */

static void server_put(const void *data, size_t len)
{
	const char *p = data;

	for (size_t i = 0; i < len; i++)
		w->page.rsp[MASK_XENSTORE_IDX(w->page.rsp_prod + i)] = p[i];
	w->page.rsp_prod += (uint32_t)len;
}

static void server_reply(uint32_t type, uint32_t req_id, uint32_t tx_id,
			 const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, len };

	server_put(&h, sizeof(h));
	server_put(body, len);
}

static void test_xs_client_times_out_on_silent_server(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)),
			 -XEN_ETIMEDOUT);
	assert_false(xs_connected());
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
}

static void test_xs_client_refuses_impossible_indexes(void **state)
{
	char buf[8];

	(void)state;
	w->page.rsp_prod = w->page.rsp_cons + XENSTORE_RING_SIZE + 1;
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
	assert_false(xs_connected());
}

static void test_xs_client_refuses_oversized_reply(void **state)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	char buf[8];

	(void)state;
	server_put(&h, sizeof(h));
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
	assert_string_equal(xs_last_error(),
			    "reply longer than the protocol allows");
}

static void test_xs_client_refuses_reply_to_another_request(void **state)
{
	char buf[8];

	(void)state;
	server_reply(XS_READ, 99, 0, "v", 1);
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
	assert_string_equal(xs_last_error(), "reply to no request of ours");
}

static void test_xs_client_refuses_reply_of_another_type(void **state)
{
	char buf[8];

	(void)state;
	server_reply(XS_DIRECTORY, 1, 0, "v", 1);
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
}

static void test_xs_client_refuses_other_transaction(void **state)
{
	char buf[8];

	(void)state;
	server_reply(XS_READ, 1, 7, "v", 1);
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
}

static void test_xs_client_unknown_error_name_is_eio(void **state)
{
	char buf[8];

	(void)state;
	server_reply(XS_ERROR, 1, 0, "EWEIRD", 7);
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
	assert_true(xs_connected());
}

static void test_xs_client_malformed_transaction_id(void **state)
{
	xs_transaction_t t = 0;

	(void)state;
	server_reply(XS_TRANSACTION_START, 1, 0, "12x", 4);
	assert_int_equal(xs_transaction_start(&t), -XEN_EIO);
	server_reply(XS_TRANSACTION_START, 2, 0, "99999999999", 12);
	assert_int_equal(xs_transaction_start(&t), -XEN_EIO);
	server_reply(XS_TRANSACTION_START, 3, 0, "42", 2);
	assert_int_equal(xs_transaction_start(&t), -XEN_EIO);
	assert_int_equal(t, 0);
}

static void test_xs_client_unterminated_directory(void **state)
{
	char buf[16];

	(void)state;
	server_reply(XS_DIRECTORY, 1, 0, "a\0b", 3);
	assert_int_equal(xs_directory(XBT_NIL, "d", buf, sizeof(buf)), -XEN_EIO);
}

static void test_xs_client_drops_malformed_watch_events(void **state)
{
	struct seen seen = { 0 };
	char buf[8];

	(void)state;
	server_reply(XS_WATCH_EVENT, 0, 0, "no-token-nul", 12);
	server_reply(XS_WATCH_EVENT, 0, 0, "p\0tok", 5);
	server_reply(XS_WATCH, 1, 0, "OK", 3);
	assert_int_equal(xs_watch("p", "tok", on_event, &seen), 0);
	xs_poll();
	assert_int_equal(seen.n, 0);
	server_reply(XS_WATCH_EVENT, 0, 0, "p\0tok", 6);
	server_reply(XS_READ, 2, 0, "v", 1);
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), 1);
	xs_poll();
	assert_int_equal(seen.n, 1);
}

static void test_xs_client_server_error_field_breaks_connection(void **state)
{
	char buf[8];

	(void)state;
	w->page.error = XENSTORE_ERROR_PROTO;
	assert_int_equal(xs_read(XBT_NIL, "x", buf, sizeof(buf)), -XEN_EIO);
	assert_false(xs_connected());
}

int main(void)
{
#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_server, teardown)
#define H(fn) cmocka_unit_test_setup_teardown(fn, setup_hostile, teardown)
	const struct CMUnitTest tests[] = {
		S(test_xs_client_write_then_read),
		S(test_xs_client_errors_map_to_errno),
		S(test_xs_client_directory_counts_entries),
		S(test_xs_client_domain_path),
		S(test_xs_client_transaction_retries_on_conflict),
		S(test_xs_client_aborted_transaction_leaves_nothing),
		S(test_xs_client_watch_fires_on_register_and_change),
		S(test_xs_client_large_value_crosses_the_ring),
		S(test_xs_client_reconnects_after_a_broken_ring),
		H(test_xs_client_times_out_on_silent_server),
		H(test_xs_client_refuses_impossible_indexes),
		H(test_xs_client_refuses_oversized_reply),
		H(test_xs_client_refuses_reply_to_another_request),
		H(test_xs_client_refuses_reply_of_another_type),
		H(test_xs_client_refuses_other_transaction),
		H(test_xs_client_unknown_error_name_is_eio),
		H(test_xs_client_malformed_transaction_id),
		H(test_xs_client_unterminated_directory),
		H(test_xs_client_drops_malformed_watch_events),
		H(test_xs_client_server_error_field_breaks_connection),
	};
#undef S
#undef H

	return cmocka_run_group_tests(tests, NULL, NULL);
}
