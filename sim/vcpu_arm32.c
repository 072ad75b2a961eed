/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 vCPU: a Cortex-A15 running the guest in a PL1 mode, with Hyp
 * and Monitor being the model. Decodes hvc in the ARM and Thumb-2
 * encodings and the GICv3 CP15 registers (undefined in the emulator, so
 * they trap). Interrupts reach the guest through the virtual IRQ input Hyp
 * controls (HCR.VI): the CPU takes them itself. The engine offers no hook
 * on CP15 reads, so the generic-timer accesses (and the wfi) are found by
 * scanning the loaded image and hooking exactly those addresses.
 * Instruction words come from guest memory and are decoded here, never
 * assumed. */
#include <stdio.h>
#include <string.h>

#include "hv/machine.h"
#include "hv/time.h"
#include "vcpu.h"

#define CPSR_T       (1u << 5)
#define CPSR_F       (1u << 6)
#define CPSR_I       (1u << 7)
#define CPSR_A       (1u << 8)
#define CPSR_IT      0x0600fc00u
#define CPSR_E       (1u << 9)
#define CPSR_J       (1u << 24)
#define CPSR_MODE    0x1fu
#define MODE_FIQ     0x11u
#define MODE_IRQ     0x12u
#define MODE_SVC     0x13u
#define MODE_ABT     0x17u
#define MODE_SYS     0x1fu
#define MODE_UND     0x1bu
#define MODE_ABT     0x17u
/* Xen's initial CPSR for an arm32 guest: SVC, A, I and F masked, ARM. */
#define CPSR_BOOT    (MODE_SVC | CPSR_A | CPSR_I | CPSR_F)

#define SCR_HCE      (1u << 8)
#define HCR_IMO      (1u << 4)    /* virtual IRQs on, for PL1 */
#define HCR_VI       (1u << 7)    /* the virtual IRQ input */

#define INSN_WFI_A     0x0320f003u   /* without the condition */
#define INSN_WFI_T16   0xbf30u
#define INSN_WFI_T32   0xf3af8003u
#define INSN_YIELD_A   0x0320f001u
#define INSN_YIELD_T16 0xbf10u
#define INSN_YIELD_T32 0xf3af8001u
#define INSN_WFE_A     0x0320f002u
#define INSN_WFE_T16   0xbf20u
#define INSN_WFE_T32   0xf3af8002u
#define INSN_HVC_MASK  0x0ff000f0u
#define INSN_HVC       0x01400070u
/* MRC/MCR: cond 1110 opc1 L CRn Rt coproc opc2 1 CRm. MRRC/MCRR: cond
 * 1100 010 L Rt2 Rt coproc opc1 CRm. A Thumb-2 pair (hw0 << 16 | hw1) has
 * the same layout with cond 1110. */
#define INSN_CP_MASK   0x0f000010u
#define INSN_CP        0x0e000010u
#define INSN_CP64_MASK 0x0fe00000u
#define INSN_CP64      0x0c400000u
#define COND_AL        0xeu

/* Generic-timer accesses and wfi found in the image, hooked by address. */
#define MAX_TIMER_SITES 64
#define MAX_WFI_SITES   64

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

static int rreg_id(unsigned n)
{
	if (n <= 12)
		return UC_ARM_REG_R0 + (int)n;
	return n == 13 ? UC_ARM_REG_SP : n == 14 ? UC_ARM_REG_LR : UC_ARM_REG_PC;
}

static uint64_t a32_reg(struct sim_vcpu *vc, unsigned n)
{
	return n <= 15 ? (uint32_t)sim_uc_get(vc, rreg_id(n)) : 0;
}

static void a32_set_reg(struct sim_vcpu *vc, unsigned n, uint64_t value)
{
	if (n <= 14)
		sim_uc_set(vc, rreg_id(n), (uint32_t)value);
}

static uint32_t cpsr(struct sim_vcpu *vc)
{
	return (uint32_t)sim_uc_get(vc, UC_ARM_REG_CPSR);
}

static uint64_t a32_pc(struct sim_vcpu *vc)
{
	return (uint32_t)sim_uc_get(vc, UC_ARM_REG_PC);
}

static uint64_t a32_resume_at(struct sim_vcpu *vc, uint64_t pc)
{
	return pc | (cpsr(vc) & CPSR_T ? 1 : 0);
}

