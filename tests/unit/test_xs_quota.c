/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Quotas, each at Xen's C xenstored default and each overridable: nodes
 * per domain, watches, transactions, node data size, permission entries,
 * relative and absolute path lengths. Guests are limited; dom0 is not.
 * (The outstanding-request and queued-event limits live on the ring:
 * test_xs_ring.c.)
 */
#include "test_xs_helpers.h"

#include <stdio.h>

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, guest; /* guest is domain 1, owning /local/domain/1 */
};

static void fixture_start(struct fixture *f, const struct hv_xs_config *cfg)
{
	const struct hv_xs_perm home = { .domid = 1, .perms = HV_XS_PERM_NONE };

	f->xs = hv_xs_new(cfg);
	assert_non_null(f->xs);
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->guest, f->xs, 1);
	assert_int_equal(hv_xs_mkdir(f->xs, "/local/domain/1"), 0);
	assert_int_equal(hv_xs_set_perms(f->xs, "/local/domain/1", &home, 1), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	fixture_start(f, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->guest);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

/* Restarts the fixture with one limit changed. */
static void restart_with(struct fixture *f, void (*tweak)(struct hv_xs_config *))
{
	struct hv_xs_config cfg;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->guest);
	hv_xs_free(f->xs);
	hv_xs_config_default(&cfg);
	tweak(&cfg);
	fixture_start(f, &cfg);
}

static void test_xs_quota_defaults_match_c_xenstored(void **state)
{
	struct hv_xs_config cfg;

	(void)state;
	hv_xs_config_default(&cfg);
	assert_int_equal(cfg.max_nodes_per_domain, 1000);
	assert_int_equal(cfg.max_watches, 128);
	assert_int_equal(cfg.max_outstanding, 20);
	assert_int_equal(cfg.max_transactions, 10);
	assert_int_equal(cfg.max_node_data, 2048);
	assert_int_equal(cfg.max_perms, 5);
	assert_int_equal(cfg.max_rel_path, 2048);
	assert_int_equal(cfg.max_abs_path, 3072);
}

static void test_xs_quota_nodes_per_domain_stops_at_1000(void **state)
{
	struct fixture *f = *state;
	char path[64];

	/* The home directory is node 1. */
	for (int i = 1; i < 1000; i++) {
		snprintf(path, sizeof(path), "n%d", i);
		twrite_ok(&f->guest, 0, path, "");
	}
	assert_int_equal(hv_xs_domain_nodes(f->xs, 1), 1000);
	assert_xs_error(twrite(&f->guest, 0, "one-too-many", ""), "ENOSPC");
	assert_xs_error(tcall(&f->guest, XS_MKDIR, 0, "one-too-many", NULL), "ENOSPC");
	twrite_ok(&f->guest, 0, "n1", "rewriting is fine");
	assert_ok(tcall(&f->guest, XS_RM, 0, "n1", NULL), XS_RM);
	twrite_ok(&f->guest, 0, "room-again", "");
}

static void three_nodes(struct hv_xs_config *cfg)
{
	cfg->max_nodes_per_domain = 3;
}

static void test_xs_quota_nodes_per_domain_is_configurable(void **state)
{
	struct fixture *f = *state;

	restart_with(f, three_nodes);
	twrite_ok(&f->guest, 0, "a", "");
	twrite_ok(&f->guest, 0, "b", "");
	assert_xs_error(twrite(&f->guest, 0, "c", ""), "ENOSPC");
	/* A write that would create two nodes at once is refused whole. */
	assert_ok(tcall(&f->guest, XS_RM, 0, "b", NULL), XS_RM);
	assert_xs_error(twrite(&f->guest, 0, "x/y", ""), "ENOSPC");
	assert_xs_error(tcall(&f->guest, XS_READ, 0, "x", NULL), "ENOENT");
}

static void four_nodes(struct hv_xs_config *cfg)
{
	cfg->max_nodes_per_domain = 4;
}

static void test_xs_quota_nodes_per_domain_counts_transactions_at_commit(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	restart_with(f, four_nodes);
	twrite_ok(&f->guest, 0, "p", "");
	twrite_ok(&f->guest, 0, "q", ""); /* 3 of 4 */
	t = ttxn_start(&f->guest);
	twrite_ok(&f->guest, t, "p/a", ""); /* fits in the snapshot */
	twrite_ok(&f->guest, 0, "q/b", ""); /* no conflict, but the store is full */
	assert_xs_error(tcall(&f->guest, XS_TRANSACTION_END, t, "T", NULL), "ENOSPC");
	assert_xs_error(tcall(&f->guest, XS_READ, 0, "p/a", NULL), "ENOENT");
	assert_int_equal(hv_xs_domain_nodes(f->xs, 1), 4);
}

