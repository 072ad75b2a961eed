/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's console ring against a backend that writes what it likes:
 * an out_cons or in_prod more than a ring away from our own index is a
 * broken ring (-EIO, nothing copied), our own indexes are never read back
 * from the page, and data wraps around both rings intact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "dev/xencons.h"

static struct xencons_interface page;
static struct xencons_ring ring;

static int setup(void **state)
{
	(void)state;
	memset(&page, 0, sizeof(page));
	xencons_ring_attach(&ring, &page);
	return 0;
}

static void test_put_publishes_bytes_then_index(void **state)
{
	(void)state;
	assert_int_equal(xencons_ring_put(&ring, "hello", 5), 5);
	assert_int_equal(page.out_prod, 5);
	assert_memory_equal(page.out, "hello", 5);
	assert_int_equal(xencons_ring_unsent(&ring), 5);
}

static void test_put_stops_at_a_full_ring(void **state)
{
	char big[3000];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(xencons_ring_put(&ring, big, sizeof(big)), 2048);
	assert_int_equal(xencons_ring_put(&ring, "y", 1), 0);
	page.out_cons = 48;        /* the backend took 48 bytes */
	assert_int_equal(xencons_ring_put(&ring, "0123456789", 10), 10);
	assert_int_equal(page.out_prod, 2058);
	assert_memory_equal(page.out, "0123456789", 10);   /* wrapped */
}

static void test_put_wraps_around_the_end(void **state)
{
	(void)state;
	memset(&page, 0, sizeof(page));
	page.out_prod = page.out_cons = 2045;
	xencons_ring_attach(&ring, &page);
	assert_int_equal(xencons_ring_put(&ring, "abcdef", 6), 6);
	assert_memory_equal(page.out + 2045, "abc", 3);
	assert_memory_equal(page.out, "def", 3);
	assert_int_equal(page.out_prod, 2051);
}

/* out_cons values no honest backend could write after we produced 10. */
static const uint32_t bad_out_cons[] = { 11, 0xfffff000u, 0x80000000u };

static void test_put_refuses_impossible_out_cons(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_out_cons) / sizeof(*bad_out_cons);
	     i++) {
		setup(state);
		assert_int_equal(xencons_ring_put(&ring, "0123456789", 10), 10);
		page.out_cons = bad_out_cons[i];
		assert_int_equal(xencons_ring_put(&ring, "z", 1), -XEN_EIO);
		assert_int_equal(page.out_prod, 10);
		assert_int_equal(xencons_ring_unsent(&ring), 0);
	}
}

static void test_our_out_prod_is_not_read_back(void **state)
{
	(void)state;
	assert_int_equal(xencons_ring_put(&ring, "ab", 2), 2);
	page.out_prod = 1000;      /* the backend scribbles on our index */
	assert_int_equal(xencons_ring_put(&ring, "c", 1), 1);
	assert_int_equal(page.out_prod, 3);
	assert_memory_equal(page.out, "abc", 3);
}

static void test_get_takes_what_was_produced(void **state)
{
	char buf[16];

	(void)state;
	memcpy(page.in, "ls -l\n", 6);
	page.in_prod = 6;
	assert_int_equal(xencons_ring_get(&ring, buf, 4), 4);
	assert_memory_equal(buf, "ls -", 4);
	assert_int_equal(xencons_ring_get(&ring, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "l\n", 2);
	assert_int_equal(page.in_cons, 6);
	assert_int_equal(xencons_ring_get(&ring, buf, sizeof(buf)), 0);
}

static void test_get_wraps_around_the_end(void **state)
{
	char buf[8];

	(void)state;
	page.in_prod = page.in_cons = 0xfffffffeu;
	xencons_ring_attach(&ring, &page);
	page.in[1022] = 'a';
	page.in[1023] = 'b';
	page.in[0] = 'c';
	page.in_prod = 1;          /* the index itself wraps too */
	assert_int_equal(xencons_ring_get(&ring, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(page.in_cons, 1);
}

/* in_prod values more than a ring ahead of our in_cons (0), or behind. */
static const uint32_t bad_in_prod[] = { 1025, 0xffffffffu, 0x7fffffffu };

static void test_get_refuses_impossible_in_prod(void **state)
{
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_in_prod) / sizeof(*bad_in_prod);
	     i++) {
		setup(state);
		memset(buf, 0, sizeof(buf));
		page.in_prod = bad_in_prod[i];
		assert_int_equal(xencons_ring_get(&ring, buf, sizeof(buf)),
				 -XEN_EIO);
		assert_int_equal(page.in_cons, 0);
		assert_int_equal(buf[0], 0);
	}
}

static void test_our_in_cons_is_not_read_back(void **state)
{
	char buf[8];

	(void)state;
	memcpy(page.in, "xyz", 3);
	page.in_prod = 3;
	assert_int_equal(xencons_ring_get(&ring, buf, 1), 1);
	page.in_cons = 0;          /* the backend rewinds our index */
	assert_int_equal(xencons_ring_get(&ring, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "yz", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_put_publishes_bytes_then_index,
				       setup),
		cmocka_unit_test_setup(test_put_stops_at_a_full_ring, setup),
		cmocka_unit_test_setup(test_put_wraps_around_the_end, setup),
		cmocka_unit_test_setup(test_put_refuses_impossible_out_cons,
				       setup),
		cmocka_unit_test_setup(test_our_out_prod_is_not_read_back,
				       setup),
		cmocka_unit_test_setup(test_get_takes_what_was_produced, setup),
		cmocka_unit_test_setup(test_get_wraps_around_the_end, setup),
		cmocka_unit_test_setup(test_get_refuses_impossible_in_prod,
				       setup),
		cmocka_unit_test_setup(test_our_in_cons_is_not_read_back, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
