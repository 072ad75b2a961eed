/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's block backend against a hostile frontend: each bad request gets
 * BLKIF_RSP_ERROR (or EOPNOTSUPP for an op it does not know) and leaves
 * the image as it was; an impossible producer index breaks the ring, once,
 * without a crash; a frontend that stops taking responses cannot make the
 * backend take more than the ring holds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "blkfront_fake.h"

static struct fake f;

static int setup(void **state)
{
	(void)state;
	if (fk_machine(&f) || fk_backend(&f))
		return -1;
	return fk_connect(&f, 1, 0) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fk_free(&f);
	return 0;
}

struct bad_rw {
	const char *why;
	uint8_t op;
	unsigned nseg;
	uint64_t sector;
	int seg;                      /* segment to spoil, -1 none */
	uint8_t first, last;
};

static const struct bad_rw bad_rws[] = {
	{ "read without segments", BLKIF_OP_READ, 0, 0, -1, 0, 0 },
	{ "write without segments", BLKIF_OP_WRITE, 0, 0, -1, 0, 0 },
	{ "12 direct segments", BLKIF_OP_WRITE, 12, 0, -1, 0, 0 },
	{ "255 direct segments", BLKIF_OP_READ, 255, 0, -1, 0, 0 },
	{ "first after last", BLKIF_OP_WRITE, 2, 0, 1, 5, 4 },
	{ "last beyond the page", BLKIF_OP_WRITE, 1, 0, 0, 0, 8 },
	{ "first and last beyond the page", BLKIF_OP_WRITE, 1, 0, 0, 200, 255 },
	{ "past the end", BLKIF_OP_WRITE, 1, 2048, -1, 0, 0 },
	{ "straddles the end", BLKIF_OP_WRITE, 2, 2040, -1, 0, 0 },
	{ "read past the end", BLKIF_OP_READ, 1, 2041, -1, 0, 0 },
	{ "huge sector", BLKIF_OP_WRITE, 1, 1ull << 60, -1, 0, 0 },
	{ "sector that wraps", BLKIF_OP_WRITE, 1, ~0ull - 3, -1, 0, 0 },
	{ "flush with segments", BLKIF_OP_FLUSH_DISKCACHE, 1, 0, -1, 0, 0 },
};

static void test_blkback_bad_requests_get_error_and_write_nothing(
	void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_rws) / sizeof(bad_rws[0]); i++) {
		const struct bad_rw *b = &bad_rws[i];
		struct blkif_request r = fk_rw(&f, b->op, i, b->sector,
					       b->nseg, 0);

		if (b->nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			r.nr_segments = (uint8_t)b->nseg;
		if (b->seg >= 0) {
			r.seg[b->seg].first_sect = b->first;
			r.seg[b->seg].last_sect = b->last;
		}
		for (unsigned p = 0; p < 11; p++)
			memset(fk_data(&f, p), 0xC3, 4096);
		print_message("%s\n", b->why);
		assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
		assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
	}
}

static void test_blkback_unknown_ops_are_eopnotsupp(void **state)
{
	static const uint8_t ops[] = { BLKIF_OP_RESERVED_1, 7, 8, 0x80, 255 };

	(void)state;
	for (size_t i = 0; i < sizeof(ops); i++) {
		struct blkif_request r = fk_rw(&f, ops[i], i, 0, 1, 0);

		assert_int_equal(fk_one(&f, &r, sizeof(r)),
				 BLKIF_RSP_EOPNOTSUPP);
	}
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_write_from_ungranted_page_is_refused(void **state)
{
	struct blkif_request r;

	(void)state;
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 3, 0);
	r.seg[2].gref = 2000;            /* never granted */
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	r = fk_rw(&f, BLKIF_OP_WRITE, 2, 0, 1, 0);
	r.seg[0].gref = 0xFFFFFFFFu;     /* beyond the table */
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	/* Granted to another domain. */
	r = fk_rw(&f, BLKIF_OP_WRITE, 3, 0, 1, 0);
	ut_grant(f.guest, r.seg[0].gref, 5, ut_ram_gfn(f.guest, 200), false);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_read_into_readonly_grant_is_refused(void **state)
{
	struct blkif_request r;

	(void)state;
	r = fk_rw(&f, BLKIF_OP_READ, 1, 0, 2, 0);
	fk_grant(&f, r.seg[1].gref, FK_DATA_PAGE + 1, true);
	memset(fk_data(&f, 1), 0x3C, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	assert_int_equal(fk_data(&f, 1)[0], 0x3C);
	/* The backend only reads a write's pages: read-only is enough. */
	r = fk_rw(&f, BLKIF_OP_WRITE, 2, 0, 1, 0);
	fk_grant(&f, r.seg[0].gref, FK_DATA_PAGE, true);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	/* No grant stays mapped once the requests are answered. */
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 1);
}

struct bad_indirect {
	const char *why;
	uint8_t indirect_op;
	unsigned nseg;
	grant_ref_t ind_ref;          /* 0: the good one */
	bool bad_seg;
};

static const struct bad_indirect bad_indirects[] = {
	{ "no segments", BLKIF_OP_WRITE, 0, 0, false },
	{ "more segments than offered", BLKIF_OP_WRITE, 257, 0, false },
	{ "65535 segments", BLKIF_OP_READ, 65535, 0, false },
	{ "indirect flush", BLKIF_OP_FLUSH_DISKCACHE, 4, 0, false },
	{ "indirect indirect", BLKIF_OP_INDIRECT, 4, 0, false },
	{ "ungranted indirect page", BLKIF_OP_WRITE, 4, 3000, false },
	{ "bad segment in the page", BLKIF_OP_WRITE, 4, 0, true },
};

static void test_blkback_bad_indirect_requests_get_error(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_indirects) / sizeof(bad_indirects[0]);
	     i++) {
		const struct bad_indirect *b = &bad_indirects[i];
		struct blkif_request_indirect r;
		struct blkif_request_segment *seg =
			(void *)ut_ram_page(f.guest, FK_IND_PAGE);

		memset(&r, 0, sizeof(r));
		r.operation = BLKIF_OP_INDIRECT;
		r.indirect_op = b->indirect_op;
		r.nr_segments = (uint16_t)b->nseg;
		r.id = i;
		fk_grant(&f, FK_IND_REF, FK_IND_PAGE, true);
		r.indirect_grefs[0] = b->ind_ref ? b->ind_ref : FK_IND_REF;
		for (unsigned s = 0; s < 8; s++) {
			fk_grant(&f, FK_DATA_REF + s, FK_DATA_PAGE + s, false);
			seg[s].gref = FK_DATA_REF + s;
			seg[s].first_sect = 0;
			seg[s].last_sect = b->bad_seg && s == 3 ? 9 : 7;
		}
		print_message("%s\n", b->why);
		assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
		assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
	}
}

