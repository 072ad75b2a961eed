/* SPDX-License-Identifier: BSD-2-Clause */
/* Warnings about memory a guest shares with Xen or, by grant, with another
 * domain, that is not mapped Normal write-back or write-through in the
 * guest's own tables: Xen and backends reach such pages through their
 * cache, the guest around it, and on hardware one side sees stale data.
 * Also a hypercall made with the MMU off. The tables are the guest's and
 * are only read: any contents give a warning or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/domain.h"
#include "hv/guest_va.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/state.h"

/* Granted pages: the guest's bad mappings from one scan of its tables,
 * and the frames already checked under the registers of the last scan. */
#define BAD_MAPS     64u      /* runs kept; beyond: each frame searched */
#define CHECKED      2048u    /* frames remembered, direct-mapped */
#define VAS_NAMED    4u       /* virtual addresses a warning lists */

struct bad_map {
	uint64_t va, gpa, size;
	struct hv_memattr attr;
};

struct hv_grant_attr {
	struct hv_mmu_regs regs;      /* of the last scan */
	uint32_t regs_gen;            /* bumped when the registers change */
	bool scanned;
	uint64_t scan_hypercall;      /* d->nr_hypercalls at the scan */
	bool partial;                 /* too many runs, or tables too big */
	unsigned nr_bad;
	struct bad_map bad[BAD_MAPS];
	struct {
		uint64_t gfn;
		uint32_t regs_gen;    /* 0: empty */
	} checked[CHECKED];
};

const struct hv_mmu_regs *hv_vcpu_mmu(struct hv_vcpu *v)
{
	if (!v->ops || !v->ops->mmu_regs)
		return NULL;
	if (!v->in_hypercall || !v->mmu_read) {
		memset(&v->mmu, 0, sizeof(v->mmu));
		v->ops->mmu_regs(v, &v->mmu);
		v->mmu_read = v->in_hypercall;
		v->mmu_seen = true;
	}
	return &v->mmu;
}

static bool same_attr(const struct hv_memattr *a, const struct hv_memattr *b)
{
	return a->device == b->device && a->inner == b->inner &&
	       a->outer == b->outer && a->raw == b->raw &&
	       a->raw_is_mair == b->raw_is_mair;
}

static bool same_regs(const struct hv_mmu_regs *a,
		      const struct hv_mmu_regs *b)
{
	return a->aarch32 == b->aarch32 && a->sctlr == b->sctlr &&
	       a->tcr == b->tcr && a->ttbr0 == b->ttbr0 &&
	       a->ttbr1 == b->ttbr1 && a->mair == b->mair;
}

static bool attr_warned(struct hv_domain *d, uint64_t gfn,
			const struct hv_memattr *attr)
{
	for (unsigned i = 0; i < d->nr_attr_warned && i < HV_ATTR_WARNINGS; i++)
		if (d->attr_warned[i].gfn == gfn &&
		    same_attr(&d->attr_warned[i].attr, attr))
			return true;
	return false;
}

/* Whether to warn about gfn mapped with attr (the domain's first few,
 * each once), noting it. who names the domain or vCPU for the log. */
static bool warn_due(struct hv_domain *d, const char *who, uint64_t gfn,
		     const struct hv_memattr *attr)
{
	if (hv_memattr_shareable(attr) || attr_warned(d, gfn, attr) ||
	    d->nr_attr_warned > HV_ATTR_WARNINGS)
		return false;
	if (d->nr_attr_warned == HV_ATTR_WARNINGS) {
		d->nr_attr_warned++;
		hv_log(d->machine, HV_LOG_WARN, "%s: more pages shared with "
		       "Xen or other domains with a bad memory attribute; not "
		       "reported", who);
		return false;
	}
	d->attr_warned[d->nr_attr_warned].gfn = gfn;
	d->attr_warned[d->nr_attr_warned].attr = *attr;
	d->nr_attr_warned++;
	return true;
}

