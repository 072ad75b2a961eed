/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's block backend against a scripted frontend: every operation and
 * status, each feature on and off, 512- and 4096-byte sectors, multi-page
 * rings, several queues and indirect requests, the image checked byte for
 * byte after each. */
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
	return fk_machine(&f);
}

static int teardown(void **state)
{
	(void)state;
	fk_free(&f);
	return 0;
}

static void connect_default(void)
{
	assert_int_equal(fk_backend(&f), 0);
	assert_true(fk_connect(&f, 1, -1));
}

static void test_blkback_read_returns_image_bytes(void **state)
{
	struct blkif_request r;

	(void)state;
	connect_default();
	r = fk_rw(&f, BLKIF_OP_READ, 7, 24, 2, 0);
	r.seg[1].first_sect = 2;         /* 512 bytes at offset 1024 */
	r.seg[1].last_sect = 2;
	memset(fk_data(&f, 0), 0xAA, 4096);
	memset(fk_data(&f, 1), 0xAA, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(fk_data(&f, 0)[i], fk_pattern(24 * 512 + i));
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(fk_data(&f, 1)[1024 + i],
				 fk_pattern(24 * 512 + 4096 + i));
	/* Only the sectors the segment named were written. */
	assert_int_equal(fk_data(&f, 1)[1023], 0xAA);
	assert_int_equal(fk_data(&f, 1)[1536], 0xAA);
}

static void test_blkback_write_changes_exactly_its_sectors(void **state)
{
	struct blkif_request r;
	uint8_t img[3 * 4096];

	(void)state;
	connect_default();
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 100, 3, 0);
	r.seg[0].first_sect = 7;         /* 512 + 4096 + 1024 bytes */
	r.seg[2].last_sect = 1;
	memset(fk_data(&f, 0), 0x11, 4096);
	memset(fk_data(&f, 1), 0x22, 4096);
	memset(fk_data(&f, 2), 0x33, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	fk_image(&f, img, 100 * 512, sizeof(img));
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(img[i], 0x11);
	for (unsigned i = 512; i < 512 + 4096; i++)
		assert_int_equal(img[i], 0x22);
	for (unsigned i = 512 + 4096; i < 512 + 4096 + 1024; i++)
		assert_int_equal(img[i], 0x33);
	assert_true(fk_image_untouched(&f, 0, 100 * 512));
	assert_true(fk_image_untouched(&f, 100 * 512 + 5632,
				       FK_IMAGE_BYTES - 100 * 512 - 5632));
}

static void test_blkback_flush_is_okay(void **state)
{
	struct blkif_request r;

	(void)state;
	connect_default();
	r = fk_rw(&f, BLKIF_OP_FLUSH_DISKCACHE, 3, 0, 0, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "1");
}

static void test_blkback_response_echoes_id_and_operation(void **state)
{
	struct blkif_request r;
	struct blkif_response rsp[2];

	(void)state;
	connect_default();
	r = fk_rw(&f, BLKIF_OP_READ, 0x1122334455667788ull, 0, 1, 0);
	fk_put(&f, 0, &r, sizeof(r));
	fk_push(&f, 0);
	fk_settle(&f);
	assert_int_equal(fk_responses(&f, 0, rsp, 2), 1);
	/* Nothing but id, operation and status: the response's padding is
	 * zero, none of the backend's memory leaks through it (XSA-216). */
	{
		const uint8_t *slot = (const uint8_t *)fk_slot(&f, 0, 0);

		assert_int_equal(slot[9], 0);
		for (unsigned i = 12; i < sizeof(struct blkif_response); i++)
			assert_int_equal(slot[i], 0);
	}
	assert_true(rsp[0].id == 0x1122334455667788ull);
	assert_int_equal(rsp[0].operation, BLKIF_OP_READ);
	assert_int_equal(rsp[0].status, BLKIF_RSP_OKAY);
}


static void connect_with(void)
{
	assert_int_equal(fk_backend(&f), 0);
	assert_true(fk_connect(&f, 1, 0));
}

static void test_blkback_flush_off_is_eopnotsupp(void **state)
{
	struct blkif_request r;

	(void)state;
	f.cfg.features.flush = false;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "0");
	r = fk_rw(&f, BLKIF_OP_FLUSH_DISKCACHE, 3, 0, 0, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_EOPNOTSUPP);
}

