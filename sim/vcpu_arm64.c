/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm64 vCPU: a Cortex-A57 running the guest at EL1, whose EL2 and EL3
 * are the model. Decodes hvc, the GICv3 system registers (undefined in the
 * emulator, so they trap) and the generic-timer registers (trapped by an
 * MRS/MSR hook so that time is the model's). Interrupts reach the guest
 * through the virtual IRQ input EL2 controls (HCR_EL2.VI): the CPU takes
 * them itself. Every instruction word is read from guest memory and
 * decoded here: a word that is not what the trap implies is a fault. */
#include <stdio.h>
#include <string.h>

#include "a64_esr.h"
#include "hv/machine.h"
#include "hv/time.h"
#include "vcpu.h"

#define SCR_NS       (1u << 0)
#define SCR_HCE      (1u << 8)
#define SCR_RW       (1u << 10)
#define HCR_RW       (1ull << 31)
#define HCR_IMO      (1ull << 4)     /* virtual IRQs on, for EL1 */
#define HCR_VI       (1ull << 7)     /* the virtual IRQ input */

#define PSTATE_I     (1u << 7)
/* Xen's initial PSTATE for an arm64 guest, and the one it gives an
 * injected exception: EL1h with D, A, I, F set. */
#define PSTATE_BOOT  0x3c5u

/* wfi sites hooked in the image; a bigger image hooks the first ones. */
#define MAX_WFI_SITES 64

#define INSN_WFI      0xd503207fu
#define INSN_HVC_MASK 0xffe0001fu
#define INSN_HVC      0xd4000002u
/* MRS/MSR (register) with op0 = 2 or 3: 1101 0101 00 L 1 o0 op1 CRn CRm op2 Rt */
#define INSN_SYSREG_MASK 0xffd00000u
#define INSN_SYSREG      0xd5100000u

/* Control flow, for the fault locator: what ends a run of chained blocks
 * (exception generation; BR, BLR, RET, ERET, DRPS) and the direct branches
 * whose targets it may chain to. */
#define INSN_EXCGEN_MASK 0xff000000u
#define INSN_EXCGEN      0xd4000000u
#define INSN_BRREG_MASK  0xfe000000u
#define INSN_BRREG       0xd6000000u
#define INSN_B_MASK      0x7c000000u     /* B, BL: imm26 */
#define INSN_B           0x14000000u
#define INSN_BCOND_MASK  0xff000010u     /* B.cond: imm19 */
#define INSN_BCOND       0x54000000u
#define INSN_CBZ_MASK    0x7e000000u     /* CBZ, CBNZ: imm19 */
#define INSN_CBZ         0x34000000u
#define INSN_TBZ_MASK    0x7e000000u     /* TBZ, TBNZ: imm14 */
#define INSN_TBZ         0x36000000u

struct sysreg {
	unsigned op0, op1, crn, crm, op2;
};

static uint64_t cp_get(struct sim_vcpu *vc, struct sysreg r)
{
	uc_arm64_cp_reg cp = { .crn = r.crn, .crm = r.crm, .op0 = r.op0,
			       .op1 = r.op1, .op2 = r.op2 };

	uc_reg_read(vc->uc, UC_ARM64_REG_CP_REG, &cp);
	return cp.val;
}

static int cp_set(struct sim_vcpu *vc, struct sysreg r, uint64_t val)
{
	uc_arm64_cp_reg cp = { .crn = r.crn, .crm = r.crm, .op0 = r.op0,
			       .op1 = r.op1, .op2 = r.op2, .val = val };

	return uc_reg_write(vc->uc, UC_ARM64_REG_CP_REG, &cp) == UC_ERR_OK ?
		       0 : -1;
}

static const struct sysreg SCR_EL3 = { 3, 6, 1, 1, 0 };
static const struct sysreg HCR_EL2 = { 3, 4, 1, 1, 0 };
static const struct sysreg SPSR_EL1 = { 3, 0, 4, 0, 0 };
static const struct sysreg CNTFRQ_EL0 = { 3, 3, 14, 0, 0 };
static const struct sysreg SCTLR_EL1 = { 3, 0, 1, 0, 0 };
static const struct sysreg TCR_EL1 = { 3, 0, 2, 0, 2 };
static const struct sysreg ESR_EL1 = { 3, 0, 5, 2, 0 };
static const struct sysreg FAR_EL1 = { 3, 0, 6, 0, 0 };

/* The exception Xen injects for an hvc it does not take: EC 0 (unknown
 * reason), IL 1 (a 32-bit instruction), no ISS. */
#define ESR_UNKNOWN_IL32 0x02000000u
/* Vector offsets: synchronous, from EL0 (AArch64 / AArch32) and from the
 * current EL on SP_ELx. */
#define VECTOR_LOWER64   0x400u
#define VECTOR_LOWER32   0x600u
#define VECTOR_CURRENT   0x200u
#define PSTATE_NRW       (1u << 4)      /* AArch32 */
#define PSTATE_MODE      0xfu
/* Abort exception classes (from a lower EL; the current EL is one more)
 * and IL: Xen injects an abort with no ISS. */
#define EC_IABT_LOWER    0x20u
#define EC_DABT_LOWER    0x24u
#define ESR_EC_SHIFT     26
#define ESR_IL           (1u << 25)

static int xreg_id(unsigned n)
{
	if (n <= 28)
		return UC_ARM64_REG_X0 + (int)n;
	return n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

static uint64_t a64_reg(struct sim_vcpu *vc, unsigned n)
{
	return n <= 30 ? sim_uc_get(vc, xreg_id(n)) : 0;
}

static void a64_set_reg(struct sim_vcpu *vc, unsigned n, uint64_t value)
{
	if (n <= 30)
		sim_uc_set(vc, xreg_id(n), value);
}

static unsigned a64_call_len(struct sim_vcpu *vc, uint32_t intno)
{
	(void)vc;
	(void)intno;
	return 4;
}

static uint64_t a64_pc(struct sim_vcpu *vc)
{
	return sim_uc_get(vc, UC_ARM64_REG_PC);
}

static uint64_t a64_resume_at(struct sim_vcpu *vc, uint64_t pc)
{
	(void)vc;
	return pc;
}

static uint32_t pstate(struct sim_vcpu *vc)
{
	return (uint32_t)sim_uc_get(vc, UC_ARM64_REG_PSTATE);
}

static bool insn_at(struct sim_vcpu *vc, uint64_t pc, uint32_t *insn)
{
	return pc % 4 == 0 && sim_vcpu_read_va(vc, pc, insn, 4);
}

static int64_t sext(uint32_t v, unsigned bits)
{
	return (int64_t)((uint64_t)v << (64 - bits)) >> (64 - bits);
}

/* Successors within translated code: exception-generating instructions
 * and register branches leave it; direct branches may chain to their
 * target; anything else (conditional branches too) goes on at pc + 4. */
static unsigned a64_successors(struct sim_vcpu *vc, uint64_t pc,
			       uint64_t next[2])
{
	uint32_t w;
	unsigned n = 0;

	if (!insn_at(vc, pc, &w) || (w & INSN_EXCGEN_MASK) == INSN_EXCGEN ||
	    (w & INSN_BRREG_MASK) == INSN_BRREG)
		return 0;
	if ((w & INSN_B_MASK) == INSN_B) {
		next[0] = pc + (uint64_t)(sext(w & 0x3ffffff, 26) * 4);
		return 1;
	}
	if ((w & INSN_BCOND_MASK) == INSN_BCOND ||
	    (w & INSN_CBZ_MASK) == INSN_CBZ)
		next[n++] = pc + (uint64_t)(sext(w >> 5 & 0x7ffff, 19) * 4);
	else if ((w & INSN_TBZ_MASK) == INSN_TBZ)
		next[n++] = pc + (uint64_t)(sext(w >> 5 & 0x3fff, 14) * 4);
	next[n++] = pc + 4;
	return n;
}

/* ---- the generic timer, on the model's virtual time ---- */

/* Registers of op0 3, op1 3, CRn 14 the model owns: the counters and the
 * virtual timer. The frequency (CNTFRQ_EL0) is set once at boot. */
static bool timer_read(struct sim_vcpu *vc, const uc_arm64_cp_reg *cp,
		       uint64_t *val)
{
	if (cp->op0 != 3 || cp->op1 != 3 || cp->crn != 14)
		return false;
	if (cp->crm == 0 && (cp->op2 == 1 || cp->op2 == 2)) {
		*val = sim_vcpu_counter(vc);     /* CNTPCT_EL0, CNTVCT_EL0 */
		return true;
	}
	if (cp->crm != 3)
		return false;
	switch (cp->op2) {
	case 0:
		*val = hv_vtimer_read_tval(vc->v);
		return true;
	case 1:
		*val = hv_vtimer_read_ctl(vc->v);
		return true;
	case 2:
		*val = hv_vtimer_read_cval(vc->v);
		return true;
	default:
		return false;
	}
}

static bool timer_write(struct sim_vcpu *vc, const uc_arm64_cp_reg *cp)
{
	if (cp->op0 != 3 || cp->op1 != 3 || cp->crn != 14 || cp->crm != 3)
		return false;
	switch (cp->op2) {
	case 0:
		hv_vtimer_write_tval(vc->v, (uint32_t)cp->val);
		return true;
	case 1:
		hv_vtimer_write_ctl(vc->v, (uint32_t)cp->val);
		return true;
	case 2:
		hv_vtimer_write_cval(vc->v, cp->val);
		return true;
	default:
		return false;
	}
}

/* The engine calls these from inside a block before every MRS / MSR with
 * op0 2 or 3. Returning 1 skips the instruction and the block goes on
 * with the next one: writing the PC here would make the engine resume at
 * it later, running again what the block did in between. */
static uint32_t on_mrs(uc_engine *uc, uc_arm64_reg rt,
		       const uc_arm64_cp_reg *cp, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t val;

	(void)uc;
	if (vc->locating || !timer_read(vc, cp, &val))
		return 0;
	if (rt != UC_ARM64_REG_XZR)
		sim_uc_set(vc, (int)rt, val);
	return 1;
}

/* A timer write may raise its line at once (a deadline already past);
 * the block ends after an MSR, so the CPU sees the line right away. */
static uint32_t on_msr(uc_engine *uc, uc_arm64_reg rt,
		       const uc_arm64_cp_reg *cp, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	(void)rt;
	if (vc->locating || !timer_write(vc, cp))
		return 0;
	sim_vcpu_sync_line(vc);
	return 1;
}

/* Hook every wfi of the loaded image (see sim_vcpu_hook_wfi). */
static int hook_wfi_sites(struct sim_vcpu *vc, const struct sim_boot *boot)
{
	uint64_t len = boot->image_end - boot->image_start;
	const uint8_t *p = hv_gpa_ptr(&vc->v->domain->mem, boot->image_start,
				      len);
	unsigned found = 0;

	if (!p)
		return 0;
	for (uint64_t off = 0; off + 4 <= len; off += 4) {
		uint32_t w = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
			     (uint32_t)p[off + 2] << 16 |
			     (uint32_t)p[off + 3] << 24;

		if (w != INSN_WFI)
			continue;
		if (++found > MAX_WFI_SITES) {
			hv_log(vc->sim->machine, HV_LOG_WARN, "d%u: over %d wfi "
			       "in the image; a masked wait at the others is "
			       "not seen", vc->v->domain->domid, MAX_WFI_SITES);
			break;
		}
		if (sim_vcpu_hook_wfi(vc, boot->image_start + off))
			return -1;
	}
	return 0;
}

/* ---- boot ---- */

static int a64_setup(struct sim_vcpu *vc, const struct sim_boot *boot)
{
	uc_hook h;

	/* hvc reaches EL2 (the model) only with HCE; RW makes EL2 and EL1
	 * AArch64, without which eret corrupts PSTATE. */
	if (cp_set(vc, SCR_EL3, SCR_NS | SCR_HCE | SCR_RW) ||
	    cp_set(vc, HCR_EL2, HCR_RW | HCR_IMO) ||
	    cp_set(vc, CNTFRQ_EL0, HV_CNTFRQ_HZ)) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot configure the "
			 "arm64 CPU's EL2/EL3");
		return -1;
	}
	/* Linux boot protocol: x0 = device tree, x1..x3 = 0. */
	sim_uc_set(vc, UC_ARM64_REG_X0, boot->dtb);
	sim_uc_set(vc, UC_ARM64_REG_X1, 0);
	sim_uc_set(vc, UC_ARM64_REG_X2, 0);
	sim_uc_set(vc, UC_ARM64_REG_X3, 0);
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, PSTATE_BOOT);
	sim_uc_set(vc, UC_ARM64_REG_PC, boot->entry);
	if ((!vc->warm &&
	     (uc_hook_add(vc->uc, &h, UC_HOOK_INSN, on_mrs, vc, 1, 0,
			  UC_ARM64_INS_MRS) != UC_ERR_OK ||
	      uc_hook_add(vc->uc, &h, UC_HOOK_INSN, on_msr, vc, 1, 0,
			  UC_ARM64_INS_MSR) != UC_ERR_OK)) ||
	    hook_wfi_sites(vc, boot)) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot hook MRS/MSR/wfi");
		return -1;
	}
	return 0;
}