void hv_warn_attr(struct hv_vcpu *v, uint64_t gfn, uint64_t va,
		  const struct hv_memattr *attr, const char *what)
{
	struct hv_domain *d = v->domain;
	char who[32], name[96];

	snprintf(who, sizeof(who), "d%uv%u", d->domid, v->id);
	if (!warn_due(d, who, gfn, attr))
		return;
	hv_memattr_name(attr, name, sizeof(name));
	hv_log(d->machine, HV_LOG_WARN, "%s: %s, guest page 0x%llx at "
	       "VA 0x%llx, is mapped %s: Xen supports only Normal write-back "
	       "(or write-through) memory for what it shares with a guest; "
	       "on hardware it would read and write it through its cache "
	       "and the guest would see stale data", who, what,
	       (unsigned long long)gfn, (unsigned long long)va, name);
}

void hv_check_hypercall_mmu(struct hv_vcpu *v, uint64_t op)
{
	struct hv_domain *d = v->domain;
	/* Read at every hypercall: the granted-page checks use the last. */
	const struct hv_mmu_regs *r = hv_vcpu_mmu(v);

	if (d->mmu_off_warned || !r || r->sctlr & HV_SCTLR_M)
		return;
	d->mmu_off_warned = true;
	hv_log(d->machine, HV_LOG_WARN, "d%uv%u: hypercall %s made with the "
	       "MMU off (SCTLR.M = 0): the guest's memory accesses are then "
	       "Device-nGnRnE, Xen's go through its cache; Xen does not "
	       "support this and on hardware buffers and shared pages are "
	       "silently stale", d->domid, v->id, hv_hypercall_name(op));
}

void hv_check_shared_gpfn(struct hv_vcpu *v, uint64_t gpfn, const char *what)
{
	const struct hv_mmu_regs *r = hv_vcpu_mmu(v);
	struct hv_memattr attr;
	uint64_t va;

	if (r && gpfn <= UINT64_MAX >> HV_PAGE_SHIFT &&
	    hv_stage1_find(&v->domain->mem, r, gpfn << HV_PAGE_SHIFT, &va,
			   &attr))
		hv_warn_attr(v, gpfn, va, &attr, what);
}

/* ---- granted pages ---- */

/* The registers of d's first vCPU: while it is in a hypercall, read for
 * that hypercall; otherwise as its last hypercall left them (a guest
 * shares a page, then tells the other end with a hypercall). */
static const struct hv_mmu_regs *granting_regs(struct hv_domain *d)
{
	struct hv_vcpu *v = &d->vcpu[0];

	if (!v->ops || !v->ops->mmu_regs)
		return NULL;
	if (v->in_hypercall || !v->mmu_seen)
		return hv_vcpu_mmu(v);
	return &v->mmu;
}

/* Keep each mapping Xen cannot share, joined into runs. */
static bool note_bad(void *arg, uint64_t va, uint64_t gpa, uint64_t size,
		     const struct hv_memattr *attr)
{
	struct hv_grant_attr *g = arg;
	struct bad_map *last = g->nr_bad ? &g->bad[g->nr_bad - 1] : NULL;

	if (hv_memattr_shareable(attr))
		return false;
	if (last && same_attr(&last->attr, attr) &&
	    last->va + last->size == va && last->gpa + last->size == gpa) {
		last->size += size;
		return false;
	}
	if (g->nr_bad == BAD_MAPS) {
		g->partial = true;
		return true;
	}
	g->bad[g->nr_bad++] = (struct bad_map){ va, gpa, size, *attr };
	return false;
}

/* Bring d's scan up to date with regs: a new scan when they changed (the
 * checked frames then count for nothing) or, for a frame not checked yet,
 * when the guest made a hypercall since (it may have mapped it since). */
static void rescan(struct hv_domain *d, struct hv_grant_attr *g,
		   const struct hv_mmu_regs *regs, bool regs_changed)
{
	if (regs_changed) {
		g->regs = *regs;
		if (++g->regs_gen == 0)
			g->regs_gen = 1;
	} else if (g->scanned && g->scan_hypercall == d->nr_hypercalls) {
		return;
	}
	g->nr_bad = 0;
	g->partial = false;
	if (!hv_stage1_each(&d->mem, regs, note_bad, g))
		g->partial = true;
	g->scanned = true;
	g->scan_hypercall = d->nr_hypercalls;
}

