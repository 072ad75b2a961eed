/* SPDX-License-Identifier: BSD-2-Clause */
/* Typed hypercall wrappers with the names a porter knows. They only
 * marshal arguments: pointers travel as register-sized values. */
#ifndef GXEN_HYPERCALL_H
#define GXEN_HYPERCALL_H

#include <xen/xen.h>

#include "port.h"

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_xen_version, (unsigned long)cmd,
			      (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_console_io(int cmd, unsigned count,
					 const char *buf)
{
	return arch_hypercall(__HYPERVISOR_console_io, (unsigned long)cmd,
			      count, (unsigned long)buf, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
			      0, 0, 0);
}

static inline long HYPERVISOR_hvm_op(unsigned op, void *arg)
{
	return arch_hypercall(__HYPERVISOR_hvm_op, op, (unsigned long)arg, 0,
			      0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_sched_op, (unsigned long)cmd,
			      (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_event_channel_op,
			      (unsigned long)cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned cmd, void *uop,
					     unsigned count)
{
	return arch_hypercall(__HYPERVISOR_grant_table_op, cmd,
			      (unsigned long)uop, count, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned vcpuid, void *arg)
{
	return arch_hypercall(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpuid,
			      (unsigned long)arg, 0, 0);
}

static inline long HYPERVISOR_multicall(void *calls, unsigned nr)
{
	return arch_hypercall(__HYPERVISOR_multicall, (unsigned long)calls, nr,
			      0, 0, 0);
}

static inline long HYPERVISOR_vm_assist(unsigned cmd, unsigned type)
{
	return arch_hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

/* The toolstack's calls, with their argument structure as the guest
 * built it (platform_op, sysctl, domctl: one pointer). */
static inline long HYPERVISOR_toolstack_op(unsigned long op, void *arg)
{
	return arch_hypercall(op, (unsigned long)arg, 0, 0, 0, 0);
}

static inline long HYPERVISOR_hypfs_op(unsigned cmd, const char *path,
				       unsigned long path_len, void *buf,
				       unsigned long buf_len)
{
	return arch_hypercall(__HYPERVISOR_hypfs_op, cmd, (unsigned long)path,
			      path_len, (unsigned long)buf, buf_len);
}

#endif
