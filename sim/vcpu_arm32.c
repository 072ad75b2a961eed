/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 vCPU: a Cortex-A15 running the guest in a PL1 mode, with Hyp
 * and Monitor being the model. Decodes hvc in the ARM and Thumb-2
 * encodings and the GICv3 CP15 registers (undefined in the emulator, so
 * they trap). Interrupts reach the guest through the virtual IRQ input Hyp
 * controls (HCR.VI): the CPU takes them itself. The engine offers no hook
 * on CP15 reads, so the generic-timer accesses (and the wfi) are found by
 * scanning the loaded image and hooking exactly those addresses
 * (a32_sites.c); the undefined instructions the model handles are in
 * a32_undef.c.
 * Instruction words come from guest memory and are decoded here, never
 * assumed. */
#include <stdio.h>
#include <string.h>

#include "a32_fault.h"
#include "hv/machine.h"
#include "hv/time.h"
#include "vcpu_arm32.h"


struct cp15 {
	unsigned crn, crm, opc1, opc2, is64, sec;
};

static const struct cp15 SCR = { 1, 1, 0, 0, 0, 1 };
static const struct cp15 HCR = { 1, 1, 4, 0, 0, 0 };
static const struct cp15 CNTFRQ = { 14, 0, 0, 0, 0, 0 };
/* The guest's (non-secure) translation registers. */
static const struct cp15 SCTLR = { 1, 0, 0, 0, 0, 0 };
static const struct cp15 TTBCR = { 2, 0, 0, 2, 0, 0 };
static const struct cp15 TTBR0 = { 0, 2, 0, 0, 1, 0 };
static const struct cp15 TTBR1 = { 0, 2, 1, 0, 1, 0 };
static const struct cp15 MAIR0 = { 10, 2, 0, 0, 0, 0 };   /* or PRRR */
static const struct cp15 MAIR1 = { 10, 2, 0, 1, 0, 0 };   /* or NMRR */
static const struct cp15 TLBIALL = { 8, 7, 0, 0, 0, 0 };
static const struct cp15 VBAR = { 12, 0, 0, 0, 0, 0 };
static const struct cp15 DFSR = { 5, 0, 0, 0, 0, 0 };
static const struct cp15 IFSR = { 5, 0, 0, 1, 0, 0 };
static const struct cp15 DFAR = { 6, 0, 0, 0, 0, 0 };
static const struct cp15 IFAR = { 6, 0, 0, 2, 0, 0 };
static const struct cp15 DACR = { 3, 0, 0, 0, 0, 0 };

#define SCTLR_V      (1u << 13)   /* high vectors */
#define SCTLR_EE     (1u << 25)   /* exceptions taken big-endian */
#define SCTLR_TE     (1u << 30)   /* exceptions taken in Thumb state */
#define HIGH_VECTORS 0xffff0000u
#define VECTOR_UNDEF 0x4u
#define VECTOR_PABT  0xcu
#define VECTOR_DABT  0x10u
#define TTBCR_EAE    (1u << 31)
/* The fault status Xen gives every abort it injects: a debug event, in
 * the long-descriptor (LPAE) or short-descriptor format. */
#define FSR_LPAE_DEBUG  ((1u << 9) | 0x22u)
#define FSR_SHORT_DEBUG 0x2u

static uint64_t cp_get(struct sim_vcpu *vc, struct cp15 r)
{
	uc_arm_cp_reg cp = { .cp = 15, .is64 = r.is64, .sec = r.sec,
			     .crn = r.crn, .crm = r.crm, .opc1 = r.opc1,
			     .opc2 = r.opc2 };

	uc_reg_read(vc->uc, UC_ARM_REG_CP_REG, &cp);
	return cp.val;
}

static int cp_set(struct sim_vcpu *vc, struct cp15 r, uint64_t val)
{
	uc_arm_cp_reg cp = { .cp = 15, .is64 = r.is64, .sec = r.sec,
			     .crn = r.crn, .crm = r.crm, .opc1 = r.opc1,
			     .opc2 = r.opc2, .val = val };

	return uc_reg_write(vc->uc, UC_ARM_REG_CP_REG, &cp) == UC_ERR_OK ?
		       0 : -1;
}

