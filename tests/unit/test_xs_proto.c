/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Malformed requests: each gets one defined XS_ERROR reply that echoes
 * req_id and tx_id, and the daemon keeps serving the sender and everyone
 * else. Ends with a seeded random-payload pass over every op type.
 */
#include "test_xs_helpers.h"

#include <stdio.h>

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, other;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->other, f->xs, 0);
	twrite_ok(&f->dom0, 0, "/k", "v");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->other);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

/* Both connections still work. */
static void assert_still_serving(struct fixture *f)
{
	assert_string_equal(tread_ok(&f->dom0, 0, "/k"), "v");
	assert_string_equal(tread_ok(&f->other, 0, "/k"), "v");
}

static void test_xs_proto_unknown_ops_return_enosys(void **state)
{
	static const uint32_t types[] = {
		XS_WATCH_EVENT, XS_ERROR, 20, XS_GET_FEATURE, XS_SET_FEATURE, XS_GET_QUOTA,
		XS_SET_QUOTA, XS_TYPE_COUNT, 1000, XS_INVALID, UINT32_MAX,
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_xs_error(tcall(&f->dom0, types[i], 0, "/k", NULL), "ENOSYS");
	assert_still_serving(f);
}

static void test_xs_proto_error_reply_echoes_req_and_tx_id(void **state)
{
	struct fixture *f = *state;
	struct xsd_sockmsg hdr = { .type = XS_READ, .req_id = 0xdeadbeef, .tx_id = 77, .len = 3 };
	const struct tmsg *r;

	hv_xs_conn_request(f->dom0.conn, &hdr, "/k");
	r = &f->dom0.replies[f->dom0.nreplies - 1];
	assert_int_equal(r->hdr.type, XS_ERROR);
	assert_int_equal(r->hdr.req_id, 0xdeadbeef);
	assert_int_equal(r->hdr.tx_id, 77);
	assert_string_equal((const char *)r->payload, "ENOENT"); /* no transaction 77 */
}

static void test_xs_proto_path_without_nul_returns_einval(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(traw(&f->dom0, XS_READ, 0, "/k", 2), "EINVAL");
	assert_xs_error(traw(&f->dom0, XS_WRITE, 0, "/k", 2), "EINVAL");
	assert_xs_error(traw(&f->dom0, XS_RM, 0, "/k", 2), "EINVAL");
	assert_still_serving(f);
}

/* Table: ops taking exactly one string, sent none or two. */
static void test_xs_proto_missing_or_extra_strings_return_einval(void **state)
{
	static const uint32_t one_arg[] = {
		XS_READ, XS_DIRECTORY, XS_GET_PERMS, XS_MKDIR, XS_RM, XS_GET_DOMAIN_PATH,
		XS_IS_DOMAIN_INTRODUCED, XS_RELEASE, XS_RESUME, XS_TRANSACTION_END,
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(one_arg) / sizeof(one_arg[0]); i++) {
		assert_xs_error(traw(&f->dom0, one_arg[i], 0, "", 0), "EINVAL");
		assert_xs_error(tcall(&f->dom0, one_arg[i], 0, "/k", "extra", NULL), "EINVAL");
	}
	assert_still_serving(f);
}

static void test_xs_proto_watch_needs_exactly_path_and_token(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, "/k", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, "/k", "t", "x", NULL), "EINVAL");
	assert_xs_error(traw(&f->dom0, XS_WATCH, 0, "/k\0t", 4), "EINVAL"); /* token's nul */
	assert_xs_error(tcall(&f->dom0, XS_UNWATCH, 0, "/k", NULL), "EINVAL");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_proto_write_needs_path_nul(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(traw(&f->dom0, XS_WRITE, 0, NULL, 0), "EINVAL");
	assert_xs_error(traw(&f->dom0, XS_WRITE, 0, "/knovalue", 9), "EINVAL");
	assert_ok(traw(&f->dom0, XS_WRITE, 0, "/k2", 4), XS_WRITE); /* empty value */
}

