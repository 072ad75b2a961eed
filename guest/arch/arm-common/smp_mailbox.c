/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot blocks of CPUs being started, one slot per MPIDR Aff0: the
 * entry code (head.S) takes its block from here, never from the context
 * id in x0 / r0, which Xen 4.17 can overwrite (arm.h). Only the guest
 * writes it. */
#include "arm.h"
#include "port.h"

struct arch_cpu_boot *volatile arm_cpu_mailbox[ARM_MAX_CPUS];

bool arm_cpu_mailbox_post(unsigned long mpidr, struct arch_cpu_boot *boot)
{
	unsigned long slot = mpidr & 0xff;

	/* Aff1 and up name CPUs past the slots. */
	if (slot >= ARM_MAX_CPUS || (mpidr & 0xff00ul))
		return false;
	arm_cpu_mailbox[slot] = boot;
	/* The new CPU may read it with its MMU (and caches) off. */
	arm_dcache_clean((const void *)&arm_cpu_mailbox[slot],
			 sizeof(arm_cpu_mailbox[slot]));
	return true;
}
