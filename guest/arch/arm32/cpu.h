/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7 specifics the shared ARM code needs: register names of the
 * hypercall ABI, the counter and virtual timer, MPIDR, the GICv3 CPU
 * interface through CP15 and MMIO accessors Xen can emulate (one plain
 * ldr/str). */
#ifndef ARM32_CPU_H
#define ARM32_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define ARM_REG(n)         "r" #n
#define ARM_REG_HCALL_OP   "r12"
#define ARM_LOADABLE_REGS  13      /* sp, lr and pc cannot carry a value */

#define CP15_READ(spec, v)  __asm__ volatile("mrc p15, " spec : "=r"(v))
#define CP15_WRITE(spec, v) __asm__ volatile("mcr p15, " spec : : "r"(v))

/* GICv3 CPU interface registers as CP15 encodings. */
#define ICC_PMR     "0, %0, c4, c6, 0"
#define ICC_IAR1    "0, %0, c12, c12, 0"
#define ICC_EOIR1   "0, %0, c12, c12, 1"
#define ICC_SRE     "0, %0, c12, c12, 5"
#define ICC_IGRPEN1 "0, %0, c12, c12, 7"

static inline uint64_t cpu_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(v) : :
			 "memory");
	return v;
}

static inline uint64_t cpu_counter_freq(void)
{
	uint32_t v;

	CP15_READ("0, %0, c14, c0, 0", v);
	return v;
}

/* The virtual timer: compare value in counter ticks, enabled, unmasked. */
static inline void cpu_vtimer_start(uint64_t ticks)
{
	__asm__ volatile("mcrr p15, 3, %Q0, %R0, c14" : : "r"(ticks));
	CP15_WRITE("0, %0, c14, c3, 1", (uint32_t)1);
	__asm__ volatile("isb");
}

static inline void cpu_vtimer_stop(void)
{
	CP15_WRITE("0, %0, c14, c3, 1", (uint32_t)0);
	__asm__ volatile("isb");
}

/* CNTV_CTL.ISTATUS: the timer is enabled and its deadline passed. */
static inline bool cpu_vtimer_fired(void)
{
	uint32_t ctl;

	__asm__ volatile("isb");
	CP15_READ("0, %0, c14, c3, 1", ctl);
	return (ctl & 5) == 5;
}

/* Aff2.Aff1.Aff0 (no Aff3 on ARMv7) as GICR_TYPER[63:32] holds them. */
/* Drop every TLB entry for the page at va (all ASIDs, inner shareable:
 * TLBIMVAAIS). */
static inline void cpu_tlb_flush_va(uintptr_t va)
{
	__asm__ volatile("dsb ishst\n\tmcr p15, 0, %0, c8, c3, 3\n\t"
			 "dsb ish\n\tisb" : : "r"(va & ~0xfffu) : "memory");
}

static inline uint32_t cpu_affinity(void)
{
	uint32_t m;

	CP15_READ("0, %0, c0, c0, 5", m);
	return m & 0xffffff;
}

static inline bool cpu_icc_enable_sre(void)
{
	uint32_t v;

	CP15_READ(ICC_SRE, v);
	CP15_WRITE(ICC_SRE, v | 1);
	__asm__ volatile("isb");
	CP15_READ(ICC_SRE, v);
	return v & 1;
}

static inline void cpu_icc_write_pmr(uint32_t v)
{
	CP15_WRITE(ICC_PMR, v);
}

static inline void cpu_icc_write_igrpen1(uint32_t v)
{
	CP15_WRITE(ICC_IGRPEN1, v);
	__asm__ volatile("isb");
}

static inline uint32_t cpu_icc_read_iar1(void)
{
	uint32_t v;

	CP15_READ(ICC_IAR1, v);
	return v;
}

static inline void cpu_icc_write_eoir1(uint32_t v)
{
	CP15_WRITE(ICC_EOIR1, v);
	__asm__ volatile("isb");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/* The CPSR, as an exception saves it in the SPSR. MRS reads the T bit
 * as 0: the instruction set is the one this code was built for. */
#define CPU_PSR_T (1ul << 5)
static inline unsigned long cpu_psr(void)
{
	unsigned long v;

	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
#ifdef __thumb__
	v |= CPU_PSR_T;
#endif
	return v;
}

#endif