static void test_blkback_discard_out_of_range_is_refused(void **state)
{
	struct blkif_request_discard d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.operation = BLKIF_OP_DISCARD;
	d.sector_number = 2000;
	d.nr_sectors = 100;
	assert_int_equal(fk_one(&f, &d, sizeof(d)), BLKIF_RSP_ERROR);
	d.sector_number = 1;
	d.nr_sectors = ~0ull;
	assert_int_equal(fk_one(&f, &d, sizeof(d)), BLKIF_RSP_ERROR);
	d.sector_number = ~0ull;
	d.nr_sectors = 2;
	assert_int_equal(fk_one(&f, &d, sizeof(d)), BLKIF_RSP_ERROR);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_prod_overflow_breaks_the_ring(void **state)
{
	struct blkif_sring *sring = (void *)f.q[0].ring;
	struct blkif_response rsp[4];
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 1, 0);
	fk_put(&f, 0, &r, sizeof(r));
	/* 33 requests claimed on a 32-slot ring. */
	sring->req_prod = 33;
	ut_send(f.guest, f.q[0].port);
	fk_settle(&f);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.broken_rings, 1);
	assert_int_equal(st.requests, 0);
	assert_int_equal(fk_responses(&f, 0, rsp, 4), 0);
	/* Broken stays broken: nothing more is taken, nothing logged twice. */
	sring->req_prod = 1;
	ut_send(f.guest, f.q[0].port);
	fk_settle(&f);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.broken_rings, 1);
	assert_int_equal(st.requests, 0);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_prod_far_ahead_breaks_the_ring(void **state)
{
	struct blkif_sring *sring = (void *)f.q[0].ring;
	struct hv_blkback_stats st;

	(void)state;
	sring->req_prod = 0x80000000u;
	ut_send(f.guest, f.q[0].port);
	fk_settle(&f);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.broken_rings, 1);
	assert_int_equal(st.requests, 0);
}

static void test_blkback_full_response_ring_stops_taking(void **state)
{
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	for (unsigned i = 0; i < 32; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, i, 0, 1, 0);
		fk_put(&f, 0, &r, sizeof(r));
	}
	fk_push(&f, 0);
	/* dom0 runs, but no virtual time passes: nothing completes. */
	hv_blkback_run(f.bb);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.requests, 32);
	assert_int_equal(st.in_flight, 32);
	/* The frontend writes 8 more over slots whose responses it owes. */
	for (unsigned i = 0; i < 8; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, 100 + i, 0, 1, 0);
		fk_put(&f, 0, &r, sizeof(r));
	}
	fk_push(&f, 0);
	hv_blkback_run(f.bb);
	hv_blkback_run(f.bb);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.requests, 32);
	assert_int_equal(st.max_in_flight, 32);
	/* Completions make room; the rest is then taken, never more than
	 * the ring at once. */
	fk_settle(&f);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.requests, 40);
	assert_int_equal(st.responses, 40);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.max_in_flight, 32);
	assert_int_equal(st.broken_rings, 0);
}

static void test_blkback_guest_rewriting_a_taken_request_changes_nothing(
	void **state)
{
	struct blkif_request r;
	union blkif_sring_entry *slot;
	uint8_t img[4096];

	(void)state;
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 1, 0);
	memset(fk_data(&f, 0), 0x42, 4096);
	fk_put(&f, 0, &r, sizeof(r));
	fk_push(&f, 0);
	hv_blkback_run(f.bb);
	/* Taken: the slot and the data page are the guest's again. */
	slot = fk_slot(&f, 0, 0);
	slot->req.sector_number = 1000;
	slot->req.seg[0].gref = 7777;
	memset(fk_data(&f, 0), 0x24, 4096);
	fk_settle(&f);
	fk_image(&f, img, 0, sizeof(img));
	assert_int_equal(img[0], 0x42);
	assert_int_equal(img[4095], 0x42);
	assert_true(fk_image_untouched(&f, 4096, FK_IMAGE_BYTES - 4096));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blkback_bad_requests_get_error_and_write_nothing),
		T(test_blkback_unknown_ops_are_eopnotsupp),
		T(test_blkback_write_from_ungranted_page_is_refused),
		T(test_blkback_read_into_readonly_grant_is_refused),
		T(test_blkback_bad_indirect_requests_get_error),
		T(test_blkback_discard_out_of_range_is_refused),
		T(test_blkback_prod_overflow_breaks_the_ring),
		T(test_blkback_prod_far_ahead_breaks_the_ring),
		T(test_blkback_full_response_ring_stops_taking),
		T(test_blkback_guest_rewriting_a_taken_request_changes_nothing),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