/* Table: paths that break xenstore.txt's rules. */
static void test_xs_proto_malformed_paths_return_einval(void **state)
{
	static const char *const bad[] = {
		"", "//", "/a//b", "/a/", "/a b", "/a\tb", "/a.b", "/a\\b", "/\x7f", "/\xc3\xa9",
		"/a/../b", "@", "/a/@/../", "local//domain",
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_xs_error(tcall(&f->dom0, XS_READ, 0, bad[i], NULL), "EINVAL");
		assert_xs_error(twrite(&f->dom0, 0, bad[i], "x"), "EINVAL");
		assert_xs_error(tcall(&f->dom0, XS_MKDIR, 0, bad[i], NULL), "EINVAL");
	}
	assert_still_serving(f);
}

static void test_xs_proto_special_paths_only_where_allowed(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "@releaseDomain", NULL), "EINVAL");
	assert_xs_error(twrite(&f->dom0, 0, "@releaseDomain", "x"), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_RM, 0, "@releaseDomain", NULL), "EINVAL");
	assert_ok(tcall(&f->dom0, XS_GET_PERMS, 0, "@releaseDomain", NULL), XS_GET_PERMS);
}

static void test_xs_proto_bad_domids_return_einval(void **state)
{
	static const char *const bad[] = { "", "abc", "-1", "65536", "1 ", " 1", "0x10", "1.0" };
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_xs_error(tcall(&f->dom0, XS_GET_DOMAIN_PATH, 0, bad[i], NULL), "EINVAL");
		assert_xs_error(tcall(&f->dom0, XS_IS_DOMAIN_INTRODUCED, 0, bad[i], NULL), "EINVAL");
	}
}

static void test_xs_proto_introduce_validates_its_arguments(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_INTRODUCE, 0, "0", "1", "1", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_INTRODUCE, 0, "32752", "1", "1", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_INTRODUCE, 0, "3", "page", "1", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_INTRODUCE, 0, "3", "1", "4294967296", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_INTRODUCE, 0, "3", "1", NULL), "EINVAL");
	assert_false(hv_xs_domain_introduced(f->xs, 3));
}

struct hook_log {
	int calls;
	uint16_t domid;
	uint64_t gfn;
	uint32_t port;
	int rc;
	int released;
};

static int hook_introduce(void *opaque, uint16_t domid, uint64_t gfn, uint32_t port)
{
	struct hook_log *h = opaque;

	h->calls++;
	h->domid = domid;
	h->gfn = gfn;
	h->port = port;
	return h->rc;
}

static void hook_release(void *opaque, uint16_t domid)
{
	struct hook_log *h = opaque;

	(void)domid;
	h->released++;
}

static void test_xs_proto_introduce_calls_hook_and_reports_its_error(void **state)
{
	struct hook_log h = { .rc = -XEN_ENOMEM };
	struct hv_xs_config cfg;
	struct hv_xs *xs;
	struct tpeer p;

	(void)state;
	hv_xs_config_default(&cfg);
	cfg.introduce = hook_introduce;
	cfg.release = hook_release;
	cfg.hook_opaque = &h;
	xs = hv_xs_new(&cfg);
	tpeer_init(&p, xs, 0);
	assert_xs_error(tcall(&p, XS_INTRODUCE, 0, "4", "4660", "9", NULL), "ENOMEM");
	assert_false(hv_xs_domain_introduced(xs, 4));
	h.rc = 0;
	assert_ok(tcall(&p, XS_INTRODUCE, 0, "4", "4660", "9", NULL), XS_INTRODUCE);
	assert_int_equal(h.calls, 2);
	assert_int_equal(h.domid, 4);
	assert_int_equal(h.gfn, 4660);
	assert_int_equal(h.port, 9);
	assert_true(hv_xs_domain_introduced(xs, 4));
	assert_string_equal((const char *)tcall(&p, XS_IS_DOMAIN_INTRODUCED, 0, "4", NULL)->payload, "T");
	assert_ok(tcall(&p, XS_RESUME, 0, "4", NULL), XS_RESUME);
	assert_ok(tcall(&p, XS_RELEASE, 0, "4", NULL), XS_RELEASE);
	assert_int_equal(h.released, 1);
	assert_string_equal((const char *)tcall(&p, XS_IS_DOMAIN_INTRODUCED, 0, "4", NULL)->payload, "F");
	assert_xs_error(tcall(&p, XS_RELEASE, 0, "4", NULL), "ENOENT");
	assert_xs_error(tcall(&p, XS_RESUME, 0, "4", NULL), "ENOENT");
	tpeer_fini(&p);
	hv_xs_free(xs);
}