/* TLBI ALLE1: every EL1&0 translation the CPU cached, gone. */
static const struct sysreg TLBI_ALLE1 = { 1, 4, 8, 7, 4 };

static int a64_rewind(struct sim_vcpu *vc)
{
	return cp_set(vc, TLBI_ALLE1, 0);
}

/* ---- traps ---- */

static int a64_hvc_imm(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t insn;

	if (!insn_at(vc, pc - 4, &insn) ||
	    (insn & INSN_HVC_MASK) != INSN_HVC)
		return -1;
	return (int)((insn >> 5) & 0xffff);
}

static void a64_hypercall_args(struct sim_vcpu *vc, uint64_t *op,
			       uint64_t arg[5])
{
	int ids[6] = { UC_ARM64_REG_X16, UC_ARM64_REG_X0, UC_ARM64_REG_X1,
		       UC_ARM64_REG_X2, UC_ARM64_REG_X3, UC_ARM64_REG_X4 };
	uint64_t val[6] = { 0 };
	void *ptr[6];

	for (unsigned i = 0; i < 6; i++)
		ptr[i] = &val[i];
	uc_reg_read_batch(vc->uc, ids, ptr, 6);
	*op = val[0];
	for (unsigned i = 0; i < 5; i++)
		arg[i] = val[i + 1];
}

