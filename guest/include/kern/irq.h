/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's one interrupt: Xen's event-channel upcall. */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

typedef void irq_handler_fn(void);

/* No handlers, as at load: interrupts are ignored, the timer's is stopped. */
void irq_reset(void);

/* Install the function kern_irq() runs (the event-channel demultiplexer). */
void irq_set_handler(irq_handler_fn *fn);

/* Install the function kern_timer_irq() runs (the timer layer's). */
void irq_set_timer_handler(irq_handler_fn *fn);
/* Interrupts taken since boot (upcalls and timer): a waiter compares it
 * across its check to know whether one came meanwhile. */
unsigned irq_taken(void);

#endif
