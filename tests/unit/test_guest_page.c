/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest page allocator over a RAM range of the workstation port. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host_port.h"
#include "kern/page.h"

#define RAM_BASE  0x40000000ull
#define RAM_PAGES 200   /* bitmap words: three full, one part */

static struct host_port port;
static void *ram;

static int setup(void **state)
{
	(void)state;
	ram = aligned_alloc(4096, RAM_PAGES * 4096);
	if (!ram)
		return -1;
	memset(ram, 0x5a, RAM_PAGES * 4096);
	port.region[0].gpa = RAM_BASE;
	port.region[0].size = RAM_PAGES * 4096;
	port.region[0].host = ram;
	port.nr_regions = 1;
	host_port_attach(&port);
	return page_alloc_init(RAM_BASE, RAM_BASE + RAM_PAGES * 4096);
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

static void test_page_bitmap_takes_first_page(void **state)
{
	(void)state;
	assert_int_equal(page_total_count(), RAM_PAGES);
	assert_int_equal(page_free_count(), RAM_PAGES - 1);
}

static void test_page_alloc_returns_zeroed_pages_in_ram(void **state)
{
	uint8_t *p = page_alloc(2);

	(void)state;
	assert_non_null(p);
	assert_ptr_equal(p, (uint8_t *)ram + 4096);
	for (unsigned i = 0; i < 2 * 4096; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(page_free_count(), RAM_PAGES - 3);
}

static void test_page_free_makes_pages_reusable(void **state)
{
	void *a = page_alloc(1), *b;

	(void)state;
	page_free(a, 1);
	b = page_alloc(1);
	assert_ptr_equal(a, b);
}

static void test_page_reserve_is_skipped(void **state)
{
	(void)state;
	page_reserve(RAM_BASE + 4096, RAM_BASE + 3 * 4096);
	assert_ptr_equal(page_alloc(1), (uint8_t *)ram + 3 * 4096);
}

static void test_page_exhaustion_returns_null(void **state)
{
	(void)state;
	assert_null(page_alloc(RAM_PAGES));
	assert_null(page_alloc(0));
	assert_non_null(page_alloc(RAM_PAGES - 1));
	assert_null(page_alloc(1));
	assert_int_equal(page_free_count(), 0);
}

static void test_page_contiguous_run_skips_holes(void **state)
{
	void *a = page_alloc(1), *b = page_alloc(1), *c;

	(void)state;
	page_free(a, 1);
	(void)b;
	c = page_alloc(2);
	assert_ptr_equal(c, (uint8_t *)ram + 3 * 4096);
}

/* The first free page is found however pages were freed: below the
 * lowest page handed out, inside a full bitmap word, across words. */
static void test_page_first_fit_after_frees_anywhere(void **state)
{
	uint8_t *page[RAM_PAGES];

	(void)state;
	for (unsigned i = 1; i < 150; i++) {
		page[i] = page_alloc(1);
		assert_ptr_equal(page[i], (uint8_t *)ram + i * 4096);
	}
	page_free(page[100], 1);
	page_free(page[10], 1);
	assert_ptr_equal(page_alloc(1), page[10]);
	assert_ptr_equal(page_alloc(1), page[100]);
	assert_ptr_equal(page_alloc(1), (uint8_t *)ram + 150 * 4096);
	page_free(page[63], 1);
	page_free(page[64], 1);
	page_free(page[70], 1);
	assert_ptr_equal(page_alloc(2), page[63]);
	assert_ptr_equal(page_alloc(2), (uint8_t *)ram + 151 * 4096);
	assert_ptr_equal(page_alloc(1), page[70]);
}

static void test_page_range_too_small_for_bitmap(void **state)
{
	(void)state;
	assert_int_equal(page_alloc_init(RAM_BASE, RAM_BASE + 4096), -1);
	assert_int_equal(page_alloc_init(RAM_BASE + 10, RAM_BASE + 20), -1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_page_bitmap_takes_first_page),
		T(test_page_alloc_returns_zeroed_pages_in_ram),
		T(test_page_free_makes_pages_reusable),
		T(test_page_reserve_is_skipped),
		T(test_page_exhaustion_returns_null),
		T(test_page_contiguous_run_skips_holes),
		T(test_page_first_fit_after_frees_anywhere),
		T(test_page_range_too_small_for_bitmap),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