int sim_a32_reg_id(unsigned n)
{
	if (n <= 12)
		return UC_ARM_REG_R0 + (int)n;
	return n == 13 ? UC_ARM_REG_SP : n == 14 ? UC_ARM_REG_LR : UC_ARM_REG_PC;
}

uint64_t sim_a32_reg(struct sim_vcpu *vc, unsigned n)
{
	return n <= 15 ? (uint32_t)sim_uc_get(vc, sim_a32_reg_id(n)) : 0;
}

static void a32_set_reg(struct sim_vcpu *vc, unsigned n, uint64_t value)
{
	if (n <= 14)
		sim_uc_set(vc, sim_a32_reg_id(n), (uint32_t)value);
}

uint32_t sim_a32_cpsr(struct sim_vcpu *vc)
{
	return (uint32_t)sim_uc_get(vc, UC_ARM_REG_CPSR);
}

static uint64_t a32_pc(struct sim_vcpu *vc)
{
	return (uint32_t)sim_uc_get(vc, UC_ARM_REG_PC);
}

static uint64_t a32_resume_at(struct sim_vcpu *vc, uint64_t pc)
{
	return pc | (sim_a32_cpsr(vc) & CPSR_T ? 1 : 0);
}

bool sim_a32_half_at(struct sim_vcpu *vc, uint64_t a, uint16_t *hw)
{
	return a % 2 == 0 && sim_vcpu_read(vc, a, hw, 2);
}

bool sim_a32_insn_at(struct sim_vcpu *vc, uint64_t pc, bool thumb,
		    uint32_t *insn, unsigned *len)
{
	uint16_t hw0, hw1;

	if (!thumb) {
		*len = 4;
		return pc % 4 == 0 && sim_vcpu_read(vc, pc, insn, 4);
	}
	if (!sim_a32_half_at(vc, pc, &hw0))
		return false;
	if ((hw0 >> 11) < 0x1d) {       /* 16-bit encoding */
		*insn = hw0;
		*len = 2;
		return true;
	}
	if (!sim_a32_half_at(vc, pc + 2, &hw1))
		return false;
	*insn = (uint32_t)hw0 << 16 | hw1;
	*len = 4;
	return true;
}

static int64_t sext(uint32_t v, unsigned bits)
{
	return (int64_t)((uint64_t)v << (64 - bits)) >> (64 - bits);
}

/* ARM state: B and BL may chain to their target (and, conditional, go
 * on); BLX (immediate) changes state, BX/BLX (register), svc and hvc leave
 * translated code when they execute. Everything else goes on at pc + 4
 * (a write to the PC leaves too, but saying it goes on only costs a
 * candidate). */
static unsigned arm_successors(uint32_t w, uint64_t pc, uint64_t next[2])
{
	bool conditional = w >> 28 != COND_AL;
	bool leaves = (w & 0x0f000000u) == 0x0f000000u ||     /* svc */
		      (w & INSN_HVC_MASK) == INSN_HVC ||
		      (w & 0x0fffffd0u) == 0x012fff10u;        /* bx, blx */
	unsigned n = 0;

	if (w >> 28 == 0xf) {            /* unconditional space */
		if ((w & 0x0e000000u) == 0x0a000000u)
			return 0;        /* BLX (immediate): to Thumb */
		next[0] = pc + 4;
		return 1;
	}
	if ((w & 0x0e000000u) == 0x0a000000u) {
		next[n++] = pc + 8 + (uint64_t)(sext(w & 0xffffff, 24) * 4);
		leaves = true;
	}
	if (conditional || !leaves)
		next[n++] = pc + 4;
	return n;
}

/* Thumb: the direct branch target if any, and the next instruction (an IT
 * block can make any branch conditional); svc, udf and hvc leave. */