static void test_blkback_barrier_writes_and_orders(void **state)
{
	struct blkif_request r;
	uint8_t img[4096];

	(void)state;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-barrier"), "1");
	r = fk_rw(&f, BLKIF_OP_WRITE_BARRIER, 1, 16, 1, 0);
	memset(fk_data(&f, 0), 0x5A, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	fk_image(&f, img, 16 * 512, sizeof(img));
	for (unsigned i = 0; i < sizeof(img); i++)
		assert_int_equal(img[i], 0x5A);
	/* A barrier without data is only an ordering point. */
	r = fk_rw(&f, BLKIF_OP_WRITE_BARRIER, 2, 0, 0, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
}

static void test_blkback_barrier_off_is_eopnotsupp_and_writes_nothing(
	void **state)
{
	struct blkif_request r;

	(void)state;
	f.cfg.features.barrier = false;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-barrier"), "0");
	r = fk_rw(&f, BLKIF_OP_WRITE_BARRIER, 1, 16, 1, 0);
	memset(fk_data(&f, 0), 0x5A, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_EOPNOTSUPP);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static int discard(uint64_t sector, uint64_t nr, bool secure)
{
	struct blkif_request_discard d;

	memset(&d, 0, sizeof(d));
	d.operation = BLKIF_OP_DISCARD;
	d.flag = secure ? BLKIF_DISCARD_SECURE : 0;
	d.id = 9;
	d.sector_number = sector;
	d.nr_sectors = nr;
	return fk_one(&f, &d, sizeof(d));
}

static bool image_zero(uint64_t off, uint64_t len)
{
	static uint8_t buf[FK_IMAGE_BYTES];

	fk_image(&f, buf, off, len);
	for (uint64_t i = 0; i < len; i++)
		if (buf[i])
			return false;
	return true;
}

static void test_blkback_discard_zeroes_its_range_only(void **state)
{
	(void)state;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-discard"), "1");
	assert_string_equal(fk_be_read(&f, "discard-granularity"), "512");
	assert_string_equal(fk_be_read(&f, "discard-alignment"), "0");
	assert_string_equal(fk_be_read(&f, "discard-secure"), "1");
	assert_int_equal(discard(10, 20, false), BLKIF_RSP_OKAY);
	assert_true(image_zero(10 * 512, 20 * 512));
	assert_true(fk_image_untouched(&f, 0, 10 * 512));
	assert_true(fk_image_untouched(&f, 30 * 512, FK_IMAGE_BYTES - 30 * 512));
	assert_int_equal(discard(100, 3, true), BLKIF_RSP_OKAY);
	assert_true(image_zero(100 * 512, 3 * 512));
	assert_true(fk_image_untouched(&f, 103 * 512, 512));
}

/* The count of writes and discards sent to the image tells a caller whether
 * the image may have changed: reads, flushes and refused writes leave it. */
static void test_blkback_stats_count_what_may_change_the_image(void **state)
{
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	connect_with();
	r = fk_rw(&f, BLKIF_OP_READ, 1, 0, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	r = fk_rw(&f, BLKIF_OP_FLUSH_DISKCACHE, 2, 0, 0, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	r = fk_rw(&f, BLKIF_OP_WRITE, 3, FK_IMAGE_BYTES / 512, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.image_writes, 0);
	r = fk_rw(&f, BLKIF_OP_WRITE, 4, 8, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_int_equal(discard(10, 20, false), BLKIF_RSP_OKAY);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.image_writes, 2);
}

static void test_blkback_discard_off_is_eopnotsupp(void **state)
{
	(void)state;
	f.cfg.features.discard = false;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-discard"), "0");
	assert_int_equal(discard(10, 20, false), BLKIF_RSP_EOPNOTSUPP);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_secure_discard_off_is_eopnotsupp(void **state)
{
	(void)state;
	f.cfg.features.discard_secure = false;
	connect_with();
	assert_string_equal(fk_be_read(&f, "discard-secure"), "0");
	assert_int_equal(discard(10, 20, true), BLKIF_RSP_EOPNOTSUPP);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
	assert_int_equal(discard(10, 20, false), BLKIF_RSP_OKAY);
}

/* An indirect request over n data pages from first_page, its segments
 * in indirect page 0 (and 1...). */
static struct blkif_request_indirect indirect(uint8_t op, uint64_t sector,
					      unsigned n, unsigned first_page)
{
	struct blkif_request_indirect r;
	struct blkif_request_segment *seg;

	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_INDIRECT;
	r.indirect_op = op;
	r.nr_segments = (uint16_t)n;
	r.id = 77;
	r.sector_number = sector;
	for (unsigned p = 0; p * 512 < n; p++) {
		fk_grant(&f, FK_IND_REF + p, FK_IND_PAGE + p, true);
		r.indirect_grefs[p] = FK_IND_REF + p;
	}
	seg = (void *)ut_ram_page(f.guest, FK_IND_PAGE);
	for (unsigned i = 0; i < n; i++) {
		fk_grant(&f, FK_DATA_REF + first_page + i,
			 FK_DATA_PAGE + first_page + i, false);
		seg[i].gref = FK_DATA_REF + first_page + i;
		seg[i].first_sect = 0;
		seg[i].last_sect = 7;
	}
	return r;
}

static void test_blkback_indirect_read_and_write(void **state)
{
	struct blkif_request_indirect r;

	(void)state;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-max-indirect-segments"),
			    "256");
	r = indirect(BLKIF_OP_READ, 64, 40, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	for (unsigned p = 0; p < 40; p++)
		for (unsigned i = 0; i < 4096; i += 511)
			assert_int_equal(fk_data(&f, p)[i],
					 fk_pattern(64 * 512 + p * 4096 + i));
	r = indirect(BLKIF_OP_WRITE, 8, 20, 40);
	for (unsigned p = 40; p < 60; p++)
		memset(fk_data(&f, p), (int)p, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	for (unsigned p = 0; p < 20; p++) {
		uint8_t img[4096];

		fk_image(&f, img, 8 * 512 + p * 4096ull, sizeof(img));
		assert_int_equal(img[0], 40 + p);
		assert_int_equal(img[4095], 40 + p);
	}
	assert_true(fk_image_untouched(&f, 0, 8 * 512));
	assert_true(fk_image_untouched(&f, 8 * 512 + 20 * 4096, 4096));
}

/* Linux's blkback answers an indirect request with its inner operation
 * (pending_req->operation is indirect_op), and Linux's blkfront takes
 * that: the model answers the same. */
static void test_blkback_indirect_response_carries_inner_operation(void **state)
{
	struct blkif_request_indirect r;
	struct blkif_response rsp[2];

	(void)state;
	connect_with();
	r = indirect(BLKIF_OP_WRITE, 8, 20, 0);
	fk_put(&f, 0, &r, sizeof(r));
	fk_push(&f, 0);
	fk_settle(&f);
	assert_int_equal(fk_responses(&f, 0, rsp, 2), 1);
	assert_true(rsp[0].id == 77);
	assert_int_equal(rsp[0].operation, BLKIF_OP_WRITE);
	assert_int_equal(rsp[0].status, BLKIF_RSP_OKAY);
}

static void test_blkback_indirect_off_is_eopnotsupp(void **state)
{
	struct blkif_request_indirect r;

	(void)state;
	f.cfg.features.max_indirect_segments = 0;
	connect_with();
	assert_string_equal(fk_be_read(&f, "feature-max-indirect-segments"),
			    "");
	r = indirect(BLKIF_OP_WRITE, 8, 20, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_EOPNOTSUPP);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
}

static void test_blkback_4096_sectors(void **state)
{
	struct blkif_request r;

	(void)state;
	f.cfg.features.sector_size = 4096;
	connect_with();
	/* "sectors" counts sector-size units (Xen 4.17's blkif.h). */
	assert_string_equal(fk_be_read(&f, "sectors"), "256");
	assert_string_equal(fk_be_read(&f, "sector-size"), "4096");
	assert_string_equal(fk_be_read(&f, "physical-sector-size"), "4096");
	assert_string_equal(fk_be_read(&f, "discard-granularity"), "4096");
	r = fk_rw(&f, BLKIF_OP_READ, 1, 8, 2, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_int_equal(fk_data(&f, 1)[4095], fk_pattern(8 * 512 + 8191));
	/* Requests still count 512-byte units, 4096-aligned. */
	r = fk_rw(&f, BLKIF_OP_WRITE, 2, 1, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	r = fk_rw(&f, BLKIF_OP_WRITE, 3, 8, 1, 0);
	r.seg[0].last_sect = 3;
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	assert_int_equal(discard(4, 8, false), BLKIF_RSP_ERROR);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
	assert_int_equal(discard(8, 8, false), BLKIF_RSP_OKAY);
	assert_true(image_zero(4096, 4096));
}

static void test_blkback_512_sectors_nodes(void **state)
{
	(void)state;
	f.cfg.features.physical_sector_size = 4096;
	connect_with();
	assert_string_equal(fk_be_read(&f, "sectors"), "2048");
	assert_string_equal(fk_be_read(&f, "sector-size"), "512");
	assert_string_equal(fk_be_read(&f, "physical-sector-size"), "4096");
	assert_string_equal(fk_be_read(&f, "info"), "0");
	assert_string_equal(fk_be_read(&f, "mode"), "w");
}

static void test_blkback_multi_page_ring_takes_more_than_a_page(void **state)
{
	struct blkif_response rsp[128];
	struct hv_blkback_stats st;
	struct blkif_request r;
	unsigned n;

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_string_equal(fk_be_read(&f, "max-ring-page-order"), "4");
	assert_true(fk_connect(&f, 1, 2));
	assert_int_equal(f.q[0].nr_ents, 128);
	for (unsigned i = 0; i < 100; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, i, i * 8, 1, i);
		fk_put(&f, 0, &r, sizeof(r));
	}
	fk_push(&f, 0);
	fk_settle(&f);
	n = fk_responses(&f, 0, rsp, 128);
	assert_int_equal(n, 100);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(rsp[i].status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(fk_data(&f, i)[5], fk_pattern(i * 4096 + 5));
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.ring_page_order, 2);
	assert_int_equal(st.max_in_flight, 100);
}

static void test_blkback_multi_queue_answers_on_each_ring(void **state)
{
	struct blkif_response rsp[4];
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_string_equal(fk_be_read(&f, "multi-queue-max-queues"), "4");
	assert_true(fk_connect(&f, 3, 0));
	r = fk_rw(&f, BLKIF_OP_WRITE, 10, 0, 1, 0);
	memset(fk_data(&f, 0), 0x77, 4096);
	fk_put(&f, 0, &r, sizeof(r));
	fk_push(&f, 0);
	r = fk_rw(&f, BLKIF_OP_READ, 12, 800, 1, 1);
	fk_put(&f, 2, &r, sizeof(r));
	fk_push(&f, 2);
	fk_settle(&f);
	assert_int_equal(fk_responses(&f, 0, rsp, 4), 1);
	assert_true(rsp[0].id == 10 && rsp[0].status == BLKIF_RSP_OKAY);
	assert_int_equal(fk_responses(&f, 1, rsp, 4), 0);
	assert_int_equal(fk_responses(&f, 2, rsp, 4), 1);
	assert_true(rsp[0].id == 12 && rsp[0].status == BLKIF_RSP_OKAY);
	assert_int_equal(fk_data(&f, 1)[0], fk_pattern(800 * 512));
	{
		uint8_t img[4096];

		fk_image(&f, img, 0, sizeof(img));
		assert_int_equal(img[0], 0x77);
		assert_int_equal(img[4095], 0x77);
	}
	assert_true(fk_image_untouched(&f, 4096, 4096));
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.nr_queues, 3);
}

static void test_blkback_persistent_is_negotiated(void **state)
{
	struct hv_blkback_stats st;

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	fk_write(&f, "feature-persistent", "1");
	assert_true(fk_connect(&f, 1, 0));
	/* Written at connect, as negotiated. */
	assert_string_equal(fk_be_read(&f, "feature-persistent"), "1");
	hv_blkback_get_stats(f.bb, &st);
	assert_true(st.persistent);
}

static void test_blkback_persistent_off(void **state)
{
	struct hv_blkback_stats st;

	(void)state;
	f.cfg.features.persistent = false;
	assert_int_equal(fk_backend(&f), 0);
	fk_write(&f, "feature-persistent", "1");
	assert_true(fk_connect(&f, 1, 0));
	assert_string_equal(fk_be_read(&f, "feature-persistent"), "0");
	hv_blkback_get_stats(f.bb, &st);
	assert_false(st.persistent);
}

static void connect_persistent(void)
{
	assert_int_equal(fk_backend(&f), 0);
	fk_write(&f, "feature-persistent", "1");
	assert_true(fk_connect(&f, 1, 0));
}

static void test_blkback_persistent_grants_stay_mapped_until_close(
	void **state)
{
	struct hv_blkback_stats st;
	struct blkif_request r;
	uint8_t img[2 * 4096];

	(void)state;
	connect_persistent();
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 16, 2, 0);
	memset(fk_data(&f, 0), 0x5A, 4096);
	memset(fk_data(&f, 1), 0xA5, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	/* The ring and both data grants, kept after the response. */
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 3);
	fk_image(&f, img, 16 * 512, sizeof(img));
	assert_int_equal(img[0], 0x5A);
	assert_int_equal(img[4096], 0xA5);
	/* The same grants again, now read into: no new mapping. */
	r = fk_rw(&f, BLKIF_OP_READ, 2, 0, 2, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_int_equal(fk_data(&f, 0)[0], fk_pattern(0));
	assert_int_equal(fk_data(&f, 1)[4095], fk_pattern(2 * 4096 - 1));
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 3);
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.persistent_grants, 2);
	/* Closing lets go of all of them before the frontend ends them. */
	fk_write(&f, "state", "6");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
	assert_int_equal(hv_gnttab_violations(f.guest), 0);
}

static void test_blkback_persistent_grants_are_bounded(void **state)
{
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	connect_persistent();
	/* A frontend that never reuses a grant: past the bound, each is
	 * mapped for its request only, and still served. */
	for (unsigned i = 0; i < 1100; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, i, 8, 1, 0);
		r.seg[0].gref = 600 + i;
		fk_grant(&f, 600 + i, FK_DATA_PAGE, false);
		fk_data(&f, 0)[0] = 0;
		assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
		assert_int_equal(fk_data(&f, 0)[0], fk_pattern(8 * 512));
	}
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.persistent_grants, 1056);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 1 + 1056);
}

static void test_blkback_persistent_readonly_grant_serves_writes_only(
	void **state)
{
	struct blkif_request r;

	(void)state;
	connect_persistent();
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 1, 0);
	fk_grant(&f, r.seg[0].gref, FK_DATA_PAGE, true);
	memset(fk_data(&f, 0), 0x33, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	/* Kept read-only: a read into it is still refused. */
	r.operation = BLKIF_OP_READ;
	r.id = 2;
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	assert_int_equal(fk_data(&f, 0)[0], 0x33);
}

/* 16 reads at once; the order their responses came back in. */
static void completion_order(uint64_t seed, uint64_t ids[16])
{
	struct blkif_response rsp[16];
	struct blkif_request r;

	fk_free(&f);
	assert_int_equal(fk_machine(&f), 0);
	f.cfg.seed = seed;
	connect_with();
	for (unsigned i = 0; i < 16; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, i, i * 8, 1, i);
		fk_put(&f, 0, &r, sizeof(r));
	}
	fk_push(&f, 0);
	fk_settle(&f);
	assert_int_equal(fk_responses(&f, 0, rsp, 16), 16);
	for (unsigned i = 0; i < 16; i++)
		ids[i] = rsp[i].id;
}

static void test_blkback_completion_order_follows_the_seed(void **state)
{
	uint64_t a[16], b[16];
	bool reordered = false;

	(void)state;
	completion_order(0, a);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(a[i], i);
	completion_order(7, a);
	completion_order(7, b);
	assert_memory_equal(a, b, sizeof(a));
	for (unsigned i = 0; i < 16; i++)
		reordered |= a[i] != i;
	assert_true(reordered);
}

/* A flush goes to the thread pool behind a discard (both always do); with
 * a seed that gives the flush the shorter latency its response is due
 * while the discard is still in the pool. It must wait for the discard,
 * then run, and answer OKAY: never an error, which a frontend takes for
 * "flush not supported" and turns flushes off. */
static void test_blkback_flush_due_before_the_discard_it_waits_on(
	void **state)
{
	struct blkif_request_discard d;
	struct blkif_response rsp[2];
	struct blkif_request r;

	(void)state;
	for (uint64_t seed = 1; seed <= 24; seed++) {
		fk_free(&f);
		assert_int_equal(fk_machine(&f), 0);
		f.cfg.seed = seed;
		connect_with();
		memset(&d, 0, sizeof(d));
		d.operation = BLKIF_OP_DISCARD;
		d.id = 1;
		d.sector_number = 8;
		d.nr_sectors = 8;
		fk_put(&f, 0, &d, sizeof(d));
		r = fk_rw(&f, BLKIF_OP_FLUSH_DISKCACHE, 2, 0, 0, 0);
		fk_put(&f, 0, &r, sizeof(r));
		fk_push(&f, 0);
		fk_settle(&f);
		assert_int_equal(fk_responses(&f, 0, rsp, 2), 2);
		for (unsigned i = 0; i < 2; i++)
			assert_int_equal(rsp[i].status, BLKIF_RSP_OKAY);
	}
}

static void test_blkback_readonly_refuses_writes(void **state)
{
	struct blkif_request r;

	(void)state;
	f.cfg.readonly = true;
	connect_with();
	assert_string_equal(fk_be_read(&f, "mode"), "r");
	assert_string_equal(fk_be_read(&f, "info"), "4");
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "0");
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 1, 0);
	memset(fk_data(&f, 0), 0x99, 4096);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_ERROR);
	assert_true(fk_image_untouched(&f, 0, FK_IMAGE_BYTES));
	r = fk_rw(&f, BLKIF_OP_READ, 2, 0, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_int_equal(fk_data(&f, 0)[1], fk_pattern(1));
}

