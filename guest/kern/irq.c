/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry from the arch: hand the upcall and the timer interrupt to
 * their registered handlers. */
#include "kern/irq.h"
#include "port.h"

static irq_handler_fn *handler;
static irq_handler_fn *timer_handler;
static unsigned taken;

void irq_reset(void)
{
	handler = NULL;
	timer_handler = NULL;
	taken = 0;
}

unsigned irq_taken(void)
{
	return taken;
}

void irq_set_handler(irq_handler_fn *fn)
{
	handler = fn;
}

void kern_irq(void)
{
	taken++;
	if (handler)
		handler();
}

void irq_set_timer_handler(irq_handler_fn *fn)
{
	timer_handler = fn;
}

void kern_timer_irq(void)
{
	taken++;
	/* Nobody wants the timer: stop it, or its line stays asserted. */
	if (timer_handler)
		timer_handler();
	else
		arch_timer_set(0);
}