static void test_xs_proto_dom0_counts_as_introduced(void **state)
{
	struct fixture *f = *state;

	assert_string_equal((const char *)tcall(&f->dom0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL)->payload, "T");
	assert_string_equal((const char *)tcall(&f->dom0, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL)->payload, "F");
}

static void test_xs_proto_directory_part_validates_offset(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/k", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/k", "x", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/k", "-1", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY_PART, 0, "/k", "", NULL), "EINVAL");
}

static void test_xs_proto_empty_payload_ops_reject_junk(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->dom0, XS_TRANSACTION_START, 0, "x", NULL), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_RESET_WATCHES, 0, "x", NULL), "EINVAL");
	assert_ok(traw(&f->dom0, XS_TRANSACTION_START, 0, NULL, 0), XS_TRANSACTION_START);
	assert_ok(traw(&f->dom0, XS_RESET_WATCHES, 0, NULL, 0), XS_RESET_WATCHES);
}

static void test_xs_proto_unknown_transaction_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(twrite(&f->dom0, 12345, "/k", "x"), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_DIRECTORY, 12345, "/", NULL), "ENOENT");
	assert_xs_error(tcall(&f->dom0, XS_GET_DOMAIN_PATH, 12345, "1", NULL), "ENOENT");
	assert_string_equal(tread_ok(&f->dom0, 0, "/k"), "v");
}

static void test_xs_proto_reply_of_success_echoes_tx_id(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->dom0);

	/* traw() checks that req_id and tx_id come back unchanged. */
	assert_ok(twrite(&f->dom0, t, "/k", "in-tx"), XS_WRITE);
	assert_ok(tcall(&f->dom0, XS_TRANSACTION_END, t, "T", NULL), XS_TRANSACTION_END);
}

/* Deterministic generator: same seed, same bytes, every run. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void test_xs_proto_random_payloads_get_one_reply_each(void **state)
{
	static const char alphabet[] = "/ab@-_0159\0\0\0TFrwbn";
	struct fixture *f = *state;
	uint8_t payload[64];
	uint32_t seed = 12345;

	for (int i = 0; i < 4000; i++) {
		uint32_t type = lcg(&seed) % (XS_TYPE_COUNT + 2);
		uint32_t len = lcg(&seed) % sizeof(payload);
		uint32_t tx = (lcg(&seed) % 8 == 0) ? lcg(&seed) % 4 : 0;

		for (uint32_t j = 0; j < len; j++)
			payload[j] = (uint8_t)alphabet[lcg(&seed) % (sizeof(alphabet) - 1)];
		/* INTRODUCE/RELEASE/... may succeed; all that matters is one reply. */
		traw(&f->dom0, type, tx, payload, len);
	}
	assert_ok(tcall(&f->dom0, XS_RESET_WATCHES, 0, "", NULL), XS_RESET_WATCHES);
	twrite_ok(&f->other, 0, "/k", "v");
	assert_still_serving(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_proto_unknown_ops_return_enosys),
		T(test_xs_proto_error_reply_echoes_req_and_tx_id),
		T(test_xs_proto_path_without_nul_returns_einval),
		T(test_xs_proto_missing_or_extra_strings_return_einval),
		T(test_xs_proto_watch_needs_exactly_path_and_token),
		T(test_xs_proto_write_needs_path_nul),
		T(test_xs_proto_malformed_paths_return_einval),
		T(test_xs_proto_special_paths_only_where_allowed),
		T(test_xs_proto_bad_domids_return_einval),
		T(test_xs_proto_introduce_validates_its_arguments),
		T(test_xs_proto_introduce_calls_hook_and_reports_its_error),
		T(test_xs_proto_dom0_counts_as_introduced),
		T(test_xs_proto_directory_part_validates_offset),
		T(test_xs_proto_empty_payload_ops_reject_junk),
		T(test_xs_proto_unknown_transaction_returns_enoent),
		T(test_xs_proto_reply_of_success_echoes_tx_id),
		T(test_xs_proto_random_payloads_get_one_reply_each),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
