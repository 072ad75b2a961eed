/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry from the arch: hand the upcall and the timer interrupt to
 * their registered handlers. */
#include "kern/irq.h"
#include "port.h"

static irq_handler_fn *handler;
static irq_handler_fn *timer_handler;

void irq_reset(void)
{
	handler = NULL;
	timer_handler = NULL;
}

void irq_set_handler(irq_handler_fn *fn)
{
	handler = fn;
}

void kern_irq(void)
{
	if (handler)
		handler();
}

void irq_set_timer_handler(irq_handler_fn *fn)
{
	timer_handler = fn;
}

void kern_timer_irq(void)
{
	/* Nobody wants the timer: stop it, or its line stays asserted. */
	if (timer_handler)
		timer_handler();
	else
		arch_timer_set(0);
}