static unsigned thumb_successors(uint32_t insn, unsigned len, uint64_t pc,
				 uint64_t next[2])
{
	unsigned n = 0;

	if (len == 2) {
		if ((insn & 0xfe00u) == 0xde00u)          /* udf, svc */
			return 0;
		if ((insn & 0xf000u) == 0xd000u)          /* B T1 */
			next[n++] = pc + 4 + (uint64_t)(sext(insn & 0xff, 8) * 2);
		else if ((insn & 0xf800u) == 0xe000u)     /* B T2 */
			next[n++] = pc + 4 + (uint64_t)(sext(insn & 0x7ff, 11) * 2);
		else if ((insn & 0xf500u) == 0xb100u)     /* CBZ, CBNZ */
			next[n++] = pc + 4 + ((insn >> 9 & 1) << 6 |
					      (insn >> 3 & 0x1f) << 1);
	} else if ((insn & 0xf800d000u) == 0xf0008000u &&
		   (insn >> 22 & 0xf) < 0xe) {            /* B T3 */
		uint32_t imm = (insn >> 26 & 1) << 20 | (insn >> 11 & 1) << 19 |
			       (insn >> 13 & 1) << 18 | (insn >> 16 & 0x3f) << 12 |
			       (insn & 0x7ff) << 1;

		next[n++] = pc + 4 + (uint64_t)sext(imm, 21);
	} else if ((insn & 0xf8009000u) == 0xf0009000u) { /* B T4, BL */
		uint32_t s = insn >> 26 & 1;
		uint32_t i1 = !((insn >> 13 & 1) ^ s), i2 = !((insn >> 11 & 1) ^ s);
		uint32_t imm = s << 24 | i1 << 23 | i2 << 22 |
			       (insn >> 16 & 0x3ff) << 12 | (insn & 0x7ff) << 1;

		next[n++] = pc + 4 + (uint64_t)sext(imm, 25);
	} else if ((insn & 0xfff0f000u) == 0xf7e08000u) { /* hvc */
		return 0;
	}
	next[n++] = pc + len;
	return n;
}

static unsigned a32_successors(struct sim_vcpu *vc, uint64_t pc,
			       uint64_t next[2])
{
	bool thumb = sim_a32_cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned len;

	if (!sim_a32_insn_at(vc, pc, thumb, &insn, &len))
		return 0;
	return thumb ? thumb_successors(insn, len, pc, next) :
		       arm_successors(insn, pc, next);
}

/* svc is 16 bits in Thumb, smc 32; both are 32 bits in ARM. */
static unsigned a32_call_len(struct sim_vcpu *vc, uint32_t intno)
{
	return (sim_a32_cpsr(vc) & CPSR_T) && intno == SIM_EXCP_SWI ? 2 : 4;
}

/* ---- boot ---- */

static int a32_setup(struct sim_vcpu *vc, const struct sim_boot *boot)
{
	/* hvc reaches Hyp mode (the model) only with SCR.HCE. */
	if (cp_set(vc, SCR, cp_get(vc, SCR) | SCR_HCE) ||
	    cp_set(vc, HCR, HCR_IMO) ||
	    cp_set(vc, CNTFRQ, HV_CNTFRQ_HZ)) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot configure the arm32 "
			 "CPU's Hyp mode");
		return -1;
	}
	/* Linux boot protocol: r0 = 0, r1 = machine type (none: ~0), r2 =
	 * device tree; SVC mode, interrupts masked, ARM state. A CPU that
	 * PSCI CPU_ON starts: r0 = the context id. */
	sim_uc_set(vc, UC_ARM_REG_CPSR, CPSR_BOOT);
	sim_uc_set(vc, UC_ARM_REG_R0, boot->cpu_on ? boot->dtb : 0);
	sim_uc_set(vc, UC_ARM_REG_R1, boot->cpu_on ? 0 : 0xffffffffu);
	sim_uc_set(vc, UC_ARM_REG_R2, boot->cpu_on ? 0 : boot->dtb);
	sim_uc_set(vc, UC_ARM_REG_PC, boot->entry);
	vc->hint_ran = UINT64_MAX;
	vc->yield_pc = UINT64_MAX;
	if (sim_a32_hook_sites(vc, boot)) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot hook the generic "
			 "timer accesses and wfi");
		return -1;
	}
	return 0;
}

