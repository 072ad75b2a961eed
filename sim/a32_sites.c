/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 generic timer on the model's virtual time, and the wfi the
 * model must see. The engine offers no hook on CP15 accesses, so a scan of
 * the loaded image finds each timer access and wfi (in either encoding)
 * and hooks exactly those addresses; the hook decodes the instruction
 * again when it runs, since the scan cannot know the CPU's state there. */
#include "hv/machine.h"
#include "hv/time.h"
#include "vcpu_arm32.h"

/* Generic-timer accesses and wfi found in the image, hooked by address. */
#define MAX_TIMER_SITES 64
#define MAX_WFI_SITES   64

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
		val = sim_a32_reg(vc, rt) | (r == T_CVAL ? sim_a32_reg(vc, rt2) << 32 : 0);
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
		sim_uc_set(vc, sim_a32_reg_id(rt), (uint32_t)val);
	if (r == T_CNTPCT || r == T_CNTVCT || r == T_CVAL)
		if (rt2 != 15)
			sim_uc_set(vc, sim_a32_reg_id(rt2), (uint32_t)(val >> 32));
}

/* Runs before the instruction at a hooked site executes. The site was
 * chosen by a scan that cannot know the state the CPU will be in there:
 * decode again now, and leave anything else to the engine. */
static void on_timer_site(uc_engine *uc, uint64_t addr, uint32_t size,
			  void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint32_t psr = sim_a32_cpsr(vc), insn;
	unsigned len;
	enum timer_reg r;
	bool write;

	(void)uc;
	(void)size;
	if (vc->locating || psr & CPSR_IT ||
	    !sim_a32_insn_at(vc, addr, psr & CPSR_T, &insn, &len) || len != 4)
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
int sim_a32_hook_sites(struct sim_vcpu *vc, const struct sim_boot *boot)
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
