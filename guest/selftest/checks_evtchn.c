/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of event channels through the guest's layer: a loopback channel
 * with the upcall delivered to its handler, masking, an IPI, VIRQ_TIMER
 * (bindable, never raised on Xen for ARM, like set_timer_op and the VCPUOP
 * timers that would raise it) and the errors Xen 4.17 returns. Waits are
 * bounded by the timer, so a lost event fails instead of hanging. */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>

#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "selftest_checks.h"

/* Long enough for any runtime to deliver an interrupt. */
#define DELIVERY_TIMEOUT (10 * NSEC_PER_MSEC)

struct counter {
	volatile unsigned hits;
	volatile evtchn_port_t last_port;
};

static void count(evtchn_port_t port, void *arg)
{
	struct counter *c = arg;

	c->hits++;
	c->last_port = port;
}

static bool hit_once(void *arg)
{
	return ((struct counter *)arg)->hits >= 1;
}

static long op(int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static bool status_is(evtchn_port_t port, uint32_t status)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	return op(EVTCHNOP_status, &st) == 0 && st.status == status;
}

void check_evtchn_loopback(struct selftest_ctx *ctx)
{
	struct counter a = { 0 }, b = { 0 };
	evtchn_port_t pa, pb;
	struct evtchn_status st = { .dom = DOMID_SELF };
	int rc;

	rc = evtchn_alloc_unbound(DOMID_SELF, count, &a, &pa);
	if (!check_that(ctx, rc == 0, "alloc_unbound: %d", rc))
		return;
	rc = evtchn_bind_interdomain(DOMID_SELF, pa, count, &b, &pb);
	if (!check_that(ctx, rc == 0, "bind_interdomain: %d", rc)) {
		evtchn_unbind(pa);
		return;
	}
	/* Xen raises a freshly bound local port once. */
	time_wait(hit_once, &b, DELIVERY_TIMEOUT);
	b.hits = 0;
	st.port = pb;
	check(ctx, op(EVTCHNOP_status, &st) == 0 &&
		   st.status == EVTCHNSTAT_interdomain &&
		   st.u.interdomain.port == pa && st.vcpu == 0);
	check(ctx, evtchn_notify(pa) == 0);
	check_that(ctx, time_wait(hit_once, &b, DELIVERY_TIMEOUT),
		   "send on %u: handler of %u never ran", pa, pb);
	check_that(ctx, b.hits == 1 && b.last_port == pb && a.hits == 0,
		   "after one send: a %u, b %u hits", a.hits, b.hits);
	check(ctx, evtchn_notify(pb) == 0);
	check_that(ctx, time_wait(hit_once, &a, DELIVERY_TIMEOUT) &&
			a.last_port == pa, "send back on %u lost", pb);
	check(ctx, !evtchn_is_pending(pa) && !evtchn_is_pending(pb));
	check(ctx, evtchn_unbind(pb) == 0);
	/* The peer of a closed port waits for us again. */
	st.port = pa;
	check(ctx, op(EVTCHNOP_status, &st) == 0 &&
		   st.status == EVTCHNSTAT_unbound);
	check(ctx, evtchn_unbind(pa) == 0);
	check(ctx, status_is(pa, EVTCHNSTAT_closed));
}

void check_evtchn_mask(struct selftest_ctx *ctx)
{
	struct counter c = { 0 }, peer = { 0 };
	evtchn_port_t pa, pb;

	if (!check(ctx, evtchn_alloc_unbound(DOMID_SELF, count, &peer,
					     &pa) == 0))
		return;
	if (!check(ctx, evtchn_bind_interdomain(DOMID_SELF, pa, count, &c,
						&pb) == 0)) {
		evtchn_unbind(pa);
		return;
	}
	time_wait(hit_once, &c, DELIVERY_TIMEOUT);
	c.hits = 0;
	evtchn_mask(pb);
	check(ctx, evtchn_is_masked(pb));
	check(ctx, evtchn_notify(pa) == 0);
	time_sleep(NSEC_PER_MSEC);
	check_that(ctx, c.hits == 0, "masked port delivered %u times", c.hits);
	check(ctx, evtchn_is_pending(pb));
	evtchn_unmask(pb);
	check_that(ctx, time_wait(hit_once, &c, DELIVERY_TIMEOUT),
		   "pending event lost on unmask");
	check(ctx, c.hits == 1 && !evtchn_is_masked(pb));
	evtchn_unbind(pb);
	evtchn_unbind(pa);
}

