/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall buffers under the Unicorn runtime are guest virtual addresses:
 * guests (tests/unit/unicorn_guests/{a64,a32}_gva.S) alias their data pages
 * at low VAs and in the upper half (TTBR1) and hand only aliases to
 * console_io, xen_version, memory_op, event_channel_op and grant_table_op
 * (setup_table, copy); unmapped and read-only aliases give -EFAULT; a
 * hypercall with the MMU off, a Device-mapped buffer, a shared_info
 * page with a Non-cacheable alias and a granted page with Device aliases
 * (read by a grant copy) are warned about. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

#define EFAULT_64 0xfffffffffffffff2ull
#define EFAULT_32 0xfffffff2ull

static struct uc_run run;

/* The line "(XEN) DOM1: R<n> = <value>" printed k-th (0-based) among the
 * prints of register n, or NULL. */
static const char *nth_print(unsigned n, unsigned k)
{
	char want[32];

	snprintf(want, sizeof(want), "(XEN) DOM1: R%u = ", n);
	for (unsigned i = 0; i < run.n; i++)
		if (strstr(run.line[i], want) && k-- == 0)
			return run.line[i];
	return NULL;
}

static void assert_print(unsigned n, unsigned k, unsigned long long v)
{
	char want[64];
	const char *line = nth_print(n, k);

	snprintf(want, sizeof(want), "R%u = 0x%016llx at ", n, v);
	if (!line || !strstr(line, want))
		fail_msg("print %u of R%u: want %s, got %s", k, n, want,
			 line ? line : "nothing");
}

static void check_guest(const char *guest, unsigned long long efault)
{
	unsigned long long hi_va = efault == EFAULT_64 ? ~0ull : 0;

	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	/* With the MMU off: answered, and warned about once. */
	assert_print(0, 0, 0x40011);
	assert_true(uc_has(&run, "hypercall xen_version made with the MMU "
			   "off (SCTLR.M = 0)"));
	/* console_io: TTBR1 alias; a buffer over two swapped alias pages. */
	assert_true(uc_has(&run, "(d1) hello through TTBR1"));
	assert_print(0, 1, 0);
	assert_true(uc_has(&run, "(d1) text across the pages"));
	assert_print(0, 2, 0);
	/* xen_version extraversion written through TTBR1. */
	assert_print(0, 3, 0);
	assert_true(uc_has(&run, "(d1) .0-xensim"));
	/* memory_op add_to_physmap, evtchn alloc_unbound (port back). The
	 * page given as shared_info has a Non-cacheable alias: named. */
	assert_print(0, 4, 0);
	assert_true(uc_has(&run, "shared_info, guest page "));
	assert_true(uc_has(&run, "at VA 0x6000, is mapped Normal inner "
			   "Non-cacheable outer Non-cacheable (MAIR attribute "
			   "0x44)"));
	assert_print(0, 5, 0);
	assert_print(5, 0, 3);   /* after xenstore (1) and console (2) */
	/* setup_table: status and frame list written through TTBR1 (the
	 * frame is not mapped by the guest: INVALID_GFN). */
	assert_print(0, 6, 0);
	assert_print(6, 0, 0);
	assert_print(7, 0, efault == EFAULT_64 ? ~0ull : 0xffffffffull);
	/* grant copy: op through TTBR1, status GNTST_okay, data copied. */
	assert_print(0, 7, 0);
	assert_print(8, 0, 0);
	assert_true(uc_has(&run, "(d1) copied by grant copy"));
	/* Unmapped alias, write to a read-only alias, unmapped TTBR1 page:
	 * -EFAULT; reading the read-only alias works. */
	assert_print(0, 8, efault);
	assert_print(0, 9, efault);
	assert_print(0, 10, 0);
	assert_true(uc_has(&run, "(d1) read-only alias"));
	assert_print(0, 11, efault);
	/* A Device-mapped buffer: read, and the page and attribute named. */
	assert_print(0, 12, 0);
	assert_true(uc_has(&run, "(d1) device alias"));
	assert_true(uc_has(&run, "a hypercall buffer, guest page "));
	assert_true(uc_has(&run, "at VA 0x4000, is mapped Device-nGnRE "
			   "(MAIR attribute 0x04)"));
	/* A grant-table frame at a write-back page: no warning. Grant copies
	 * from ref 0 (a page mapped Device at two VAs) and ref 1 (write-back)
	 * both succeed; ref 0 alone is named, with both VAs. */
	assert_print(0, 13, 0);
	assert_false(uc_has(&run, "a grant-table frame, guest page"));
	assert_print(0, 14, 0);
	assert_print(9, 0, 0);
	assert_print(0, 15, 0);
	assert_print(9, 1, 0);
	assert_true(uc_has(&run, "d1: a page granted to d1 (grant ref 0), "
			   "guest page "));
	assert_true(uc_has(&run, hi_va == ~0ull ?
			   "at VA 0x7000 and 0xffffff8000003000, is mapped "
			   "Device-nGnRE (MAIR attribute 0x04)" :
			   "at VA 0x7000 and 0xc0003000, is mapped "
			   "Device-nGnRE (MAIR attribute 0x04)"));
	assert_false(uc_has(&run, "(grant ref 1)"));
}

static void test_unicorn_gva_arm64_buffers_are_virtual(void **state)
{
	(void)state;
	check_guest("a64_gva.Image", EFAULT_64);
}

static void test_unicorn_gva_arm32_buffers_are_virtual(void **state)
{
	(void)state;
	check_guest("a32_gva.zImage", EFAULT_32);
}

/* A non-LPAE guest (short descriptors): shared_info and a granted page
 * mapped Non-cacheable are named with their VA and TEX/C/B; mapped
 * write-back, neither is. Every call succeeds either way. */
static void check_short_guest(const char *guest, bool warned)
{
	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_print(0, 0, 0);                /* shared_info */
	assert_print(0, 1, 0);                /* grant-table frame */
	assert_print(0, 2, 0);                /* grant copy */
	assert_print(9, 0, 0);
	assert_true(uc_has(&run, "shared_info, guest page ") == warned);
	assert_true(uc_has(&run, "at VA 0x5000, is mapped Normal inner "
			   "Non-cacheable outer Non-cacheable (TEX 1 C 0 B 0)")
		    == warned);
	assert_true(uc_has(&run, "a page granted to d1 (grant ref 0), guest "
			   "page ") == warned);
	assert_true(uc_has(&run, "at VA 0x6000, is mapped Normal inner "
			   "Non-cacheable outer Non-cacheable (TEX 1 C 0 B 0)")
		    == warned);
	assert_false(uc_has(&run, "a grant-table frame, guest page"));
	assert_false(uc_has(&run, "is mapped Normal inner write-back"));
}

static void test_unicorn_gva_arm32_short_descriptors_non_cacheable(void **state)
{
	(void)state;
	check_short_guest("a32_short.zImage", true);
}

static void test_unicorn_gva_arm32_short_descriptors_write_back(void **state)
{
	(void)state;
	check_short_guest("a32_short_wb.zImage", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_gva_arm64_buffers_are_virtual),
		cmocka_unit_test(test_unicorn_gva_arm32_buffers_are_virtual),
		cmocka_unit_test(
			test_unicorn_gva_arm32_short_descriptors_non_cacheable),
		cmocka_unit_test(
			test_unicorn_gva_arm32_short_descriptors_write_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
