/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated runtime as a library with one snapshot (sim.h, sim_emu):
 * what an emulated fuzz target resets after every input.
 * Guest memory: the snapshot keeps a copy of every region; a restore
 * copies back the pages the guest stored to (a UC_HOOK_MEM_WRITE hook
 * marks them), the pages the model took a pointer into since (hv_mem's
 * touched maps), and, compared first, the pages it took a pointer into
 * before the snapshot (rings, vcpu_info, grant frames: the model and
 * dom0 keep those pointers and write through them at any time).
 * The model: its state ranges (hv/state.h) copied by value. The runtime:
 * the run's struct sim, the vCPU's struct sim_vcpu (its GIC inside) and
 * the CPU (uc_context). */
#include <stdlib.h>
#include <string.h>

#include "hv/machine.h"
#include "hv/state.h"
#include "vcpu.h"

#define PAGE 4096u

struct emu_range {
	void *p;
	size_t len;
	unsigned char *copy;
};

struct emu_region {
	uint64_t gpa, size;
	uint8_t *host;
	unsigned char *snap;          /* the region at the snapshot */
	uint8_t *stored;              /* a byte a page: the guest stored */
	uint32_t *stored_list;        /* ...and those pages, in order */
	size_t nr_stored;
	uint8_t *touched;             /* a byte a page: the model's pointers */
	uint32_t *kept;               /* pages the model held before */
	size_t nr_kept;
};

struct sim_emu {
	struct sim_config cfg;
	struct sim_result res;
	struct sim s;
	struct sim_vcpu *vc;
	struct emu_region region[HV_MAX_REGIONS];
	unsigned nr_regions;
	bool stray_store;             /* outside every region */
	bool waiting;                 /* the last slice ended in a wait */
	bool snapped;
	uc_context *cpu;
	struct sim saved_sim;
	struct sim_vcpu saved_vc;
	struct sim_result saved_res;
	struct emu_range *range;
	unsigned nr_ranges, cap_ranges;
	unsigned checked;             /* ranges compared by the next walk */
	bool ranges_moved;
};

SIM_UC_HOT static void mark_page(struct emu_region *r, uint64_t pg)
{
	if (r->stored[pg])
		return;
	r->stored[pg] = 1;
	r->stored_list[r->nr_stored++] = (uint32_t)pg;
}

SIM_UC_HOT static void mark(struct emu_region *r, uint64_t addr, int size)
{
	uint64_t off = addr - r->gpa;
	uint64_t last = off + (uint64_t)(size > 0 ? size - 1 : 0);

	mark_page(r, off / PAGE);
	if (last < r->size)
		mark_page(r, last / PAGE);
}

SIM_UC_HOT static bool on_store(uc_engine *uc, uc_mem_type type,
				uint64_t addr, int size, int64_t value,
				void *ctx)
{
	struct sim_emu *e = ctx;

	(void)uc, (void)type, (void)value;
	for (unsigned i = 0; i < e->nr_regions; i++) {
		struct emu_region *r = &e->region[i];

		if (addr - r->gpa < r->size) {
			mark(r, addr, size);
			return true;
		}
	}
	e->stray_store = true;
	return true;
}

static int track_memory(struct sim_emu *e)
{
	struct hv_mem *mem = &e->s.domain->mem;
	uint64_t lo = UINT64_MAX, hi = 0;
	uc_hook h;

	for (unsigned i = 0; i < mem->nr_regions; i++) {
		struct emu_region *r = &e->region[i];
		size_t pages = mem->region[i].size / PAGE;

		r->gpa = mem->region[i].gpa;
		r->size = mem->region[i].size;
		r->host = mem->region[i].host;
		r->stored = calloc(pages, 1);
		r->stored_list = calloc(pages, sizeof(*r->stored_list));
		r->touched = calloc(pages, 1);
		if (!r->stored || !r->stored_list || !r->touched)
			return -1;
		mem->touched[i] = r->touched;
		lo = r->gpa < lo ? r->gpa : lo;
		hi = r->gpa + r->size - 1 > hi ? r->gpa + r->size - 1 : hi;
		e->nr_regions++;
	}
	return uc_hook_add(e->vc->uc, &h, UC_HOOK_MEM_WRITE, on_store, e, lo,
			   hi) == UC_ERR_OK ? 0 : -1;
}

