/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception entry and fault status of an ARMv7-A / AArch32 CPU taken to a
 * PL1 mode (Arm ARM B1.8, "Exception handling"; B4.1.52 DFSR): which mode,
 * vector and link value each exception gives, and the fault status in the
 * short- or long-descriptor format. Pure functions of their arguments. */
#include "a32_fault.h"

struct exception_rule {
	uint32_t mode, vector;
	uint32_t mask;               /* CPSR bits set on entry */
	uint32_t lr_arm, lr_thumb;   /* LR - the instruction's address */
};

/* The link value is the preferred return address plus an offset: for an
 * undefined instruction the instruction itself (+4 ARM, +2 Thumb, a 32-bit
 * Thumb one too), for svc the next instruction (svc is 16 bits in Thumb),
 * for aborts the instruction itself plus 4 (prefetch) or 8 (data), in
 * either state. */
static const struct exception_rule rules[] = {
	[A32_EXC_UNDEF] = { A32_MODE_UND, 0x04, A32_CPSR_I, 4, 2 },
	[A32_EXC_SVC] = { A32_MODE_SVC, 0x08, A32_CPSR_I, 4, 2 },
	[A32_EXC_PREFETCH_ABORT] = { A32_MODE_ABT, 0x0c,
				     A32_CPSR_I | A32_CPSR_A, 4, 4 },
	[A32_EXC_DATA_ABORT] = { A32_MODE_ABT, 0x10,
				 A32_CPSR_I | A32_CPSR_A, 8, 8 },
};

struct a32_entry a32_exception_entry(enum a32_exception kind, uint32_t cpsr,
				     uint32_t sctlr, uint32_t vbar,
				     uint32_t insn)
{
	const struct exception_rule *r = &rules[kind];
	bool thumb = cpsr & A32_CPSR_T;
	uint32_t base = sctlr & A32_SCTLR_V ? A32_HIGH_VECTORS : vbar & ~0x1fu;
	struct a32_entry e;

	/* IT, J, T and E cleared, then T and E as SCTLR.TE and EE say. */
	e.cpsr = (cpsr & ~(A32_CPSR_MODE | A32_CPSR_IT | A32_CPSR_J |
			   A32_CPSR_E | A32_CPSR_T)) | r->mode | r->mask;
	if (sctlr & A32_SCTLR_TE)
		e.cpsr |= A32_CPSR_T;
	if (sctlr & A32_SCTLR_EE)
		e.cpsr |= A32_CPSR_E;
	e.spsr = cpsr;
	e.lr = insn + (thumb ? r->lr_thumb : r->lr_arm);
	e.pc = base + r->vector;
	return e;
}

/* Short-descriptor FS codes (FS[4] is bit 10; none here uses it), first
 * for a section (level 1), then for a page (level 2). */
static uint32_t short_fs(const struct a32_fault_info *f)
{
	bool page = f->level == 2;

	switch (f->kind) {
	case A32_FAULT_ALIGNMENT:
		return 0x01;
	case A32_FAULT_DEBUG:
		return 0x02;
	case A32_FAULT_TRANSLATION:
		return page ? 0x07 : 0x05;
	case A32_FAULT_ACCESS_FLAG:
		return page ? 0x06 : 0x03;
	case A32_FAULT_DOMAIN:
		return page ? 0x0b : 0x09;
	case A32_FAULT_PERMISSION:
		return page ? 0x0f : 0x0d;
	default:
		return 0;
	}
}

/* Long-descriptor STATUS codes: translation, access flag and permission
 * faults carry their level in bits 1:0. */
static uint32_t long_status(const struct a32_fault_info *f)
{
	switch (f->kind) {
	case A32_FAULT_ALIGNMENT:
		return 0x21;
	case A32_FAULT_DEBUG:
		return 0x22;
	case A32_FAULT_TRANSLATION:
		return 0x04 | (f->level & 3);
	case A32_FAULT_ACCESS_FLAG:
		return 0x08 | (f->level & 3);
	case A32_FAULT_PERMISSION:
		return 0x0c | (f->level & 3);
	default:
		return 0;
	}
}

/* The short format names the domain only where it is known: a fault
 * found at or below a level-1 entry that says it (not a level-1
 * translation fault, not an alignment or debug fault). */
static bool domain_valid(const struct a32_fault_info *f)
{
	if (f->kind == A32_FAULT_ALIGNMENT || f->kind == A32_FAULT_DEBUG)
		return false;
	return !(f->kind == A32_FAULT_TRANSLATION && f->level == 1);
}

uint32_t a32_fsr(const struct a32_fault_info *f, bool lpae, bool wnr)
{
	uint32_t fsr = wnr ? A32_FSR_WNR : 0;

	if (lpae)
		return fsr | A32_FSR_LPAE | long_status(f);
	fsr |= short_fs(f);
	if (domain_valid(f))
		fsr |= (f->domain & 0xf) << 4;
	return fsr;
}