static bool half_at(struct sim_vcpu *vc, uint64_t a, uint16_t *hw)
{
	return a % 2 == 0 && sim_vcpu_read(vc, a, hw, 2);
}

/* The instruction at pc in the current state as one 32-bit value: an ARM
 * word, or a Thumb-2 pair hw0 << 16 | hw1 (*len 4), or a 16-bit Thumb
 * instruction (*len 2). false if it cannot be read. */
static bool insn_at(struct sim_vcpu *vc, uint64_t pc, bool thumb,
		    uint32_t *insn, unsigned *len)
{
	uint16_t hw0, hw1;

	if (!thumb) {
		*len = 4;
		return pc % 4 == 0 && sim_vcpu_read(vc, pc, insn, 4);
	}
	if (!half_at(vc, pc, &hw0))
		return false;
	if ((hw0 >> 11) < 0x1d) {       /* 16-bit encoding */
		*insn = hw0;
		*len = 2;
		return true;
	}
	if (!half_at(vc, pc + 2, &hw1))
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
	bool thumb = cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned len;

	if (!insn_at(vc, pc, thumb, &insn, &len))
		return 0;
	return thumb ? thumb_successors(insn, len, pc, next) :
		       arm_successors(insn, pc, next);
}

/* svc is 16 bits in Thumb, smc 32; both are 32 bits in ARM. */
static unsigned a32_call_len(struct sim_vcpu *vc, uint32_t intno)
{
	return (cpsr(vc) & CPSR_T) && intno == SIM_EXCP_SWI ? 2 : 4;
}

/* ---- the generic timer, on the model's virtual time ---- */

enum timer_reg { T_NONE, T_CNTPCT, T_CNTVCT, T_CVAL, T_TVAL, T_CTL };

/* Which generic-timer register an always-executed CP15 access names. */
static enum timer_reg timer_decode(uint32_t insn, bool *write)
{
	unsigned coproc = insn >> 8 & 0xf;

	if (insn >> 28 != COND_AL || coproc != 15)
		return T_NONE;
	*write = !(insn >> 20 & 1);
	if ((insn & INSN_CP64_MASK) == INSN_CP64 && (insn & 0xf) == 14) {
		switch (insn >> 4 & 0xf) {     /* opc1 */
		case 0:
			return *write ? T_NONE : T_CNTPCT;
		case 1:
			return *write ? T_NONE : T_CNTVCT;
		case 3:
			return T_CVAL;
		default:
			return T_NONE;
		}
	}
	if ((insn & INSN_CP_MASK) == INSN_CP && (insn >> 21 & 7) == 0 &&
	    (insn >> 16 & 0xf) == 14 && (insn & 0xf) == 3) {
		unsigned opc2 = insn >> 5 & 7;

		return opc2 == 0 ? T_TVAL : opc2 == 1 ? T_CTL : T_NONE;
	}
	return T_NONE;
}

static void timer_access(struct sim_vcpu *vc, uint32_t insn, enum timer_reg r,
			 bool write)
{
	unsigned rt = insn >> 12 & 0xf, rt2 = insn >> 16 & 0xf;
	uint64_t val = 0;

	if (write) {
		val = a32_reg(vc, rt) | (r == T_CVAL ? a32_reg(vc, rt2) << 32 : 0);
		if (r == T_CVAL)
			hv_vtimer_write_cval(vc->v, val);
		else if (r == T_TVAL)
			hv_vtimer_write_tval(vc->v, (uint32_t)val);
		else
			hv_vtimer_write_ctl(vc->v, (uint32_t)val);
		return;
	}
	switch (r) {
	case T_CNTPCT:
	case T_CNTVCT:
		val = sim_vcpu_counter(vc);
		break;
	case T_CVAL:
		val = hv_vtimer_read_cval(vc->v);
		break;
	case T_TVAL:
		val = hv_vtimer_read_tval(vc->v);
		break;
	default:
		val = hv_vtimer_read_ctl(vc->v);
		break;
	}
	if (rt != 15)
		sim_uc_set(vc, rreg_id(rt), (uint32_t)val);
	if (r == T_CNTPCT || r == T_CNTVCT || r == T_CVAL)
		if (rt2 != 15)
			sim_uc_set(vc, rreg_id(rt2), (uint32_t)(val >> 32));
}

/* Runs before the instruction at a hooked site executes. The site was
 * chosen by a scan that cannot know the state the CPU will be in there:
 * decode again now, and leave anything else to the engine. */