struct sim_emu *sim_emu_start(const struct sim_config *cfg,
			      struct sim_result *res)
{
	struct sim_emu *e = calloc(1, sizeof(*e));
	const struct sim_vcpu_arch *arch;

	memset(res, 0, sizeof(*res));
	if (!e) {
		res->outcome = SIM_SETUP_ERROR;
		snprintf(res->message, sizeof(res->message), "out of memory");
		return NULL;
	}
	e->cfg = *cfg;
	e->cfg.timeout_ns = 0;
	/* Hooked for a budget; each slice sets its own. */
	e->cfg.max_insns = SIM_MAX_INSNS_LIMIT;
	e->cfg.engine = NULL;
	e->s.cfg = &e->cfg;
	e->s.res = &e->res;
	e->s.sliced_by_caller = true;
	e->res.outcome = SIM_POWEROFF;
	arch = cfg->runtime == SIM_ARM32 ? &sim_vcpu_arm32 : &sim_vcpu_arm64;
	if (cfg->runtime == SIM_NATIVE) {
		sim_fail(&e->s, SIM_SETUP_ERROR, "sim_emu runs emulated "
			 "guests only");
		goto fail;
	}
	if (sim_setup(&e->s))
		goto fail;
	e->vc = sim_unicorn_open(&e->s, arch, &e->s.boot);
	if (!e->vc)
		goto fail;
	if (track_memory(e)) {
		sim_fail(&e->s, SIM_SETUP_ERROR, "cannot track guest memory");
		goto fail;
	}
	return e;
fail:
	*res = e->res;
	sim_emu_stop(e);
	return NULL;
}

enum sim_emu_slice sim_emu_run(struct sim_emu *e, uint64_t insns)
{
	struct sim *s = &e->s;
	enum sim_slice end;

	if (!hv_domain_running(s->domain))
		return SIM_EMU_STOPPED;
	if (e->waiting && !sim_unicorn_woken(e->vc))
		return SIM_EMU_WAITING;
	s->limit = SIM_LIMIT_NONE;
	e->vc->budget_bytes = insns * 4;
	end = sim_unicorn_slice(e->vc);
	e->waiting = end == SIM_SLICE_BLOCKED;
	if (e->vc->stop == SIM_STOP_FAULT || !hv_domain_running(s->domain) ||
	    s->deadlocked)
		return SIM_EMU_STOPPED;
	return e->waiting ? SIM_EMU_WAITING : SIM_EMU_BUDGET;
}

bool sim_emu_idle(struct sim_emu *e, unsigned steps)
{
	struct sim *s = &e->s;

	while (e->waiting && !sim_unicorn_woken(e->vc)) {
		if (!steps-- || !sim_idle_step(s) ||
		    !hv_domain_running(s->domain)) {
			s->deadlocked = false;
			return false;
		}
	}
	return true;
}

void sim_emu_result(struct sim_emu *e, struct sim_result *res)
{
	struct sim_result *keep = e->s.res;

	*res = e->res;
	e->s.res = res;
	sim_verdict(&e->s);
	e->s.res = keep;
}

/* ---- the model's ranges ---- */

static void add_range(void *ctx, void *p, size_t len)
{
	struct sim_emu *e = ctx;
	struct emu_range *r;

	if (e->nr_ranges == e->cap_ranges) {
		unsigned cap = e->cap_ranges ? e->cap_ranges * 2 : 32;
		struct emu_range *grown;

		grown = realloc(e->range, cap * sizeof(*grown));

		if (!grown) {
			e->ranges_moved = true;
			return;
		}
		e->range = grown;
		e->cap_ranges = cap;
	}
	r = &e->range[e->nr_ranges++];
	r->p = p;
	r->len = len;
	r->copy = malloc(len ? len : 1);
	if (!r->copy)
		e->ranges_moved = true;
	else
		memcpy(r->copy, p, len);
}

