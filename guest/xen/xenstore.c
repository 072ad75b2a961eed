/* Boot-time glue for the xenstore client: read the page and port the
 * toolstack left in the HVM parameters, check them, attach the port, and
 * hand the client a transport made of event channels and the timer. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/printf.h"

/* How long a request may wait for the daemon, and how often a wait wakes
 * to look at the clock when no event comes. */
#define XS_REQUEST_TIMEOUT (5000 * NSEC_PER_MSEC)
#define XS_POLL_INTERVAL   (10 * NSEC_PER_MSEC)

/* A page number the toolstack has not filled in yet (later Xen's marker). */
#define STORE_PFN_LATE_INIT (~0ull)

static evtchn_port_t store_port;
static int init_result = -XEN_ENODEV;

static void store_event(evtchn_port_t port, void *arg)
{
	/* The client looks at the ring when its wait returns. */
	(void)port;
	(void)arg;
}

static void kick(void *ctx)
{
	(void)ctx;
	evtchn_notify(store_port);
}

static void wake_up(struct timeout *t, void *arg)
{
	(void)t;
	(void)arg;
}

/* Idle until an event or the next poll tick. */
static void wait_once(void *ctx)
{
	struct timeout tick = { 0 };

	(void)ctx;
	timeout_arm(&tick, time_now() + XS_POLL_INTERVAL, wake_up, NULL);
	arch_idle();
	timeout_cancel(&tick);
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

static int connect(void)
{
	static const struct xs_transport transport = {
		.kick = kick, .wait = wait_once, .now_ns = now,
		.timeout_ns = XS_REQUEST_TIMEOUT,
	};
	uint64_t pfn, port;
	void *page;
	int rc;

	/* Whatever a previous boot left behind is gone. */
	xs_disconnect();
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
	rc = evtchn_attach(store_port, store_event, NULL);
	if (rc)
		return rc;
	return xs_connect(page, &transport);
}

void xenstore_reset(void)
{
	store_port = 0;
	init_result = -XEN_ENODEV;
}

int xenstore_init(void)
{
	init_result = connect();
	return init_result;
}
