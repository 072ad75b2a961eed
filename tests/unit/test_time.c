/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual time: model timers fire in deadline order (ties in arming
 * order) at their own deadlines, time never runs back, and a vCPU's
 * virtual timer raises its line and counts as a deadline only while it is
 * enabled, unmasked and not yet due. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include <xen/errno.h>

#include "hv/time.h"
#include "hv/vcpu.h"

struct log {
	char order[8];
	uint64_t at[8];
	unsigned n;
	struct hv_machine *m;
};

struct tagged {
	struct hv_timer t;
	char tag;
	struct log *log;
};

static void fired(struct hv_timer *t, void *ctx)
{
	struct tagged *tt = ctx;
	struct log *l = tt->log;

	(void)t;
	if (l->n < 8) {
		l->order[l->n] = tt->tag;
		l->at[l->n] = hv_time_now(l->m);
	}
	l->n++;
}

static void tag_init(struct tagged *tt, char tag, struct log *l)
{
	tt->tag = tag;
	tt->log = l;
	hv_timer_init(&tt->t, fired, tt);
}

static void test_timers_fire_in_deadline_then_arming_order(void **state)
{
	struct fixture *fx = *state;
	struct log l = { .m = fx->m };
	struct tagged a, b, c, d;

	tag_init(&a, 'a', &l);
	tag_init(&b, 'b', &l);
	tag_init(&c, 'c', &l);
	tag_init(&d, 'd', &l);
	hv_timer_arm(fx->m, &c.t, 300);
	hv_timer_arm(fx->m, &a.t, 100);
	hv_timer_arm(fx->m, &b.t, 300);
	hv_timer_arm(fx->m, &d.t, 900);
	hv_time_advance_to(fx->m, 500);
	assert_int_equal(l.n, 3);
	assert_memory_equal(l.order, "acb", 3);
	assert_int_equal(l.at[0], 100);
	assert_int_equal(l.at[2], 300);
	assert_int_equal(hv_time_now(fx->m), 500);
	assert_true(d.t.armed);
	assert_false(a.t.armed);
}

static void test_cancel_and_rearm(void **state)
{
	struct fixture *fx = *state;
	struct log l = { .m = fx->m };
	struct tagged a, b;
	uint64_t next;

	tag_init(&a, 'a', &l);
	tag_init(&b, 'b', &l);
	hv_timer_arm(fx->m, &a.t, 100);
	hv_timer_arm(fx->m, &b.t, 200);
	hv_timer_cancel(fx->m, &a.t);
	hv_timer_cancel(fx->m, &a.t);
	hv_timer_arm(fx->m, &b.t, 50);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 50);
	hv_time_advance_to(fx->m, 1000);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.order[0], 'b');
	assert_false(hv_time_next_deadline(fx->m, &next));
}

static void test_time_never_runs_back(void **state)
{
	struct fixture *fx = *state;
	struct log l = { .m = fx->m };
	struct tagged a;
	uint64_t next;

	hv_time_advance_to(fx->m, 1000);
	hv_time_advance_to(fx->m, 10);
	assert_int_equal(hv_time_now(fx->m), 1000);
	/* A deadline already past fires at the next advance, at "now". */
	tag_init(&a, 'a', &l);
	hv_timer_arm(fx->m, &a.t, 5);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 1000);
	hv_time_advance_to(fx->m, 1000);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.at[0], 1000);
}

struct chain {
	struct hv_timer t;
	struct hv_machine *m;
	unsigned fired;
};

static void rearm(struct hv_timer *t, void *ctx)
{
	struct chain *c = ctx;

	if (++c->fired < 3)
		hv_timer_arm(c->m, t, hv_time_now(c->m) + 10);
}

static void test_timer_armed_from_callback_fires_in_same_advance(void **state)
{
	struct fixture *fx = *state;
	struct chain c = { .m = fx->m };

	hv_timer_init(&c.t, rearm, &c);
	hv_timer_arm(fx->m, &c.t, 10);
	hv_time_advance_to(fx->m, 100);
	assert_int_equal(c.fired, 3);
	assert_int_equal(hv_time_now(fx->m), 100);
}

static void test_vtimer_level_and_istatus(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = &fx->d->vcpu[0];
	uint64_t next;

	assert_int_equal(hv_time_ticks(fx->m), 0);
	hv_vtimer_write_cval(v, 100);           /* 1600 ns */
	assert_false(hv_time_next_deadline(fx->m, &next));
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE | HV_CNT_CTL_ISTATUS);
	assert_int_equal(hv_vtimer_read_ctl(v), HV_CNT_CTL_ENABLE);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 1600);
	assert_false(hv_vtimer_irq_level(v));
	hv_time_advance_to(fx->m, next);
	assert_true(hv_vtimer_irq_level(v));
	assert_int_equal(hv_vtimer_read_ctl(v),
			 HV_CNT_CTL_ENABLE | HV_CNT_CTL_ISTATUS);
	/* Due already: no longer a future deadline. */
	assert_false(hv_time_next_deadline(fx->m, &next));
	/* Masked: ISTATUS stays, the line drops. */
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE | HV_CNT_CTL_IMASK);
	assert_false(hv_vtimer_irq_level(v));
	assert_true(hv_vtimer_read_ctl(v) & HV_CNT_CTL_ISTATUS);
	hv_vtimer_write_ctl(v, 0);
	assert_int_equal(hv_vtimer_read_ctl(v), 0);
}