/* The walk at a restore: the same ranges, in the same order. */
static void check_range(void *ctx, void *p, size_t len)
{
	struct sim_emu *e = ctx;
	unsigned i = e->checked++;

	if (i >= e->nr_ranges || e->range[i].p != p || e->range[i].len != len)
		e->ranges_moved = true;
}

int sim_emu_snapshot(struct sim_emu *e)
{
	struct sim_vcpu *vc = e->vc;

	if (e->snapped || uc_context_alloc(vc->uc, &e->cpu) != UC_ERR_OK ||
	    uc_context_save(vc->uc, e->cpu) != UC_ERR_OK)
		return -1;
	hv_machine_state_ranges(e->s.machine, add_range, e);
	if (e->ranges_moved)
		return -1;
	for (unsigned i = 0; i < e->nr_regions; i++) {
		struct emu_region *r = &e->region[i];
		size_t pages = r->size / PAGE;

		r->snap = malloc(r->size);
		r->kept = calloc(pages, sizeof(*r->kept));
		if (!r->snap || !r->kept)
			return -1;
		memcpy(r->snap, r->host, r->size);
		for (size_t pg = 0; pg < pages; pg++) {
			if (r->touched[pg])
				r->kept[r->nr_kept++] = (uint32_t)pg;
			r->touched[pg] = r->stored[pg] = 0;
		}
		r->nr_stored = 0;
	}
	e->saved_sim = e->s;
	e->saved_vc = *vc;
	e->saved_res = e->res;
	e->snapped = true;
	return 0;
}

static void page_back(struct emu_region *r, size_t pg)
{
	memcpy(r->host + pg * PAGE, r->snap + pg * PAGE, PAGE);
}

/* The pages the model took pointers into since the snapshot: few, found
 * with memchr (the map holds only 0 and 1). */
static void touched_back(struct emu_region *r)
{
	size_t pages = r->size / PAGE;
	uint8_t *at = r->touched, *end = r->touched + pages;

	while (at < end && (at = memchr(at, 1, (size_t)(end - at)))) {
		*at = 0;
		page_back(r, (size_t)(at - r->touched));
		at++;
	}
}

static void memory_back(struct sim_emu *e)
{
	for (unsigned i = 0; i < e->nr_regions; i++) {
		struct emu_region *r = &e->region[i];

		for (size_t k = 0; k < r->nr_kept; k++) {
			size_t pg = r->kept[k];

			if (!r->stored[pg] && !r->touched[pg] &&
			    memcmp(r->host + pg * PAGE, r->snap + pg * PAGE,
				   PAGE))
				page_back(r, pg);
		}
		for (size_t k = 0; k < r->nr_stored; k++) {
			r->stored[r->stored_list[k]] = 0;
			page_back(r, r->stored_list[k]);
		}
		r->nr_stored = 0;
		touched_back(r);
	}
}