static void a64_hypercall_ret(struct sim_vcpu *vc, long rc)
{
	sim_uc_set(vc, UC_ARM64_REG_X0, (uint64_t)rc);
}

/* MRS / MSR of a GICv3 CPU-interface register (op0 3, CRn 4 or 12). */
static int a64_emulate_undef(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t insn, key;
	unsigned rt;
	bool read;
	uint64_t val = 0;

	if (!insn_at(vc, pc, &insn) || (insn & INSN_SYSREG_MASK) != INSN_SYSREG ||
	    !(insn >> 19 & 1))
		return -1;
	read = insn >> 21 & 1;
	rt = insn & 0x1f;
	key = SIM_SYSREG(insn >> 16 & 7, insn >> 12 & 0xf, insn >> 8 & 0xf,
			 insn >> 5 & 7);
	if (!read && rt != 31)
		val = a64_reg(vc, rt);
	if (sim_gic_sysreg(&vc->gic, key, !read, &val))
		return -1;
	if (read && rt != 31)
		sim_uc_set(vc, xreg_id(rt), val);
	sim_vcpu_emulated(vc, pc + 4);
	return 0;
}

/* Xen's inject_undef64_exception: ELR_EL1 the hvc's return address (the
 * next instruction), SPSR_EL1 the PSTATE it ran with, PSTATE EL1h with D,
 * A, I and F masked, PC the synchronous vector Xen picks (from EL0 the
 * lower-EL one, from EL1 the SP_ELx one whichever SP was in use). */
