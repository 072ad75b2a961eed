/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_sched_op: yield and shutdown. ARM guests idle with `wfi`, so
 * blocking is the runtime's business, not a hypercall's. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

static long shutdown(struct hv_vcpu *v, uint64_t gva)
{
	struct sched_shutdown s;

	if (hv_copy_from_guest(v, &s, gva, sizeof(s)))
		return -XEN_EFAULT;
	/* Xen keeps the reason in a byte. */
	hv_domain_shutdown(v->domain, s.reason & 0xff);
	return 0;
}

long hv_do_sched_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	switch ((uint32_t)arg[0]) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_shutdown:
		return shutdown(v, arg[1]);
	default:
		return -XEN_ENOSYS;
	}
}
