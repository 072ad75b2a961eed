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

#endif
