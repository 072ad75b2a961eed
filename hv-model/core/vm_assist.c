/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_vm_assist on ARM: the only assist Xen 4.17 offers there is
 * runstate_update_flag (the runstate area's XEN_RUNSTATE_UPDATE bit while
 * Xen rewrites it); any other type is -EINVAL, any other command -ENOSYS. */
#include <xen/errno.h>
#include <xen/xen.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

#define VM_ASSIST_VALID (1ull << VMASST_TYPE_runstate_update_flag)

long hv_do_vm_assist(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	uint32_t cmd = (uint32_t)arg[0];
	uint32_t type = (uint32_t)arg[1];

	if (type >= 64 || !(VM_ASSIST_VALID & 1ull << type))
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->vm_assist |= 1ull << type;
		return 0;
	case VMASST_CMD_disable:
		d->vm_assist &= ~(1ull << type);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
