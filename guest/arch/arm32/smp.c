/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary CPUs on arm32: PSCI CPU_ON (32-bit convention) at the entry
 * stub of the CPU's mailbox slot, ARM state, the boot block posted in the
 * slot (and given as the context id, r0, too, which the entry does not
 * trust: arm.h). Slot and block are read by the new CPU before its MMU
 * is on, so they are cleaned to the point of coherency first; nothing in
 * them comes from outside the guest. */
#include "arm.h"
#include "port.h"

#define PSCI_CPU_ON_32 0x84000003ul
#define PSCI_CPU_OFF   0x84000002ul
#define PSCI_INVALID_PARAMETERS (-2l)

/* Eight stubs of 8 bytes, one per mailbox slot (head.S). */
extern const char arm32_secondary_stubs[];
_Noreturn void arm32_secondary_main(struct arch_cpu_boot *boot);

/* Clean [p, p + len) to the point of coherency (DCCMVAC by line). */
void arm_dcache_clean(const void *p, unsigned long len)
{
	unsigned long ctr, line, a = (unsigned long)p;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
	line = 4ul << ((ctr >> 16) & 0xf);
	for (a &= ~(line - 1); a < (unsigned long)p + len; a += line)
		__asm__ volatile("mcr p15, 0, %0, c7, c10, 1"
				 : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

long arch_cpu_start(unsigned long mpidr, struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	if (!arm_cpu_mailbox_post(mpidr, boot))
		return PSCI_INVALID_PARAMETERS;
	arm_dcache_clean(boot, sizeof(*boot));
	return (long)arch_smccc_call(PSCI_CPU_ON_32, mpidr,
				     arch_virt_to_phys(arm32_secondary_stubs) +
				     8 * (mpidr & 0xff),
				     arch_virt_to_phys(boot), res);
}

_Noreturn void arm32_secondary_main(struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	boot->fn(boot->arg);
	arch_smccc_call(PSCI_CPU_OFF, 0, 0, 0, res);
	arch_halt();                 /* CPU_OFF does not come back */
}
