/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_sched_op as Xen 4.17 answers it on ARM: yield, block, shutdown
 * and its code, poll, remote_shutdown (a device model's or the control
 * domain's), the domain's two watchdogs (watchdog.c), and pin_override (the hardware
 * domain's alone). Everything in the argument comes from the guest and is
 * checked here. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

#define POLL_MAX_PORTS    128   /* Xen's limit for one poll */

static long shutdown(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_shutdown s;

	if (hv_copy_from_guest(v, &s, gva, sizeof(s)))
		return -XEN_EFAULT;
	/* Xen keeps the reason in a byte; a shutdown_code given before
	 * wins over the reason given now. */
	if (v->domain->shutdown_code >= 0)
		s.reason = (uint32_t)v->domain->shutdown_code;
	hv_domain_shutdown(v->domain, s.reason & 0xff);
	return 0;
}

/* The reason the toolstack reports if the domain later stops some other
 * way; only the first one counts. */
static long shutdown_code(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_shutdown s;

	if (hv_copy_from_guest(v, &s, gva, sizeof(s)))
		return -XEN_EFAULT;
	if (v->domain->shutdown_code < 0)
		v->domain->shutdown_code = (int)(s.reason & 0xff);
	return 0;
}

/* SCHEDOP_block: Xen on ARM unmasks the vCPU's IRQs (CPSR.I) and sleeps
 * until an interrupt is pending; the runtime does both (vcpu_wait.c). */
static long block(struct hv_vcpu *v)
{
	hv_vcpu_wait_block(v);
	return 0;
}

static bool port_valid(struct hv_domain *d, evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	return hv_evtchn_status_for(d, &st) == 0;
}

/* SCHEDOP_poll: 0 as soon as one of the ports is pending. With none
 * pending Xen sleeps until one is, an interrupt arrives or the absolute
 * timeout (ns of system time, 0 none) passes; the runtime waits so. */
static long poll(struct hv_vcpu *v, uint64_t gva)
{
	struct hv_domain *d = v->domain;
	struct sched_poll p;
	uint32_t ports[POLL_MAX_PORTS];

	if (hv_copy_from_guest(v, &p, gva, sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	/* An event waiting for delivery ends the poll before any port is
	 * looked at, as on Xen. */
	if (hv_evtchn_upcall_pending(v))
		return 0;
	for (uint32_t i = 0; i < p.nr_ports; i++) {
		evtchn_port_t port;

		if (hv_copy_from_guest(v, &port,
				       p.ports.q + (uint64_t)i * sizeof(port),
				       sizeof(port)))
			return -XEN_EFAULT;
		if (!port_valid(d, port))
			return -XEN_EINVAL;
		if (hv_evtchn_is_pending(d, port))
			return 0;
		ports[i] = port;
	}
	hv_vcpu_wait_poll(v, ports, p.nr_ports, p.timeout);
	return 0;
}

/* Only the control domain (or the target's device model, which the model
 * has none of) may stop another domain, or itself, this way. */
static long remote_shutdown(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_remote_shutdown rs;
	struct hv_domain *d;

	if (hv_copy_from_guest(v, &rs, gva, sizeof(rs)))
		return -XEN_EFAULT;
	d = hv_domain_by_id(v->domain->machine, rs.domain_id);
	if (!d)
		return -XEN_ESRCH;
	if (!v->domain->privileged)
		return -XEN_EPERM;
	hv_domain_shutdown(d, rs.reason & 0xff);
	return 0;
}

static long watchdog(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_watchdog w;

	if (hv_copy_from_guest(v, &w, gva, sizeof(w)))
		return -XEN_EFAULT;
	return hv_watchdog_op(v->domain, w.id, w.timeout);
}

/* Pinning to a physical CPU is for the hardware domain. Xen refuses to
 * undo (pcpu -1) a pin that was never made (-EINVAL); the model has no
 * physical CPUs to pin to and refuses every pin the same way. */
static long pin_override(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_pin_override po;

	if (!v->domain->privileged)
		return -XEN_EPERM;
	if (hv_copy_from_guest(v, &po, gva, sizeof(po)))
		return -XEN_EFAULT;
	return -XEN_EINVAL;
}

long hv_do_sched_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	switch ((uint32_t)arg[0]) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_block:
		return block(v);
	case SCHEDOP_shutdown:
		return shutdown(v, arg[1]);
	case SCHEDOP_shutdown_code:
		return shutdown_code(v, arg[1]);
	case SCHEDOP_poll:
		return poll(v, arg[1]);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v, arg[1]);
	case SCHEDOP_watchdog:
		return watchdog(v, arg[1]);
	case SCHEDOP_pin_override:
		return pin_override(v, arg[1]);
	default:
		return -XEN_ENOSYS;
	}
}