/* The hint sites the last run hooked are unhooked: the next run meets
 * each for the first time again, as a fresh engine would. */
static int a32_rewind(struct sim_vcpu *vc)
{
	unsigned n = vc->nr_hint_sites < SIM_MAX_HINT_SITES ?
		     vc->nr_hint_sites : SIM_MAX_HINT_SITES;

	for (unsigned i = 0; i < n; i++)
		uc_hook_del(vc->uc, vc->hint_hook[i]);
	return cp_set(vc, TLBIALL, 0);
}

/* ---- traps ---- */

static int a32_hvc_imm(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t w;
	uint16_t hw0, hw1;

	if (sim_a32_cpsr(vc) & CPSR_T) {
		if (!sim_a32_half_at(vc, pc - 4, &hw0) ||
		    !sim_a32_half_at(vc, pc - 2, &hw1) ||
		    (hw0 & 0xfff0) != 0xf7e0 || (hw1 & 0xf000) != 0x8000)
			return -1;
		return (hw0 & 0xf) << 12 | (hw1 & 0xfff);
	}
	if (pc % 4 || !sim_vcpu_read(vc, pc - 4, &w, 4) ||
	    (w & INSN_HVC_MASK) != INSN_HVC)
		return -1;
	return (int)((w >> 4 & 0xfff0) | (w & 0xf));
}

static void a32_hypercall_args(struct sim_vcpu *vc, uint64_t *op,
			       uint64_t arg[5])
{
	int ids[6] = { UC_ARM_REG_R12, UC_ARM_REG_R0, UC_ARM_REG_R1,
		       UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4 };
	uint32_t val[6] = { 0 };
	void *ptr[6];

	for (unsigned i = 0; i < 6; i++)
		ptr[i] = &val[i];
	uc_reg_read_batch(vc->uc, ids, ptr, 6);
	*op = val[0];
	for (unsigned i = 0; i < 5; i++)
		arg[i] = val[i + 1];
}

static void a32_hypercall_ret(struct sim_vcpu *vc, long rc)
{
	sim_uc_set(vc, UC_ARM_REG_R0, (uint32_t)rc);
}

/* Xen's inject_undef32_exception, which takes the PC it saved (for an
 * hvc: the next instruction) for the undefined instruction's own address:
 * Undefined mode, IRQs masked, the IT, J, E and T bits cleared (T and E
 * then as SCTLR.TE and EE say), SPSR_und the CPSR the hvc ran with,
 * LR_und that PC plus 4 (ARM) or 2 (Thumb), PC the undefined vector. A
 * handler that backs LR off by the instruction set's offset finds the
 * instruction after the hvc. Writing the mode switches the banks, so the
 * SPSR and LR written next are Undefined mode's. */
static void a32_inject_undef(struct sim_vcpu *vc)
{
	uint32_t old = sim_a32_cpsr(vc), sctlr = (uint32_t)cp_get(vc, SCTLR);
	uint32_t ret = (uint32_t)a32_pc(vc) + (old & CPSR_T ? 2 : 4);
	uint32_t psr = (old & ~(CPSR_MODE | CPSR_IT | CPSR_J | CPSR_E | CPSR_T)) |
		       MODE_UND | CPSR_I;
	uint32_t base = sctlr & SCTLR_V ? HIGH_VECTORS :
		(uint32_t)cp_get(vc, VBAR);

	if (sctlr & SCTLR_TE)
		psr |= CPSR_T;
	if (sctlr & SCTLR_EE)
		psr |= CPSR_E;
	sim_uc_set(vc, UC_ARM_REG_CPSR, psr);
	sim_uc_set(vc, UC_ARM_REG_SPSR, old);
	sim_uc_set(vc, UC_ARM_REG_LR, ret);
	sim_vcpu_emulated(vc, base + VECTOR_UNDEF);
}

