/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time glue for the xenstore client: read the page and port the
 * toolstack left in the HVM parameters, check them, attach the port, and
 * hand the client a transport made of the store's event channel (what
 * wakes a waiting request) and a timer (only its timeout). */
#include <stdbool.h>

#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/printf.h"
#include "port.h"

/* How long a request may wait for the daemon. */
#define XS_REQUEST_TIMEOUT (5000 * NSEC_PER_MSEC)

/* A page number the toolstack has not filled in yet (later Xen's marker). */
#define STORE_PFN_LATE_INIT (~0ull)

static evtchn_port_t store_port;
static int init_result = -XEN_ENODEV;
/* Set by the store's event (the daemon wrote to the ring or took from it),
 * cleared by the wait that saw it. */
static volatile bool store_signalled;

static void store_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	store_signalled = true;
}

static void kick(void *ctx)
{
	(void)ctx;
	evtchn_notify(store_port);
}

/* Its interrupt is what ends the wait; the wait then reads the clock. */
static void deadline_passed(struct timeout *t, void *arg)
{
	(void)t;
	(void)arg;
}

/* Idle until the store's event or the deadline. The flag is tested with
 * interrupts masked: an event that comes after the test stays pending and
 * ends the wfi at once, so none is lost. Other interrupts (another
 * device's event, another timer) only send the loop round again. Called
 * with interrupts enabled, as every xenstore request is. */
static void wait_for_store(void *ctx, uint64_t deadline)
{
	struct timeout limit = { 0 };
	unsigned long flags;

	(void)ctx;
	if (deadline)
		timeout_arm(&limit, deadline, deadline_passed, NULL);
	flags = arch_irq_save();
	while (!store_signalled && !(deadline && time_now() >= deadline)) {
		arch_idle();
		/* Take what woke us: the store's handler sets the flag. */
		arch_irq_restore(flags);
		flags = arch_irq_save();
	}
	/* The client looks at the ring next, so whatever this event
	 * announced will be seen; a later event sets the flag again. */
	store_signalled = false;
	arch_irq_restore(flags);
	timeout_cancel(&limit);
}

static uint64_t now(void *ctx)
{
	(void)ctx;
	return time_now();
}

static int hvm_param(unsigned index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return (int)rc;
}

int xenstore_init_result(void)
{
	return init_result;
}

static const struct xs_transport transport = {
	.kick = kick, .wait = wait_for_store, .now_ns = now,
	.timeout_ns = XS_REQUEST_TIMEOUT,
};

/* The page and port the toolstack gave, the port attached. */
static int attach(void **out)
{
	uint64_t pfn, port;
	void *page;
	int rc;

	if ((rc = hvm_param(HVM_PARAM_STORE_PFN, &pfn)) ||
	    (rc = hvm_param(HVM_PARAM_STORE_EVTCHN, &port)))
		return rc;
	if (pfn == 0 || pfn == STORE_PFN_LATE_INIT)
		return -XEN_ENODEV;
	page = pfn_to_virt(pfn);
	if (!page || port == 0 || port >= EVTCHN_MAX_PORTS) {
		kprintf("xenstore: unusable page %#llx or port %llu\n",
			(unsigned long long)pfn, (unsigned long long)port);
		return -XEN_EINVAL;
	}
	store_port = (evtchn_port_t)port;
	store_signalled = false;
	rc = evtchn_attach(store_port, store_event, NULL);
	if (rc == 0)
		*out = page;
	return rc;
}

void xenstore_reset(void)
{
	store_port = 0;
	store_signalled = false;
	init_result = -XEN_ENODEV;
}

int xenstore_init(void)
{
	void *page;

	/* Whatever a previous boot left behind is gone. */
	xs_disconnect();
	init_result = attach(&page);
	if (init_result == 0)
		init_result = xs_connect(page, &transport);
	return init_result;
}

int xenstore_resume(void)
{
	void *page;
	int rc;

	if (init_result)
		return xenstore_init();
	rc = attach(&page);
	init_result = rc ? rc : xs_resume(page, &transport);
	return init_result;
}
