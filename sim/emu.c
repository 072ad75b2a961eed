/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated runtime as a library with one snapshot (sim.h, sim_emu):
 * what an emulated fuzz target resets after every input.
 * Guest memory: the snapshot keeps a copy of every region; a restore
 * copies back the pages written since (emu_watch.c: the host sees the
 * first write to each, whoever makes it) and, compared first,
 * the pages the model took a pointer into (hv_mem's touched maps: before
 * the snapshot, rings, vcpu_info, grant frames, which the model and dom0
 * keep and may reach through another mapping, a grant alias; since, any).
 * The model: its state ranges (hv/state.h) copied by value. The runtime:
 * the run's struct sim, the vCPU's struct sim_vcpu (its GIC inside) and
 * the CPU (uc_context). */
#include <stdlib.h>
#include <string.h>

#include <xen/hvm/params.h>

#include "hv/machine.h"
#include "hv/state.h"
#include "emu_tables.h"
#include "emu_watch.h"
#include "vcpu.h"

#define PAGE EMU_WATCH_PAGE

struct emu_range {
	void *p;
	size_t len;
	unsigned char *copy;
};

struct emu_region {
	uint64_t gpa, size;
	uint8_t *host;
	unsigned char *snap;          /* the region at the snapshot */
	struct emu_watch_region *written;
	uint8_t *aliased;             /* hv_mem's aliased map at the snapshot */
	size_t aliased_len;
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
	struct emu_watch watch;
	struct emu_tables tables;      /* the guest's, at the snapshot */
	bool tables_written;          /* one of them since */
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

/* The regions the snapshot covers: the maps of pages written and of
 * pointers the model took (hv_mem's touched), from the start. */
static int track_memory(struct sim_emu *e)
{
	struct hv_mem *mem = &e->s.domain->mem;

	for (unsigned i = 0; i < mem->nr_regions; i++) {
		struct emu_region *r = &e->region[i];

		r->gpa = mem->region[i].gpa;
		r->size = mem->region[i].size;
		r->host = mem->region[i].host;
		r->touched = calloc(r->size / PAGE, 1);
		if (!r->touched ||
		    emu_watch_add(&e->watch, r->host, (size_t)r->size))
			return -1;
		r->written = &e->watch.region[i];
		mem->touched[i] = r->touched;
		e->nr_regions++;
	}
	return 0;
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

/* Whether the domain's memory is no longer what the snapshot covers: a
 * region came or went, or a page of one shows another file's page now
 * (or no longer), which the watch would not see written. */
static bool memory_moved(struct sim_emu *e)
{
	const struct hv_mem *mem = &e->s.domain->mem;

	if (mem->nr_regions != e->nr_regions)
		return true;
	for (unsigned i = 0; i < e->nr_regions; i++) {
		const struct hv_mem_region *m = &mem->region[i];
		const struct emu_region *r = &e->region[i];

		if (m->gpa != r->gpa || m->size != r->size ||
		    m->host != r->host || !m->aliased != !r->aliased ||
		    (m->aliased && memcmp(m->aliased, r->aliased,
					  r->aliased_len)))
			return true;
	}
	return false;
}

/* hv_mem's aliased map of region i as the snapshot finds it. */
static int keep_aliased(struct sim_emu *e, unsigned i)
{
	const struct hv_mem_region *m = &e->s.domain->mem.region[i];
	struct emu_region *r = &e->region[i];

	if (!m->aliased)
		return 0;
	r->aliased_len = (r->size / PAGE) / 8 + 1;
	r->aliased = malloc(r->aliased_len);
	if (!r->aliased)
		return -1;
	memcpy(r->aliased, m->aliased, r->aliased_len);
	return 0;
}

/* Guest memory at gpa for the table walk, without marking it touched. */
static const void *guest_at(void *ctx, uint64_t gpa, size_t len)
{
	struct sim_emu *e = ctx;

	for (unsigned i = 0; i < e->nr_regions; i++) {
		struct emu_region *r = &e->region[i];

		if (gpa - r->gpa < r->size && len <= r->size - (gpa - r->gpa))
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

static void mmu_regs_now(struct sim_vcpu *vc, struct hv_mmu_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	vc->arch->mmu_regs(vc, regs);
}

/* Whether the engine's cached translations may have gone wrong since the
 * snapshot: a table page written (memory_back says), the translation
 * registers moved, or the tables unknown. */
static bool translations_moved(struct sim_emu *e)
{
	const struct hv_mmu_regs *a = &e->tables.regs;
	struct hv_mmu_regs b;

	if (!e->tables.known || e->tables_written)
		return true;
	mmu_regs_now(e->vc, &b);
	return a->aarch32 != b.aarch32 || a->sctlr != b.sctlr ||
	       a->tcr != b.tcr || a->ttbr0 != b.ttbr0 ||
	       a->ttbr1 != b.ttbr1 || a->mair != b.mair;
}

int sim_emu_snapshot(struct sim_emu *e)
{
	struct sim_vcpu *vc = e->vc;
	struct hv_mmu_regs regs;

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
		if (!r->snap || !r->kept || keep_aliased(e, i))
			return -1;
		memcpy(r->snap, r->host, r->size);
		for (size_t pg = 0; pg < pages; pg++) {
			if (r->touched[pg])
				r->kept[r->nr_kept++] = (uint32_t)pg;
			r->touched[pg] = 0;
		}
	}
	mmu_regs_now(vc, &regs);
	emu_tables_find(&e->tables, &regs, guest_at, e);
	if (memory_moved(e) || emu_watch_arm(&e->watch))
		return -1;
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

/* A page the watch did not see written that differs all the same
 * (written through another mapping): listed, to go back with the rest. */
static int compare_back(struct sim_emu *e, struct emu_region *r, size_t pg)
{
	if (r->written->written[pg] ||
	    !memcmp(r->host + pg * PAGE, r->snap + pg * PAGE, PAGE))
		return 0;
	return emu_watch_note(&e->watch, r->written, pg);
}

/* The pages the model took pointers into since the snapshot: few, found
 * with memchr (the map holds only 0 and 1). */
static int touched_back(struct sim_emu *e, struct emu_region *r)
{
	size_t pages = r->size / PAGE;
	uint8_t *at = r->touched, *end = r->touched + pages;
	int rc = 0;

	while (at < end && (at = memchr(at, 1, (size_t)(end - at)))) {
		*at = 0;
		rc |= compare_back(e, r, (size_t)(at - r->touched));
		at++;
	}
	return rc;
}

/* The pages written, as the watch lists them, and those the model holds
 * pointers into that differ, copied back and protected again; -1 when
 * the host refused. */
static int memory_back(struct sim_emu *e)
{
	int rc = emu_watch_collect(&e->watch);

	for (unsigned i = 0; i < e->nr_regions; i++) {
		struct emu_region *r = &e->region[i];
		struct emu_watch_region *w = r->written;

		for (size_t k = 0; k < r->nr_kept; k++)
			rc |= compare_back(e, r, r->kept[k]);
		rc |= touched_back(e, r);
		for (size_t k = 0; k < w->nr; k++)
			page_back(r, w->list[k]);
		for (size_t k = 0; k < w->nr && !e->tables_written; k++)
			e->tables_written = emu_tables_hold(&e->tables,
				r->gpa + (uint64_t)w->list[k] * PAGE);
		rc |= emu_watch_rearm(&e->watch, w);
	}
	return rc;
}

int sim_emu_restore(struct sim_emu *e, const char **why)
{
	struct sim_vcpu *vc = e->vc;
	bool drop_tlb;

	*why = NULL;
	if (!e->snapped)
		*why = "no snapshot";
	else if (memory_moved(e))
		*why = "the guest's memory map changed since the snapshot";
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
	if (memory_back(e)) {
		*why = "the host refused to watch guest memory again";
		return -1;
	}
	drop_tlb = translations_moved(e);
	e->tables_written = false;
	e->s = e->saved_sim;
	*vc = e->saved_vc;
	e->res = e->saved_res;
	if (uc_context_restore(vc->uc, e->cpu) != UC_ERR_OK ||
	    (drop_tlb && vc->arch->rewind(vc))) {
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
	/* Writable again before the model frees or recycles its memory. */
	emu_watch_stop(&e->watch);
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
		free(e->region[i].aliased);
		free(e->region[i].touched);
		free(e->region[i].kept);
	}
	free(e);
}

int sim_emu_count_edges(struct sim_emu *e, uint8_t *counters, size_t size)
{
	struct sim_vcpu *vc = e->vc;

	if (e->snapped || !vc->budget_hooked || !size || size & (size - 1))
		return -1;
	vc->edges = counters;
	vc->edge_mask = size - 1;
	vc->edge_prev = 0;
	return 0;
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

int sim_emu_xs_detach(struct sim_emu *e, void **page, uint32_t *dom0_port)
{
	struct hv_xs_link *link = &e->s.xs_link;
	uint64_t pfn = e->s.domain->hvm_param[HVM_PARAM_STORE_PFN];

	if (!link->ring || e->snapped)
		return -1;
	*page = hv_gpfn_ptr(&e->s.domain->mem, pfn);
	*dom0_port = link->dom0_port;
	if (!*page)
		return -1;
	hv_xs_link_detach(link);
	return 0;
}

struct hv_console_link *sim_emu_console(struct sim_emu *e)
{
	return &e->s.console_link;
}
