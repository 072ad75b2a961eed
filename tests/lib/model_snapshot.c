/* SPDX-License-Identifier: BSD-2-Clause */
/* See model_snapshot.h. */
#include "model_snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/state.h"

struct snap_range {
	void *p;
	size_t len;
	void *copy;
};

/* One region of one domain's memory: its pages as they were (NULL for a
 * page of zeros: most of a fresh domain's memory file is holes, which
 * are not read, as reading would allocate them), and the byte per page
 * the model sets when it takes a pointer there. */
struct snap_region {
	struct hv_domain *d;
	uint16_t domid;
	unsigned index;
	uint8_t *host;
	size_t pages;
	uint8_t **copy;
	uint8_t *touched;
};

struct model_snapshot {
	struct hv_machine *m;
	struct snap_range *range;
	unsigned nr_ranges, cap_ranges;
	struct snap_region region[HV_MAX_DOMAINS * HV_MAX_REGIONS];
	unsigned nr_regions;
	/* The walk at a restore: ranges seen so far, and whether one moved. */
	unsigned checked;
	bool moved;
	bool failed;
};

/* A region's page bitmaps are the model's state too: a page given back,
 * aliased or made read-only. Their size is hv_mem's, one bit a page. */
static void bitmap_ranges(struct hv_machine *m, hv_state_range_fn *fn,
			  void *ctx)
{
	for (unsigned id = 0; id < HV_MAX_DOMAINS; id++) {
		struct hv_domain *d = m->domain[id];

		for (unsigned i = 0; d && i < d->mem.nr_regions; i++) {
			struct hv_mem_region *r = &d->mem.region[i];
			size_t len = (r->size >> HV_PAGE_SHIFT) / 8 + 1;

			if (r->present)
				fn(ctx, r->present, len);
			if (r->aliased)
				fn(ctx, r->aliased, len);
			if (r->readonly)
				fn(ctx, r->readonly, len);
		}
	}
}

static void add_range(void *ctx, void *p, size_t len)
{
	struct model_snapshot *s = ctx;
	struct snap_range *r;

	if (s->nr_ranges == s->cap_ranges) {
		unsigned cap = s->cap_ranges ? s->cap_ranges * 2 : 32;
		struct snap_range *grown = realloc(s->range,
						   cap * sizeof(*grown));

		if (!grown) {
			s->failed = true;
			return;
		}
		s->range = grown;
		s->cap_ranges = cap;
	}
	r = &s->range[s->nr_ranges];
	r->p = p;
	r->len = len;
	r->copy = malloc(len);
	if (!r->copy) {
		s->failed = true;
		return;
	}
	memcpy(r->copy, p, len);
	s->nr_ranges++;
}

static void check_range(void *ctx, void *p, size_t len)
{
	struct model_snapshot *s = ctx;
	unsigned i = s->checked++;

	if (i >= s->nr_ranges || s->range[i].p != p || s->range[i].len != len)
		s->moved = true;
}

/* Copy page pg of r unless it is a hole of the memory file. */
static bool copy_page(struct snap_region *r, size_t pg)
{
	r->copy[pg] = malloc(HV_PAGE_SIZE);
	if (!r->copy[pg])
		return false;
	memcpy(r->copy[pg], r->host + (pg << HV_PAGE_SHIFT), HV_PAGE_SIZE);
	return true;
}

/* The pages of a run of the memory file holding data. */
static bool copy_run(void *ctx, uint64_t off, uint64_t end)
{
	struct snap_region *r = ctx;

	for (uint64_t pg = off >> HV_PAGE_SHIFT;
	     pg < (end + HV_PAGE_SIZE - 1) >> HV_PAGE_SHIFT; pg++)
		if (!copy_page(r, (size_t)pg))
			return false;
	return true;
}

static bool add_regions(struct model_snapshot *s)
{
	for (unsigned id = 0; id < HV_MAX_DOMAINS; id++) {
		struct hv_domain *d = s->m->domain[id];

		for (unsigned i = 0; d && i < d->mem.nr_regions; i++) {
			struct hv_mem_region *mr = &d->mem.region[i];
			struct snap_region *r = &s->region[s->nr_regions++];

			r->d = d;
			r->domid = d->domid;
			r->index = i;
			r->host = mr->host;
			r->pages = mr->size >> HV_PAGE_SHIFT;
			r->copy = calloc(r->pages, sizeof(*r->copy));
			r->touched = calloc(r->pages, 1);
			if (!r->copy || !r->touched || !hv_mem_region_data_runs(mr, copy_run, r))
				return false;
			d->mem.touched[i] = r->touched;
		}
	}
	return true;
}