static void test_blkback_cdrom_info(void **state)
{
	(void)state;
	f.cfg.cdrom = true;
	connect_with();
	assert_string_equal(fk_be_read(&f, "info"), "7");
	assert_string_equal(fk_be_read(&f, "device-type"), "cdrom");
	assert_string_equal(fk_be_read(&f, "removable"), "1");
}

/* The frontend closes while reads the backend took are still in flight:
 * Linux's blkback answers them on the ring before it lets the ring go,
 * and so does the model. */
static void test_blkback_close_answers_requests_in_flight(void **state)
{
	struct blkif_response rsp[4];
	struct hv_blkback_stats st;
	struct blkif_request r;

	(void)state;
	connect_default();
	for (unsigned i = 0; i < 2; i++) {
		r = fk_rw(&f, BLKIF_OP_READ, 40 + i, 8 * i, 1, i);
		fk_put(&f, 0, &r, sizeof(r));
	}
	fk_push(&f, 0);
	hv_blkback_run(f.bb);           /* taken; virtual time has not moved */
	hv_blkback_get_stats(f.bb, &st);
	assert_int_equal(st.in_flight, 2);
	assert_int_equal(fk_responses(&f, 0, rsp, 4), 0);
	fk_write(&f, "state", "6");     /* Closed */
	hv_blkback_run(f.bb);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(fk_responses(&f, 0, rsp, 4), 2);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(rsp[i].id, 40 + i);
		assert_int_equal(rsp[i].status, BLKIF_RSP_OKAY);
		assert_int_equal(fk_data(&f, i)[0], fk_pattern(8 * i * 512));
	}
}

