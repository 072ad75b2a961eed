/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_console_io: lines with Xen's prefixes, reads, and refusals. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "fixture.h"

static long write_str(struct fixture *fx, const char *s)
{
	uint64_t gpa = fx_put(fx, 0x2000, s, strlen(s));

	return fx_hypercall(fx, __HYPERVISOR_console_io, CONSOLEIO_write,
			    strlen(s), gpa);
}

static void test_console_domu_line_gets_prefix(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(write_str(fx, "hello\n"), 0);
	assert_true(fx_has_line(fx, "(d1) hello"));
}

static void test_console_partial_writes_join_into_one_line(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(write_str(fx, "hel"), 0);
	assert_false(fx_has_text(fx, "hel"));
	assert_int_equal(write_str(fx, "lo\nnext"), 0);
	assert_true(fx_has_line(fx, "(d1) hello"));
	assert_false(fx_has_text(fx, "next"));
}

static void test_console_dom0_line_is_unprefixed(void **state)
{
	struct fixture *fx = *state;

	fx->d->domid = 0;
	assert_int_equal(write_str(fx, "from dom0\n"), 0);
	assert_true(fx_has_line(fx, "from dom0"));
	fx->d->domid = 1;
}

static void test_console_drops_control_characters(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(write_str(fx, "a\033[2Jb\r\x7f" "c\n"), 0);
	assert_true(fx_has_line(fx, "(d1) a[2Jbc"));
}

/* Every byte value, and a dropped byte at each offset of a run of
 * printable ones: what is kept, in order, is the same whichever way the
 * model walks the bytes (eight at a time where all are shown). */
static void test_console_keeps_exactly_the_shown_bytes(void **state)
{
	struct fixture *fx = *state;
	char all[256], want[300];
	size_t n = 0, k = 0;

	for (int c = 1; c < 256; c++) {
		if (c == '\n')
			continue;
		all[n++] = (char)c;
		if (c == '\t' || (c >= 0x20 && c != 0x7f &&
				  (c < 0x80 || CHAR_MIN == 0)))
			want[5 + k++] = (char)c;
	}
	all[n] = '\0';
	memcpy(want, "(d1) ", 5);
	want[5 + k] = '\0';
	assert_int_equal(write_str(fx, all), 0);
	assert_int_equal(write_str(fx, "\n"), 0);
	assert_true(fx_has_line(fx, want));
	for (unsigned at = 0; at <= 16; at++) {
		char run[32] = "abcdefghijklmnopq";

		memmove(run + at + 1, run + at, sizeof(run) - at - 1);
		run[at] = at & 1 ? '\x7f' : '\033';
		strcat(run, "\n");
		assert_int_equal(write_str(fx, run), 0);
		assert_true(fx->nr_lines > 0);
		assert_string_equal(fx->line[fx->nr_lines - 1],
				    "(d1) abcdefghijklmnopq");
	}
}

static void test_console_long_line_is_split_not_overflowed(void **state)
{
	struct fixture *fx = *state;
	char big[1000];

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(write_str(fx, big), 0);
	assert_true(fx->nr_lines >= 3);
}

static void test_console_bad_buffer_is_efault(void **state)
{
	struct fixture *fx = *state;
	uint64_t end = fx_gpa((uint64_t)FX_RAM_MIB << 20);

	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 8, 0x10), -XEN_EFAULT);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 32, end - 16),
			 -XEN_EFAULT);
	assert_int_equal(fx->nr_lines, 0);
}

static void test_console_count_is_32_bit(void **state)
{
	struct fixture *fx = *state;
	uint64_t gpa = fx_put(fx, 0x2000, "ok\n", 3);

	/* The upper half of the register is not part of the count. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_write, 0x100000003ull, gpa), 0);
	assert_true(fx_has_line(fx, "(d1) ok"));
}

static void test_console_read_returns_queued_input(void **state)
{
	struct fixture *fx = *state;
	char *buf = fx_ptr(fx, fx_gpa(0x3000));

	hv_machine_console_input(fx->m, "abc", 3);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_read, 2, fx_gpa(0x3000)), 2);
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_read, 8, fx_gpa(0x3000)), 1);
	assert_int_equal(buf[0], 'c');
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_console_io,
				      CONSOLEIO_read, 8, fx_gpa(0x3000)), 0);
}

static void test_console_needs_console_or_privilege(void **state)
{
	struct fixture *fx = *state;

	fx->d->is_console = false;
	assert_int_equal(write_str(fx, "x\n"), -XEN_EPERM);
	fx->d->privileged = true;
	assert_int_equal(write_str(fx, "x\n"), 0);
}

static void test_console_unknown_cmd_is_enosys(void **state)
{
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_console_io, 7, 0, 0),
			 -XEN_ENOSYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_console_domu_line_gets_prefix),
		FX_TEST(test_console_partial_writes_join_into_one_line),
		FX_TEST(test_console_dom0_line_is_unprefixed),
		FX_TEST(test_console_drops_control_characters),
		FX_TEST(test_console_keeps_exactly_the_shown_bytes),
		FX_TEST(test_console_long_line_is_split_not_overflowed),
		FX_TEST(test_console_bad_buffer_is_efault),
		FX_TEST(test_console_count_is_32_bit),
		FX_TEST(test_console_read_returns_queued_input),
		FX_TEST(test_console_needs_console_or_privilege),
		FX_TEST(test_console_unknown_cmd_is_enosys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
