/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary CPUs on arm32: PSCI CPU_ON (32-bit convention) at
 * arm32_secondary_entry, ARM state, with the boot block as the context id
 * (r0). The block is read by the new CPU before its MMU is on, so it is
 * cleaned to the point of coherency first; nothing in it comes from
 * outside the guest. */
#include "port.h"

#define PSCI_CPU_ON_32 0x84000003ul
#define PSCI_CPU_OFF   0x84000002ul

void arm32_secondary_entry(void);
_Noreturn void arm32_secondary_main(struct arch_cpu_boot *boot);

/* Clean [p, p + len) to the point of coherency (DCCMVAC by line). */
static void dcache_clean(const void *p, unsigned long len)
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

	dcache_clean(boot, sizeof(*boot));
	return (long)arch_smccc_call(PSCI_CPU_ON_32, mpidr,
				     arch_virt_to_phys(arm32_secondary_entry),
				     arch_virt_to_phys(boot), res);
}

_Noreturn void arm32_secondary_main(struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	boot->fn(boot->arg);
	arch_smccc_call(PSCI_CPU_OFF, 0, 0, 0, res);
	arch_halt();                 /* CPU_OFF does not come back */
}
