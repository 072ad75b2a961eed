/* SPDX-License-Identifier: BSD-2-Clause */
/* Idle that can never end: a guest waiting with wfi while an interrupt is
 * pending but masked wakes at once, forever. The run must end with a
 * deadlock that says why, not spin. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_unicorn_helpers.h"

static void test_idle_with_masked_pending_irq_is_a_deadlock(void **state)
{
	static struct uc_run r;

	(void)state;
	uc_boot(&r, "a64_masked_spin.Image");
	assert_int_equal(r.res.outcome, SIM_DEADLOCK);
	assert_int_equal(r.code, 5);
	assert_non_null(strstr(r.res.message, "interrupt pending"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_with_masked_pending_irq_is_a_deadlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