static void a64_inject_undef(struct sim_vcpu *vc)
{
	uint32_t ps = pstate(vc);
	uint64_t base = sim_uc_get(vc, UC_ARM64_REG_VBAR_EL1);

	if (ps & PSTATE_NRW)
		base += VECTOR_LOWER32;
	else if ((ps & PSTATE_MODE) == 0)
		base += VECTOR_LOWER64;
	else
		base += VECTOR_CURRENT;
	sim_uc_set(vc, UC_ARM64_REG_ELR_EL1, a64_pc(vc));
	cp_set(vc, SPSR_EL1, ps);
	cp_set(vc, ESR_EL1, ESR_UNKNOWN_IL32);
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, PSTATE_BOOT);
	sim_vcpu_emulated(vc, base);
}

/* The synchronous vector Xen picks for an exception taken from ps. */
static uint64_t sync_vector(struct sim_vcpu *vc, uint32_t ps)
{
	uint64_t base = sim_uc_get(vc, UC_ARM64_REG_VBAR_EL1);

	if (ps & PSTATE_NRW)
		return base + VECTOR_LOWER32;
	if ((ps & PSTATE_MODE) == 0)
		return base + VECTOR_LOWER64;
	return base + VECTOR_CURRENT;
}

/* Xen's inject_abt64_exception: ESR_EL1 EC 0x25 (0x21 for a fetch) from
 * EL1, 0x24 (0x20) from EL0, IL 1 (the trapped instruction's, always 1
 * for A64), no ISS; FAR_EL1 the address; ELR_EL1 the instruction itself;
 * SPSR_EL1 its PSTATE; then as for an undefined instruction. */
