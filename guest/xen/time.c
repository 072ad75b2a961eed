/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's clock and timeouts on the one architectural timer: a list of
 * armed timeouts sorted by deadline, the timer always programmed for the
 * first of them (or stopped), and expired ones called from the interrupt.
 * On Xen for ARM the timer is the guest's own (CNTV): the hypervisor never
 * raises VIRQ_TIMER, so nothing here depends on it. */
#include <stddef.h>

#include "gxen/time.h"
#include "kern/irq.h"
#include "port.h"

static struct timeout *armed;   /* sorted, earliest first */
static uint64_t last_now;
static unsigned irqs;

uint64_t time_now(void)
{
	uint64_t now = arch_time_ns();

	/* A counter that stepped back (a migrated vCPU, a bad emulator)
	 * must not make time run backwards for callers. */
	if (now < last_now)
		return last_now;
	last_now = now;
	return now;
}

static void program(void)
{
	arch_timer_set(armed ? (armed->deadline ? armed->deadline : 1) : 0);
}

static void unlink_timeout(struct timeout *t)
{
	for (struct timeout **pp = &armed; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void timeout_cancel(struct timeout *t)
{
	unsigned long flags = arch_irq_save();

	if (t->armed) {
		unlink_timeout(t);
		program();
	}
	arch_irq_restore(flags);
}

void timeout_arm(struct timeout *t, uint64_t deadline, timeout_fn *fn,
		 void *arg)
{
	unsigned long flags = arch_irq_save();
	struct timeout **pp;

	if (t->armed)
		unlink_timeout(t);
	t->deadline = deadline;
	t->fn = fn;
	t->arg = arg;
	/* After those with the same deadline: first armed, first called. */
	for (pp = &armed; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	program();
	arch_irq_restore(flags);
}

/* The timer interrupt: call what expired, then program the next one. */
static void time_irq(void)
{
	uint64_t now = time_now();

	irqs++;
	while (armed && armed->deadline <= now) {
		struct timeout *t = armed;

		unlink_timeout(t);
		t->fn(t, t->arg);
	}
	program();
}

void time_reset(void)
{
	armed = NULL;
	last_now = 0;
	irqs = 0;
}

void time_init(void)
{
	arch_timer_set(0);
	irq_set_timer_handler(time_irq);
}

void time_quiesce(void)
{
	arch_timer_set(0);
}

void time_resume(void)
{
	program();
}

unsigned time_irq_count(void)
{
	return irqs;
}

static void wake(struct timeout *t, void *arg)
{
	(void)t;
	*(volatile bool *)arg = true;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

bool time_wait(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns)
{
	uint64_t deadline = time_now() + timeout_ns;
	volatile bool expired = false;
	struct timeout t = { .armed = false };
	bool ok;

	if (deadline < timeout_ns)
		deadline = UINT64_MAX;
	timeout_arm(&t, deadline, wake, (void *)&expired);
	/* The deadline is checked too: wfi returns on a pending timer even
	 * when interrupts happen to be masked. */
	for (;;) {
		unsigned before = irq_taken();
		unsigned long flags;

		if ((ok = cond(arg)) || expired || time_now() >= deadline)
			break;
		/* An interrupt taken while cond ran may be what it waits for,
		 * though cond looked before it came: look again rather than
		 * sleep past it. Masked from here, one that comes now stays
		 * pending, ends the wait at once and is taken after. */
		flags = arch_irq_save();
		if (irq_taken() == before)
			arch_idle();
		arch_irq_restore(flags);
	}
	timeout_cancel(&t);
	return ok;
}

void time_sleep(uint64_t ns)
{
	time_wait(never, NULL, ns);
}