static void test_xs_quota_dom0_is_not_limited(void **state)
{
	struct fixture *f = *state;
	char path[64];

	restart_with(f, three_nodes);
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/local/domain/1/by-dom0-%d", i);
		twrite_ok(&f->dom0, 0, path, ""); /* owned by 1, created by dom0 */
	}
	assert_int_equal(hv_xs_domain_nodes(f->xs, 1), 11);
}

static void test_xs_quota_watches_stop_at_128(void **state)
{
	struct fixture *f = *state;
	char token[16];

	for (int i = 0; i < 128; i++) {
		snprintf(token, sizeof(token), "t%d", i);
		twatch_ok(&f->guest, "data", token);
	}
	assert_xs_error(tcall(&f->guest, XS_WATCH, 0, "data", "t128", NULL), "E2BIG");
	assert_ok(tcall(&f->guest, XS_UNWATCH, 0, "data", "t0", NULL), XS_UNWATCH);
	twatch_ok(&f->guest, "data", "t128");
	for (int i = 0; i < 200; i++) {
		snprintf(token, sizeof(token), "d%d", i);
		twatch_ok(&f->dom0, "/x", token);
	}
}

static void test_xs_quota_transactions_stop_at_10(void **state)
{
	struct fixture *f = *state;
	uint32_t first = 0;

	for (int i = 0; i < 10; i++) {
		uint32_t t = ttxn_start(&f->guest);

		if (!first)
			first = t;
	}
	assert_xs_error(tcall(&f->guest, XS_TRANSACTION_START, 0, "", NULL), "ENOSPC");
	assert_ok(tcall(&f->guest, XS_TRANSACTION_END, first, "F", NULL), XS_TRANSACTION_END);
	ttxn_start(&f->guest);
	for (int i = 0; i < 20; i++)
		ttxn_start(&f->dom0);
}

static void test_xs_quota_node_data_stops_at_2048_bytes(void **state)
{
	struct fixture *f = *state;
	char big[3001];

	memset(big, 'x', sizeof(big) - 1);
	big[2048] = '\0';
	twrite_ok(&f->guest, 0, "data", big);
	big[2048] = 'x';
	big[2049] = '\0';
	assert_xs_error(twrite(&f->guest, 0, "data", big), "ENOSPC");
	assert_xs_error(twrite(&f->guest, 0, "new-node", big), "ENOSPC");
	big[2049] = 'x';
	big[3000] = '\0';
	twrite_ok(&f->dom0, 0, "/local/domain/1/data", big);
}

static void small_data(struct hv_xs_config *cfg)
{
	cfg->max_node_data = 4;
}

static void test_xs_quota_node_data_is_configurable(void **state)
{
	struct fixture *f = *state;

	restart_with(f, small_data);
	twrite_ok(&f->guest, 0, "k", "1234");
	assert_xs_error(twrite(&f->guest, 0, "k", "12345"), "ENOSPC");
}

static void test_xs_quota_perms_stop_at_5_entries(void **state)
{
	struct fixture *f = *state;

	twrite_ok(&f->guest, 0, "p", "");
	assert_ok(tcall(&f->guest, XS_SET_PERMS, 0, "p", "n1", "r2", "r3", "r4", "r5", NULL),
		  XS_SET_PERMS);
	assert_xs_error(tcall(&f->guest, XS_SET_PERMS, 0, "p", "n1", "r2", "r3", "r4", "r5",
			      "r6", NULL), "ENOSPC");
	assert_ok(tcall(&f->dom0, XS_SET_PERMS, 0, "/local/domain/1/p", "n1", "r2", "r3", "r4",
			"r5", "r6", "r7", NULL), XS_SET_PERMS);
}

/* "/local/domain/1/" then a path of n characters (components of 100). */
static void long_rel_path(char *buf, size_t n)
{
	size_t off = (size_t)sprintf(buf, "/local/domain/1/");

	for (size_t i = 0; i < n; i++)
		buf[off + i] = (i % 100 == 99) ? '/' : 'a';
	if (buf[off + n - 1] == '/')
		buf[off + n - 1] = 'a';
	buf[off + n] = '\0';
}

static void test_xs_quota_relative_path_stops_at_2048(void **state)
{
	struct fixture *f = *state;
	char path[4096];

	long_rel_path(path, 2048);
	twrite_ok(&f->guest, 0, path, "");
	twrite_ok(&f->guest, 0, path + strlen("/local/domain/1/"), "relative form too");
	long_rel_path(path, 2049);
	assert_xs_error(twrite(&f->guest, 0, path, ""), "EINVAL");
	assert_xs_error(tcall(&f->guest, XS_READ, 0, path, NULL), "EINVAL");
	twrite_ok(&f->dom0, 0, path, ""); /* dom0: only the absolute limit */
}

