/* SPDX-License-Identifier: BSD-2-Clause */
/* The Unicorn runtime: builds an engine for an arm64 or arm32 guest, maps
 * the model's guest memory (no copies) and the GIC into it, and runs vCPU 0
 * from exit to exit: hvc into the model (or, for an immediate Xen does
 * not take, an undefined-instruction exception into the guest's vectors),
 * wfi into idle, undefined system-register accesses into the GIC, anything
 * else into a SIM_FAULT verdict (the traps in unicorn_traps.c, the memory
 * map and the GIC's frames in unicorn_mem.c).
 * The GIC drives the CPU's virtual IRQ input and the CPU takes interrupts
 * itself. Whatever the guest executes, every way the engine can return is
 * handled: a guest can end its own run, never the host process. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/machine.h"
#include "hv/time.h"
#include "crash.h"
#include "unicorn_internal.h"

/* An address the PC can never equal: the engine runs until a hook stops it
 * or the guest idles. */
#define RUN_FOREVER UINT64_MAX

/* ---- small helpers the architectures share ---- */

uint64_t sim_uc_get(struct sim_vcpu *vc, int regid)
{
	uint64_t v = 0;   /* 32-bit registers fill only the low half */

	uc_reg_read(vc->uc, regid, &v);
	return v;
}

void sim_uc_set(struct sim_vcpu *vc, int regid, uint64_t val)
{
	uc_reg_write(vc->uc, regid, &val);
}

bool sim_vcpu_read(struct sim_vcpu *vc, uint64_t addr, void *buf, size_t len)
{
	const void *p = hv_gpa_ptr(&vc->v->domain->mem, addr, len);

	if (!p)
		return false;
	memcpy(buf, p, len);
	return true;
}

bool sim_vcpu_read_va(struct sim_vcpu *vc, uint64_t va, void *buf,
		      size_t len)
{
	struct hv_mmu_regs regs;
	struct hv_gva_xlate x;
	uint8_t *out = buf;

	vc->arch->mmu_regs(vc, &regs);
	while (len) {
		size_t in_page = 4096u - (size_t)(va % 4096u);
		size_t n = len < in_page ? len : in_page;

		if (hv_stage1_walk(&vc->v->domain->mem, &regs, va, &x) ||
		    !sim_vcpu_read(vc, x.gpa, out, n))
			return false;
		out += n;
		va += n;
		len -= n;
	}
	return true;
}

void sim_uc_stop(struct sim_vcpu *vc, enum sim_vcpu_stop why)
{
	if (why > vc->stop)
		vc->stop = why;
	uc_emu_stop(vc->uc);
}

/* A trap into the model: SIM_EXIT_COST instructions of the budget. */
void sim_uc_charge_exit(struct sim_vcpu *vc)
{
	uint64_t cost = SIM_EXIT_COST * 4;

	if (!vc->sim->cfg->max_insns || vc->locating)
		return;
	if (vc->budget_bytes > cost) {
		vc->budget_bytes -= cost;
		return;
	}
	vc->budget_bytes = 0;
	vc->sim->limit = SIM_LIMIT_INSNS;
	/* A caller's slice ends as the trap returns (run_slice). */
	if (!vc->sim->sliced_by_caller)
		sim_uc_stop(vc, SIM_STOP_CHECK);
}

uint64_t sim_vcpu_counter(struct sim_vcpu *vc)
{
	uint64_t now = hv_time_observe(vc->sim->machine);

	sim_uc_charge_exit(vc);
	/* Time passing may end the run, or the domain (its watchdog). */
	if (sim_time_up(vc->sim) || !hv_domain_running(vc->v->domain))
		sim_uc_stop(vc, SIM_STOP_CHECK);
	return now / HV_NS_PER_TICK;
}

void sim_vcpu_fault(struct sim_vcpu *vc, const char *fmt, ...)
{
	struct hv_domain *d = vc->v->domain;
	char msg[200];
	va_list ap;

	if (vc->stop == SIM_STOP_FAULT)
		return;                  /* the first fault is the one to report */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_fail(vc->sim, SIM_FAULT, "d%u: %s", d->domid, msg);
	hv_domain_crash(d, msg);
	vc->arch->dump(vc);
	sim_uc_stop(vc, SIM_STOP_FAULT);
}

