/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_hvm_op on ARM: get_param, set_param and guest_request_vm_event,
 * with Xen 4.17's rules on who may touch which parameter: a domain reads
 * where its xenstore and console are but sets none of them (the toolstack
 * does), never reads the monitor ring, and every other index is a hole. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

#define HVMOP_guest_request_vm_event 24

/* The parameters the toolstack sets: refused to the domain itself. */
static bool toolstack_param(uint32_t index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_MONITOR_RING_PFN:
		return true;
	default:
		return false;
	}
}

static long may_set(const struct hv_vcpu *v, const struct hv_domain *d,
		    uint32_t index)
{
	if (!toolstack_param(index))
		return -XEN_EINVAL;   /* Xen's own, a hole, or out of range */
	return d == v->domain ? -XEN_EPERM : 0;
}

static long may_get(const struct hv_vcpu *v, const struct hv_domain *d,
		    uint32_t index)
{
	if (index == HVM_PARAM_MONITOR_RING_PFN)
		return d == v->domain ? -XEN_EPERM : 0;
	return toolstack_param(index) ? 0 : -XEN_EINVAL;
}

/* The xenstore and console rings are shared with dom0's daemons (here,
 * the model): a guest asking where its ring is gets it checked where it
 * maps it. */
static void check_ring_page(struct hv_vcpu *v, uint32_t index, uint64_t pfn)
{
	if (index == HVM_PARAM_STORE_PFN && pfn)
		hv_check_shared_gpfn(v, pfn, "the xenstore ring");
	if (index == HVM_PARAM_CONSOLE_PFN && pfn)
		hv_check_shared_gpfn(v, pfn, "the console ring");
}

static long hvm_param(struct hv_vcpu *v, uint64_t gva, bool set)
{
	struct xen_hvm_param p;
	struct hv_domain *d;
	long rc;

	if (hv_copy_from_guest(v, &p, gva, sizeof(p)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->domain && !v->domain->privileged)
		return -XEN_EPERM;
	rc = set ? may_set(v, d, p.index) : may_get(v, d, p.index);
	if (rc)
		return rc;
	if (set) {
		d->hvm_param[p.index] = p.value;
		return 0;
	}
	p.value = d->hvm_param[p.index];
	if (d == v->domain)
		check_ring_page(v, p.index, p.value);
	return hv_copy_to_guest(v, gva, &p, sizeof(p));
}

long hv_do_hvm_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	switch (arg[0]) {
	case HVMOP_set_param:
		return hvm_param(v, arg[1], true);
	case HVMOP_get_param:
		return hvm_param(v, arg[1], false);
	case HVMOP_guest_request_vm_event:
		/* No monitor listens: the request goes nowhere, as on Xen
		 * without one. */
		return arg[1] ? -XEN_EINVAL : 0;
	default:
		return -XEN_ENOSYS;
	}
}