/* Xen's inject_abt32_exception: Abort mode with IRQs and aborts masked
 * (the IT, J, E and T bits as for an undefined instruction), SPSR_abt
 * the CPSR, LR_abt the faulting instruction's own address plus 0 (ARM) or
 * 4 (Thumb) as Xen computes it, PC the data (prefetch) abort vector, DFSR
 * and DFAR (IFSR and IFAR) a debug fault at the address. */
static void a32_inject_abort(struct sim_vcpu *vc, uint64_t pc, uint64_t addr,
			     bool fetch)
{
	uint32_t old = sim_a32_cpsr(vc), sctlr = (uint32_t)cp_get(vc, SCTLR);
	uint32_t ret = (uint32_t)pc + (old & CPSR_T ? 4 : 0);
	uint32_t psr = (old & ~(CPSR_MODE | CPSR_IT | CPSR_J | CPSR_E | CPSR_T)) |
		       MODE_ABT | CPSR_I | CPSR_A;
	uint32_t base = sctlr & SCTLR_V ? HIGH_VECTORS :
		(uint32_t)cp_get(vc, VBAR);
	uint32_t fsr = (uint32_t)cp_get(vc, TTBCR) & TTBCR_EAE ?
		FSR_LPAE_DEBUG : FSR_SHORT_DEBUG;

	if (sctlr & SCTLR_TE)
		psr |= CPSR_T;
	if (sctlr & SCTLR_EE)
		psr |= CPSR_E;
	cp_set(vc, fetch ? IFSR : DFSR, fsr);
	cp_set(vc, fetch ? IFAR : DFAR, (uint32_t)addr);
	sim_uc_set(vc, UC_ARM_REG_CPSR, psr);
	sim_uc_set(vc, UC_ARM_REG_SPSR, old);
	sim_uc_set(vc, UC_ARM_REG_LR, ret);
	sim_vcpu_emulated(vc, base + (fetch ? VECTOR_PABT : VECTOR_DABT));
}

/* ---- synchronous exceptions the CPU takes to a PL1 mode ---- */

static void a32_mmu_regs(struct sim_vcpu *vc, struct hv_mmu_regs *out);

/* The vector is guest code: without one (VBAR still 0, nothing there)
 * the CPU would fault again forever at it, so the run ends at the first
 * exception instead. */
static bool vector_present(struct sim_vcpu *vc, uint32_t vector)
{
	struct hv_mmu_regs regs;
	struct hv_gva_xlate x;

	a32_mmu_regs(vc, &regs);
	return hv_stage1_walk(&vc->v->domain->mem, &regs, vector, &x) == 0 &&
	       hv_gpa_ptr(&vc->v->domain->mem, x.gpa, 4) != NULL;
}

/* Enter the exception's mode as the CPU does: writing the CPSR switches
 * the banks, so the SPSR and LR written next are the new mode's. */
static bool enter(struct sim_vcpu *vc, enum a32_exception kind, uint32_t insn)
{
	struct a32_entry e = a32_exception_entry(kind, sim_a32_cpsr(vc),
						 (uint32_t)cp_get(vc, SCTLR),
						 (uint32_t)cp_get(vc, VBAR),
						 insn);

	if (!vector_present(vc, e.pc))
		return false;
	sim_uc_set(vc, UC_ARM_REG_CPSR, e.cpsr);
	sim_uc_set(vc, UC_ARM_REG_SPSR, e.spsr);
	sim_uc_set(vc, UC_ARM_REG_LR, e.lr);
	sim_vcpu_emulated(vc, e.pc);
	return true;
}

static bool lpae(struct sim_vcpu *vc)
{
	return cp_get(vc, TTBCR) & TTBCR_EAE;
}

static bool from_user(struct sim_vcpu *vc)
{
	return (sim_a32_cpsr(vc) & CPSR_MODE) == A32_MODE_USR;
}

/* The first byte of acc the CPU refuses, its fault and WnR; false if
 * every byte goes through (the engine's report was something else). */
