/* The guest's one interrupt: Xen's event-channel upcall. */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

/* Install the function kern_irq() runs (the event-channel demultiplexer). */
void irq_set_handler(void (*fn)(void));

#endif
