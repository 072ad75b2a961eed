/* SPDX-License-Identifier: BSD-2-Clause */
/* The Internet checksum's running sum (net/inet_sum.h) is, to the bit,
 * the sum of the big-endian 16-bit words with an odd last byte as a high
 * half, whatever the buffer's alignment and length, the sum it starts
 * from, and however close the 32-bit sum comes to wrapping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/inet_sum.h"

/* The definition, word by word. */
static uint32_t sum_by_words(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint8_t buf[70000] __attribute__((aligned(64)));

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3 + (i >> 9));
}

static void test_inet_sum_every_alignment_and_length(void **state)
{
	(void)state;
	fill_pattern();
	for (size_t off = 0; off < 9; off++)
		for (size_t len = 0; len < 2100; len++)
			assert_int_equal(inet_sum((uint32_t)len * 977, buf + off, len),
					 sum_by_words((uint32_t)len * 977, buf + off, len));
}

/* Long runs pass the point where a 16-bit lane would carry. */
static void test_inet_sum_long_runs(void **state)
{
	(void)state;
	fill_pattern();
	for (size_t off = 0; off < 9; off += 3)
		for (size_t len = 65000; len < 65600; len += 37)
			assert_int_equal(inet_sum(7, buf + off, len),
					 sum_by_words(7, buf + off, len));
}

static void test_inet_sum_all_ones_wraps_as_words_do(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = 0xff;
	for (size_t off = 0; off < 9; off++)
		assert_int_equal(inet_sum(0xffffffffu, buf + off, 65535),
				 sum_by_words(0xffffffffu, buf + off, 65535));
	assert_int_equal(inet_fold(inet_sum(0, buf, 2)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_sum_every_alignment_and_length),
		cmocka_unit_test(test_inet_sum_long_runs),
		cmocka_unit_test(test_inet_sum_all_ones_wraps_as_words_do),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