static bool first_fault(struct sim_vcpu *vc, const struct a32_access *acc,
			uint32_t *far, struct a32_fault_info *f)
{
	struct hv_mmu_regs regs;
	uint32_t dacr = (uint32_t)cp_get(vc, DACR);
	bool user = from_user(vc) || acc->unprivileged;

	a32_mmu_regs(vc, &regs);
	if (acc->addr % acc->align ||
	    ((regs.sctlr & A32_SCTLR_A) && acc->addr % acc->elem)) {
		*far = acc->addr;
		*f = (struct a32_fault_info){ A32_FAULT_ALIGNMENT, 0, 0 };
		return true;
	}
	/* Page by page through what the instruction touches. */
	for (uint64_t at = acc->addr; at - acc->addr < acc->size;
	     at = (at | (HV_PAGE_SIZE - 1)) + 1) {
		*f = a32_stage1_check(&vc->v->domain->mem, &regs, dacr,
				      (uint32_t)at, acc->write ? A32_WRITE :
				      A32_READ, user);
		if (f->kind != A32_FAULT_NONE) {
			*far = (uint32_t)at;
			return true;
		}
	}
	return false;
}

static bool take_data_abort(struct sim_vcpu *vc, uint32_t pc)
{
	bool thumb = sim_a32_cpsr(vc) & CPSR_T;
	struct a32_access acc;
	struct a32_fault_info f;
	uint32_t insn, r[15], far;
	unsigned len;

	if (!sim_a32_insn_at(vc, pc, thumb, &insn, &len))
		return false;
	for (unsigned i = 0; i < 15; i++)
		r[i] = (uint32_t)sim_a32_reg(vc, i);
	if (!a32_decode_access(insn, thumb, len, pc, r, &acc) ||
	    !first_fault(vc, &acc, &far, &f) || !enter(vc,
	    A32_EXC_DATA_ABORT, pc))
		return false;
	cp_set(vc, DFSR, a32_fsr(&f, lpae(vc), acc.write));
	cp_set(vc, DFAR, far);
	return true;
}

/* A fetch the stage-1 checks refuse (either half of a 32-bit Thumb
 * instruction); IFAR the address refused. */
static bool take_prefetch_abort(struct sim_vcpu *vc, uint32_t pc)
{
	struct hv_mmu_regs regs;
	struct a32_fault_info f;
	uint32_t dacr = (uint32_t)cp_get(vc, DACR), at = pc;

	a32_mmu_regs(vc, &regs);
	f = a32_stage1_check(&vc->v->domain->mem, &regs, dacr, at, A32_EXEC,
			     from_user(vc));
	if (f.kind == A32_FAULT_NONE && (sim_a32_cpsr(vc) & CPSR_T) &&
	    (pc & 0xfff) == 0xffe) {
		at = pc + 2;
		f = a32_stage1_check(&vc->v->domain->mem, &regs, dacr, at,
				     A32_EXEC, from_user(vc));
	}
	if (f.kind == A32_FAULT_NONE || !enter(vc, A32_EXC_PREFETCH_ABORT, pc))
		return false;
	cp_set(vc, IFSR, a32_fsr(&f, lpae(vc), false));
	cp_set(vc, IFAR, at);
	return true;
}

/* bkpt: a prefetch abort with IFSR a debug event (IFAR unchanged). */
static bool take_bkpt(struct sim_vcpu *vc, uint32_t pc)
{
	struct a32_fault_info f = { A32_FAULT_DEBUG, 0, 0 };
	bool thumb = sim_a32_cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned len;

	if (!sim_a32_insn_at(vc, pc, thumb, &insn, &len) ||
	    (thumb ? (insn & 0xff00u) != 0xbe00u :
		     (insn & 0x0ff000f0u) != 0x01200070u) ||
	    !enter(vc, A32_EXC_PREFETCH_ABORT, pc))
		return false;
	cp_set(vc, IFSR, a32_fsr(&f, lpae(vc), false));
	return true;
}