/* ---- the interrupt line ---- */

/* The one place the lines from the model into the GIC are sampled: the
 * event-channel upcall (level, while vcpu_info says an upcall is pending)
 * and the virtual timer. */
static uint64_t model_lines(void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t lines = 0;

	if (hv_evtchn_upcall_pending(vc->v))
		lines |= 1ull << GUEST_EVTCHN_PPI;
	if (hv_vtimer_irq_level(vc->v))
		lines |= 1ull << GUEST_TIMER_VIRT_PPI;
	return lines;
}

static void set_line(struct sim_vcpu *vc, bool level)
{
	if (level == vc->line)
		return;
	vc->line = level;
	vc->arch->set_irq_line(vc, level);
}

/* The CPU takes the interrupt by itself, as hardware does, between two
 * instructions once PSTATE/CPSR.I lets it. The engine looks at its IRQ
 * input whenever it leaves translated code: right after anything that can
 * unmask (DAIF/CPSR writes, exception returns), after every trap (hvc,
 * undefined system registers, wfi) and at a branch it has not chained yet;
 * gic_written() sends it out after a GIC write. Whatever the model changes
 * (hypercalls, idle, GIC and timer registers) is followed by this call,
 * so no hook runs on every block. The line only follows the GIC: a guest
 * that lowers the event-channel level by a plain store while masked may
 * take one spurious interrupt (IAR 1023) at the unmask, as on hardware. */
void sim_vcpu_sync_line(struct sim_vcpu *vc)
{
	set_line(vc, vc->carrier.pending ||
		 (!vc->locating && !vc->dbg.step &&
		  sim_gic_signalled(&vc->gic) != SIM_GIC_SPURIOUS));
}

void sim_vcpu_emulated(struct sim_vcpu *vc, uint64_t next)
{
	/* The engine resumes at once at a PC a hook writes. */
	sim_uc_set(vc, vc->arch->pc_reg, vc->arch->resume_at(vc, next));
}

/* Runs before a `wfi` of the image. With the line up the engine treats
 * wfi as a no-op (an interrupt is pending, masked or not): unmasked it is
 * then taken, but masked the guest would spin inside the engine where the
 * model cannot see it. Lowering the line makes that wfi come back to the
 * model, which idles and sees the masked interrupt for what it is. */
static void on_wfi(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	(void)addr;
	(void)size;
	if (vc->arch->irq_masked(vc))
		set_line(vc, false);
	else
		sim_vcpu_sync_line(vc);
}

int sim_vcpu_hook_wfi(struct sim_vcpu *vc, uint64_t addr)
{
	uc_hook h;

	if (vc->warm)
		return 0;       /* hooked by the engine's first run */
	return uc_hook_add(vc->uc, &h, UC_HOOK_CODE, on_wfi, vc, addr, addr) ==
		       UC_ERR_OK ? 0 : -1;
}

/* ---- the run's limits ---- */

/* The instruction budget (--max-insns), taken as the CPU enters each block:
 * its size in bytes, 4 to an instruction (a 16-bit Thumb instruction
 * counts half; a block cut short by a trap counts whole). A block hook
 * costs the least of the engine's ways to count and keeps the count the
 * same from run to run; the engine stops at the end of the block that
 * used up the budget. The guest's edges for sim_emu_count_edges ride on it:
 * a second block hook would cost as much again. */
SIM_UC_HOT static void on_block(uc_engine *uc, uint64_t addr, uint32_t size,
				void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t cost = size ? size : 4;

	(void)uc;
	if (vc->edges && !vc->locating) {
		uint64_t edge = (addr >> 2) ^ vc->edge_prev;
		uint8_t *count = &vc->edges[(edge ^ edge >> 16) & vc->edge_mask];

		/* Saturated: a hot loop's edge must not wrap to "never". */
		*count += *count != 255;
		vc->edge_prev = addr >> 3;
	}
	if (vc->budget_bytes > cost) {
		vc->budget_bytes -= cost;
		return;
	}
	if (vc->locating)
		return;
	vc->budget_bytes = 0;
	vc->sim->limit = SIM_LIMIT_INSNS;
	/* A stop from a block hook and a restart are not reliable (the guest
	 * goes on corrupt), and uc_emu_start's count costs 2.5-3.5x: a slice
	 * its caller goes on from ends at the guest's next exit (hvc, wfi,
	 * a trapped register) instead. */
	if (!vc->sim->sliced_by_caller)
		sim_uc_stop(vc, SIM_STOP_CHECK);
}