/* "0x6000", "0x6000 and 0x7000", "0x6000, 0x7000 and 0x8000". */
static void list_vas(const uint64_t *va, unsigned n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s0x%llx",
				       i == 0 ? "" : i + 1 == n ? " and " : ", ",
				       (unsigned long long)va[i]);
}

static void warn_granted(struct hv_domain *d, uint64_t gfn, uint32_t ref,
			 uint16_t to, const uint64_t *va, unsigned nr_va,
			 const struct hv_memattr *attr)
{
	char who[16], vas[96], name[96];

	snprintf(who, sizeof(who), "d%u", d->domid);
	if (!warn_due(d, who, gfn, attr))
		return;
	list_vas(va, nr_va, vas, sizeof(vas));
	hv_memattr_name(attr, name, sizeof(name));
	hv_log(d->machine, HV_LOG_WARN, "%s: a page granted to d%u (grant "
	       "ref %u), guest page 0x%llx at VA %s, is mapped %s: Xen and "
	       "the backends reach granted pages as Normal write-back "
	       "memory; on hardware d%u would read and write it through its "
	       "cache and the guest would see stale data", who, to, ref,
	       (unsigned long long)gfn, vas, name, to);
}

/* Warn about each bad attribute the scan has for gfn, with its VAs. */
static void check_scanned(struct hv_domain *d, struct hv_grant_attr *g,
			  uint64_t gfn, uint32_t ref, uint16_t to)
{
	uint64_t gpa = gfn << HV_PAGE_SHIFT;

	for (unsigned i = 0; i < g->nr_bad; i++) {
		const struct bad_map *m = &g->bad[i];
		uint64_t va[VAS_NAMED];
		unsigned nr_va = 0;
		bool seen = false;

		if (gpa - m->gpa >= m->size)
			continue;
		for (unsigned j = 0; j < i && !seen; j++)
			seen = gpa - g->bad[j].gpa < g->bad[j].size &&
			       same_attr(&g->bad[j].attr, &m->attr);
		for (unsigned j = i; j < g->nr_bad && !seen &&
		     nr_va < VAS_NAMED; j++)
			if (gpa - g->bad[j].gpa < g->bad[j].size &&
			    same_attr(&g->bad[j].attr, &m->attr))
				va[nr_va++] = g->bad[j].va +
					      (gpa - g->bad[j].gpa);
		if (!seen)
			warn_granted(d, gfn, ref, to, va, nr_va, &m->attr);
	}
}

void hv_check_granted_gfn(struct hv_domain *d, uint64_t gfn, uint32_t ref,
			  uint16_t to)
{
	const struct hv_mmu_regs *regs = granting_regs(d);
	struct hv_grant_attr *g = d->grant_attr;
	unsigned slot = (unsigned)(gfn % CHECKED);
	struct hv_memattr attr;
	bool regs_changed;
	uint64_t va;

	if (!regs || !(regs->sctlr & HV_SCTLR_M) ||
	    gfn > UINT64_MAX >> HV_PAGE_SHIFT)
		return;
	if (!g && !(g = d->grant_attr = calloc(1, sizeof(*g))))
		return;                  /* a warning is not worth failing for */
	regs_changed = !g->regs_gen || !same_regs(&g->regs, regs);
	if (!regs_changed && g->checked[slot].gfn == gfn &&
	    g->checked[slot].regs_gen == g->regs_gen)
		return;
	rescan(d, g, regs, regs_changed);
	g->checked[slot].gfn = gfn;
	g->checked[slot].regs_gen = g->regs_gen;
	if (!g->partial) {
		check_scanned(d, g, gfn, ref, to);
	} else if (hv_stage1_find(&d->mem, regs, gfn << HV_PAGE_SHIFT, &va,
				  &attr) && !hv_memattr_shareable(&attr)) {
		warn_granted(d, gfn, ref, to, &va, 1, &attr);
	}
}

void hv_grant_attr_free(struct hv_domain *d)
{
	free(d->grant_attr);
	d->grant_attr = NULL;
}

void hv_grant_attr_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
				void *ctx)
{
	if (d->grant_attr)
		fn(ctx, d->grant_attr, sizeof(*d->grant_attr));
}