/* svc traps with the PC past it (16 bits in Thumb, 32 in ARM); bkpt,
 * undefined instructions and aborts with the PC on the instruction. */
static bool a32_take_exception(struct sim_vcpu *vc, uint32_t intno,
			       uint64_t pc)
{
	bool thumb = sim_a32_cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned len;

	switch (intno) {
	case SIM_EXCP_UDEF:
		return enter(vc, A32_EXC_UNDEF, (uint32_t)pc);
	case SIM_EXCP_SWI:
		pc -= thumb ? 2 : 4;
		if (!sim_a32_insn_at(vc, pc, thumb, &insn, &len) ||
		    (thumb ? (insn & 0xff00u) != 0xdf00u :
			     (insn & 0x0f000000u) != 0x0f000000u))
			return false;
		return enter(vc, A32_EXC_SVC, (uint32_t)pc);
	case SIM_EXCP_BKPT:
		return take_bkpt(vc, (uint32_t)pc);
	case SIM_EXCP_DATA_ABORT:
		return take_data_abort(vc, (uint32_t)pc);
	case SIM_EXCP_PREFETCH_ABORT:
		return take_prefetch_abort(vc, (uint32_t)pc);
	default:
		return false;
	}
}

static bool a32_irq_masked(struct sim_vcpu *vc)
{
	return sim_a32_cpsr(vc) & CPSR_I;
}

static void a32_unmask_irq(struct sim_vcpu *vc)
{
	sim_uc_set(vc, UC_ARM_REG_CPSR, sim_a32_cpsr(vc) & ~CPSR_I);
}

/* HCR.VI with IMO set: a virtual IRQ the CPU takes in a PL1 mode when
 * CPSR.I is clear, into IRQ mode through VBAR (or the high vectors), in
 * the state SCTLR.TE says, like any IRQ. */
static void a32_set_irq_line(struct sim_vcpu *vc, bool level)
{
	cp_set(vc, HCR, HCR_IMO | (level ? HCR_VI : 0));
}

static bool a32_after_wfi(struct sim_vcpu *vc, uint64_t pc)
{
	return sim_a32_after_hint(vc, pc, INSN_WFI_A, INSN_WFI_T16, INSN_WFI_T32);
}

static void a32_insn_text(struct sim_vcpu *vc, uint64_t pc, char *buf,
			  size_t len)
{
	bool thumb = sim_a32_cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned n;

	if (!sim_a32_insn_at(vc, pc, thumb, &insn, &n))
		snprintf(buf, len, "instruction unreadable");
	else if (!thumb)
		snprintf(buf, len, "instruction 0x%08x", insn);
	else if (n == 2)
		snprintf(buf, len, "Thumb instruction 0x%04x", insn);
	else
		snprintf(buf, len, "Thumb instruction 0x%04x 0x%04x",
			 insn >> 16, insn & 0xffff);
}

static void a32_dump(struct sim_vcpu *vc)
{
	struct hv_machine *m = vc->sim->machine;

	for (unsigned i = 0; i < 16; i += 4)
		hv_printk(m, "  r%-2u %08x r%-2u %08x r%-2u %08x r%-2u %08x",
			  i, (uint32_t)sim_a32_reg(vc, i), i + 1,
			  (uint32_t)sim_a32_reg(vc, i + 1), i + 2,
			  (uint32_t)sim_a32_reg(vc, i + 2), i + 3,
			  (uint32_t)sim_a32_reg(vc, i + 3));
	hv_printk(m, "  cpsr %08x spsr %08x", sim_a32_cpsr(vc),
		  (uint32_t)sim_uc_get(vc, UC_ARM_REG_SPSR));
}

static void a32_mmu_regs(struct sim_vcpu *vc, struct hv_mmu_regs *out)
{
	out->aarch32 = true;
	out->sctlr = (uint32_t)cp_get(vc, SCTLR);
	out->tcr = (uint32_t)cp_get(vc, TTBCR);
	out->ttbr0 = cp_get(vc, TTBR0);
	out->ttbr1 = cp_get(vc, TTBR1);
	out->mair = (uint32_t)cp_get(vc, MAIR0) |
		    (uint64_t)(uint32_t)cp_get(vc, MAIR1) << 32;
}