static void a64_inject_abort(struct sim_vcpu *vc, uint64_t pc, uint64_t addr,
			     bool fetch)
{
	uint32_t ps = pstate(vc);
	bool lower = (ps & PSTATE_NRW) || (ps & PSTATE_MODE) == 0;
	uint32_t ec = (fetch ? EC_IABT_LOWER : EC_DABT_LOWER) + !lower;

	sim_uc_set(vc, UC_ARM64_REG_ELR_EL1, pc);
	cp_set(vc, SPSR_EL1, ps);
	cp_set(vc, FAR_EL1, addr);
	cp_set(vc, ESR_EL1, (uint64_t)ec << ESR_EC_SHIFT | ESR_IL);
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, PSTATE_BOOT);
	sim_vcpu_emulated(vc, sync_vector(vc, ps));
}

/* ---- synchronous exceptions the CPU takes to EL1 ---- */

#define PSTATE_SPSEL     (1u << 0)

static void a64_mmu_regs(struct sim_vcpu *vc, struct hv_mmu_regs *out);

/* The vector the exception from ps goes to is guest code: without one
 * (VBAR_EL1 still 0, or not mapped) the CPU would fault again forever at
 * it, so the run ends at the first exception instead. */
static bool vector_present(struct sim_vcpu *vc, uint64_t vector)
{
	struct hv_mmu_regs regs;
	struct hv_gva_xlate x;

	a64_mmu_regs(vc, &regs);
	return hv_stage1_walk(&vc->v->domain->mem, &regs, vector, &x) == 0 &&
	       a64_stage1_check(&vc->v->domain->mem, &regs, vector,
				A64_ACCESS_EXEC, false) == 0 &&
	       hv_gpa_ptr(&vc->v->domain->mem, x.gpa, 4) != NULL;
}

#define VECTOR_LOWER64_IRQ 0x480u

/* The CPU took the carrier IRQ: it is in EL1h at the IRQ vector with
 * ELR_EL1 and SP_EL1 right; the syndrome, the PSTATE it came from and the
 * synchronous vector make it the exception. */
static void on_irq_vector(uc_engine *uc, uint64_t addr, uint32_t size,
			  void *ctx)
{
	struct sim_vcpu *vc = ctx;
	struct sim_carrier *c = &vc->carrier;

	(void)uc;
	(void)size;
	if (!c->pending || vc->locating)
		return;
	c->pending = false;
	cp_set(vc, SPSR_EL1, c->spsr);
	if (c->has_far)
		cp_set(vc, FAR_EL1, c->far);
	cp_set(vc, ESR_EL1, c->esr);
	sim_vcpu_sync_line(vc);
	sim_vcpu_emulated(vc, addr - VECTOR_LOWER64_IRQ + VECTOR_LOWER64);
}

static bool hook_irq_vector(struct sim_vcpu *vc, uint64_t irq_vector)
{
	struct sim_carrier *c = &vc->carrier;
	uint64_t page = irq_vector & ~(uint64_t)(SIM_CHAIN_PAGE - 1);

	if (c->hooked == irq_vector)
		return true;
	if (c->hooked)
		uc_hook_del(vc->uc, c->hook);
	c->hooked = 0;
	if (uc_hook_add(vc->uc, &c->hook, UC_HOOK_CODE, on_irq_vector, vc,
			irq_vector, irq_vector) != UC_ERR_OK)
		return false;
	c->hooked = irq_vector;
	/* Code translated before the hook would not call it. */
	uc_ctl_remove_cache(vc->uc, page, page + SIM_CHAIN_PAGE);
	return true;
}

