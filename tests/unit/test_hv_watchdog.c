/* SPDX-License-Identifier: BSD-2-Clause */
/* SCHEDOP_watchdog on virtual time, as Xen 4.17 keeps it: a watchdog not
 * fed within its timeout shuts the domain down (SHUTDOWN_watchdog); fed,
 * stopped or with a shutdown already under way it does not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/xen.h>

#include "fixture.h"
#include "hv/time.h"

#define ARG_OFF 0x1000
#define SEC     1000000000ull

static long watchdog(struct fixture *fx, uint32_t id, uint32_t timeout)
{
	struct sched_watchdog w = { .id = id, .timeout = timeout };
	uint64_t gpa = fx_put(fx, ARG_OFF, &w, sizeof(w));

	return fx_hypercall(fx, __HYPERVISOR_sched_op, SCHEDOP_watchdog, gpa, 0);
}

static void at(struct fixture *fx, uint64_t ns)
{
	hv_time_advance_to(fx->m, ns);
}

static void test_watchdog_unfed_shuts_the_domain_down(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(watchdog(fx, 0, 2), 1);
	at(fx, 2 * SEC - 1);
	assert_true(hv_domain_running(fx->d));
	at(fx, 2 * SEC);
	assert_false(hv_domain_running(fx->d));
	assert_int_equal(fx->d->state, HV_DOMAIN_SHUTDOWN);
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_watchdog);
	assert_true(fx_has_line(fx, "(XEN) Watchdog timer fired for domain 1"));
}

static void test_watchdog_fed_in_time_does_not_fire(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(watchdog(fx, 0, 1), 1);
	for (unsigned i = 1; i <= 10; i++) {
		at(fx, i * SEC / 2);
		assert_int_equal(watchdog(fx, 1, 1), 0);
	}
	at(fx, 6 * SEC - 1);
	assert_true(hv_domain_running(fx->d));
	/* The last feed counts from when it was given. */
	at(fx, 6 * SEC);
	assert_false(hv_domain_running(fx->d));
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_watchdog);
}

static void test_watchdog_stopped_never_fires(void **state)
{
	struct fixture *fx = *state;
	uint64_t next;

	assert_int_equal(watchdog(fx, 0, 1), 1);
	assert_int_equal(watchdog(fx, 1, 0), 0);
	assert_false(hv_time_next_deadline(fx->m, &next));
	at(fx, 10 * SEC);
	assert_true(hv_domain_running(fx->d));
	/* Its slot is free again: the next one gets id 1 too. */
	assert_int_equal(watchdog(fx, 0, 3), 1);
	assert_int_equal(watchdog(fx, 1, 0), 0);
}

/* Each slot has its own timer; the one that runs out fires. */
static void test_watchdog_slots_are_separate(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(watchdog(fx, 0, 5), 1);
	assert_int_equal(watchdog(fx, 0, 3), 2);
	assert_int_equal(watchdog(fx, 2, 0), 0);
	at(fx, 4 * SEC);
	assert_true(hv_domain_running(fx->d));
	at(fx, 5 * SEC);
	assert_false(hv_domain_running(fx->d));
}

/* Id 0 with timeout 0 takes a slot armed for now: it fires at once. */
static void test_watchdog_new_with_no_timeout_fires_at_once(void **state)
{
	struct fixture *fx = *state;

	at(fx, SEC);
	assert_int_equal(watchdog(fx, 0, 0), 1);
	at(fx, SEC);
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_watchdog);
	assert_false(hv_domain_running(fx->d));
}

/* A shutdown_code given before is the reason, as for any shutdown; a
 * domain already shut down is left alone. */
static void test_watchdog_reason_and_stopped_domain(void **state)
{
	struct fixture *fx = *state;
	struct sched_shutdown code = { .reason = SHUTDOWN_reboot };
	uint64_t gpa = fx_put(fx, ARG_OFF + 0x100, &code, sizeof(code));

	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_sched_op,
				      SCHEDOP_shutdown_code, gpa, 0), 0);
	assert_int_equal(watchdog(fx, 0, 1), 1);
	at(fx, SEC);
	assert_int_equal(fx->d->shutdown_reason, SHUTDOWN_reboot);

	fx->d->state = HV_DOMAIN_KILLED;
	fx->d->shutdown_code = -1;
	fx->nr_lines = 0;
	assert_int_equal(hv_watchdog_op(fx->d, 0, 1), 2);
	at(fx, 2 * SEC);
	assert_int_equal(fx->d->state, HV_DOMAIN_KILLED);
	assert_false(fx_has_text(fx, "Watchdog timer fired"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_watchdog_unfed_shuts_the_domain_down),
		FX_TEST(test_watchdog_fed_in_time_does_not_fire),
		FX_TEST(test_watchdog_stopped_never_fires),
		FX_TEST(test_watchdog_slots_are_separate),
		FX_TEST(test_watchdog_new_with_no_timeout_fires_at_once),
		FX_TEST(test_watchdog_reason_and_stopped_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