static int hook_budget(struct sim_vcpu *vc)
{
	uint64_t max = vc->sim->cfg->max_insns;
	uc_hook h;

	if (!max)
		return 0;
	vc->budget_bytes = (max < SIM_MAX_INSNS_LIMIT ? max :
			    SIM_MAX_INSNS_LIMIT) * 4;
	if (vc->budget_hooked)
		return 0;
	vc->budget_hooked = true;
	return uc_hook_add(vc->uc, &h, UC_HOOK_BLOCK, on_block, vc, 1, 0) ==
		       UC_ERR_OK ? 0 : -1;
}

/* Instructions counted against the budget so far (0 without one). */
static uint64_t insns_run(const struct sim_vcpu *vc)
{
	uint64_t max = vc->sim->cfg->max_insns;

	if (!max)
		return 0;
	max = max < SIM_MAX_INSNS_LIMIT ? max : SIM_MAX_INSNS_LIMIT;
	return max - vc->budget_bytes / 4;
}

/* A limit ended the run with the guest at pc: say where, show the
 * registers. */
static void limit_reached(struct sim_vcpu *vc, uint64_t pc, bool idle)
{
	char insn[32], where[96];

	if (vc->sim->sliced_by_caller)
		return;
	vc->arch->insn_text(vc, pc, insn, sizeof(insn));
	snprintf(where, sizeof(where), "PC 0x%llx%s: %s",
		 (unsigned long long)pc, idle ? ", waiting after a wfi" : "",
		 insn);
	sim_limit_message(vc->sim, where);
	hv_printk(vc->sim->machine, "%s", vc->sim->res->message);
	vc->arch->dump(vc);
}

/* ---- the model's view of the vCPU ---- */

static uint64_t ops_get_reg(struct hv_vcpu *v, unsigned n)
{
	struct sim_vcpu *vc = v->runtime;

	return vc->arch->reg(vc, n);
}

static uint64_t ops_get_pc(struct hv_vcpu *v)
{
	struct sim_vcpu *vc = v->runtime;

	return vc->arch->pc(vc);
}

static void ops_dump(struct hv_vcpu *v)
{
	struct sim_vcpu *vc = v->runtime;

	vc->arch->dump(vc);
}

static void ops_mmu_regs(struct hv_vcpu *v, struct hv_mmu_regs *out)
{
	struct sim_vcpu *vc = v->runtime;

	vc->arch->mmu_regs(vc, out);
}

static void ops_guest_regs(struct hv_vcpu *v, struct hv_guest_regs *out)
{
	struct sim_vcpu *vc = v->runtime;

	vc->arch->guest_regs(vc, out);
}

static const struct hv_vcpu_ops unicorn_vcpu_ops = {
	.get_reg = ops_get_reg,
	.get_pc = ops_get_pc,
	.dump = ops_dump,
	.mmu_regs = ops_mmu_regs,
	.guest_regs = ops_guest_regs,
};

/* ---- an engine kept from one run to the next ---- */

struct sim_engine {
	struct sim_vcpu *vc;         /* NULL until a run created one */
	uc_context *boot_cpu;        /* its CPU as the engine was created */
	unsigned warm_runs;
};

struct sim_engine *sim_engine_new(void)
{
	return calloc(1, sizeof(struct sim_engine));
}

static void vcpu_close(struct sim_vcpu *vc)
{
	if (vc->uc)
		uc_close(vc->uc);
	sim_vcpu_access_free(vc);
	free(vc);
}

/* Let go of the engine's vCPU (after a failed setup, or for another
 * architecture). */
static void engine_drop(struct sim_engine *e)
{
	if (e->boot_cpu)
		uc_context_free(e->boot_cpu);
	e->boot_cpu = NULL;
	if (e->vc)
		vcpu_close(e->vc);
	e->vc = NULL;
}

