/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception syndromes of an AArch64 CPU, built on the host: the engine
 * reports a guest's synchronous exception by number only, so the syndrome
 * (ESR_ELx) and the fault address (FAR_ELx) a CPU would give are computed
 * here from the instruction word, the registers and the guest's stage-1
 * tables (Arm ARM, "ISS encoding for an exception from a Data Abort"). The
 * instruction and the tables are guest data: any value decodes to an
 * access or to "not a load/store", never to a crash. */
#ifndef SIM_A64_ESR_H
#define SIM_A64_ESR_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/guest_va.h"

/* Exception classes (ESR_ELx.EC). */
#define A64_EC_UNKNOWN     0x00u
#define A64_EC_SVC64       0x15u
#define A64_EC_IABT_LOWER  0x20u
#define A64_EC_IABT_CUR    0x21u
#define A64_EC_DABT_LOWER  0x24u
#define A64_EC_DABT_CUR    0x25u
#define A64_EC_BRK         0x3cu
#define A64_ESR_EC_SHIFT   26
#define A64_ESR_IL         (1u << 25)

/* Data-abort ISS fields. */
#define A64_ISS_ISV        (1u << 24)
#define A64_ISS_SAS_SHIFT  22
#define A64_ISS_SSE        (1u << 21)
#define A64_ISS_SRT_SHIFT  16
#define A64_ISS_SF         (1u << 15)
#define A64_ISS_AR         (1u << 14)
#define A64_ISS_WNR        (1u << 6)

/* Fault status codes (DFSC / IFSC); the level is added to the first
 * four. */
#define A64_FSC_ADDR_SIZE  0x00u
#define A64_FSC_TRANSLATION 0x04u
#define A64_FSC_ACCESS_FLAG 0x08u
#define A64_FSC_PERMISSION 0x0cu
#define A64_FSC_ALIGNMENT  0x21u

/* What a load/store instruction accesses, as decoded from its word. */
struct a64_access {
	bool load, store;            /* both: an atomic read-modify-write */
	bool simd;                   /* SIMD&FP registers */
	bool isv;                    /* the architecture gives a syndrome */
	unsigned sas;                /* log2 of the access size (ISV only) */
	bool sse, sf, ar;
	unsigned srt;                /* Rt */
	bool unprivileged;           /* LDTR/STTR: checked as EL0 */
	bool aligned;                /* must be aligned to elem_size */
	/* The address: base register (31: SP) or the PC (literal), plus an
	 * offset, or plus a register (rm, extended and shifted). */
	bool pc_relative;
	unsigned rn;
	int64_t offset;              /* 0 for post-index forms */
	bool reg_offset;
	unsigned rm, extend, shift;  /* extend: option field */
	/* The accesses: count elements of elem_size bytes in a row. */
	unsigned elem_size, count;
};

/* Decode insn as an A64 load/store; false if it is none (or one this
 * decoder does not know, such as cache maintenance). */
bool a64_decode_access(uint32_t insn, struct a64_access *acc);

/* The first byte address the access touches; x[0..30] the general
 * registers, sp the stack pointer in use, pc the instruction's. */
uint64_t a64_access_address(const struct a64_access *acc, const uint64_t x[31],
			    uint64_t sp, uint64_t pc);

/* The ISS a data abort on this access carries in ESR_EL2 (stage 2):
 * ISV and the instruction syndrome where the architecture gives them,
 * WnR and the fault status code dfsc. */
uint32_t a64_dabt_iss_el2(const struct a64_access *acc, bool wnr,
			  unsigned dfsc);
/* The ESR_EL1 of a data abort taken to EL1 from lower (EL0) or not: the
 * architecture gives no instruction syndrome there (ISV 0). */
uint32_t a64_dabt_esr_el1(bool lower, bool wnr, unsigned dfsc);
uint32_t a64_iabt_esr_el1(bool lower, unsigned ifsc);
/* svc / brk with their 16-bit immediate; an undefined instruction. */
uint32_t a64_svc_esr(uint32_t insn);
uint32_t a64_brk_esr(uint32_t insn);
uint32_t a64_undef_esr(void);

#define A64_INSN_SVC_MASK  0xffe0001fu
#define A64_INSN_SVC       0xd4000001u
#define A64_INSN_BRK       0xd4200000u

/* The stage-1 verdict on one access of an AArch64 EL1&0 regime. */
enum a64_s1_kind { A64_ACCESS_READ, A64_ACCESS_WRITE, A64_ACCESS_EXEC };

/* Whether the tables in regs let an access of kind at va through, as the
 * CPU checks it (translation, access flag, EL0 or EL1 permissions): 0 if
 * so, otherwise the fault status code; -1 if the walk itself cannot be
 * made (a table outside guest RAM). */
int a64_stage1_check(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		     uint64_t va, enum a64_s1_kind kind, bool el0);

#endif
