/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 engine halts on undefined instructions and on `yield` and
 * `wfe` alike: this file tells them apart, emulates the GICv3 CP15
 * registers (undefined in the emulator) and lets the hints go on.
 * Instruction words are the guest's: decoded, never trusted. */
#include "hv/machine.h"
#include "vcpu_arm32.h"


bool sim_a32_after_hint(struct sim_vcpu *vc, uint64_t pc, uint32_t arm,
		       uint16_t t16, uint32_t t32)
{
	uint32_t w;
	uint16_t hw0, hw1;

	if (!(sim_a32_cpsr(vc) & CPSR_T))
		return pc % 4 == 0 && sim_vcpu_read(vc, pc - 4, &w, 4) &&
		       (w & 0x0fffffffu) == arm;
	if (sim_a32_half_at(vc, pc - 2, &hw1) && hw1 == t16)
		return true;
	return sim_a32_half_at(vc, pc - 4, &hw0) &&
	       sim_a32_half_at(vc, pc - 2, &hw1) &&
	       ((uint32_t)hw0 << 16 | hw1) == t32;
}

/* MRC/MCR/MRRC/MCRR of a GICv3 CPU-interface register. */
static int emulate_sysreg(struct sim_vcpu *vc, uint64_t pc)
{
	uint32_t insn, key;
	unsigned len, rt, rt2;
	bool read;
	uint64_t val = 0;

	if (!sim_a32_insn_at(vc, pc, sim_a32_cpsr(vc) & CPSR_T, &insn, &len) ||
	    len != 4 ||
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
		val = sim_a32_reg(vc, rt) | (rt2 != 15 ? sim_a32_reg(vc, rt2) << 32 : 0);
	if (sim_gic_sysreg(&vc->gic, key, !read, &val))
		return -1;
	if (read)
		sim_uc_set(vc, sim_a32_reg_id(rt), (uint32_t)val);
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

	if (sim_a32_after_hint(vc, pc, INSN_YIELD_A, INSN_YIELD_T16, INSN_YIELD_T32) ||
	    sim_a32_after_hint(vc, pc, INSN_WFE_A, INSN_WFE_T16, INSN_WFE_T32)) {
		bool t16 = (sim_a32_cpsr(vc) & CPSR_T) && sim_a32_half_at(vc, pc - 2, &hw) &&
			   (hw == INSN_YIELD_T16 || hw == INSN_WFE_T16);

		*site = pc - (t16 ? 2 : 4);
		return sim_a32_after_hint(vc, pc, INSN_WFE_A, INSN_WFE_T16,
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
int sim_a32_emulate_undef(struct sim_vcpu *vc, uint64_t pc)
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