int sim_emu_restore(struct sim_emu *e, const char **why)
{
	struct sim_vcpu *vc = e->vc;

	*why = NULL;
	if (!e->snapped)
		*why = "no snapshot";
	else if (e->stray_store)
		*why = "the guest stored outside its memory regions";
	else if (vc->carrier.hooked != e->saved_vc.carrier.hooked ||
		 vc->nr_hint_sites != e->saved_vc.nr_hint_sites ||
		 vc->budget_hooked != e->saved_vc.budget_hooked)
		*why = "the engine was hooked anew since the snapshot";
	/* The pages the engine refuses the guest are the engine's: a
	 * restore by value would only make the list lie. */
	else if (vc->access_gen != e->saved_vc.access_gen ||
		 vc->access_known != e->saved_vc.access_known)
		*why = "the guest's page access changed since the snapshot";
	if (!*why) {
		e->checked = 0;
		hv_machine_state_ranges(e->s.machine, check_range, e);
		if (e->ranges_moved || e->checked != e->nr_ranges)
			*why = "the model's state moved since the snapshot";
	}
	if (*why)
		return -1;
	for (unsigned i = 0; i < e->nr_ranges; i++)
		memcpy(e->range[i].p, e->range[i].copy, e->range[i].len);
	memory_back(e);
	e->s = e->saved_sim;
	*vc = e->saved_vc;
	e->res = e->saved_res;
	if (uc_context_restore(vc->uc, e->cpu) != UC_ERR_OK ||
	    vc->arch->rewind(vc)) {
		*why = "the engine refused its CPU state";
		return -1;
	}
	/* The CPU's pending-interrupt flag lives outside the context: both
	 * edges make the engine take the line's level afresh. */
	vc->arch->set_irq_line(vc, !vc->line);
	vc->arch->set_irq_line(vc, vc->line);
	return 0;
}

/* ---- the digest ---- */

/* FNV-1a over 8-byte words (then the bytes left): guest memory is tens
 * of MiB. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t word;

		memcpy(&word, b + i, 8);
		h = (h ^ word) * 0x100000001b3ull;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static void digest_range(void *ctx, void *p, size_t len)
{
	uint64_t *h = ctx;

	*h = fnv(*h, p, len);
}

uint64_t sim_emu_guest_digest(struct sim_emu *e)
{
	struct sim_vcpu *vc = e->vc;
	struct hv_guest_regs regs;
	uint64_t h = 0xcbf29ce484222325ull;

	memset(&regs, 0, sizeof(regs));
	vc->arch->guest_regs(vc, &regs);
	regs.pc = vc->arch->pc(vc);
	h = fnv(h, &regs, sizeof(regs));
	for (unsigned i = 0; i < e->nr_regions; i++)
		h = fnv(h, e->region[i].host, e->region[i].size);
	return fnv(h, &e->s.machine->now_ns, sizeof(e->s.machine->now_ns));
}

uint64_t sim_emu_digest(struct sim_emu *e)
{
	struct sim_vcpu *vc = e->vc;
	uint64_t h = sim_emu_guest_digest(e);

	hv_machine_state_ranges(e->s.machine, digest_range, &h);
	h = fnv(h, &e->s, sizeof(e->s));
	h = fnv(h, vc, sizeof(*vc));
	return fnv(h, &e->res, sizeof(e->res));
}

void sim_emu_stop(struct sim_emu *e)
{
	struct hv_mem *mem;

	if (!e)
		return;
	if (e->s.domain) {
		mem = &e->s.domain->mem;
		for (unsigned i = 0; i < HV_MAX_REGIONS; i++)
			mem->touched[i] = NULL;
	}
	if (e->cpu)
		uc_context_free(e->cpu);
	if (e->vc)
		sim_unicorn_close(e->vc);
	sim_teardown(&e->s);
	for (unsigned i = 0; i < e->nr_ranges; i++)
		free(e->range[i].copy);
	free(e->range);
	for (unsigned i = 0; i < HV_MAX_REGIONS; i++) {
		free(e->region[i].snap);
		free(e->region[i].stored);
		free(e->region[i].stored_list);
		free(e->region[i].touched);
		free(e->region[i].kept);
	}
	free(e);
}

void *sim_emu_engine(struct sim_emu *e)
{
	return e->vc->uc;
}

struct hv_machine *sim_emu_machine(struct sim_emu *e)
{
	return e->s.machine;
}

struct hv_domain *sim_emu_domain(struct sim_emu *e)
{
	return e->s.domain;
}

struct hv_domain *sim_emu_dom0(struct sim_emu *e)
{
	return e->s.dom0;
}

struct hv_xs *sim_emu_xs(struct sim_emu *e)
{
	return e->s.xs;
}