void sim_engine_free(struct sim_engine *e)
{
	if (!e)
		return;
	engine_drop(e);
	free(e);
}

unsigned sim_engine_warm_runs(const struct sim_engine *e)
{
	return e ? e->warm_runs : 0;
}

/* The first run on a kept engine: remember the CPU as created, for the
 * next runs to start from. */
static int engine_keep(struct sim_engine *e, struct sim_vcpu *vc)
{
	if (uc_context_alloc(vc->uc, &e->boot_cpu) != UC_ERR_OK ||
	    uc_context_save(vc->uc, e->boot_cpu) != UC_ERR_OK) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot save the %s CPU's "
			 "state", vc->arch->name);
		return -1;
	}
	return 0;
}

/* A kept engine's next run: the CPU back as created, its cached address
 * translations dropped, and everything of the last run forgotten but the
 * engine, its memory map and the hooks it holds for good. */
static int vcpu_rewind(struct sim_engine *e)
{
	struct sim_vcpu *vc = e->vc;
	uc_engine *uc = vc->uc;
	const struct sim_vcpu_arch *arch = vc->arch;
	struct hv_mem_region mapped[HV_MAX_REGIONS];
	unsigned nr_mapped = vc->nr_mapped;
	bool budget_hooked = vc->budget_hooked;
	/* The pages the engine still refuses: given back on the next sync. */
	struct sim_prot_list applied = vc->applied, wanted = vc->wanted;

	if (uc_context_restore(uc, e->boot_cpu) != UC_ERR_OK ||
	    arch->rewind(vc))
		return -1;
	memcpy(mapped, vc->mapped, sizeof(mapped));
	memset(vc, 0, sizeof(*vc));
	vc->uc = uc;
	vc->arch = arch;
	memcpy(vc->mapped, mapped, sizeof(mapped));
	vc->nr_mapped = nr_mapped;
	vc->budget_hooked = budget_hooked;
	vc->applied = applied;
	vc->wanted = wanted;
	vc->warm = true;
	return 0;
}

/* The vCPU for this run: the kept engine's, rewound, or a new one. */
static struct sim_vcpu *vcpu_take(struct sim_engine *e,
				  const struct sim_vcpu_arch *arch)
{
	if (e && e->vc && (e->vc->arch != arch || vcpu_rewind(e)))
		engine_drop(e);
	if (e && e->vc)
		return e->vc;
	return calloc(1, sizeof(struct sim_vcpu));
}

/* A warm engine's boot: the model's memory is new (the same buffers when
 * the host gave back the same addresses, else mapped again, and then the
 * translations, which are keyed by where the code was, are dropped). */
static int vcpu_reboot(struct sim_vcpu *vc, const struct sim_boot *boot)
{
	if (sim_uc_regions_changed(vc)) {
		vc->remapped = true;
		if (sim_uc_sync_regions(vc))
			return -1;
		/* Unicorn 2.0.1 calls the flush of translated code
		 * uc_ctl_flush_tlb: spelt out here. */
		uc_ctl(vc->uc, UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0));
	}
	if (hook_budget(vc)) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot hook the emulator");
		return -1;
	}
	return vc->arch->setup(vc, boot);
}

/* ---- setup and the run loop ---- */

static int vcpu_open(struct sim_vcpu *vc, const struct sim_boot *boot,
		     struct sim_engine *e)
{
	const struct sim_vcpu_arch *arch = vc->arch;
	uc_hook h;
	uc_err err;

