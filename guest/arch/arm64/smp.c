/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary CPUs on arm64: PSCI CPU_ON (64-bit convention) at the entry
 * stub of the CPU's mailbox slot, the boot block posted in the slot (and
 * given as the context id too, which the entry does not trust: arm.h).
 * Slot and block are read by the new CPU before its MMU is on, so they
 * are cleaned to the point of coherency first; nothing in them comes
 * from outside the guest. */
#include "arm.h"
#include "port.h"

#define PSCI_CPU_ON_64 0xc4000003ul
#define PSCI_CPU_OFF   0x84000002ul
#define PSCI_INVALID_PARAMETERS (-2l)

/* Eight stubs of 8 bytes, one per mailbox slot (head.S). */
extern const char arm64_secondary_stubs[];
_Noreturn void arm64_secondary_main(struct arch_cpu_boot *boot);

/* Clean [p, p + len) to the point of coherency. */
void arm_dcache_clean(const void *p, unsigned long len)
{
	unsigned long ctr, line, a = (unsigned long)p;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4ul << ((ctr >> 16) & 0xf);
	for (a &= ~(line - 1); a < (unsigned long)p + len; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

long arch_cpu_start(unsigned long mpidr, struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	if (!arm_cpu_mailbox_post(mpidr, boot))
		return PSCI_INVALID_PARAMETERS;
	arm_dcache_clean(boot, sizeof(*boot));
	return (long)arch_smccc_call(PSCI_CPU_ON_64, mpidr,
				     arch_virt_to_phys(arm64_secondary_stubs) +
				     8 * (mpidr & 0xff),
				     arch_virt_to_phys(boot), res);
}

_Noreturn void arm64_secondary_main(struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	boot->fn(boot->arg);
	arch_smccc_call(PSCI_CPU_OFF, 0, 0, 0, res);
	arch_halt();                 /* CPU_OFF does not come back */
}