/* From EL0 the engine itself must change exception level (a register
 * write does not refresh what its code was translated for): the
 * virtual IRQ line goes up with PSTATE.I clear and the PC on the
 * preferred return address, the CPU takes the IRQ, on_irq_vector
 * finishes. A real interrupt pending meanwhile stays pending. */
static bool enter_el1_from_el0(struct sim_vcpu *vc, uint32_t ps, uint32_t esr,
			       bool has_far, uint64_t far, uint64_t elr)
{
	uint64_t base = sim_uc_get(vc, UC_ARM64_REG_VBAR_EL1);
	struct sim_carrier *c = &vc->carrier;

	if (!vector_present(vc, base + VECTOR_LOWER64) ||
	    !vector_present(vc, base + VECTOR_LOWER64_IRQ) ||
	    !hook_irq_vector(vc, base + VECTOR_LOWER64_IRQ))
		return false;
	c->pending = true;
	c->esr = esr;
	c->spsr = ps;
	c->has_far = has_far;
	c->far = far;
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, ps & ~PSTATE_I);
	sim_vcpu_emulated(vc, elr);
	sim_vcpu_sync_line(vc);
	return true;
}

/* Exception entry to EL1h as the CPU makes it: ESR_EL1, FAR_EL1 (for
 * aborts), ELR_EL1 the preferred return address, SPSR_EL1 the PSTATE,
 * PSTATE EL1h with D, A, I, F set, SP_EL1 in use, PC the vector. From
 * EL1 by hand; from EL0 through the CPU's IRQ entry. */
static bool enter_el1(struct sim_vcpu *vc, uint32_t esr, bool has_far,
		      uint64_t far, uint64_t elr)
{
	uint32_t ps = pstate(vc);
	uint64_t vector = sync_vector(vc, ps);

	if (ps & PSTATE_NRW)
		return false;
	if ((ps & PSTATE_MODE) == 0)
		return enter_el1_from_el0(vc, ps, esr, has_far, far, elr);
	if (!vector_present(vc, vector))
		return false;
	if (!(ps & PSTATE_SPSEL)) {          /* EL1t: SP_EL0 was in use */
		sim_uc_set(vc, UC_ARM64_REG_SP_EL0,
			   sim_uc_get(vc, UC_ARM64_REG_SP));
		sim_uc_set(vc, UC_ARM64_REG_SP,
			   sim_uc_get(vc, UC_ARM64_REG_SP_EL1));
	}
	sim_uc_set(vc, UC_ARM64_REG_ELR_EL1, elr);
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, PSTATE_BOOT);
	cp_set(vc, SPSR_EL1, ps);
	if (has_far)
		cp_set(vc, FAR_EL1, far);
	cp_set(vc, ESR_EL1, esr);
	sim_vcpu_emulated(vc, vector);
	return true;
}

static bool from_el0(struct sim_vcpu *vc)
{
	return (pstate(vc) & PSTATE_MODE) == 0;
}

/* The registers an address is computed from, as the instruction saw
 * them (the engine reports an abort before any writeback). */
static void gprs(struct sim_vcpu *vc, uint64_t x[31])
{
	for (unsigned i = 0; i < 31; i++)
		x[i] = a64_reg(vc, i);
}

/* The first access of acc at addr (count elements) the CPU refuses:
 * its address in *far, the fault status code, and whether a write
 * caused it; false if every one goes through. */
static bool first_fault(struct sim_vcpu *vc, const struct a64_access *acc,
			uint64_t addr, uint64_t *far, unsigned *fsc, bool *wnr)
{
	struct hv_mmu_regs regs;
	const struct hv_mem *mem = &vc->v->domain->mem;
	bool el0 = from_el0(vc) || acc->unprivileged;
	uint64_t size = (uint64_t)acc->elem_size * acc->count;

	a64_mmu_regs(vc, &regs);
	if (((acc->aligned || (regs.sctlr & 2)) && addr % acc->elem_size) ||
	    (acc->aligned && acc->count > 1 && addr % size)) {
		*far = addr;
		*fsc = A64_FSC_ALIGNMENT;
		*wnr = !acc->load;
		return true;
	}
	/* Page by page through what the instruction touches. */
	for (uint64_t at = addr; at - addr < size;
	     at = (at | (HV_PAGE_SIZE - 1)) + 1) {
		int rc = acc->load ? a64_stage1_check(mem, &regs, at,
						      A64_ACCESS_READ, el0) : 0;

		*wnr = false;
		if (rc == 0 && acc->store) {
			rc = a64_stage1_check(mem, &regs, at, A64_ACCESS_WRITE,
					      el0);
			*wnr = true;
		}
		if (rc < 0)
			return false;
		if (rc > 0) {
			*far = at;
			*fsc = (unsigned)rc;
			return true;
		}
	}
	return false;
}