/* One mode's banked registers, read by switching the emulator's CPSR to
 * that mode (the emulator swaps the banks) and back. */
static void read_bank(struct sim_vcpu *vc, uint32_t psr, uint32_t mode,
		      struct hv_banked_regs *bank)
{
	sim_uc_set(vc, UC_ARM_REG_CPSR, (psr & ~CPSR_MODE) | mode);
	bank->sp = (uint32_t)sim_uc_get(vc, UC_ARM_REG_SP);
	bank->lr = (uint32_t)sim_uc_get(vc, UC_ARM_REG_LR);
	bank->spsr = mode == MODE_SYS ? 0 :
		     (uint32_t)sim_uc_get(vc, UC_ARM_REG_SPSR);
}

static void a32_guest_regs(struct sim_vcpu *vc, struct hv_guest_regs *out)
{
	uint32_t psr = sim_a32_cpsr(vc);
	struct hv_mmu_regs mmu;

	memset(out, 0, sizeof(*out));
	out->aarch32 = true;
	out->pc = a32_pc(vc);
	out->cpsr = psr;
	for (unsigned i = 0; i <= 12; i++)
		out->x[i] = sim_a32_reg(vc, i);
	read_bank(vc, psr, MODE_SYS, &out->usr);
	read_bank(vc, psr, MODE_SVC, &out->svc);
	read_bank(vc, psr, MODE_ABT, &out->abt);
	read_bank(vc, psr, MODE_UND, &out->und);
	read_bank(vc, psr, MODE_IRQ, &out->irq);
	read_bank(vc, psr, MODE_FIQ, &out->fiq);
	/* Still in FIQ mode: its own r8-r12. */
	for (unsigned i = 0; i < 5; i++)
		out->fiq_r8[i] = (uint32_t)sim_uc_get(vc, UC_ARM_REG_R8 +
							  (int)i);
	sim_uc_set(vc, UC_ARM_REG_CPSR, psr);
	out->dfsr = (uint32_t)cp_get(vc, DFSR);
	out->ifsr = (uint32_t)cp_get(vc, IFSR);
	out->dfar = (uint32_t)cp_get(vc, DFAR);
	out->ifar = (uint32_t)cp_get(vc, IFAR);
	a32_mmu_regs(vc, &mmu);
	out->sctlr = mmu.sctlr;
	out->tcr = mmu.tcr;
	out->ttbr0 = mmu.ttbr0;
	out->ttbr1 = mmu.ttbr1;
}

const struct sim_vcpu_arch sim_vcpu_arm32 = {
	.name = "arm32",
	.uc_arch = UC_ARCH_ARM,
	.uc_mode = UC_MODE_ARM,
	.cpu_model = UC_CPU_ARM_CORTEX_A15,
	.pc_reg = UC_ARM_REG_PC,
	.setup = a32_setup,
	.pc = a32_pc,
	.resume_at = a32_resume_at,
	.reg = sim_a32_reg,
	.set_reg = a32_set_reg,
	.aarch32 = true,
	.successors = a32_successors,
	.call_len = a32_call_len,
	.hvc_imm = a32_hvc_imm,
	.hypercall_args = a32_hypercall_args,
	.hypercall_ret = a32_hypercall_ret,
	.inject_undef = a32_inject_undef,
	.inject_abort = a32_inject_abort,
	.take_exception = a32_take_exception,
	.emulate_undef = sim_a32_emulate_undef,
	.irq_masked = a32_irq_masked,
	.unmask_irq = a32_unmask_irq,
	.set_irq_line = a32_set_irq_line,
	.after_wfi = a32_after_wfi,
	.insn_text = a32_insn_text,
	.dump = a32_dump,
	.mmu_regs = a32_mmu_regs,
	.guest_regs = a32_guest_regs,
	.rewind = a32_rewind,
};
