/* SPDX-License-Identifier: BSD-2-Clause */
/* Synchronous exceptions under Unicorn reach an arm32 guest's vectors as
 * the CPU takes them: a32_sync.S (ARM, short descriptors) and t32_sync.S
 * (Thumb-2, LPAE, exceptions in Thumb state) take undefined instructions,
 * svc, bkpt, data and prefetch aborts from SVC and from USR mode, and
 * print for each the class, the mode the handler runs in, LR minus the
 * instruction's address, SPSR, IFSR/DFSR and IFAR/DFAR minus the address
 * the case expects; every value is held here to the one the Arm ARM gives
 * (hand-computed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

static struct uc_run run;

#define UND    0x1bu
#define SVC    0x13u
#define ABT    0x17u
#define ANY    UINT32_MAX           /* IFAR after bkpt: UNKNOWN */
/* SPSR's low ten bits: E A I F T mode. Boot: A, I, F masked, SVC; the
 * guest's cps keeps the masks. */
#define S_ARM  0x1d3u
#define U_ARM  0x1d0u
#define S_T32  0x1f3u
#define U_T32  0x1f0u

struct sync_case {
	const char *what;
	uint32_t class, mode, lr_offset, spsr, fsr, far_offset;
};

/* In a32_sync.S's order. Short-descriptor FS: alignment 0x1, debug 0x2,
 * section translation 0x5, section domain 0x9 (domain in bits 7:4),
 * section permission 0xd; WnR 0x800. */
static const struct sync_case a32_cases[] = {
	{ "SVC udf", 1, UND, 4, S_ARM, 0, 0 },
	{ "SVC svc #5", 2, SVC, 4, S_ARM, 0, 0 },
	{ "SVC bkpt", 3, ABT, 4, S_ARM, 0x002, ANY },
	{ "SVC ldrex unaligned", 4, ABT, 8, S_ARM, 0x001, 0 },
	{ "SVC ldr from the hole", 4, ABT, 8, S_ARM, 0x005, 0 },
	{ "SVC stmdb into the hole", 4, ABT, 8, S_ARM, 0x805, 0 },
	{ "SVC vstmdb into the hole", 4, ABT, 8, S_ARM, 0x805, 0 },
	{ "SVC ldrb, domain 1", 4, ABT, 8, S_ARM, 0x019, 0 },
	{ "SVC fetch from the hole", 3, ABT, 4, S_ARM, 0x005, 0 },
	{ "USR udf", 1, UND, 4, U_ARM, 0, 0 },
	{ "USR svc #7", 2, SVC, 4, U_ARM, 0, 0 },
	{ "USR bkpt", 3, ABT, 4, U_ARM, 0x002, ANY },
	{ "USR ldr of PL1's section", 4, ABT, 8, U_ARM, 0x00d, 0 },
	{ "USR str into the hole", 4, ABT, 8, U_ARM, 0x805, 0 },
	{ "USR svc #0, back to SVC", 2, SVC, 4, U_ARM, 0, 0 },
};

/* In t32_sync.S's order. Long-descriptor STATUS (LPAE bit 0x200):
 * alignment 0x21, debug 0x22, translation level 2 0x06, permission level
 * 2 0x0e; WnR 0x800. LR: undefined + 2 (a 32-bit one too), svc + 2. */
static const struct sync_case t32_cases[] = {
	{ "SVC udf (16)", 1, UND, 2, S_T32, 0, 0 },
	{ "SVC udf.w (32)", 1, UND, 2, S_T32, 0, 0 },
	{ "SVC svc #5", 2, SVC, 2, S_T32, 0, 0 },
	{ "SVC bkpt", 3, ABT, 4, S_T32, 0x222, ANY },
	{ "SVC ldrex unaligned", 4, ABT, 8, S_T32, 0x221, 0 },
	{ "SVC ldr (16) from the hole", 4, ABT, 8, S_T32, 0x206, 0 },
	{ "SVC str.w into the hole", 4, ABT, 8, S_T32, 0xa06, 0 },
	{ "SVC tbb from the hole", 4, ABT, 8, S_T32, 0x206, 0 },
	{ "SVC tbh from the hole", 4, ABT, 8, S_T32, 0x206, 0 },
	{ "SVC vldmia from the hole", 4, ABT, 8, S_T32, 0x206, 0 },
	{ "SVC fetch from the hole", 3, ABT, 4, S_T32, 0x206, 0 },
	{ "USR udf", 1, UND, 2, U_T32, 0, 0 },
	{ "USR svc #7", 2, SVC, 2, U_T32, 0, 0 },
	{ "USR ldr.w of PL1's block", 4, ABT, 8, U_T32, 0x20e, 0 },
	{ "USR stmdb into the hole", 4, ABT, 8, U_T32, 0xa06, 0 },
	{ "USR svc #0, back to SVC", 2, SVC, 2, U_T32, 0, 0 },
};

/* The value of the next "(XEN) DOM1: R<n> = " line from *at on. */
static bool next_print(unsigned *at, unsigned n, uint64_t *val)
{
	char want[32];

	snprintf(want, sizeof(want), "(XEN) DOM1: R%u = 0x", n);
	for (; *at < run.n; (*at)++) {
		const char *p = strstr(run.line[*at], want);

		if (p) {
			*val = strtoull(p + strlen(want), NULL, 16);
			(*at)++;
			return true;
		}
	}
	return false;
}

static void expect_print(unsigned *at, unsigned n, uint64_t want)
{
	uint64_t v;

	assert_true(next_print(at, n, &v));
	if (want != ANY)
		assert_int_equal(v, want);
}

static void check_cases(const char *guest, const struct sync_case *cases,
			size_t nr)
{
	unsigned at = 0;
	uint64_t v;

	uc_boot(&run, guest);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	for (size_t i = 0; i < nr; i++) {
		const struct sync_case *c = &cases[i];

		print_message("%s\n", c->what);
		expect_print(&at, 3, c->class);
		expect_print(&at, 4, c->mode);
		expect_print(&at, 5, c->lr_offset);
		assert_true(next_print(&at, 6, &v));
		assert_int_equal(v & 0x3ff, c->spsr);
		expect_print(&at, 7, c->fsr);
		expect_print(&at, 8, c->far_offset);
	}
	/* Back in SVC mode at the end, with no more exceptions. */
	expect_print(&at, 4, SVC);
	assert_false(next_print(&at, 3, &v));
}

static void test_unicorn_a32_sync_arm(void **state)
{
	(void)state;
	check_cases("a32_sync.zImage", a32_cases,
		    sizeof(a32_cases) / sizeof(a32_cases[0]));
}

static void test_unicorn_a32_sync_thumb(void **state)
{
	(void)state;
	check_cases("t32_sync.zImage", t32_cases,
		    sizeof(t32_cases) / sizeof(t32_cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_a32_sync_arm),
		cmocka_unit_test(test_unicorn_a32_sync_thumb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