static struct model_snapshot *take(struct hv_machine *m, bool memory)
{
	struct model_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->m = m;
	/* The touched bytes first: their pointers are in the domains. */
	if (memory && !add_regions(s)) {
		model_snapshot_free(s);
		return NULL;
	}
	hv_machine_state_ranges(m, add_range, s);
	bitmap_ranges(m, add_range, s);
	if (s->failed) {
		model_snapshot_free(s);
		return NULL;
	}
	return s;
}

struct model_snapshot *model_snapshot_take(struct hv_machine *m)
{
	return take(m, true);
}

struct model_snapshot *model_snapshot_take_state(struct hv_machine *m)
{
	return take(m, false);
}

bool model_snapshot_update(struct model_snapshot *s)
{
	if (s->nr_regions || !model_snapshot_fits(s))
		return false;
	for (unsigned i = 0; i < s->nr_ranges; i++)
		memcpy(s->range[i].copy, s->range[i].p, s->range[i].len);
	return true;
}

bool model_snapshot_fits(struct model_snapshot *s)
{
	s->checked = 0;
	s->moved = false;
	hv_machine_state_ranges(s->m, check_range, s);
	bitmap_ranges(s->m, check_range, s);
	return !s->moved && s->checked == s->nr_ranges;
}

bool model_snapshot_restore(struct model_snapshot *s)
{
	if (!model_snapshot_fits(s))
		return false;
	for (unsigned i = 0; i < s->nr_ranges; i++)
		memcpy(s->range[i].p, s->range[i].copy, s->range[i].len);
	for (unsigned i = 0; i < s->nr_regions; i++) {
		struct snap_region *r = &s->region[i];
		uint8_t *t = r->touched, *end = t + r->pages;

		while ((t = memchr(t, 1, (size_t)(end - t)))) {
			size_t off = (size_t)(t - r->touched) << HV_PAGE_SHIFT;

			uint8_t *was = r->copy[off >> HV_PAGE_SHIFT];

			if (was)
				memcpy(r->host + off, was, HV_PAGE_SIZE);
			else
				memset(r->host + off, 0, HV_PAGE_SIZE);
			*t++ = 0;
		}
	}
	return true;
}

void model_snapshot_wrote(struct model_snapshot *s, struct hv_domain *d,
			  uint64_t gpa, size_t len)
{
	for (unsigned i = 0; len && i < s->nr_regions; i++) {
		struct snap_region *r = &s->region[i];
		const struct hv_mem_region *mr = &d->mem.region[r->index];

		if (r->d != d || gpa < mr->gpa || gpa - mr->gpa >= mr->size)
			continue;
		for (uint64_t pg = (gpa - mr->gpa) >> HV_PAGE_SHIFT;
		     pg < r->pages && pg <= (gpa - mr->gpa + len - 1) >>
						HV_PAGE_SHIFT; pg++)
			r->touched[pg] = 1;
	}
}

bool model_snapshot_memory_same(const struct model_snapshot *s)
{
	for (unsigned i = 0; i < s->nr_regions; i++) {
		const struct snap_region *r = &s->region[i];

		for (size_t pg = 0; pg < r->pages; pg++) {
			const uint8_t *now = r->host + (pg << HV_PAGE_SHIFT);

			if (r->copy[pg] ? memcmp(now, r->copy[pg], HV_PAGE_SIZE) :
			    now[0] || memcmp(now, now + 1, HV_PAGE_SIZE - 1))
				return false;
		}
	}
	return true;
}

void model_snapshot_free(struct model_snapshot *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nr_regions; i++) {
		struct snap_region *r = &s->region[i];

		if (s->m->domain[r->domid] == r->d)
			r->d->mem.touched[r->index] = NULL;
		for (size_t pg = 0; r->copy && pg < r->pages; pg++)
			free(r->copy[pg]);
		free(r->copy);
		free(r->touched);
	}
	for (unsigned i = 0; i < s->nr_ranges; i++)
		free(s->range[i].copy);
	free(s->range);
	free(s);
}
