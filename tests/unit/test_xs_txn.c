/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transactions: snapshot isolation, commit, abort, EAGAIN on conflict by
 * generation, and that aborted or failed transactions leave nothing.
 */
#include "test_xs_helpers.h"

#include <stdio.h>

struct fixture {
	struct hv_xs *xs;
	struct tpeer a, b;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->xs = txs_new();
	tpeer_init(&f->a, f->xs, 0);
	tpeer_init(&f->b, f->xs, 0);
	twrite_ok(&f->a, 0, "/t/x", "1");
	twrite_ok(&f->a, 0, "/t/y", "1");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->a);
	tpeer_fini(&f->b);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

static const struct tmsg *tend(struct tpeer *p, uint32_t tx, const char *how)
{
	return tcall(p, XS_TRANSACTION_END, tx, how, NULL);
}

static void test_xs_txn_start_returns_distinct_nonzero_ids(void **state)
{
	struct fixture *f = *state;
	uint32_t t1 = ttxn_start(&f->a), t2 = ttxn_start(&f->a);

	assert_int_not_equal(t1, 0);
	assert_int_not_equal(t2, 0);
	assert_int_not_equal(t1, t2);
}

static void test_xs_txn_reads_its_own_writes(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	twrite_ok(&f->a, t, "/t/x", "2");
	twrite_ok(&f->a, t, "/t/new/deep", "3");
	assert_string_equal(tread_ok(&f->a, t, "/t/x"), "2");
	assert_string_equal(tread_ok(&f->a, t, "/t/new/deep"), "3");
}

static void test_xs_txn_writes_are_invisible_until_commit(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	twrite_ok(&f->a, t, "/t/x", "2");
	assert_string_equal(tread_ok(&f->b, 0, "/t/x"), "1");
	assert_string_equal(tread_ok(&f->a, 0, "/t/x"), "1");
	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
	assert_string_equal(tread_ok(&f->b, 0, "/t/x"), "2");
}

static void test_xs_txn_sees_snapshot_not_later_changes(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	twrite_ok(&f->b, 0, "/t/y", "changed");
	twrite_ok(&f->b, 0, "/t/added", "z");
	assert_string_equal(tread_ok(&f->a, t, "/t/y"), "1");
	assert_xs_error(tcall(&f->a, XS_READ, t, "/t/added", NULL), "ENOENT");
}

static void test_xs_txn_abort_leaves_nothing_behind(void **state)
{
	struct fixture *f = *state;
	size_t nodes = hv_xs_live_nodes(f->xs);
	uint32_t t = ttxn_start(&f->a);

	twrite_ok(&f->a, t, "/t/x", "2");
	twrite_ok(&f->a, t, "/t/a/b/c", "3");
	assert_ok(tcall(&f->a, XS_RM, t, "/t/y", NULL), XS_RM);
	assert_ok(tend(&f->a, t, "F"), XS_TRANSACTION_END);
	assert_string_equal(tread_ok(&f->a, 0, "/t/x"), "1");
	assert_string_equal(tread_ok(&f->a, 0, "/t/y"), "1");
	assert_xs_error(tcall(&f->a, XS_READ, 0, "/t/a", NULL), "ENOENT");
	assert_int_equal(hv_xs_live_nodes(f->xs), nodes);
	assert_xs_error(tend(&f->a, t, "T"), "ENOENT"); /* the id is gone */
}

static void test_xs_txn_end_returns_eagain_on_conflict(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_string_equal(tread_ok(&f->a, t, "/t/x"), "1");
	twrite_ok(&f->b, 0, "/t/x", "other");
	twrite_ok(&f->a, t, "/t/x", "mine");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_string_equal(tread_ok(&f->a, 0, "/t/x"), "other");
}

static void test_xs_txn_end_returns_eagain_when_read_node_changed(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_string_equal(tread_ok(&f->a, t, "/t/y"), "1");
	twrite_ok(&f->a, t, "/t/x", "from-y");
	twrite_ok(&f->b, 0, "/t/y", "other");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_string_equal(tread_ok(&f->a, 0, "/t/x"), "1");
}