	err = uc_open(arch->uc_arch, arch->uc_mode, &vc->uc);
	if (err == UC_ERR_OK)
		err = uc_ctl_set_cpu_model(vc->uc, arch->cpu_model);
	if (err != UC_ERR_OK) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot start the %s "
			 "emulator: %s", arch->name, uc_strerror(err));
		return -1;
	}
	if (sim_uc_sync_regions(vc) || sim_uc_map_gic(vc))
		return -1;
	err = uc_hook_add(vc->uc, &h, UC_HOOK_INTR, sim_uc_on_intr, vc, 1, 0);
	if (err == UC_ERR_OK)
		err = uc_hook_add(vc->uc, &h, UC_HOOK_MEM_INVALID,
				  sim_uc_on_unmapped, vc, 1, 0);
	if (err == UC_ERR_OK)
		err = uc_hook_add(vc->uc, &h, UC_HOOK_INSN_INVALID,
				  sim_uc_on_invalid, vc, 1, 0);
	if (err == UC_ERR_OK && hook_budget(vc))
		err = UC_ERR_HOOK;
	if (err != UC_ERR_OK) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot hook the emulator: "
			 "%s", uc_strerror(err));
		return -1;
	}
	if (e && engine_keep(e, vc))
		return -1;
	return arch->setup(vc, boot);
}

/* Whether wfi wakes now: the GIC signals an interrupt (masked by PSTATE
 * or not, as the architecture wakes). */
static bool gic_wakes(void *ctx)
{
	struct sim_vcpu *vc = ctx;

	return sim_gic_signalled(&vc->gic) != SIM_GIC_SPURIOUS;
}

/* Whether the vCPU would run again now: for wfi, the GIC signals an
 * interrupt; in a wait Xen put it in (SCHEDOP_block, SCHEDOP_poll,
 * CPU_SUSPEND), that wait is over. */
static bool vcpu_woken(void *ctx)
{
	struct sim_vcpu *vc = ctx;

	if (vc->v->wait)
		return hv_vcpu_wait_over(vc->v, gic_wakes(vc));
	return gic_wakes(vc);
}

/* wfi: let the machine run (virtual time jumps to its next event) until the
 * GIC signals an interrupt; false when nothing ever will. */
static bool idle(struct sim_vcpu *vc)
{
	struct hv_domain *d = vc->v->domain;

	if (gic_wakes(vc))
		return sim_idle_woke_at_once(vc->sim);
	while (!gic_wakes(vc)) {
		if (!sim_idle_step(vc->sim)) {
			vc->sim->deadlocked = true;
			return false;
		}
		if (!hv_domain_running(d))
			return false;
	}
	return true;
}

/* The run goes in slices that end when the vCPU waits or yields: a run of
 * several domains, of a domain with several vCPUs, or of one its caller
 * slices (sim_emu). */
static bool sliced(const struct sim *s)
{
	return s->world || s->smp || s->sliced_by_caller;
}

/* The wait a hypercall or PSCI call started, as Xen sleeps the vCPU:
 * block and CPU_SUSPEND unmask IRQs first. A run of one domain runs the
 * machine here (virtual time jumps) until the wait is over; in a run of
 * several the slice ends blocked and the world runs the others until
 * vcpu_woken says it is over. */
static enum sim_slice wait_in_xen(struct sim_vcpu *vc)
{
	struct hv_vcpu *v = vc->v;
	struct sim *s = vc->sim;

	if (v->wait == HV_WAIT_BLOCK)
		vc->arch->unmask_irq(vc);
	if (sliced(s))
		return vcpu_woken(vc) ? SIM_SLICE_YIELD : SIM_SLICE_BLOCKED;
	while (!vcpu_woken(vc)) {
		if (!sim_idle_step(s)) {
			/* The wait stays: the verdict names it. */
			if (s->limit && hv_domain_running(v->domain))
				limit_reached(vc, vc->pc, true);
			else
				s->deadlocked = true;
			return SIM_SLICE_DONE;
		}
	}
	return SIM_SLICE_YIELD;
}

/* Run from vc->begin until the domain stops (SIM_SLICE_DONE) or, in a run
 * of several domains, until it waits with nothing to wake it
 * (SIM_SLICE_BLOCKED) or the scheduler wants another domain to run
 * (SIM_SLICE_YIELD). vc->begin says where to go on next time. A run of
 * one domain idles here instead of blocking, and never yields. */
static enum sim_slice run_slice(struct sim_vcpu *vc)
{
	struct hv_domain *d = vc->v->domain;
	struct sim *s = vc->sim;

