/* SPDX-License-Identifier: BSD-2-Clause */
/* hv_blkback_mark and hv_blkback_rewind as fuzz_blkback uses them: a
 * connected backend marked, changed through its real paths (requests on
 * its ring, the frontend's state in the store), rewound with the machine,
 * the store and the ring page put back, is the backend it was: a fresh
 * mark is the same and it answers as before. Sleep, wake and forget: a
 * backend asleep hears nothing of the store, awake it follows it again. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "blkfront_fake.h"
#include "model_snapshot.h"

static struct fake f;
static struct hv_blkback_mark *mark;
static struct model_snapshot *model;
static struct hv_xs_snapshot *store;
static uint8_t ring[4096];

/* A connected backend with persistent grants, one grant kept, marked
 * with the machine, the store and its ring page. */
static int setup(void **state)
{
	struct blkif_request r;

	(void)state;
	if (fk_machine(&f) || fk_backend(&f))
		return -1;
	fk_write(&f, "feature-persistent", "1");
	if (!fk_connect(&f, 1, 0))
		return -1;
	r = fk_rw(&f, BLKIF_OP_READ, 1, 0, 1, 0);
	if (fk_one(&f, &r, sizeof(r)) != BLKIF_RSP_OKAY)
		return -1;
	mark = hv_blkback_mark(f.bb);
	model = model_snapshot_take_state(f.m);
	store = hv_xs_snapshot_take(f.xs);
	memcpy(ring, f.q[0].ring, sizeof(ring));
	return mark && model && store ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	hv_blkback_mark_free(mark);
	hv_xs_snapshot_free(f.xs, store);
	model_snapshot_free(model);
	fk_free(&f);
	return 0;
}

/* The backend and what the caller keeps, back to the mark. */
static void rewind_all(struct fk_queue *q0)
{
	assert_int_equal(hv_blkback_rewind(f.bb, mark), 0);
	assert_true(model_snapshot_restore(model));
	assert_int_equal(hv_xs_snapshot_restore(f.xs, store), 0);
	memcpy(f.q[0].ring, ring, sizeof(ring));
	f.q[0] = *q0;
}

static void assert_as_marked(void)
{
	struct hv_blkback_mark *now = hv_blkback_mark(f.bb);

	assert_non_null(now);
	assert_true(hv_blkback_mark_same(mark, now));
	hv_blkback_mark_free(now);
}

/* A write over two new grants, then a read: both answered OKAY. */
static void two_requests(void)
{
	struct blkif_request r = fk_rw(&f, BLKIF_OP_WRITE, 2, 8, 2, 1);

	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	r = fk_rw(&f, BLKIF_OP_READ, 3, 8, 2, 3);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
}

static void test_mark_rewind_after_requests(void **state)
{
	struct fk_queue q0 = f.q[0];
	struct hv_blkback_stats st, marked;

	(void)state;
	hv_blkback_get_stats(f.bb, &marked);
	two_requests();
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.requests, marked.requests + 2);
	assert_int_equal(st.persistent_grants, 5);
	rewind_all(&q0);
	assert_as_marked();
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.requests, marked.requests);
	assert_int_equal(st.persistent_grants, 1);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 2);
	/* And it answers as it did from the mark. */
	two_requests();
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.persistent_grants, 5);
}

static void test_mark_rewind_after_close(void **state)
{
	struct fk_queue q0 = f.q[0];
	struct blkif_request r;

	(void)state;
	fk_write(&f, "state", "6");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
	rewind_all(&q0);
	assert_as_marked();
	assert_int_equal(fk_be_state(&f), XenbusStateConnected);
	assert_string_equal(fk_be_read(&f, "state"), "4");
	r = fk_rw(&f, BLKIF_OP_READ, 4, 0, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
}

/* A changed backend is not the marked one: the comparison sees it. */
static void test_mark_same_sees_a_change(void **state)
{
	struct hv_blkback_mark *now;

	(void)state;
	two_requests();
	now = hv_blkback_mark(f.bb);
	assert_non_null(now);
	assert_false(hv_blkback_mark_same(mark, now));
	hv_blkback_mark_free(now);
}

static void test_asleep_hears_nothing_awake_follows(void **state)
{
	struct fk_queue q0 = f.q[0];

	(void)state;
	assert_int_equal(hv_blkback_sleep(f.bb), 0);
	fk_write(&f, "state", "6");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateConnected);
	/* Woken on the store as marked: Connected, and it follows the
	 * frontend again. */
	assert_int_equal(hv_xs_snapshot_restore(f.xs, store), 0);
	assert_int_equal(hv_blkback_wake(f.bb), 0);
	rewind_all(&q0);
	assert_as_marked();
	fk_write(&f, "state", "6");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
}

static void test_forget_a_sleeping_backend(void **state)
{
	(void)state;
	assert_int_equal(hv_blkback_sleep(f.bb), 0);
	/* The machine put back from under it, as with no backend. */
	hv_blkback_forget(f.bb);
	f.bb = NULL;
	/* Nothing of it answers the store any more (a watch left would
	 * call into freed memory here). */
	fk_write(&f, "state", "6");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mark_rewind_after_requests),
		T(test_mark_rewind_after_close),
		T(test_mark_same_sees_a_change),
		T(test_asleep_hears_nothing_awake_follows),
		T(test_forget_a_sleeping_backend),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
