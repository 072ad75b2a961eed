/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_hvm_op: which parameters a domain may read and
 * set of its own (the toolstack's are read-only to it, the monitor ring is
 * hidden, every other index is a hole), other domains, and
 * guest_request_vm_event. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "conf.h"
#include "gxen/hypercall.h"

#define HVMOP_guest_request_vm_event 24

static long param(unsigned op, domid_t domid, uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index,
				   .value = value };

	return HYPERVISOR_hvm_op(op, &p);
}

void check_conf_hvm_op(struct selftest_ctx *ctx)
{
	conf_expect(ctx, "get STORE_PFN",
		    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, 0),
		    0);
	conf_expect(ctx, "get CONSOLE_EVTCHN",
		    param(HVMOP_get_param, DOMID_SELF,
			  HVM_PARAM_CONSOLE_EVTCHN, 0), 0);
	conf_expect(ctx, "set STORE_PFN",
		    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN,
			  0x1234), -XEN_EPERM);
	conf_expect(ctx, "set CONSOLE_EVTCHN",
		    param(HVMOP_set_param, DOMID_SELF,
			  HVM_PARAM_CONSOLE_EVTCHN, 7), -XEN_EPERM);
	conf_expect(ctx, "set CALLBACK_IRQ",
		    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			  0), -XEN_EPERM);
	conf_expect(ctx, "set TIMER_MODE",
		    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_TIMER_MODE, 0),
		    -XEN_EINVAL);
	conf_expect(ctx, "get TIMER_MODE",
		    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_TIMER_MODE, 0),
		    -XEN_EINVAL);
	conf_expect(ctx, "get MONITOR_RING_PFN",
		    param(HVMOP_get_param, DOMID_SELF,
			  HVM_PARAM_MONITOR_RING_PFN, 0), -XEN_EPERM);
	conf_expect(ctx, "get index 1000",
		    param(HVMOP_get_param, DOMID_SELF, 1000, 0), -XEN_EINVAL);
	conf_expect(ctx, "get STORE_PFN of an absent domain",
		    param(HVMOP_get_param, conf_absent_domid(ctx),
			  HVM_PARAM_STORE_PFN, 0), -XEN_ESRCH);
	conf_expect(ctx, "guest_request_vm_event(NULL)",
		    HYPERVISOR_hvm_op(HVMOP_guest_request_vm_event, NULL), 0);
	conf_expect(ctx, "guest_request_vm_event(buffer)",
		    HYPERVISOR_hvm_op(HVMOP_guest_request_vm_event, ctx),
		    -XEN_EINVAL);
}