	for (;;) {
		uint64_t pc;
		uc_err err;
		char insn[32];
		bool echo_due;
		/* A vCPU of several runs a quantum of instructions at most
		 * (uc_emu_start's count: slicing by it is reliable, a stop
		 * from a block hook and a restart are not). */
		size_t count = s->smp ? sim_smp_quantum(s) : 0;

		/* Back from a wait: it is over (or the domain stopped). */
		hv_vcpu_wait_end(vc->v);
		/* A signal came while the guest ran without calling out (a
		 * loop of exceptions or aborts): a run of several acts on it
		 * between slices, a run of one here. */
		if (sim_signal_caught() && s->world)
			return SIM_SLICE_YIELD;
		sim_signals_check(s);
		/* Another vCPU may have changed the memory map. */
		if (s->smp && sim_uc_regions_changed(vc) && sim_uc_sync_regions(vc))
			return SIM_SLICE_DONE;
		if (!hv_domain_running(d) || sim_vcpu_sync_access(vc))
			return SIM_SLICE_DONE;
		vc->stop = SIM_STOP_NONE;
		vc->have_resume = false;
		/* gdb may hold the vCPU here (--gdb). */
		if (sim_gdb_before_run(vc))
			return SIM_SLICE_DONE;
		sim_vcpu_sync_line(vc);
		echo_due = vc->udef_echo && (vc->begin & ~1ull) == vc->udef_echo;
		err = uc_emu_start(vc->uc, vc->begin, RUN_FOREVER, 0, count);
		if (echo_due)
			vc->udef_echo = 0;      /* it comes at once, or never */
		if (err != UC_ERR_OK && vc->stop != SIM_STOP_FAULT &&
		    !sim_vcpu_guest_abort(vc, err))
			sim_uc_engine_error(vc, err);
		if (vc->stop == SIM_STOP_FAULT)
			sim_gdb_fault(vc);
		if (vc->stop == SIM_STOP_FAULT || !hv_domain_running(d))
			return SIM_SLICE_DONE;
		pc = vc->have_resume ? vc->resume : vc->arch->pc(vc);
		vc->begin = vc->arch->resume_at(vc, pc);
		vc->pc = pc;
		if (!vc->v->online)
			return SIM_SLICE_BLOCKED;    /* CPU_OFF: down */
		if (s->limit) {
			limit_reached(vc, pc, false);
			return SIM_SLICE_DONE;
		}
		if (vc->stop == SIM_STOP_NONE) {
			if (!vc->arch->after_wfi(vc, pc)) {
				if (count)
					return SIM_SLICE_YIELD;  /* quantum */
				vc->arch->insn_text(vc, pc, insn, sizeof(insn));
				sim_vcpu_fault(vc, "emulator stopped at PC "
					       "0x%llx (%s) for no reason",
					       (unsigned long long)pc, insn);
				return SIM_SLICE_DONE;
			}
			if (sliced(s)) {
				if (!gic_wakes(vc))
					return SIM_SLICE_BLOCKED;
				if (!sim_idle_woke_at_once(s))
					return SIM_SLICE_DONE;
			} else if (!idle(vc) || !hv_domain_running(d)) {
				if (s->limit && hv_domain_running(d))
					limit_reached(vc, pc, true);
				return SIM_SLICE_DONE;
			}
		}
		if (vc->v->wait) {
			enum sim_slice after = wait_in_xen(vc);

			if (after != SIM_SLICE_YIELD)
				return after;
		}
		if (s->yield_wanted) {
			s->yield_wanted = false;
			return SIM_SLICE_YIELD;
		}
	}
}

static void report_use(struct sim_vcpu *vc)
{
	struct sim *s = vc->sim;

	hv_log(s->machine, HV_LOG_INFO, "d%u: %s vCPU0 made %llu "
	       "hypercalls, took %llu interrupts, used %llu "
	       "instructions of its budget and %llu us of "
	       "virtual time",
	       s->domain->domid, vc->arch->name,
	       (unsigned long long)vc->nr_hypercalls,
	       (unsigned long long)vc->gic.nr_acked,
	       (unsigned long long)insns_run(vc),
	       (unsigned long long)hv_time_now(s->machine) / 1000);
}