/* xl block-detach of a disk whose frontend never connected: nothing
 * moves the backend to Closed, so libxl waits its 10 s and then removes
 * the device all the same. */
static void test_blkback_detach_unconnected_waits_libxl_timeout(void **state)
{
	uint64_t t0;

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	t0 = hv_time_now(f.m);
	hv_blkback_detach(f.bb);
	hv_blkback_run(f.bb);
	assert_string_equal(fk_be_read(&f, "online"), "0");
	assert_false(hv_blkback_removed(f.bb));
	hv_time_advance_to(f.m, t0 + HV_BLKBACK_REMOVE_TIMEOUT_NS - 1);
	assert_false(hv_blkback_removed(f.bb));
	hv_time_advance_to(f.m, t0 + HV_BLKBACK_REMOVE_TIMEOUT_NS);
	assert_true(hv_blkback_removed(f.bb));
}

/* A connected frontend follows the detach: the device goes as soon as
 * the backend reaches Closed, long before libxl's timeout. */
static void test_blkback_detach_connected_follows_the_frontend(void **state)
{
	uint64_t t0;

	(void)state;
	connect_default();
	t0 = hv_time_now(f.m);
	hv_blkback_detach(f.bb);
	hv_blkback_run(f.bb);
	assert_false(hv_blkback_removed(f.bb));
	fk_write(&f, "state", "6");
	hv_blkback_run(f.bb);
	assert_true(hv_blkback_removed(f.bb));
	assert_true(hv_time_now(f.m) < t0 + HV_BLKBACK_REMOVE_TIMEOUT_NS);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blkback_read_returns_image_bytes),
		T(test_blkback_write_changes_exactly_its_sectors),
		T(test_blkback_stats_count_what_may_change_the_image),
		T(test_blkback_flush_is_okay),
		T(test_blkback_response_echoes_id_and_operation),
		T(test_blkback_flush_off_is_eopnotsupp),
		T(test_blkback_barrier_writes_and_orders),
		T(test_blkback_barrier_off_is_eopnotsupp_and_writes_nothing),
		T(test_blkback_discard_zeroes_its_range_only),
		T(test_blkback_discard_off_is_eopnotsupp),
		T(test_blkback_secure_discard_off_is_eopnotsupp),
		T(test_blkback_indirect_read_and_write),
		T(test_blkback_indirect_response_carries_inner_operation),
		T(test_blkback_indirect_off_is_eopnotsupp),
		T(test_blkback_4096_sectors),
		T(test_blkback_512_sectors_nodes),
		T(test_blkback_multi_page_ring_takes_more_than_a_page),
		T(test_blkback_multi_queue_answers_on_each_ring),
		T(test_blkback_persistent_is_negotiated),
		T(test_blkback_persistent_off),
		T(test_blkback_persistent_grants_stay_mapped_until_close),
		T(test_blkback_persistent_grants_are_bounded),
		T(test_blkback_persistent_readonly_grant_serves_writes_only),
		T(test_blkback_completion_order_follows_the_seed),
		T(test_blkback_flush_due_before_the_discard_it_waits_on),
		T(test_blkback_readonly_refuses_writes),
		T(test_blkback_cdrom_info),
		T(test_blkback_close_answers_requests_in_flight),
		T(test_blkback_detach_unconnected_waits_libxl_timeout),
		T(test_blkback_detach_connected_follows_the_frontend),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