static bool take_data_abort(struct sim_vcpu *vc, uint64_t pc)
{
	struct a64_access acc;
	uint64_t x[31], far;
	unsigned fsc;
	bool wnr;
	uint32_t insn;

	if (!insn_at(vc, pc, &insn) || !a64_decode_access(insn, &acc))
		return false;
	gprs(vc, x);
	if (!first_fault(vc, &acc, a64_access_address(&acc, x,
				sim_uc_get(vc, UC_ARM64_REG_SP), pc),
			 &far, &fsc, &wnr))
		return false;
	return enter_el1(vc, a64_dabt_esr_el1(from_el0(vc), wnr, fsc), true,
			 far, pc);
}

static bool take_prefetch_abort(struct sim_vcpu *vc, uint64_t pc)
{
	struct hv_mmu_regs regs;
	int fsc;

	a64_mmu_regs(vc, &regs);
	fsc = a64_stage1_check(&vc->v->domain->mem, &regs, pc,
			       A64_ACCESS_EXEC, from_el0(vc));
	if (fsc <= 0)
		return false;
	return enter_el1(vc, a64_iabt_esr_el1(from_el0(vc), (unsigned)fsc),
			 true, pc, pc);
}

/* svc traps with the PC past it, brk and undefined instructions on them
 * (hvc at EL0 is undefined too); aborts on the instruction. */
static bool a64_take_exception(struct sim_vcpu *vc, uint32_t intno,
			       uint64_t pc)
{
	uint32_t insn;

	switch (intno) {
	case SIM_EXCP_UDEF:
		return enter_el1(vc, a64_undef_esr(), false, 0, pc);
	case SIM_EXCP_SWI:
		if (!insn_at(vc, pc - 4, &insn) ||
		    (insn & A64_INSN_SVC_MASK) != A64_INSN_SVC)
			return false;
		return enter_el1(vc, a64_svc_esr(insn), false, 0, pc);
	case SIM_EXCP_BKPT:
		if (!insn_at(vc, pc, &insn) ||
		    (insn & A64_INSN_SVC_MASK) != A64_INSN_BRK)
			return false;
		return enter_el1(vc, a64_brk_esr(insn), false, 0, pc);
	case SIM_EXCP_DATA_ABORT:
		return take_data_abort(vc, pc);
	case SIM_EXCP_PREFETCH_ABORT:
		return take_prefetch_abort(vc, pc);
	default:
		return false;
	}
}

static bool a64_irq_masked(struct sim_vcpu *vc)
{
	return pstate(vc) & PSTATE_I;
}

static void a64_unmask_irq(struct sim_vcpu *vc)
{
	sim_uc_set(vc, UC_ARM64_REG_PSTATE, pstate(vc) & ~PSTATE_I);
}

/* HCR_EL2.VI with IMO set: a virtual IRQ the CPU takes at EL1 when
 * PSTATE.I is clear, through VBAR_EL1 like any IRQ. */
static void a64_set_irq_line(struct sim_vcpu *vc, bool level)
{
	cp_set(vc, HCR_EL2, HCR_RW | HCR_IMO | (level ? HCR_VI : 0));
}

static bool a64_after_wfi(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t insn;

	return insn_at(vc, pc - 4, &insn) && insn == INSN_WFI;
}

static void a64_insn_text(struct sim_vcpu *vc, uint64_t pc, char *buf,
			  size_t len)
{
	uint32_t insn;

	if (insn_at(vc, pc, &insn))
		snprintf(buf, len, "instruction 0x%08x", insn);
	else
		snprintf(buf, len, "instruction unreadable");
}