void check_evtchn_ipi(struct selftest_ctx *ctx)
{
	struct counter c = { 0 };
	evtchn_port_t p;
	int rc = evtchn_bind_ipi(0, count, &c, &p);

	if (!check_that(ctx, rc == 0, "bind_ipi: %d", rc))
		return;
	check(ctx, status_is(p, EVTCHNSTAT_ipi));
	check(ctx, evtchn_notify(p) == 0);
	check_that(ctx, time_wait(hit_once, &c, DELIVERY_TIMEOUT) &&
			c.last_port == p, "IPI never arrived");
	check(ctx, evtchn_unbind(p) == 0);
}

void check_virq_timer(struct selftest_ctx *ctx)
{
	struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = 1 };
	struct evtchn_bind_virq again = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_status st = { .dom = DOMID_SELF };
	struct counter c = { 0 };
	evtchn_port_t p;
	int rc = evtchn_bind_virq(VIRQ_TIMER, 0, count, &c, &p);

	if (!check_that(ctx, rc == 0, "bind_virq(VIRQ_TIMER): %d", rc))
		return;
	st.port = p;
	check(ctx, op(EVTCHNOP_status, &st) == 0 &&
		   st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER &&
		   st.vcpu == 0);
	check(ctx, op(EVTCHNOP_bind_virq, &again) == -XEN_EEXIST);
	/* ARM has no hypercall that arms a timer raising VIRQ_TIMER. */
	check(ctx, arch_hypercall(__HYPERVISOR_set_timer_op, 1, 0, 0, 0, 0) ==
		   -XEN_ENOSYS);
	check(ctx, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst) ==
		   -XEN_EINVAL);
	check(ctx, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &sst) ==
		   -XEN_EINVAL);
	time_sleep(2 * NSEC_PER_MSEC);
	check_that(ctx, c.hits == 0 && !evtchn_is_pending(p),
		   "VIRQ_TIMER raised %u times (Xen on ARM never does)", c.hits);
	check(ctx, evtchn_unbind(p) == 0);
	check(ctx, status_is(p, EVTCHNSTAT_closed));
}

void check_evtchn_errors(struct selftest_ctx *ctx)
{
	struct evtchn_close close0 = { .port = 0 };
	struct evtchn_close close_far = { .port = 100000 };
	struct evtchn_send send_far = { .port = 100000 };
	struct evtchn_bind_virq bad_virq = { .virq = NR_VIRQS };
	struct evtchn_bind_virq global_on_1 = { .virq = VIRQ_CONSOLE,
						.vcpu = 1 };
	struct evtchn_bind_virq no_vcpu = { .virq = VIRQ_DEBUG, .vcpu = 999 };
	struct evtchn_bind_ipi ipi_no_vcpu = { .vcpu = 999 };
	struct evtchn_unmask unmask_far = { .port = 100000 };
	struct evtchn_bind_vcpu bv = { .port = 0, .vcpu = 999 };
	struct evtchn_reset reset = { .dom = DOMID_SELF };
	struct evtchn_expand_array expand = { .array_gfn = 0 };
	struct evtchn_set_priority prio = { .port = 1, .priority = 1 };

	check(ctx, op(EVTCHNOP_close, &close0) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_close, &close_far) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_send, &send_far) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_unmask, &unmask_far) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_bind_virq, &bad_virq) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_bind_virq, &global_on_1) == -XEN_EINVAL);
	check(ctx, op(EVTCHNOP_bind_virq, &no_vcpu) == -XEN_ENOENT);
	check(ctx, op(EVTCHNOP_bind_ipi, &ipi_no_vcpu) == -XEN_ENOENT);
	check(ctx, op(EVTCHNOP_bind_vcpu, &bv) == -XEN_ENOENT);
	/* Port 0 is reserved: it reads as closed. */
	check(ctx, status_is(0, EVTCHNSTAT_closed));
	/* The continuation of a reset nobody started. */
	check(ctx, op(14, &reset) == -XEN_EBUSY);
	check(ctx, op(99, &reset) == -XEN_ENOSYS);
	if (evtchn_abi() == EVTCHN_ABI_2L) {
		check(ctx, op(EVTCHNOP_expand_array, &expand) ==
			   -XEN_EOPNOTSUPP);
		check(ctx, op(EVTCHNOP_set_priority, &prio) == -XEN_ENOSYS);
	}
}