static void test_xs_txn_end_returns_eagain_when_read_missing_node_appears(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_xs_error(tcall(&f->a, XS_READ, t, "/t/lock", NULL), "ENOENT");
	twrite_ok(&f->a, t, "/t/lock", "a");
	twrite_ok(&f->b, 0, "/t/lock", "b");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_string_equal(tread_ok(&f->a, 0, "/t/lock"), "b");
}

static void test_xs_txn_end_returns_eagain_when_listed_directory_changed(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_ok(tcall(&f->a, XS_DIRECTORY, t, "/t", NULL), XS_DIRECTORY);
	twrite_ok(&f->b, 0, "/t/sibling", "");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
}

static void test_xs_txn_rm_conflicts_with_new_grandchild(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	twrite_ok(&f->a, 0, "/t/sub/leaf", "");
	t = ttxn_start(&f->a);
	assert_ok(tcall(&f->a, XS_RM, t, "/t/sub", NULL), XS_RM);
	twrite_ok(&f->b, 0, "/t/sub/leaf/new", "");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_string_equal(tread_ok(&f->a, 0, "/t/sub/leaf/new"), "");
}

static void test_xs_txn_commits_when_only_unrelated_nodes_changed(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_string_equal(tread_ok(&f->a, t, "/t/x"), "1");
	twrite_ok(&f->a, t, "/t/x", "2");
	twrite_ok(&f->b, 0, "/t/y", "unrelated");
	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
	assert_string_equal(tread_ok(&f->a, 0, "/t/x"), "2");
	assert_string_equal(tread_ok(&f->a, 0, "/t/y"), "unrelated");
}

static void test_xs_txn_empty_commit_succeeds(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
}

static void test_xs_txn_failed_commit_leaves_nothing_behind(void **state)
{
	struct fixture *f = *state;
	size_t nodes;
	uint32_t t = ttxn_start(&f->a);

	tread_ok(&f->a, t, "/t/x");
	twrite_ok(&f->a, t, "/t/fresh/a", "1");
	twrite_ok(&f->b, 0, "/t/x", "other");
	nodes = hv_xs_live_nodes(f->xs);
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_xs_error(tcall(&f->a, XS_READ, 0, "/t/fresh", NULL), "ENOENT");
	assert_true(hv_xs_live_nodes(f->xs) < nodes); /* the snapshot's copies are gone */
	assert_ok(tcall(&f->a, XS_RM, 0, "/t", NULL), XS_RM);
	assert_int_equal(hv_xs_live_nodes(f->xs), 1); /* only / is left */
}

static void test_xs_txn_watch_fires_only_on_commit(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	twatch_ok(&f->b, "/t", "w");
	t = ttxn_start(&f->a);
	twrite_ok(&f->a, t, "/t/x", "2");
	assert_int_equal(tevents_pending(&f->b), 0);
	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
	tevent_expect(&f->b, "/t/x", "w");
	assert_int_equal(tevents_pending(&f->b), 0);
}

static void test_xs_txn_aborted_or_conflicting_fires_no_watch(void **state)
{
	struct fixture *f = *state;
	uint32_t t;

	twatch_ok(&f->b, "/t/y", "w");
	t = ttxn_start(&f->a);
	twrite_ok(&f->a, t, "/t/y", "2");
	assert_ok(tend(&f->a, t, "F"), XS_TRANSACTION_END);
	t = ttxn_start(&f->a);
	tread_ok(&f->a, t, "/t/x");
	twrite_ok(&f->a, t, "/t/y", "3");
	twrite_ok(&f->a, 0, "/t/x", "conflict");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	assert_int_equal(tevents_pending(&f->b), 0);
}

static void test_xs_txn_unknown_id_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tcall(&f->a, XS_READ, 4242, "/t/x", NULL), "ENOENT");
	assert_xs_error(tend(&f->a, 4242, "T"), "ENOENT");
}

static void test_xs_txn_end_without_transaction_returns_enoent(void **state)
{
	struct fixture *f = *state;

	assert_xs_error(tend(&f->a, 0, "T"), "ENOENT");
}

static void test_xs_txn_is_private_to_its_connection(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_xs_error(tcall(&f->b, XS_READ, t, "/t/x", NULL), "ENOENT");
}

static void test_xs_txn_start_inside_transaction_returns_ebusy(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_xs_error(tcall(&f->a, XS_TRANSACTION_START, t, "", NULL), "EBUSY");
}