static void a64_dump(struct sim_vcpu *vc)
{
	struct hv_machine *m = vc->sim->machine;

	for (unsigned i = 0; i < 31; i += 4) {
		char line[128];
		int n = 0;

		for (unsigned j = i; j < i + 4 && j < 31; j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      " x%-2u %016llx", j,
				      (unsigned long long)a64_reg(vc, j));
		hv_printk(m, " %s", line);
	}
	hv_printk(m, "  sp  %016llx pc  %016llx pstate %08x",
		  (unsigned long long)sim_uc_get(vc, UC_ARM64_REG_SP),
		  (unsigned long long)a64_pc(vc), pstate(vc));
	hv_printk(m, "  elr_el1 %016llx spsr_el1 %08llx vbar_el1 %016llx",
		  (unsigned long long)sim_uc_get(vc, UC_ARM64_REG_ELR_EL1),
		  (unsigned long long)cp_get(vc, SPSR_EL1),
		  (unsigned long long)sim_uc_get(vc, UC_ARM64_REG_VBAR_EL1));
}

static void a64_mmu_regs(struct sim_vcpu *vc, struct hv_mmu_regs *out)
{
	out->aarch32 = false;
	out->sctlr = cp_get(vc, SCTLR_EL1);
	out->tcr = cp_get(vc, TCR_EL1);
	out->ttbr0 = sim_uc_get(vc, UC_ARM64_REG_TTBR0_EL1);
	out->ttbr1 = sim_uc_get(vc, UC_ARM64_REG_TTBR1_EL1);
	out->mair = sim_uc_get(vc, UC_ARM64_REG_MAIR_EL1);
}

/* SPSel: the current SP is SP_EL1 (EL1h) or SP_EL0; the emulator keeps
 * the other one in its banked slot. */
static void a64_guest_regs(struct sim_vcpu *vc, struct hv_guest_regs *out)
{
	struct hv_mmu_regs mmu;
	uint64_t sp = sim_uc_get(vc, UC_ARM64_REG_SP);
	bool on_el1 = (pstate(vc) & 0xf) == 0x5;

	memset(out, 0, sizeof(*out));
	out->pc = a64_pc(vc);
	out->cpsr = pstate(vc);
	for (unsigned i = 0; i < 31; i++)
		out->x[i] = a64_reg(vc, i);
	out->sp_el0 = on_el1 ? sim_uc_get(vc, UC_ARM64_REG_SP_EL0) : sp;
	out->sp_el1 = on_el1 ? sp : sim_uc_get(vc, UC_ARM64_REG_SP_EL1);
	out->elr_el1 = sim_uc_get(vc, UC_ARM64_REG_ELR_EL1);
	out->esr_el1 = (uint32_t)cp_get(vc, ESR_EL1);
	out->far_el1 = cp_get(vc, FAR_EL1);
	a64_mmu_regs(vc, &mmu);
	out->sctlr = mmu.sctlr;
	out->tcr = mmu.tcr;
	out->ttbr0 = mmu.ttbr0;
	out->ttbr1 = mmu.ttbr1;
}

const struct sim_vcpu_arch sim_vcpu_arm64 = {
	.name = "arm64",
	.uc_arch = UC_ARCH_ARM64,
	.uc_mode = UC_MODE_ARM,
	.cpu_model = UC_CPU_ARM64_A57,
	.pc_reg = UC_ARM64_REG_PC,
	.setup = a64_setup,
	.pc = a64_pc,
	.resume_at = a64_resume_at,
	.reg = a64_reg,
	.set_reg = a64_set_reg,
	.successors = a64_successors,
	.call_len = a64_call_len,
	.hvc_imm = a64_hvc_imm,
	.hypercall_args = a64_hypercall_args,
	.hypercall_ret = a64_hypercall_ret,
	.inject_undef = a64_inject_undef,
	.inject_abort = a64_inject_abort,
	.take_exception = a64_take_exception,
	.emulate_undef = a64_emulate_undef,
	.irq_masked = a64_irq_masked,
	.unmask_irq = a64_unmask_irq,
	.set_irq_line = a64_set_irq_line,
	.after_wfi = a64_after_wfi,
	.insn_text = a64_insn_text,
	.dump = a64_dump,
	.mmu_regs = a64_mmu_regs,
	.guest_regs = a64_guest_regs,
	.rewind = a64_rewind,
};
