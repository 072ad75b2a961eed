/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's freestanding printf, table-driven against expected text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kern/printf.h"

/* Without the format attribute, to feed the formatter malformed input. */
static int raw_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_printf_formats_each_conversion(void **state)
{
	char buf[128];

	(void)state;
#define EXPECT(want, ...)                                   \
	do {                                                \
		ksnprintf(buf, sizeof(buf), __VA_ARGS__);   \
		assert_string_equal(buf, want);             \
	} while (0)
	EXPECT("42", "%d", 42);
	EXPECT("-42", "%i", -42);
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT("ff", "%x", 255u);
	EXPECT("FF", "%X", 255u);
	EXPECT("0x1f", "%#x", 31u);
	EXPECT("0x40000000", "%#llx", 0x40000000ull);
	EXPECT("0x10", "%p", (void *)16);
	EXPECT("00042", "%05d", 42);
	EXPECT("   42", "%5u", 42u);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("abc", "%s", "abc");
	EXPECT("ab", "%.2s", "abc");
	EXPECT("ab", "%.*s", 2, "abcdef");
	EXPECT("  ab", "%4s", "ab");
	raw_format(buf, sizeof(buf), "%s", (char *)NULL);
	assert_string_equal(buf, "(null)");
	EXPECT("c", "%c", 'c');
	EXPECT("100%", "%d%%", 100);
	EXPECT("12345", "%zu", (size_t)12345);
	raw_format(buf, sizeof(buf), "%q");
	assert_string_equal(buf, "%q");
#undef EXPECT
}

static void test_printf_never_writes_past_size(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	n = ksnprintf(buf, 4, "%s", "abcdef");
	assert_int_equal(n, 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(buf[4], 'x');
	n = ksnprintf(buf, 0, "%d", 123);
	assert_int_equal(n, 3);
	assert_int_equal(buf[0], 'a');
}

static void test_printf_trailing_percent_stops(void **state)
{
	char buf[16];

	(void)state;
	raw_format(buf, sizeof(buf), "ab%");
	assert_string_equal(buf, "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_formats_each_conversion),
		cmocka_unit_test(test_printf_never_writes_past_size),
		cmocka_unit_test(test_printf_trailing_percent_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
