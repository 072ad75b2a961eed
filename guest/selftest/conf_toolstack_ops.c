/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of the toolstack's hypercalls: platform_op, sysctl, domctl
 * (interface version first, then privilege) and hypfs_op. A domU is
 * refused; dom0 gets past the checks to an unknown command. */
#include <xen/errno.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "kern/string.h"

/* Xen 4.17's interface versions. */
#define XENPF_INTERFACE_VERSION      0x03000001u
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015u
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015u
#define NO_SUCH_COMMAND              0xffffu
#define XEN_HYPFS_OP_get_version     0

/* The head of all three: command and version; domctl adds the domain.
 * The union behind it is 128 bytes; Xen reads it whole. */
struct toolstack_op {
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;              /* domctl only */
	uint16_t pad[3];
	uint8_t u[128];
};

static long call(unsigned long op, uint32_t version, uint16_t domain)
{
	struct toolstack_op t;

	memset(&t, 0, sizeof(t));
	t.cmd = NO_SUCH_COMMAND;
	t.interface_version = version;
	t.domain = domain;
	return HYPERVISOR_toolstack_op(op, &t);
}

void check_conf_toolstack_ops(struct selftest_ctx *ctx)
{
	domid_t self = 0;

	conf_expect(ctx, "platform_op(version 0)",
		    call(__HYPERVISOR_platform_op, 0, 0), -XEN_EACCES);
	conf_expect_role(ctx, "platform_op(unknown command)",
			 call(__HYPERVISOR_platform_op,
			      XENPF_INTERFACE_VERSION, 0),
			 -XEN_ENOSYS, -XEN_EPERM);
	conf_expect(ctx, "sysctl(version 0)", call(__HYPERVISOR_sysctl, 0, 0),
		    -XEN_EACCES);
	conf_expect_role(ctx, "sysctl(unknown command)",
			 call(__HYPERVISOR_sysctl,
			      XEN_SYSCTL_INTERFACE_VERSION, 0),
			 -XEN_ENOSYS, -XEN_EPERM);
	conf_expect(ctx, "domctl(version 0)", call(__HYPERVISOR_domctl, 0, 0),
		    -XEN_EACCES);
	conf_expect(ctx, "domctl(an absent domain)",
		    call(__HYPERVISOR_domctl, XEN_DOMCTL_INTERFACE_VERSION,
			 conf_absent_domid(ctx)),
		    -XEN_ESRCH);
	check(ctx, evtchn_own_domid(&self) == 0);
	conf_expect_role(ctx, "domctl(unknown command, own domain)",
			 call(__HYPERVISOR_domctl,
			      XEN_DOMCTL_INTERFACE_VERSION, self),
			 -XEN_ENOSYS, -XEN_EPERM);
	conf_expect_role(ctx, "hypfs_op(get_version)",
			 HYPERVISOR_hypfs_op(XEN_HYPFS_OP_get_version, NULL, 0,
					     NULL, 0), 1, -XEN_EPERM);
	conf_expect_role(ctx, "hypfs_op(get_version, with a length)",
			 HYPERVISOR_hypfs_op(XEN_HYPFS_OP_get_version, NULL, 1,
					     NULL, 0), -XEN_EINVAL, -XEN_EPERM);
}