struct sim_vcpu *sim_unicorn_open(struct sim *s,
				  const struct sim_vcpu_arch *arch,
				  const struct sim_boot *boot)
{
	struct sim_engine *e = s->cfg->engine;
	struct sim_vcpu *vc = vcpu_take(e, arch);
	struct hv_vcpu *v = &s->domain->vcpu[0];
	bool ready;

	if (!vc) {
		sim_fail(s, SIM_SETUP_ERROR, "out of memory");
		return NULL;
	}
	vc->sim = s;
	vc->v = v;
	vc->arch = arch;
	sim_gic_init(&vc->gic, s->cfg->gic, s->domain->nr_vcpus, model_lines,
		     vc);
	s->domain->mem.va_mode = HV_VA_IDENTITY;
	s->woken = vcpu_woken;
	s->woken_ctx = vc;
	v->ops = &unicorn_vcpu_ops;
	v->runtime = vc;
	vc->rebooted = vc->warm;
	if (vc->rebooted)
		ready = vcpu_reboot(vc, boot) == 0;
	else
		ready = vcpu_open(vc, boot, e) == 0;
	if (ready && s->cfg->gdb && sim_gdb_attach_vcpu(s->cfg->gdb, vc)) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot hook the emulator for gdb");
		ready = false;
	}
	vc->opened = ready;
	if (!ready) {
		sim_unicorn_close(vc);
		return NULL;
	}
	vc->begin = arch->resume_at(vc, boot->entry);
	vc->pc = boot->entry;
	return vc;
}

enum sim_slice sim_unicorn_slice(struct sim_vcpu *vc)
{
	return run_slice(vc);
}

void sim_unicorn_limit(struct sim_vcpu *vc)
{
	limit_reached(vc, vc->pc, true);
}

void sim_unicorn_close(struct sim_vcpu *vc)
{
	struct sim *s = vc->sim;
	struct sim_engine *e = s->cfg->engine;
	struct hv_vcpu *v = vc->v;

	if (vc->opened && s->cfg->crash_reports && sim_crash_due(vc))
		sim_crash_report(vc);
	if (vc->opened)
		report_use(vc);
	sim_gdb_detach_vcpu(vc);
	v->runtime = NULL;
	v->ops = NULL;
	s->woken = NULL;
	if (!e) {
		vcpu_close(vc);
		return;
	}
	e->vc = vc;
	if (!vc->opened)
		engine_drop(e);     /* half set up: the next run starts afresh */
	else if (vc->rebooted && !vc->remapped)
		e->warm_runs++;
}

bool sim_unicorn_woken(struct sim_vcpu *vc)
{
	return vcpu_woken(vc);
}

struct sim_vcpu *sim_unicorn_open_cpu(struct sim *s,
				      const struct sim_vcpu_arch *arch,
				      struct hv_vcpu *v,
				      const struct sim_boot *boot)
{
	struct sim_vcpu *vc = calloc(1, sizeof(*vc));

	if (!vc) {
		sim_fail(s, SIM_SETUP_ERROR, "out of memory");
		return NULL;
	}
	vc->sim = s;
	vc->v = v;
	vc->arch = arch;
	sim_gic_init(&vc->gic, s->cfg->gic, s->domain->nr_vcpus, model_lines,
		     vc);
	v->ops = &unicorn_vcpu_ops;
	v->runtime = vc;
	if (vcpu_open(vc, boot, NULL)) {
		sim_unicorn_close_cpu(vc);
		return NULL;
	}
	vc->opened = true;
	vc->begin = arch->resume_at(vc, boot->entry);
	vc->pc = boot->entry;
	return vc;
}

void sim_unicorn_close_cpu(struct sim_vcpu *vc)
{
	vc->v->runtime = NULL;
	vc->v->ops = NULL;
	vcpu_close(vc);
}

int sim_unicorn_run(struct sim *s, const struct sim_vcpu_arch *arch,
		    const struct sim_boot *boot)
{
	struct sim_vcpu *vc;

	/* Secondary vCPUs run in a domain run alone. */
	if (s->domain->nr_vcpus > 1 && !s->world)
		return sim_unicorn_run_smp(s, arch, boot);
	vc = sim_unicorn_open(s, arch, boot);

	if (!vc)
		return -1;
	run_slice(vc);
	sim_unicorn_close(vc);
	return 0;
}
