/* SPDX-License-Identifier: BSD-2-Clause */
/* Synchronous exceptions under Unicorn reach the arm64 guest's vectors as
 * the CPU takes them: a64_sync.S takes each one from EL1 and from EL0 and
 * prints ESR_EL1, FAR_EL1 and ELR_EL1 (both relative to what the case
 * expects) and SPSR_EL1; every value is held here to the one the Arm ARM
 * gives (hand-computed). (A guest with no vectors still ends the run at
 * the first one: test_unicorn.c's fault table.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

static struct uc_run run;

#define ANY_FAR UINT64_MAX           /* svc, brk, udf: FAR_EL1 UNKNOWN */
#define EL1H    0x3c5u               /* SPSR: EL1h, D, A, I, F masked */
#define EL0T    0x0u

struct sync_case {
	const char *what;
	uint32_t esr;
	uint64_t far, elr;           /* FAR - expected, ELR - expected */
	uint32_t spsr;
};

/* In a64_sync.S's order. ESR: EC << 26 | IL (1 << 25) | ISS; an abort's
 * ISS is WnR (bit 6) and the fault status (translation 0x4, access flag
 * 0x8, permission 0xc, each + level 3; alignment 0x21): ISV is 0 in
 * ESR_EL1, as the architecture has it. */
static const struct sync_case cases[] = {
	{ "EL1 udf #0",                0x02000000, ANY_FAR, 0, EL1H },
	{ "EL1 brk #0x123",            0xf2000123, ANY_FAR, 0, EL1H },
	{ "EL1 svc #0x42 (ELR next)",  0x56000042, ANY_FAR, 4, EL1H },
	{ "EL1 ldr x0, [hole]",        0x96000007, 0, 0, EL1H },
	{ "EL1 str w0, [hole, #8]",    0x96000047, 0, 0, EL1H },
	{ "EL1 ldp x2, x3, [hole]",    0x96000007, 0, 0, EL1H },
	{ "EL1 stp, second in hole",   0x96000047, 0, 0, EL1H },
	{ "EL1 ldxr x0, [hole]",       0x96000007, 0, 0, EL1H },
	{ "EL1 ldar w0, [hole]",       0x96000007, 0, 0, EL1H },
	{ "EL1 stlr x0, [hole]",       0x96000047, 0, 0, EL1H },
	{ "EL1 ldr q0, [hole]",        0x96000007, 0, 0, EL1H },
	{ "EL1 ld1 x4, third in hole", 0x96000007, 0, 0, EL1H },
	{ "EL1 st1 {v0.2d}, post",     0x96000047, 0, 0, EL1H },
	{ "EL1 ldr w0, post",          0x96000007, 0, 0, EL1H },
	{ "EL1 ldr x0, reg offset",    0x96000007, 0, 0, EL1H },
	{ "EL1 ldr x0, literal",       0x96000007, 0, 0, EL1H },
	{ "EL1 ldadd: no LSE, undef",  0x02000000, ANY_FAR, 0, EL1H },
	{ "EL1 str x0, [ro]",          0x9600004f, 0, 0, EL1H },
	{ "EL1 ldrb w0, [noaf]",       0x9600000b, 0, 0, EL1H },
	{ "EL1 ldxr unaligned",        0x96000021, 0, 0, EL1H },
	{ "EL1 fetch from hole",       0x86000007, 0, 0, EL1H },
	{ "EL0 svc #7",                0x56000007, ANY_FAR, 4, EL0T },
	{ "EL0 udf #1",                0x02000000, ANY_FAR, 0, EL0T },
	{ "EL0 brk #0x3c",             0xf200003c, ANY_FAR, 0, EL0T },
	{ "EL0 hvc #1: undefined",     0x02000000, ANY_FAR, 0, EL0T },
	{ "EL0 mrs sctlr_el1",         0x02000000, ANY_FAR, 0, EL0T },
	{ "EL0 ldr from EL1's page",   0x9200000f, 0, 0, EL0T },
	{ "EL0 str x0, [hole + 16]",   0x92000047, 0, 0, EL0T },
	{ "EL0 ld1 {v0.16b}, [hole]",  0x92000007, 0, 0, EL0T },
	{ "EL0 stp, second in ro",     0x9200004f, 0, 0, EL0T },
	{ "EL0 fetch from EL1's page", 0x8200000f, 0, 0, EL0T },
	{ "EL0 svc #0xff",             0x560000ff, ANY_FAR, 4, EL0T },
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

static void test_unicorn_sync_exceptions_reach_the_vectors(void **state)
{
	unsigned at = 0;
	uint64_t v;

	(void)state;
	uc_boot(&run, "a64_sync.Image");
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sync_case *c = &cases[i];

		print_message("%s\n", c->what);
		assert_true(next_print(&at, 10, &v));
		assert_int_equal(v, c->esr);
		assert_true(next_print(&at, 11, &v));
		if (c->far != ANY_FAR)
			assert_int_equal(v, c->far);
		assert_true(next_print(&at, 12, &v));
		assert_int_equal(v, c->elr);
		assert_true(next_print(&at, 13, &v));
		assert_int_equal(v, c->spsr);
	}
	assert_false(next_print(&at, 10, &v));   /* no more exceptions */
	/* Back at EL1h: SP_EL0 as EL0 left it, SP_EL1 in use again. */
	at = 0;
	assert_true(next_print(&at, 5, &v));
	assert_int_equal(v, 0);
	assert_true(next_print(&at, 6, &v));
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_sync_exceptions_reach_the_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
