/* Interrupt entry from the arch: hand the upcall to its registered handler. */
#include "kern/irq.h"
#include "port.h"

static void (*handler)(void);

void irq_set_handler(void (*fn)(void))
{
	handler = fn;
}

void kern_irq(void)
{
	if (handler)
		handler();
}
