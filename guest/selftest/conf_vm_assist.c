/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_vm_assist on ARM: runstate_update_flag is the
 * one assist there; other types and commands are refused. Leaves it off. */
#include <xen/errno.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/hypercall.h"

void check_conf_vm_assist(struct selftest_ctx *ctx)
{
	conf_expect(ctx, "enable runstate_update_flag",
		    HYPERVISOR_vm_assist(VMASST_CMD_enable,
					 VMASST_TYPE_runstate_update_flag), 0);
	conf_expect(ctx, "disable runstate_update_flag",
		    HYPERVISOR_vm_assist(VMASST_CMD_disable,
					 VMASST_TYPE_runstate_update_flag), 0);
	conf_expect(ctx, "enable 4gb_segments",
		    HYPERVISOR_vm_assist(VMASST_CMD_enable,
					 VMASST_TYPE_4gb_segments), -XEN_EINVAL);
	conf_expect(ctx, "enable m2p_strict",
		    HYPERVISOR_vm_assist(VMASST_CMD_enable,
					 VMASST_TYPE_m2p_strict), -XEN_EINVAL);
	conf_expect(ctx, "enable type 64",
		    HYPERVISOR_vm_assist(VMASST_CMD_enable, 64), -XEN_EINVAL);
	conf_expect(ctx, "command 7 on runstate_update_flag",
		    HYPERVISOR_vm_assist(7, VMASST_TYPE_runstate_update_flag),
		    -XEN_ENOSYS);
}
