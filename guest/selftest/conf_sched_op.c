/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_sched_op beyond shutdown: yield, poll (its
 * limits, an invalid port, a pending one), remote_shutdown, the two
 * watchdogs, pin_override and shutdown_code's bad pointer. Nothing here
 * stops the domain or leaves a watchdog running. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "conf.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"

#define UNMAPPED_VA ((void *)0x10ul)
#define WATCHDOG_SECONDS 600   /* far beyond the battery's run */

static long poll_ports(evtchn_port_t *ports, uint32_t nr)
{
	struct sched_poll p = { .nr_ports = nr, .timeout = 0 };

	set_xen_guest_handle(p.ports, ports);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void ignore_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

/* A port of our own made pending while masked, so the poll has something
 * to find at once. */
static void poll_pending_port(struct selftest_ctx *ctx)
{
	evtchn_port_t pa, pb;

	if (!check(ctx, evtchn_alloc_unbound(DOMID_SELF, ignore_event, NULL,
					     &pa) == 0))
		return;
	if (!check(ctx, evtchn_bind_interdomain(DOMID_SELF, pa, ignore_event,
						NULL, &pb) == 0)) {
		evtchn_unbind(pa);
		return;
	}
	evtchn_mask(pb);
	evtchn_clear(pb);
	check(ctx, evtchn_notify(pa) == 0);
	conf_expect(ctx, "SCHEDOP_poll(a pending port)", poll_ports(&pb, 1), 0);
	evtchn_clear(pb);
	evtchn_unbind(pb);
	evtchn_unbind(pa);
}

static long remote_shutdown(domid_t domid)
{
	/* SHUTDOWN_crash would end a domain that may do this; we may not. */
	struct sched_remote_shutdown rs = { .domain_id = domid,
					    .reason = SHUTDOWN_crash };

	return HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs);
}

static long watchdog(uint32_t id, uint32_t timeout)
{
	struct sched_watchdog w = { .id = id, .timeout = timeout };

	return HYPERVISOR_sched_op(SCHEDOP_watchdog, &w);
}

static void watchdogs(struct selftest_ctx *ctx)
{
	conf_expect(ctx, "watchdog(new)", watchdog(0, WATCHDOG_SECONDS), 1);
	conf_expect(ctx, "watchdog(new, second)",
		    watchdog(0, WATCHDOG_SECONDS), 2);
	/* Xen 4.17 returns this error zero-extended from 32 bits (x0 =
	 * 0xffffffe4 on arm64, r0 = -28 on arm32): compared as 32 bits. */
	conf_expect(ctx, "watchdog(new, third), low 32 bits",
		    (int32_t)watchdog(0, WATCHDOG_SECONDS), -XEN_ENOSPC);
	conf_expect(ctx, "watchdog(id 3)", watchdog(3, WATCHDOG_SECONDS),
		    -XEN_EINVAL);
	conf_expect(ctx, "watchdog(feed 1)", watchdog(1, WATCHDOG_SECONDS), 0);
	conf_expect(ctx, "watchdog(stop 1)", watchdog(1, 0), 0);
	conf_expect(ctx, "watchdog(stop 1 again)", watchdog(1, 0), -XEN_EINVAL);
	conf_expect(ctx, "watchdog(stop 2)", watchdog(2, 0), 0);
}

void check_conf_sched_op(struct selftest_ctx *ctx)
{
	evtchn_port_t far_port = 4000;
	struct sched_pin_override pin = { .pcpu = -1 };
	domid_t self;

	conf_expect(ctx, "SCHEDOP_yield", HYPERVISOR_sched_op(SCHEDOP_yield,
							       NULL), 0);
	conf_expect(ctx, "SCHEDOP_poll(129 ports)", poll_ports(&far_port, 129),
		    -XEN_EINVAL);
	conf_expect(ctx, "SCHEDOP_poll(an invalid port)",
		    poll_ports(&far_port, 1), -XEN_EINVAL);
	poll_pending_port(ctx);
	conf_expect(ctx, "remote_shutdown(an absent domain)",
		    remote_shutdown(conf_absent_domid(ctx)), -XEN_ESRCH);
	conf_expect(ctx, "remote_shutdown(DOMID_SELF)",
		    remote_shutdown(DOMID_SELF), -XEN_ESRCH);
	/* Only a domU may ask this of itself: dom0 would be obeyed. */
	if (check(ctx, evtchn_own_domid(&self) == 0) && !conf_is_dom0())
		conf_expect_role(ctx, "remote_shutdown(own id)",
				 remote_shutdown(self), 0, -XEN_EPERM);
	else
		conf_expect_role(ctx, "remote_shutdown(own id)", 0, 0, 0);
	watchdogs(ctx);
	conf_expect_role(ctx, "pin_override(-1)",
			 HYPERVISOR_sched_op(SCHEDOP_pin_override, &pin),
			 -XEN_EINVAL, -XEN_EPERM);
	conf_expect(ctx, "shutdown_code(bad pointer)",
		    HYPERVISOR_sched_op(SCHEDOP_shutdown_code, UNMAPPED_VA),
		    -XEN_EFAULT);
}
