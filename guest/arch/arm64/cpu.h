/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 specifics the shared ARM code needs: register names of the
 * hypercall ABI, the counter and virtual timer, MPIDR, the GICv3 CPU
 * interface and MMIO accessors Xen can emulate (one plain ldr/str, no
 * writeback). */
#ifndef ARM64_CPU_H
#define ARM64_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define ARM_REG(n)         "x" #n
#define ARM_REG_HCALL_OP   "x16"
#define ARM_LOADABLE_REGS  16

#define SYSREG_READ(name, v)  __asm__ volatile("mrs %0, " name : "=r"(v))
#define SYSREG_WRITE(name, v) __asm__ volatile("msr " name ", %0" : : "r"(v))

/* GICv3 CPU interface, by encoding (older assemblers lack the names). */
#define ICC_PMR_EL1     "s3_0_c4_c6_0"
#define ICC_IAR1_EL1    "s3_0_c12_c12_0"
#define ICC_EOIR1_EL1   "s3_0_c12_c12_1"
#define ICC_SRE_EL1     "s3_0_c12_c12_5"
#define ICC_IGRPEN1_EL1 "s3_0_c12_c12_7"

static inline uint64_t cpu_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb" : : : "memory");
	SYSREG_READ("cntvct_el0", v);
	return v;
}

static inline uint64_t cpu_counter_freq(void)
{
	uint64_t v;

	SYSREG_READ("cntfrq_el0", v);
	return v & 0xffffffffu;
}

/* The virtual timer: compare value in counter ticks, enabled, unmasked. */
static inline void cpu_vtimer_start(uint64_t ticks)
{
	SYSREG_WRITE("cntv_cval_el0", ticks);
	SYSREG_WRITE("cntv_ctl_el0", (uint64_t)1);
	__asm__ volatile("isb");
}

static inline void cpu_vtimer_stop(void)
{
	SYSREG_WRITE("cntv_ctl_el0", (uint64_t)0);
	__asm__ volatile("isb");
}

/* CNTV_CTL_EL0.ISTATUS: the timer is enabled and its deadline passed. */
static inline bool cpu_vtimer_fired(void)
{
	uint64_t ctl;

	__asm__ volatile("isb");
	SYSREG_READ("cntv_ctl_el0", ctl);
	return (ctl & 5) == 5;
}

/* Drop every TLB entry for the page at va (all ASIDs, inner shareable). */
static inline void cpu_tlb_flush_va(uintptr_t va)
{
	__asm__ volatile("dsb ishst\n\ttlbi vaae1is, %0\n\tdsb ish\n\tisb"
			 : : "r"(va >> 12) : "memory");
}

/* Aff3.Aff2.Aff1.Aff0 packed as GICR_TYPER[63:32] holds them. */
static inline uint32_t cpu_affinity(void)
{
	uint64_t m;

	SYSREG_READ("mpidr_el1", m);
	return (uint32_t)((m >> 32 & 0xff) << 24 | (m & 0xffffff));
}

static inline bool cpu_icc_enable_sre(void)
{
	uint64_t v;

	SYSREG_READ(ICC_SRE_EL1, v);
	SYSREG_WRITE(ICC_SRE_EL1, v | 1);
	__asm__ volatile("isb");
	SYSREG_READ(ICC_SRE_EL1, v);
	return v & 1;
}

static inline void cpu_icc_write_pmr(uint64_t v)
{
	SYSREG_WRITE(ICC_PMR_EL1, v);
}

static inline void cpu_icc_write_igrpen1(uint64_t v)
{
	SYSREG_WRITE(ICC_IGRPEN1_EL1, v);
	__asm__ volatile("isb");
}

static inline uint32_t cpu_icc_read_iar1(void)
{
	uint64_t v;

	SYSREG_READ(ICC_IAR1_EL1, v);
	return (uint32_t)v;
}

static inline void cpu_icc_write_eoir1(uint64_t v)
{
	SYSREG_WRITE(ICC_EOIR1_EL1, v);
	__asm__ volatile("isb");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/* PSTATE as an exception saves it in SPSR_EL1: NZCV, DAIF, the EL and
 * the stack pointer in use. */
static inline unsigned long cpu_psr(void)
{
	unsigned long nzcv, daif, el, spsel;

	__asm__ volatile("mrs %0, nzcv\n\tmrs %1, daif\n\t"
			 "mrs %2, CurrentEL\n\tmrs %3, SPSel"
			 : "=r"(nzcv), "=r"(daif), "=r"(el), "=r"(spsel));
	return nzcv | daif | el | spsel;
}

#endif