static void test_xs_txn_end_argument_must_be_t_or_f(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_xs_error(tend(&f->a, t, "yes"), "EINVAL");
	assert_xs_error(traw(&f->a, XS_TRANSACTION_END, t, "T", 1), "EINVAL"); /* no nul */
	assert_xs_error(tcall(&f->a, XS_TRANSACTION_END, t, "T", "F", NULL), "EINVAL");
	assert_ok(tend(&f->a, t, "F"), XS_TRANSACTION_END); /* still open after bad ENDs */
}

static void test_xs_txn_freed_with_connection(void **state)
{
	struct fixture *f = *state;
	size_t nodes = hv_xs_live_nodes(f->xs);
	struct tpeer p;
	uint32_t t;

	tpeer_init(&p, f->xs, 0);
	t = ttxn_start(&p);
	twrite_ok(&p, t, "/t/gone/with/conn", "x");
	assert_true(hv_xs_live_nodes(f->xs) > nodes);
	tpeer_fini(&p);
	assert_int_equal(hv_xs_live_nodes(f->xs), nodes);
}

static void test_xs_txn_reset_watches_drops_transactions(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	assert_ok(tcall(&f->a, XS_RESET_WATCHES, 0, "", NULL), XS_RESET_WATCHES);
	assert_xs_error(tend(&f->a, t, "T"), "ENOENT");
}

static void test_xs_txn_set_perms_and_mkdir_commit(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);
	const struct tmsg *r;

	assert_ok(tcall(&f->a, XS_MKDIR, t, "/t/dir", NULL), XS_MKDIR);
	assert_ok(tcall(&f->a, XS_SET_PERMS, t, "/t/dir", "r5", NULL), XS_SET_PERMS);
	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
	r = tcall(&f->a, XS_GET_PERMS, 0, "/t/dir", NULL);
	assert_ok(r, XS_GET_PERMS);
	assert_string_equal((const char *)r->payload, "r5");
}

static void test_xs_txn_retry_after_eagain_succeeds(void **state)
{
	struct fixture *f = *state;
	uint32_t t = ttxn_start(&f->a);

	tread_ok(&f->a, t, "/t/x");
	twrite_ok(&f->b, 0, "/t/x", "other");
	assert_xs_error(tend(&f->a, t, "T"), "EAGAIN");
	t = ttxn_start(&f->a);
	assert_string_equal(tread_ok(&f->a, t, "/t/x"), "other");
	twrite_ok(&f->a, t, "/t/x", "mine");
	assert_ok(tend(&f->a, t, "T"), XS_TRANSACTION_END);
	assert_string_equal(tread_ok(&f->b, 0, "/t/x"), "mine");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_txn_start_returns_distinct_nonzero_ids),
		T(test_xs_txn_reads_its_own_writes),
		T(test_xs_txn_writes_are_invisible_until_commit),
		T(test_xs_txn_sees_snapshot_not_later_changes),
		T(test_xs_txn_abort_leaves_nothing_behind),
		T(test_xs_txn_end_returns_eagain_on_conflict),
		T(test_xs_txn_end_returns_eagain_when_read_node_changed),
		T(test_xs_txn_end_returns_eagain_when_read_missing_node_appears),
		T(test_xs_txn_end_returns_eagain_when_listed_directory_changed),
		T(test_xs_txn_rm_conflicts_with_new_grandchild),
		T(test_xs_txn_commits_when_only_unrelated_nodes_changed),
		T(test_xs_txn_empty_commit_succeeds),
		T(test_xs_txn_failed_commit_leaves_nothing_behind),
		T(test_xs_txn_watch_fires_only_on_commit),
		T(test_xs_txn_aborted_or_conflicting_fires_no_watch),
		T(test_xs_txn_unknown_id_returns_enoent),
		T(test_xs_txn_end_without_transaction_returns_enoent),
		T(test_xs_txn_is_private_to_its_connection),
		T(test_xs_txn_start_inside_transaction_returns_ebusy),
		T(test_xs_txn_end_argument_must_be_t_or_f),
		T(test_xs_txn_freed_with_connection),
		T(test_xs_txn_reset_watches_drops_transactions),
		T(test_xs_txn_set_perms_and_mkdir_commit),
		T(test_xs_txn_retry_after_eagain_succeeds),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
