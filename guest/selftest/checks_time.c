/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the guest's clock and timer: time moves forward, a sleep lasts
 * at least what was asked and is ended by the timer interrupt, timeouts
 * fire in deadline order and a cancelled one never fires. */
#include "gxen/time.h"
#include "port.h"
#include "selftest_checks.h"

struct order {
	unsigned seen[3];
	unsigned n;
};

static void record(struct timeout *t, void *arg)
{
	struct order *o = arg;

	(void)t;
	if (o->n < 3)
		o->seen[o->n] = (unsigned)(t->deadline % 10);
	o->n++;
}

static bool all_fired(void *arg)
{
	return ((struct order *)arg)->n >= 2;
}

static void set_flag(struct timeout *t, void *arg)
{
	(void)t;
	*(volatile bool *)arg = true;
}

static bool flag_set(void *arg)
{
	return *(volatile bool *)arg;
}

void check_timer_sleep(struct selftest_ctx *ctx)
{
	uint64_t t0 = time_now(), t1;
	unsigned irqs = time_irq_count();
	struct timeout t = { .armed = false };
	volatile bool fired = false;

	time_sleep(2 * NSEC_PER_MSEC);
	t1 = time_now();
	check_that(ctx, t1 >= t0 + 2 * NSEC_PER_MSEC,
		   "slept %llu ns of 2 ms", (unsigned long long)(t1 - t0));
	check(ctx, time_now() >= t1);
	/* A sleep may end on the clock alone when its deadline has passed
	 * before the first wait (QEMU on a busy host). A timeout's callback
	 * runs only from the timer interrupt, and this one stays armed until
	 * it has run, so the interrupt is what ends this wait. */
	timeout_arm(&t, time_now() + NSEC_PER_MSEC, set_flag, (void *)&fired);
	check_that(ctx, time_wait(flag_set, (void *)&fired,
				  100 * NSEC_PER_MSEC), "no timer interrupt");
	timeout_cancel(&t);
	check(ctx, time_irq_count() > irqs);
}

void check_timer_timeouts(struct selftest_ctx *ctx)
{
	struct timeout a = { .armed = false }, b = { .armed = false },
		       c = { .armed = false };
	struct order o = { { 0 }, 0 };
	uint64_t base = time_now() + NSEC_PER_MSEC;
	unsigned long flags;

	/* Deadlines end in 1, 2, 3 so the callback can tell them apart.
	 * Armed and cancelled with interrupts masked: on real hardware (or
	 * QEMU on a busy host) a deadline may pass before the next line
	 * runs, and none may fire before all are in place. */
	base -= base % 10;
	flags = arch_irq_save();
	timeout_arm(&b, base + 2 * NSEC_PER_MSEC + 2, record, &o);
	timeout_arm(&a, base + NSEC_PER_MSEC + 1, record, &o);
	timeout_arm(&c, base + 3 * NSEC_PER_MSEC + 3, record, &o);
	timeout_cancel(&c);
	arch_irq_restore(flags);
	check(ctx, time_wait(all_fired, &o, 10 * NSEC_PER_MSEC));
	time_sleep(3 * NSEC_PER_MSEC);
	check_that(ctx, o.n == 2 && o.seen[0] == 1 && o.seen[1] == 2,
		   "fired %u: %u, %u", o.n, o.seen[0], o.seen[1]);
	check(ctx, !a.armed && !b.armed && !c.armed);
}

/* A busy wait on the clock, as a udelay does: the clock must move while
 * the guest never idles, here and on hardware alike. */
void check_timer_busy_wait(struct selftest_ctx *ctx)
{
	uint64_t t0 = time_now(), t;
	unsigned long spins = 0;

	do {
		t = time_now();
		spins++;
	} while (t - t0 < 10 * NSEC_PER_USEC && spins < 100000000ul);
	check_that(ctx, t - t0 >= 10 * NSEC_PER_USEC,
		   "clock moved %llu ns in %lu reads",
		   (unsigned long long)(t - t0), spins);
}
