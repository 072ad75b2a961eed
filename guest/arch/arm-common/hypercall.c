/* SPDX-License-Identifier: BSD-2-Clause */
/* The hypercall ABI both ARM ports share: `hvc #0xEA1` with the number in
 * x16/r12 and arguments in x0-x4/r0-r4, result in x0/r0; and the debug
 * hypercalls `hvc #0xFFxx` of a debug Xen build, and SMCCC calls
 * (`hvc #0`). The register names come
 * from the port's cpu.h. Nothing here interprets what Xen returns. */
#include "cpu.h"
#include "port.h"

#define XEN_HYPERCALL_TAG 0xea1

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3, unsigned long a4)
{
	register unsigned long r_op __asm__(ARM_REG_HCALL_OP) = op;
	register unsigned long r0 __asm__(ARM_REG(0)) = a0;
	register unsigned long r1 __asm__(ARM_REG(1)) = a1;
	register unsigned long r2 __asm__(ARM_REG(2)) = a2;
	register unsigned long r3 __asm__(ARM_REG(3)) = a3;
	register unsigned long r4 __asm__(ARM_REG(4)) = a4;

	/* Xen may clobber every argument register and the op register. */
	__asm__ volatile("hvc #%c6"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			   "+r"(r_op)
			 : "i"(XEN_HYPERCALL_TAG)
			 : "memory");
	return (long)r0;
}

unsigned long arch_smccc_call(unsigned long fid, unsigned long a1,
			      unsigned long a2, unsigned long a3,
			      unsigned long res[4])
{
	register unsigned long r0 __asm__(ARM_REG(0)) = fid;
	register unsigned long r1 __asm__(ARM_REG(1)) = a1;
	register unsigned long r2 __asm__(ARM_REG(2)) = a2;
	register unsigned long r3 __asm__(ARM_REG(3)) = a3;

	/* SMCCC: results in the four argument registers. */
	__asm__ volatile("hvc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "memory");
	res[0] = r0;
	res[1] = r1;
	res[2] = r2;
	res[3] = r3;
	return r0;
}

void arch_debug_putc(char c)
{
	register unsigned long r0 __asm__(ARM_REG(0)) = (unsigned char)c;

	__asm__ volatile("hvc #0xfffe" : : "r"(r0) : "memory");
}

void arch_debug_print_pc(void)
{
	__asm__ volatile("hvc #0xfffd" : : : "memory");
}

void arch_debug_dump_state(void)
{
	__asm__ volatile("hvc #0xffff" : : : "memory");
}

/* 0xFFE0+n prints register n: the value must be in that very register,
 * and the immediate is part of the instruction, so one case per n. */
#define PRINT_REG(n)                                                     \
	case n: {                                                        \
		register unsigned long r __asm__(ARM_REG(n)) = v;        \
		__asm__ volatile("hvc #%c1" : : "r"(r), "i"(0xffe0 + n)  \
				 : "memory");                            \
		break;                                                   \
	}
/* Registers the port cannot load (arm32 sp, lr, pc): printed as they are. */
#define PRINT_REG_AS_IS(n)                                               \
	case n:                                                          \
		__asm__ volatile("hvc #%c0" : : "i"(0xffe0 + n) : "memory"); \
		break;

void arch_debug_print_reg(unsigned n, unsigned long v)
{
	switch (n & 15) {
	PRINT_REG(0) PRINT_REG(1) PRINT_REG(2) PRINT_REG(3)
	PRINT_REG(4) PRINT_REG(5) PRINT_REG(6) PRINT_REG(7)
	PRINT_REG(8) PRINT_REG(9) PRINT_REG(10) PRINT_REG(11)
	PRINT_REG(12)
#if ARM_LOADABLE_REGS > 13
	PRINT_REG(13) PRINT_REG(14) PRINT_REG(15)
#else
	PRINT_REG_AS_IS(13) PRINT_REG_AS_IS(14) PRINT_REG_AS_IS(15)
#endif
	}
}