static void on_timer_site(uc_engine *uc, uint64_t addr, uint32_t size,
			  void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint32_t psr = cpsr(vc), insn;
	unsigned len;
	enum timer_reg r;
	bool write;

	(void)uc;
	(void)size;
	if (vc->locating || psr & CPSR_IT || !insn_at(vc, addr, psr & CPSR_T, &insn, &len) ||
	    len != 4)
		return;
	r = timer_decode(insn, &write);
	if (r == T_NONE)
		return;
	timer_access(vc, insn, r, write);
	/* A limit reached: leave the PC on the instruction, where the engine
	 * stops (a PC written here would cancel the stop). */
	if (vc->sim->limit)
		return;
	/* Before the instruction, the PC written here skips it exactly. */
	sim_vcpu_emulated(vc, addr + 4);
	if (write)
		sim_vcpu_sync_line(vc);
}

static uint32_t word_at(const uint8_t *p, uint64_t off, bool thumb)
{
	uint32_t w = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
		     (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;

	return thumb ? w << 16 | w >> 16 : w;  /* hw0 is the lower halfword */
}

static bool timer_site(const uint8_t *p, uint64_t off, bool thumb)
{
	bool write;

	return timer_decode(word_at(p, off, thumb), &write) != T_NONE;
}

static bool wfi_site(const uint8_t *p, uint64_t off, bool thumb)
{
	uint32_t w = word_at(p, off, thumb);

	if (thumb)
		return w >> 16 == INSN_WFI_T16 || w == INSN_WFI_T32;
	return (w & 0x0fffffffu) == INSN_WFI_A && w >> 28 != 0xf;
}

/* One kind of site found by the scan, and what to hook there. */
struct site_kind {
	const char *what;
	bool (*match)(const uint8_t *p, uint64_t off, bool thumb);
	void (*hook)(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx);
	unsigned max, found;
};

static int hook_site(struct sim_vcpu *vc, struct site_kind *k, uint64_t a)
{
	uc_hook h;

	if (++k->found > k->max) {
		if (k->found == k->max + 1)
			hv_log(vc->sim->machine, HV_LOG_WARN, "d%u: over %u %s "
			       "in the image; the rest are not hooked",
			       vc->v->domain->domid, k->max, k->what);
		return 0;
	}
	if (k->hook)
		return vc->warm || uc_hook_add(vc->uc, &h, UC_HOOK_CODE,
					       k->hook, vc, a, a) == UC_ERR_OK ?
		       0 : -1;
	return sim_vcpu_hook_wfi(vc, a);
}

/* Hook every address in the loaded image holding a generic-timer access
 * or a wfi, in either encoding. */
static int hook_sites(struct sim_vcpu *vc, const struct sim_boot *boot)
{
	struct site_kind kinds[] = {
		{ "generic-timer accesses", timer_site, on_timer_site,
		  MAX_TIMER_SITES, 0 },
		{ "wfi", wfi_site, NULL, MAX_WFI_SITES, 0 },
	};
	uint64_t len = boot->image_end - boot->image_start;
	const uint8_t *p = hv_gpa_ptr(&vc->v->domain->mem, boot->image_start,
				      len);

	if (!p)
		return 0;
	for (uint64_t off = 0; off + 4 <= len; off += 2) {
		for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			struct site_kind *k = &kinds[i];

			if ((k->match(p, off, true) ||
			     (off % 4 == 0 && k->match(p, off, false))) &&
			    hook_site(vc, k, boot->image_start + off))
				return -1;
		}
	}
	return 0;
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
	 * device tree; SVC mode, interrupts masked, ARM state. */
	sim_uc_set(vc, UC_ARM_REG_CPSR, CPSR_BOOT);
	sim_uc_set(vc, UC_ARM_REG_R0, 0);
	sim_uc_set(vc, UC_ARM_REG_R1, 0xffffffffu);
	sim_uc_set(vc, UC_ARM_REG_R2, boot->dtb);
	sim_uc_set(vc, UC_ARM_REG_PC, boot->entry);
	vc->hint_ran = UINT64_MAX;
	vc->yield_pc = UINT64_MAX;
	if (hook_sites(vc, boot)) {
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

	if (cpsr(vc) & CPSR_T) {
		if (!half_at(vc, pc - 4, &hw0) || !half_at(vc, pc - 2, &hw1) ||
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

/* Whether the instruction ending at pc is `hint` (a wfi or a yield). */
static bool after_hint(struct sim_vcpu *vc, uint64_t pc, uint32_t arm,
		       uint16_t t16, uint32_t t32)
{
	uint32_t w;
	uint16_t hw0, hw1;

	if (!(cpsr(vc) & CPSR_T))
		return pc % 4 == 0 && sim_vcpu_read(vc, pc - 4, &w, 4) &&
		       (w & 0x0fffffffu) == arm;
	if (half_at(vc, pc - 2, &hw1) && hw1 == t16)
		return true;
	return half_at(vc, pc - 4, &hw0) && half_at(vc, pc - 2, &hw1) &&
	       ((uint32_t)hw0 << 16 | hw1) == t32;
}

/* MRC/MCR/MRRC/MCRR of a GICv3 CPU-interface register. */
static int emulate_sysreg(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t insn, key;
	unsigned len, rt, rt2;
	bool read;
	uint64_t val = 0;

	if (!insn_at(vc, pc, cpsr(vc) & CPSR_T, &insn, &len) || len != 4 ||
	    insn >> 28 != COND_AL || (insn >> 8 & 0xf) != 15)
		return -1;
	read = insn >> 20 & 1;
	rt = insn >> 12 & 0xf;
	rt2 = insn >> 16 & 0xf;
	if ((insn & INSN_CP_MASK) == INSN_CP) {
		key = SIM_SYSREG(insn >> 21 & 7, rt2, insn & 0xf, insn >> 5 & 7);
		rt2 = 15;               /* not a register of this form */
	} else if ((insn & INSN_CP64_MASK) == INSN_CP64 && (insn & 0xf) == 12 &&
		   (insn >> 4 & 0xf) <= 2) {
		static const uint32_t sgi[] = { SIM_ICC_SGI1R, SIM_ICC_ASGI1R,
						SIM_ICC_SGI0R };

		key = sgi[insn >> 4 & 0xf];
	} else {
		return -1;
	}
	if (rt == 15 || (read && rt2 != 15))   /* the 64-bit ones are WO */
		return -1;
	if (!read)
		val = a32_reg(vc, rt) | (rt2 != 15 ? a32_reg(vc, rt2) << 32 : 0);
	if (sim_gic_sysreg(&vc->gic, key, !read, &val))
		return -1;
	if (read)
		sim_uc_set(vc, rreg_id(rt), (uint32_t)val);
	sim_vcpu_emulated(vc, pc + 4);
	return 0;
}

/* ---- yield and wfe ---- */

enum hint { HINT_NONE, HINT_YIELD, HINT_WFE };

/* The hint that ends just before pc, in the current state, and where it
 * starts. */
static enum hint hint_before(struct sim_vcpu *vc, uint64_t pc, uint64_t *site)
{
	uint16_t hw;

	if (after_hint(vc, pc, INSN_YIELD_A, INSN_YIELD_T16, INSN_YIELD_T32) ||
	    after_hint(vc, pc, INSN_WFE_A, INSN_WFE_T16, INSN_WFE_T32)) {
		bool t16 = (cpsr(vc) & CPSR_T) && half_at(vc, pc - 2, &hw) &&
			   (hw == INSN_YIELD_T16 || hw == INSN_WFE_T16);

		*site = pc - (t16 ? 2 : 4);
		return after_hint(vc, pc, INSN_WFE_A, INSN_WFE_T16,
				  INSN_WFE_T32) ? HINT_WFE : HINT_YIELD;
	}
	return HINT_NONE;
}

/* Runs before the instruction at a hooked hint site: if the engine halts
 * right after it, that halt was the hint's. */
static void on_hint_site(uc_engine *uc, uint64_t addr, uint32_t size,
			 void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	(void)size;
	vc->hint_ran = addr;
}

static bool hint_hooked(const struct sim_vcpu *vc, uint64_t site)
{
	for (unsigned i = 0; i < vc->nr_hint_sites; i++)
		if (vc->hint_site[i] == site)
			return true;
	return false;
}

/* Hook the hint at site from now on (its translation is dropped so the
 * hook takes effect); false when no more sites can be hooked. */
static bool hook_hint(struct sim_vcpu *vc, uint64_t site)
{
	if (vc->nr_hint_sites >= SIM_MAX_HINT_SITES ||
	    uc_hook_add(vc->uc, &vc->hint_hook[vc->nr_hint_sites],
			UC_HOOK_CODE, on_hint_site, vc, site,
			site) != UC_ERR_OK) {
		if (vc->nr_hint_sites++ == SIM_MAX_HINT_SITES)
			hv_log(vc->sim->machine, HV_LOG_WARN, "d%u: over %d "
			       "yield/wfe sites; an undefined instruction "
			       "right after another is reported only when "
			       "met twice in a row", vc->v->domain->domid,
			       SIM_MAX_HINT_SITES);
		return false;
	}
	vc->hint_site[vc->nr_hint_sites++] = site;
	uc_ctl_remove_cache(vc->uc, site, site + 4);
	return true;
}

/* Whether the halt with the PC at pc was a hint's (the CPU goes on at
 * pc) rather than the undefined instruction at pc. A hooked site says so
 * for sure. A site met for the first time is taken for the hint and
 * hooked: were pc undefined after all, the CPU traps on it again at
 * once, and then the hook knows the hint did not run. */
static bool hint_halted(struct sim_vcpu *vc, uint64_t pc, enum hint *hint)
{
	uint64_t site;
	bool ran;

	*hint = hint_before(vc, pc, &site);
	if (*hint == HINT_NONE)
		return false;
	if (hint_hooked(vc, site)) {
		ran = vc->hint_ran == site;
	} else if (hook_hint(vc, site)) {
		ran = true;
	} else {
		ran = pc != vc->yield_pc;   /* out of hooks: once per PC */
		vc->yield_pc = pc;
	}
	vc->hint_ran = UINT64_MAX;
	return ran;
}

/* The engine halts on an undefined instruction and on `yield` and `wfe`
 * alike. yield is a hint, as on hardware; wfe Xen traps and turns into
 * a yield of the vCPU (dom0's turn). Either way the CPU goes on. */
static int a32_emulate_undef(struct sim_vcpu *vc, uint64_t pc)
{
	enum hint hint;

	if (emulate_sysreg(vc, pc) == 0)
		return 0;
	if (!hint_halted(vc, pc, &hint))
		return -1;
	if (hint == HINT_WFE)
		sim_yield(vc->sim);
	return 0;
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
	uint32_t old = cpsr(vc), sctlr = (uint32_t)cp_get(vc, SCTLR);
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
	uint32_t old = cpsr(vc), sctlr = (uint32_t)cp_get(vc, SCTLR);
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

static bool a32_irq_masked(struct sim_vcpu *vc)
{
	return cpsr(vc) & CPSR_I;
}

static void a32_unmask_irq(struct sim_vcpu *vc)
{
	sim_uc_set(vc, UC_ARM_REG_CPSR, cpsr(vc) & ~CPSR_I);
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
	return after_hint(vc, pc, INSN_WFI_A, INSN_WFI_T16, INSN_WFI_T32);
}

static void a32_insn_text(struct sim_vcpu *vc, uint64_t pc, char *buf,
			  size_t len)
{
	bool thumb = cpsr(vc) & CPSR_T;
	uint32_t insn;
	unsigned n;

	if (!insn_at(vc, pc, thumb, &insn, &n))
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
			  i, (uint32_t)a32_reg(vc, i), i + 1,
			  (uint32_t)a32_reg(vc, i + 1), i + 2,
			  (uint32_t)a32_reg(vc, i + 2), i + 3,
			  (uint32_t)a32_reg(vc, i + 3));
	hv_printk(m, "  cpsr %08x spsr %08x", cpsr(vc),
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
	uint32_t psr = cpsr(vc);
	struct hv_mmu_regs mmu;

	memset(out, 0, sizeof(*out));
	out->aarch32 = true;
	out->pc = a32_pc(vc);
	out->cpsr = psr;
	for (unsigned i = 0; i <= 12; i++)
		out->x[i] = a32_reg(vc, i);
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
	.reg = a32_reg,
	.set_reg = a32_set_reg,
	.aarch32 = true,
	.successors = a32_successors,
	.call_len = a32_call_len,
	.hvc_imm = a32_hvc_imm,
	.hypercall_args = a32_hypercall_args,
	.hypercall_ret = a32_hypercall_ret,
	.inject_undef = a32_inject_undef,
	.inject_abort = a32_inject_abort,
	.emulate_undef = a32_emulate_undef,
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
