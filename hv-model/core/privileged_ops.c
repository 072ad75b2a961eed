/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack's hypercalls: platform_op, sysctl, domctl and hypfs_op, as
 * far as Xen 4.17 on ARM answers an unprivileged domain. Each checks the
 * caller's interface version first (-EACCES for a mismatch), then its
 * privilege (-EPERM for a domU); the model implements none of the
 * operations behind them for dom0 (-ENOSYS), but hypfs's version. */
#include <xen/errno.h>
#include <xen/xen.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

/* Interface versions of Xen 4.17. */
#define XENPF_INTERFACE_VERSION      0x03000001u
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015u
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015u

#define XEN_HYPFS_OP_get_version 0
#define XEN_HYPFS_VERSION        1

/* The head every one of the three carries: command, interface version. */
struct toolstack_op_head {
	uint32_t cmd;
	uint32_t interface_version;
};

static long check_head(struct hv_vcpu *v, uint64_t gva, uint32_t version)
{
	struct toolstack_op_head head;

	if (hv_copy_from_guest(v, &head, gva, sizeof(head)))
		return -XEN_EFAULT;
	if (head.interface_version != version)
		return -XEN_EACCES;
	return v->domain->privileged ? -XEN_ENOSYS : -XEN_EPERM;
}

long hv_do_platform_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	return check_head(v, arg[0], XENPF_INTERFACE_VERSION);
}

long hv_do_sysctl(struct hv_vcpu *v, const uint64_t arg[5])
{
	return check_head(v, arg[0], XEN_SYSCTL_INTERFACE_VERSION);
}

/* domctl names its domain after the head; Xen looks it up (-ESRCH)
 * before it asks whether the caller may act on it. */
long hv_do_domctl(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct {
		struct toolstack_op_head head;
		uint16_t domain;
	} op;

	if (hv_copy_from_guest(v, &op, arg[0], sizeof(op)))
		return -XEN_EFAULT;
	if (op.head.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!hv_domain_by_id(v->domain->machine, op.domain))
		return -XEN_ESRCH;
	return v->domain->privileged ? -XEN_ENOSYS : -XEN_EPERM;
}

/* hypfs_op(cmd, path, path_len, buffer, buffer_len). */
long hv_do_hypfs_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	if (!v->domain->privileged)
		return -XEN_EPERM;
	if (arg[0] != XEN_HYPFS_OP_get_version)
		return -XEN_ENOENT;   /* the model has no hypfs tree */
	if (arg[1] || arg[2] || arg[3] || arg[4])
		return -XEN_EINVAL;
	return XEN_HYPFS_VERSION;
}
