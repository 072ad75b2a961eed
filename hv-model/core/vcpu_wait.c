/* SPDX-License-Identifier: BSD-2-Clause */
/* The waits Xen 4.17 on ARM puts a vCPU in: SCHEDOP_block and PSCI
 * CPU_SUSPEND (vcpu_block_unmask_events: CPSR.I cleared, asleep until an
 * interrupt is pending) and SCHEDOP_poll with nothing pending (asleep
 * until a polled port is pending, an interrupt is injected, or its
 * absolute timeout passes). The hypercall returns 0 at once; the runtime
 * that runs the vCPU does the waiting, on virtual time. */
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/time.h"

void hv_vcpu_wait_block(struct hv_vcpu *v)
{
	v->wait = HV_WAIT_BLOCK;
}

static void poll_timeout(struct hv_timer *t, void *ctx)
{
	struct hv_vcpu *v = ctx;

	(void)t;
	v->poll_timed_out = true;
}

void hv_vcpu_wait_poll(struct hv_vcpu *v, const uint32_t *ports,
		       unsigned nr, uint64_t timeout_ns)
{
	v->wait = HV_WAIT_POLL;
	v->nr_poll_ports = nr < HV_POLL_MAX_PORTS ? nr : HV_POLL_MAX_PORTS;
	for (unsigned i = 0; i < v->nr_poll_ports; i++)
		v->poll_port[i] = ports[i];
	v->poll_timed_out = false;
	hv_timer_init(&v->poll_timer, poll_timeout, v);
	if (timeout_ns)
		hv_timer_arm(v->domain->machine, &v->poll_timer, timeout_ns);
}

bool hv_vcpu_wait_over(struct hv_vcpu *v, bool irq)
{
	if (v->wait == HV_WAIT_NONE || irq ||
	    !hv_domain_running(v->domain))
		return true;
	if (v->wait == HV_WAIT_BLOCK)
		return false;
	if (v->poll_timed_out)
		return true;
	for (unsigned i = 0; i < v->nr_poll_ports; i++)
		if (hv_evtchn_is_pending(v->domain, v->poll_port[i]))
			return true;
	return false;
}

void hv_vcpu_wait_end(struct hv_vcpu *v)
{
	if (v->wait == HV_WAIT_POLL)
		hv_timer_cancel(v->domain->machine, &v->poll_timer);
	v->wait = HV_WAIT_NONE;
}
