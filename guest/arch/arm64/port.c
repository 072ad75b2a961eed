/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 half of the port boundary: barriers, DAIF interrupt masking,
 * wfi. Everything ARM ports share is in arm-common. Unmasking ends with an
 * isb so that a pending interrupt is taken before the function returns. */
#include "port.h"

void arch_mb(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

void arch_rmb(void)
{
	__asm__ volatile("dmb ishld" : : : "memory");
}

void arch_wmb(void)
{
	__asm__ volatile("dmb ishst" : : : "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2"
			 : "=r"(daif) : : "memory");
	return daif;
}

void arch_irq_restore(unsigned long daif)
{
	__asm__ volatile("msr daif, %0\n\tisb" : : "r"(daif) : "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2\n\tisb" : : : "memory");
}

void arch_idle(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf\n\twfi" : : : "memory");
}
