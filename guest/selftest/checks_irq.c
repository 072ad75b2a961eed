/* SPDX-License-Identifier: BSD-2-Clause */
/* The event upcall end to end: a loopback event channel (two ports of this
 * domain bound to each other), a send while interrupts are masked, and the
 * interrupt the hypervisor raises for it, taken after unmasking through the
 * port's vectors (on ARM, the GIC) and the event-channel demultiplexer.
 * Counts deliveries only: the demultiplexer validates what it reads. */
#include <xen/version.h>
#include <xen/xen.h>

#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "selftest_checks.h"

/* Hypercalls to make while waiting: each is a point where an emulated CPU
 * may deliver the interrupt. A real CPU takes it at once. */
#define UPCALL_POLLS 16

static void count_event(evtchn_port_t port, void *arg)
{
	volatile unsigned *hits = arg;

	(void)port;
	(*hits)++;
}

/* Send on one end with interrupts masked, then unmask and let it land. */
static void send_and_take(struct selftest_ctx *ctx, evtchn_port_t from,
			  volatile unsigned *hits)
{
	unsigned long flags = arch_irq_save();
	int rc = evtchn_notify(from);

	check_that(ctx, rc == 0, "send: %d", rc);
	check_that(ctx, *hits == 0, "event delivered while masked");
	arch_irq_enable();
	for (unsigned i = 0; i < UPCALL_POLLS && *hits == 0; i++)
		HYPERVISOR_xen_version(XENVER_version, NULL);
	arch_irq_restore(flags);
	check_that(ctx, *hits == 1, "%u deliveries for one send", *hits);
}

void check_evtchn_upcall_irq(struct selftest_ctx *ctx)
{
	static volatile unsigned sent_hits, recv_hits;
	evtchn_port_t unbound, local;
	int rc;

	sent_hits = recv_hits = 0;
	rc = evtchn_alloc_unbound(DOMID_SELF, count_event, (void *)&sent_hits,
				  &unbound);
	if (!check_that(ctx, rc == 0, "alloc_unbound: %d", rc))
		return;
	rc = evtchn_bind_interdomain(DOMID_SELF, unbound, count_event,
				     (void *)&recv_hits, &local);
	if (check_that(ctx, rc == 0, "bind_interdomain: %d", rc)) {
		send_and_take(ctx, unbound, &recv_hits);
		check_that(ctx, sent_hits == 0, "the sending end got %u events",
			   sent_hits);
		check(ctx, evtchn_unbind(local) == 0);
	}
	check(ctx, evtchn_unbind(unbound) == 0);
}