static void test_xs_quota_absolute_path_stops_at_3072(void **state)
{
	struct fixture *f = *state;
	char path[3100];

	for (size_t i = 0; i < sizeof(path); i++)
		path[i] = (i % 50 == 0) ? '/' : 'b';
	path[3072] = '\0';
	twrite_ok(&f->dom0, 0, path, "");
	path[3072] = 'b';
	path[3073] = '\0';
	assert_xs_error(twrite(&f->dom0, 0, path, ""), "EINVAL");
	assert_xs_error(tcall(&f->dom0, XS_WATCH, 0, path, "t", NULL), "EINVAL");
}

static void short_paths(struct hv_xs_config *cfg)
{
	cfg->max_rel_path = 8;
	cfg->max_abs_path = 32;
}

static void test_xs_quota_path_limits_are_configurable(void **state)
{
	struct fixture *f = *state;

	restart_with(f, short_paths);
	twrite_ok(&f->guest, 0, "12345678", "");
	assert_xs_error(twrite(&f->guest, 0, "123456789", ""), "EINVAL");
	twrite_ok(&f->dom0, 0, "/abcdefghijklmnopqrstuvwxyz01234", ""); /* 32 */
	assert_xs_error(twrite(&f->dom0, 0, "/abcdefghijklmnopqrstuvwxyz012345", ""), "EINVAL");
}

static void small_txns(struct hv_xs_config *cfg)
{
	cfg->max_txn_ops = 3;
	cfg->max_txn_reads = 5;
}

static void test_xs_quota_transaction_changes_are_bounded(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	restart_with(f, small_txns);
	twrite_ok(&f->guest, 0, "k", "");
	t = ttxn_start(&f->guest);
	for (int i = 0; i < 3; i++)
		twrite_ok(&f->guest, t, "k", "again");
	assert_xs_error(twrite(&f->guest, t, "k", "one more"), "ENOSPC");
	assert_ok(tcall(&f->guest, XS_TRANSACTION_END, t, "T", NULL), XS_TRANSACTION_END);
	assert_string_equal(tread_ok(&f->guest, 0, "k"), "again"); /* the 3 that fit */
}

static void test_xs_quota_transaction_reads_are_bounded(void **state)
{
	struct fixture *f = *state;
	char path[16];
	uint32_t t;

	restart_with(f, small_txns);
	t = ttxn_start(&f->guest);
	/* 5 nodes looked at: r0..r3, and the home directory (to tell ENOENT from EACCES). */
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "r%d", i);
		assert_xs_error(tcall(&f->guest, XS_READ, t, path, NULL), "ENOENT");
	}
	/* The next distinct node dooms the transaction. */
	assert_xs_error(tcall(&f->guest, XS_READ, t, "r4", NULL), "ENOSPC");
	assert_xs_error(tcall(&f->guest, XS_READ, t, "r0", NULL), "ENOSPC");
	assert_xs_error(tcall(&f->guest, XS_TRANSACTION_END, t, "T", NULL), "ENOSPC");
	/* dom0's transactions are not bounded. */
	t = ttxn_start(&f->dom0);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/d%d", i);
		twrite_ok(&f->dom0, t, path, "");
	}
	assert_ok(tcall(&f->dom0, XS_TRANSACTION_END, t, "T", NULL), XS_TRANSACTION_END);
}

static void unlimited(struct hv_xs_config *cfg)
{
	cfg->max_nodes_per_domain = 0;
	cfg->max_watches = 0;
	cfg->max_transactions = 0;
}

static void test_xs_quota_zero_means_unlimited(void **state)
{
	struct fixture *f = *state;
	char token[16];

	restart_with(f, unlimited);
	for (int i = 0; i < 150; i++) {
		snprintf(token, sizeof(token), "t%d", i);
		twatch_ok(&f->guest, "data", token);
	}
	for (int i = 0; i < 15; i++)
		ttxn_start(&f->guest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_quota_defaults_match_c_xenstored),
		T(test_xs_quota_nodes_per_domain_stops_at_1000),
		T(test_xs_quota_nodes_per_domain_is_configurable),
		T(test_xs_quota_nodes_per_domain_counts_transactions_at_commit),
		T(test_xs_quota_dom0_is_not_limited),
		T(test_xs_quota_watches_stop_at_128),
		T(test_xs_quota_transactions_stop_at_10),
		T(test_xs_quota_node_data_stops_at_2048_bytes),
		T(test_xs_quota_node_data_is_configurable),
		T(test_xs_quota_perms_stop_at_5_entries),
		T(test_xs_quota_relative_path_stops_at_2048),
		T(test_xs_quota_absolute_path_stops_at_3072),
		T(test_xs_quota_path_limits_are_configurable),
		T(test_xs_quota_transaction_changes_are_bounded),
		T(test_xs_quota_transaction_reads_are_bounded),
		T(test_xs_quota_zero_means_unlimited),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
