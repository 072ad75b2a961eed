/* SPDX-License-Identifier: BSD-2-Clause */
/* The run's limits under Unicorn: a guest that never stops (`b .`, a loop
 * reading the counter, a loop of SCHEDOP_yield) ends with SIM_LIMIT, exit
 * status 6 and a message naming what ran out, the PC and the instruction,
 * in arm64, ARM and Thumb-2 alike; the same run ends the same way every
 * time. The guests are tests/unit/unicorn_guests/{a64,a32,t32}_*_spin.S. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

#define BUDGET     "instruction budget of 100000 used up (--max-insns) at "
#define TIME_1MS   "virtual time limit of 1 ms reached (--timeout) at "

static struct uc_run run;

struct limit_case {
	const char *guest;
	uint64_t timeout_ns, max_insns;
	const char *want;          /* the whole message after "d1: " */
};

static const struct limit_case cases[] = {
	/* b . : only the instruction budget can end it. */
	{ "a64_spin.Image", 0, 100000,
	  BUDGET "PC 0x40080040: instruction 0x14000000" },
	{ "a32_spin.zImage", 0, 100000,
	  BUDGET "PC 0x40008034: instruction 0xeafffffe" },
	{ "t32_spin.zImage", 0, 100000,
	  BUDGET "PC 0x4000803c: Thumb instruction 0xe7fe" },
	/* Each counter read lets one tick (16 ns) pass: 1 ms is 62500
	 * reads; without a timeout the budget ends it. */
	{ "a64_counter_spin.Image", 1000000, 0,
	  TIME_1MS "PC 0x40080040: instruction 0xd53be040" },
	{ "a32_counter_spin.zImage", 1000000, 0,
	  TIME_1MS "PC 0x40008034: instruction 0xec510f1e" },
	{ "t32_counter_spin.zImage", 1000000, 0,
	  TIME_1MS "PC 0x4000803c: Thumb instruction 0xec51 0x0f1e" },
	{ "a64_counter_spin.Image", 0, 100000,
	  BUDGET "PC 0x40080040: instruction 0xd53be040" },
	{ "t32_counter_spin.zImage", 0, 100000,
	  BUDGET "PC 0x4000803c: Thumb instruction 0xec51 0x0f1e" },
	/* A yield lets no time pass; each hypercall counts 1000
	 * instructions, so the budget ends the loop after the 100th, with
	 * the PC on the branch after the hvc. */
	{ "a64_yield_spin.Image", 1000000, 100000,
	  BUDGET "PC 0x40080050: instruction 0x17fffffc" },
	{ "a32_yield_spin.zImage", 1000000, 100000,
	  BUDGET "PC 0x40008044: instruction 0xeafffffa" },
	{ "t32_yield_spin.zImage", 1000000, 100000,
	  BUDGET "PC 0x4000804c: Thumb instruction 0xe7f6" },
};

static void check_case(const struct limit_case *c)
{
	char want[256];

	uc_boot_limited(&run, c->guest, c->timeout_ns, c->max_insns);
	print_message("%s: %s\n", c->guest, run.res.message);
	assert_int_equal(run.res.outcome, SIM_LIMIT);
	assert_int_equal(run.code, 6);
	snprintf(want, sizeof(want), "d1: %s", c->want);
	assert_string_equal(run.res.message, want);
	/* The console says it too, with the registers. */
	assert_true(uc_has(&run, want));
	assert_true(uc_has(&run, run.res.message));
}

static void test_unicorn_endless_loops_end_at_their_limit(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

static void test_unicorn_limit_is_the_same_every_run(void **state)
{
	static struct uc_run first;

	(void)state;
	uc_boot_limited(&first, "t32_yield_spin.zImage", 0, 250000);
	uc_boot_limited(&run, "t32_yield_spin.zImage", 0, 250000);
	assert_int_equal(run.res.outcome, SIM_LIMIT);
	assert_string_equal(run.res.message, first.res.message);
	assert_int_equal(run.n, first.n);
	for (unsigned i = 0; i < run.n; i++)
		assert_string_equal(run.line[i], first.line[i]);
}

/* Without options a run has both limits, and `b .` ends by itself. */
static void test_unicorn_default_budget_ends_a_spinning_guest(void **state)
{
	struct sim_config cfg;

	(void)state;
	uc_config(&run, &cfg, "a64_spin.Image");
	assert_int_equal(cfg.timeout_ns, SIM_DEFAULT_TIMEOUT_NS);
	assert_int_equal(cfg.max_insns, SIM_DEFAULT_MAX_INSNS);
	uc_run_config(&run, &cfg);
	assert_int_equal(run.res.outcome, SIM_LIMIT);
	assert_string_equal(run.res.message, "d1: instruction budget of "
			    "100000000 used up (--max-insns) at PC 0x40080040: "
			    "instruction 0x14000000");
}

/* A guest whose timer lies beyond the timeout: the wait ends the run at
 * the timeout, not at the timer. */
static void test_unicorn_wait_past_the_timeout_ends_at_it(void **state)
{
	(void)state;
	uc_boot_limited(&run, "a64_vtimer.Image", 500, 0);
	assert_int_equal(run.res.outcome, SIM_LIMIT);
	assert_non_null(strstr(run.res.message, "virtual time limit of 500 ns "
			       "reached (--timeout) at PC "));
	assert_non_null(strstr(run.res.message, "waiting after a wfi"));
}

/* A guest that ends by itself within its limits does not notice them. */
static void test_unicorn_limits_leave_a_normal_guest_alone(void **state)
{
	(void)state;
	uc_boot_limited(&run, "a64_vtimer.Image", 1000000, 20000);
	assert_int_equal(run.res.outcome, SIM_POWEROFF);
	assert_true(uc_printed(&run, 13, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicorn_endless_loops_end_at_their_limit),
		cmocka_unit_test(test_unicorn_limit_is_the_same_every_run),
		cmocka_unit_test(test_unicorn_default_budget_ends_a_spinning_guest),
		cmocka_unit_test(test_unicorn_wait_past_the_timeout_ends_at_it),
		cmocka_unit_test(test_unicorn_limits_leave_a_normal_guest_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