static void test_vtimer_masked_is_no_deadline(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = &fx->d->vcpu[0];
	uint64_t next;

	hv_vtimer_write_cval(v, 50);
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE | HV_CNT_CTL_IMASK);
	assert_false(hv_time_next_deadline(fx->m, &next));
	/* So is a compare value beyond 64-bit nanoseconds. */
	hv_vtimer_write_cval(v, UINT64_MAX);
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE);
	assert_false(hv_time_next_deadline(fx->m, &next));
}

static void test_vtimer_tval_is_relative(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = &fx->d->vcpu[0];

	hv_time_advance_to(fx->m, 16 * 1000);
	hv_vtimer_write_tval(v, 24);
	assert_int_equal(hv_vtimer_read_cval(v), 1024);
	assert_int_equal(hv_vtimer_read_tval(v), 24);
	/* A negative TVAL is a compare value in the past. */
	hv_vtimer_write_tval(v, (uint32_t)-10);
	assert_int_equal(hv_vtimer_read_cval(v), 990);
	assert_int_equal((int32_t)hv_vtimer_read_tval(v), -10);
}

static void test_vtimer_deadline_rounds_up_to_a_tick(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = &fx->d->vcpu[0];
	uint64_t next;

	hv_vtimer_set_deadline(v, 1001);
	assert_int_equal(hv_vtimer_read_cval(v), 63);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 1008);
	hv_time_advance_to(fx->m, 1007);
	assert_false(hv_vtimer_irq_level(v));
	hv_time_advance_to(fx->m, 1008);
	assert_true(hv_vtimer_irq_level(v));
	hv_vtimer_set_deadline(v, 0);
	assert_false(hv_vtimer_irq_level(v));
}

static void test_model_timer_and_vtimer_share_the_clock(void **state)
{
	struct fixture *fx = *state;
	struct log l = { .m = fx->m };
	struct tagged a;
	uint64_t next;

	tag_init(&a, 'a', &l);
	hv_timer_arm(fx->m, &a.t, 5000);
	hv_vtimer_set_deadline(&fx->d->vcpu[0], 3200);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 3200);
	hv_time_advance_to(fx->m, next);
	assert_int_equal(l.n, 0);
	hv_vtimer_set_deadline(&fx->d->vcpu[0], 0);
	assert_true(hv_time_next_deadline(fx->m, &next));
	assert_int_equal(next, 5000);
}

/* A machine reused case after case goes back to time 0, and its timers
 * fire as on a fresh one; not while anything could still fire. */
static void test_rewind_only_when_nothing_can_fire(void **state)
{
	struct fixture *fx = *state;
	struct hv_vcpu *v = &fx->d->vcpu[0];
	struct log l = { .m = fx->m };
	struct tagged a;

	tag_init(&a, 'a', &l);
	hv_timer_arm(fx->m, &a.t, 100);
	assert_int_equal(hv_time_rewind(fx->m), -XEN_EBUSY);
	hv_time_advance_to(fx->m, 500);
	hv_vtimer_write_ctl(v, HV_CNT_CTL_ENABLE | HV_CNT_CTL_IMASK);
	assert_int_equal(hv_time_rewind(fx->m), -XEN_EBUSY);
	assert_int_equal(hv_time_now(fx->m), 500);
	hv_vtimer_write_ctl(v, 0);
	assert_int_equal(hv_time_rewind(fx->m), 0);
	assert_int_equal(hv_time_now(fx->m), 0);
	hv_timer_arm(fx->m, &a.t, 100);
	hv_time_advance_to(fx->m, 500);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.at[1], 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_timers_fire_in_deadline_then_arming_order),
		FX_TEST(test_cancel_and_rearm),
		FX_TEST(test_time_never_runs_back),
		FX_TEST(test_timer_armed_from_callback_fires_in_same_advance),
		FX_TEST(test_vtimer_level_and_istatus),
		FX_TEST(test_vtimer_masked_is_no_deadline),
		FX_TEST(test_vtimer_tval_is_relative),
		FX_TEST(test_vtimer_deadline_rounds_up_to_a_tick),
		FX_TEST(test_model_timer_and_vtimer_share_the_clock),
		FX_TEST(test_rewind_only_when_nothing_can_fire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
