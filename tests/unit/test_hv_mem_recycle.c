/* SPDX-License-Identifier: BSD-2-Clause */
/* Recycled guest memory (hv_mem_recycle, for xensim run --seeds): a region
 * comes back at the same host address and reads as zero everywhere, as a
 * new one does; only a region of the same name, address and size is
 * reused; a region that had another file's page mapped over one of its
 * own gets its own page back; with recycling off nothing is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "hv/mem.h"

#define BASE   0x40000000ull
#define SIZE   (4ull << 20)
#define PAGES  (SIZE / HV_PAGE_SIZE)

static bool all_zero(const uint8_t *p, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Write to some pages of a fresh region, free it, take it back. */
static void test_recycled_region_same_place_all_zero(void **state)
{
	struct hv_mem mem = { 0 };
	uint8_t *host;

	(void)state;
	hv_mem_recycle(true);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	host = mem.region[0].host;
	memset(host, 0xa5, HV_PAGE_SIZE);                      /* first */
	host[(PAGES / 2) * HV_PAGE_SIZE + 17] = 1;             /* middle */
	host[SIZE - 1] = 0xff;                                 /* last byte */
	hv_mem_free(&mem);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	assert_ptr_equal(mem.region[0].host, host);
	assert_true(all_zero(mem.region[0].host, SIZE));
	hv_mem_free(&mem);
	hv_mem_recycle(false);
}

static void test_recycling_matches_name_address_and_size(void **state)
{
	struct hv_mem mem = { 0 }, other = { 0 };
	uint8_t *host;

	(void)state;
	hv_mem_recycle(true);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	host = mem.region[0].host;
	host[0] = 7;
	hv_mem_free(&mem);
	/* Another size, another address, another name: new memory. */
	assert_int_equal(hv_mem_add_region(&other, "ram0", BASE, SIZE / 2), 0);
	assert_int_equal(hv_mem_add_region(&other, "ram1", BASE + SIZE, SIZE),
			 0);
	assert_int_equal(hv_mem_add_region(&other, "ram0", BASE + 2 * SIZE,
					   SIZE), 0);
	for (unsigned i = 0; i < 3; i++)
		assert_ptr_not_equal(other.region[i].host, host);
	/* The one that matches gets it. */
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	assert_ptr_equal(mem.region[0].host, host);
	assert_int_equal(host[0], 0);
	hv_mem_free(&other);
	hv_mem_free(&mem);
	hv_mem_recycle(false);
}

/* Two regions of the same key, freed in turn: the last freed comes back
 * first, so machines destroyed in the reverse order of their creation get
 * their own memory back. */
static void test_last_freed_comes_back_first(void **state)
{
	struct hv_mem a = { 0 }, b = { 0 };
	uint8_t *ha, *hb;

	(void)state;
	hv_mem_recycle(true);
	assert_int_equal(hv_mem_add_region(&a, "magic", BASE, SIZE), 0);
	assert_int_equal(hv_mem_add_region(&b, "magic", BASE, SIZE), 0);
	ha = a.region[0].host;
	hb = b.region[0].host;
	hv_mem_free(&b);
	hv_mem_free(&a);
	assert_int_equal(hv_mem_add_region(&a, "magic", BASE, SIZE), 0);
	assert_int_equal(hv_mem_add_region(&b, "magic", BASE, SIZE), 0);
	assert_ptr_equal(a.region[0].host, ha);
	assert_ptr_equal(b.region[0].host, hb);
	hv_mem_free(&a);
	hv_mem_free(&b);
	hv_mem_recycle(false);
}

/* A region with another file's page mapped over one of its own comes
 * back with its own page there, zero, and the other file's page keeps its
 * contents. */
static void test_aliased_region_comes_back_its_own(void **state)
{
	struct hv_mem mem = { 0 }, src = { 0 };
	uint64_t gpfn = (BASE >> HV_PAGE_SHIFT) + 3;
	uint8_t *host;

	(void)state;
	hv_mem_recycle(true);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	assert_int_equal(hv_mem_add_region(&src, "src", BASE, SIZE), 0);
	assert_true(mem.region[0].fd >= 0 && src.region[0].fd >= 0);
	host = mem.region[0].host;
	src.region[0].host[0] = 0x42;
	assert_int_equal(hv_mem_alias(&mem, gpfn, &src, BASE >> HV_PAGE_SHIFT),
			 0);
	assert_int_equal(host[3 * HV_PAGE_SIZE], 0x42);
	hv_mem_free(&mem);
	assert_int_equal(src.region[0].host[0], 0x42);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	assert_ptr_equal(mem.region[0].host, host);
	assert_true(all_zero(mem.region[0].host, SIZE));
	/* Its own page: a write there does not reach the other file. */
	host[3 * HV_PAGE_SIZE] = 1;
	assert_int_equal(src.region[0].host[0], 0x42);
	hv_mem_free(&mem);
	hv_mem_free(&src);
	hv_mem_recycle(false);
}

static void test_nothing_kept_with_recycling_off(void **state)
{
	struct hv_mem mem = { 0 };
	uint8_t *host;

	(void)state;
	hv_mem_recycle(false);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	host = mem.region[0].host;
	host[0] = 9;
	hv_mem_free(&mem);
	assert_int_equal(hv_mem_add_region(&mem, "ram0", BASE, SIZE), 0);
	/* Whatever address the host gives, the region is new and zero. */
	assert_int_equal(mem.region[0].host[0], 0);
	hv_mem_free(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recycled_region_same_place_all_zero),
		cmocka_unit_test(test_recycling_matches_name_address_and_size),
		cmocka_unit_test(test_last_freed_comes_back_first),
		cmocka_unit_test(test_aliased_region_comes_back_its_own),
		cmocka_unit_test(test_nothing_kept_with_recycling_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
