/* SPDX-License-Identifier: BSD-2-Clause */
/* What Xen 4.17 on ARM does with an `hvc` whose immediate is neither 0
 * (SMCCC) nor the hypercall tag 0xEA1 (traps.c, do_trap_guest_sync and
 * do_trap_hypercall): a debug build acts on the debug immediates 0xFFxx;
 * anything else, the debug immediates on a release build included, is
 * logged and answered with an undefined-instruction exception that the
 * runtime injects into the guest. The immediate is the guest's. */
#include "hv/hypercall.h"
#include "hv/machine.h"

enum hv_hvc_answer hv_hvc_other(struct hv_vcpu *v, uint16_t imm)
{
	struct hv_domain *d = v->domain;

	if (d->machine->xen_debug && (imm & 0xff00) == 0xff00) {
		hv_debug_trap(v, imm);
		return HV_HVC_RETURN;
	}
	hv_printk(d->machine, "d%uv%u Invalid HVC imm %#x", d->domid, v->id,
		  imm);
	return HV_HVC_UNDEFINED;
}
