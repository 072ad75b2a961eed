/* SPDX-License-Identifier: BSD-2-Clause */
/* Synchronous exceptions of an ARMv7-A (ARMv8 AArch32) CPU taken to a PL1
 * mode, built on the host: the engine reports them by number only, so the
 * mode, CPSR, SPSR, LR and vector the CPU gives (Arm ARM, "Exception
 * entry"), the fault status register in the guest's format and the
 * fault address are computed here from the CPSR, SCTLR, the instruction
 * word and the guest's stage-1 tables. All of these are guest data: any
 * value gives an answer, never a crash. */
#ifndef SIM_A32_FAULT_H
#define SIM_A32_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/guest_va.h"

#define A32_CPSR_T      (1u << 5)
#define A32_CPSR_F      (1u << 6)
#define A32_CPSR_I      (1u << 7)
#define A32_CPSR_A      (1u << 8)
#define A32_CPSR_E      (1u << 9)
#define A32_CPSR_IT     0x0600fc00u
#define A32_CPSR_J      (1u << 24)
#define A32_CPSR_MODE   0x1fu
#define A32_MODE_USR    0x10u
#define A32_MODE_SVC    0x13u
#define A32_MODE_ABT    0x17u
#define A32_MODE_UND    0x1bu

#define A32_SCTLR_M     (1u << 0)
#define A32_SCTLR_A     (1u << 1)    /* alignment checks */
#define A32_SCTLR_V     (1u << 13)   /* high vectors */
#define A32_SCTLR_AFE   (1u << 29)   /* AP[0] is the access flag */
#define A32_SCTLR_EE    (1u << 25)
#define A32_SCTLR_TE    (1u << 30)
#define A32_HIGH_VECTORS 0xffff0000u

#define A32_FSR_WNR     (1u << 11)
#define A32_FSR_LPAE    (1u << 9)

enum a32_exception {
	A32_EXC_UNDEF,               /* the instruction's own address */
	A32_EXC_SVC,                 /* ... of the svc */
	A32_EXC_PREFETCH_ABORT,      /* ... that was fetched (or bkpt) */
	A32_EXC_DATA_ABORT,          /* ... that accessed */
};

/* What the CPU does on taking an exception: CPSR and SPSR of the mode it
 * enters (SPSR: the CPSR it left), that mode's LR, the PC. */
struct a32_entry {
	uint32_t cpsr, spsr, lr, pc;
};

/* The entry for exception kind taken by the instruction at insn (in the
 * state cpsr says), SCTLR and VBAR as they are. */
struct a32_entry a32_exception_entry(enum a32_exception kind, uint32_t cpsr,
				     uint32_t sctlr, uint32_t vbar,
				     uint32_t insn);

enum a32_fault {
	A32_FAULT_NONE,
	A32_FAULT_ALIGNMENT,
	A32_FAULT_DEBUG,
	A32_FAULT_TRANSLATION,
	A32_FAULT_ACCESS_FLAG,
	A32_FAULT_DOMAIN,
	A32_FAULT_PERMISSION,
};

/* A fault as the stage-1 checks find it: level 1 or 2 (short descriptors:
 * section or page), 1 to 3 (LPAE); the domain (short descriptors). */
struct a32_fault_info {
	enum a32_fault kind;
	unsigned level, domain;
};

/* DFSR (or IFSR, wnr false) for the fault: the long-descriptor format
 * when lpae (TTBCR.EAE), the short one otherwise. */
uint32_t a32_fsr(const struct a32_fault_info *f, bool lpae, bool wnr);

/* What a load/store instruction accesses, decoded from its word. */
struct a32_access {
	bool write;                  /* WnR: a store (STREX too) */
	uint32_t addr;               /* the first byte it accesses */
	uint32_t size;               /* bytes in all, from addr on */
	uint32_t align;              /* addr must be a multiple of it (1: no
				      * rule but SCTLR.A's) */
	uint32_t elem;               /* element size, for SCTLR.A */
	bool unprivileged;           /* LDRT/STRT: checked as PL0 */
};

/* Decode the instruction at pc (ARM word, or Thumb: a 16-bit one or a
 * pair hw0 << 16 | hw1, len its length) with r[0..14] the registers
 * before it ran: false if it is no load/store this decoder knows (LDR,
 * STR and their byte, halfword, doubleword, exclusive and unprivileged
 * forms, LDA/STL and their exclusives, TBB/TBH, LDM/STM/PUSH/POP,
 * VLDR/VSTR, VLDM/VSTM/VPUSH/VPOP). */
bool a32_decode_access(uint32_t insn, bool thumb, unsigned len, uint32_t pc,
		       const uint32_t r[15], struct a32_access *acc);

/* The kind of access a stage-1 check is for. */
enum a32_access_type { A32_READ, A32_WRITE, A32_EXEC };

/* The fault the CPU's stage-1 checks give an access of type at va from
 * PL0 (user) or PL1, with the MMU and translation registers in regs and
 * DACR (short descriptors): kind A32_FAULT_NONE if it goes through, or
 * the tables cannot be read (the engine's own report stands then). */
struct a32_fault_info a32_stage1_check(const struct hv_mem *mem,
				       const struct hv_mmu_regs *regs,
				       uint32_t dacr, uint32_t va,
				       enum a32_access_type type, bool user);

#endif
