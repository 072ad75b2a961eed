/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_hvm_op on ARM: only get_param and set_param. A guest reads
 * where its xenstore and console pages and event channels are. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

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

	if (hv_copy_from_guest(v, &p, gva, sizeof(p)))
		return -XEN_EFAULT;
	if (p.index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	d = hv_domain_lookup(v->domain, p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->domain && !v->domain->privileged)
		return -XEN_EPERM;
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
	default:
		return -XEN_ENOSYS;
	}
}
