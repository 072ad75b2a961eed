/* SPDX-License-Identifier: BSD-2-Clause */
/* The ARMv7 half of the port boundary: barriers, CPSR interrupt masking,
 * wfi. Everything ARM ports share is in arm-common. Unmasking ends with an
 * isb so that a pending interrupt is taken before the function returns. */
#include "port.h"

#define CPSR_I (1ul << 7)

void arch_mb(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

void arch_rmb(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

void arch_wmb(void)
{
	__asm__ volatile("dmb ishst" : : : "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long cpsr;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr) : : "memory");
	return cpsr & CPSR_I;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & CPSR_I)
		__asm__ volatile("cpsid i" : : : "memory");
	else
		__asm__ volatile("cpsie i\n\tisb" : : : "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("cpsie i\n\tisb" : : : "memory");
}

void arch_idle(void)
{
	__asm__ volatile("dsb\n\twfi" : : : "memory");
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cpsid aif\n\twfi" : : : "memory");
}
