/* SPDX-License-Identifier: BSD-2-Clause */
/* A domain's grant table: its frames and where the guest mapped them, the
 * pinning of entries (the GTF_reading/GTF_writing flags Xen keeps in the
 * guest's entry while a peer uses it), and the check that a guest did not
 * end a grant still in use. Entries are guest memory, rewritten by the
 * guest at any moment: read once with atomics, changed only by exchange. */
#include <stdlib.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "gnttab_internal.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/p2m.h"
#include "hv/state.h"

/* The flags and domid of an entry form one 32-bit word (little endian),
 * which Xen exchanges as a unit so a changed domid is noticed too. */
#define COMBO_FLAGS(c) ((uint16_t)((c) & 0xffffu))
#define COMBO_DOMID(c) ((uint16_t)((c) >> 16))

/* Xen retries an exchange with a guest-modified entry this often. */
#define PIN_RETRIES 5

struct grant_entry_v1 *hv_gt_entry(struct hv_gnttab *gt, grant_ref_t ref)
{
	return (struct grant_entry_v1 *)gt->frame[ref / GT_ENTRIES_PER_FRAME] +
	       ref % GT_ENTRIES_PER_FRAME;
}

static uint32_t *entry_combo(struct grant_entry_v1 *e)
{
	return (uint32_t *)(void *)e;
}

int hv_gt_grow(struct hv_gnttab *gt, unsigned nr)
{
	struct gt_active *active;
	grant_ref_t *pinned;
	unsigned old = gt->nr_frames;

	if (nr <= old)
		return 0;
	pinned = realloc(gt->pinned, nr * GT_ENTRIES_PER_FRAME * sizeof(*pinned));
	if (!pinned)
		return -XEN_ENOMEM;
	gt->pinned = pinned;
	active = realloc(gt->active, nr * GT_ENTRIES_PER_FRAME * sizeof(*active));
	if (!active)
		return -XEN_ENOMEM;
	gt->active = active;
	memset(active + old * GT_ENTRIES_PER_FRAME, 0,
	       (nr - old) * GT_ENTRIES_PER_FRAME * sizeof(*active));
	for (unsigned i = old; i < nr; i++) {
		gt->frame[i] = aligned_alloc(HV_PAGE_SIZE, HV_PAGE_SIZE);
		if (!gt->frame[i]) {
			gt->nr_frames = i;
			return -XEN_ENOMEM;
		}
		memset(gt->frame[i], 0, HV_PAGE_SIZE);
		gt->frame_owned[i] = true;
		gt->frame_gfn[i] = GT_GFN_NONE;
		gt->nr_frames = i + 1;
	}
	return 0;
}

int hv_gnttab_set_max_frames(struct hv_domain *d, unsigned max)
{
	struct hv_gnttab *gt = d->gnttab;

	if (!gt || max < hv_gnttab_nr_frames(d) || max > HV_GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	gt->max_frames = max;
	return 0;
}

/* A table of one frame, as Xen starts every domain's. */
static int table_new(struct hv_domain *d, unsigned max_frames)
{
	struct hv_gnttab *gt = calloc(1, sizeof(*gt));

	if (!gt)
		return -XEN_ENOMEM;
	gt->max_frames = max_frames;
	d->gnttab = gt;
	return hv_gt_grow(gt, 1);
}

int hv_gnttab_domain_init(struct hv_domain *d)
{
	int rc = table_new(d, HV_GNTTAB_MAX_FRAMES);

	if (rc == 0)
		rc = hv_mem_add_sparse_region(&d->mem, "gnttab",
					      d->machine->layout->gnttab.base,
					      d->machine->layout->gnttab.size);
	return rc;
}

void hv_gnttab_domain_destroy(struct hv_domain *d)
{
	struct hv_gnttab *gt = d->gnttab;

	if (!gt)
		return;
	hv_gt_release_mappings(d);
	hv_gt_forget_domain(d);
	for (unsigned i = 0; i < gt->nr_frames; i++)
		if (gt->frame_owned[i])
			free(gt->frame[i]);
	free(gt->active);
	free(gt->pinned);
	free(gt->maptrack);
	free(gt);
	d->gnttab = NULL;
}

int hv_gnttab_domain_renew(struct hv_domain *d)
{
	unsigned max = d->gnttab->max_frames;

	/* The frames leave the guest's physmap: the new table has its own
	 * and the guest maps them again. */
	for (unsigned i = 0; i < d->gnttab->nr_frames; i++)
		if (d->gnttab->frame_gfn[i] != GT_GFN_NONE)
			hv_mem_set_populated(&d->mem, d->gnttab->frame_gfn[i],
					     false);
	hv_gnttab_domain_destroy(d);
	return table_new(d, max);
}

unsigned hv_gnttab_nr_frames(struct hv_domain *d)
{
	return d->gnttab->nr_frames;
}

bool hv_gnttab_frame_at(struct hv_domain *d, uint64_t gfn)
{
	struct hv_gnttab *gt = d->gnttab;

	for (unsigned i = 0; i < gt->nr_frames; i++)
		if (gt->frame_gfn[i] == gfn)
			return true;
	return false;
}

bool hv_gnttab_entry(struct hv_domain *d, grant_ref_t ref,
		     struct grant_entry_v1 *out)
{
	struct hv_gnttab *gt = d->gnttab;
	uint32_t combo;

	if (ref >= gt_nr_entries(gt))
		return false;
	/* The guest may be rewriting it: flags and domid read as one. */
	combo = __atomic_load_n(entry_combo(hv_gt_entry(gt, ref)),
				__ATOMIC_ACQUIRE);
	out->flags = COMBO_FLAGS(combo);
	out->domid = COMBO_DOMID(combo);
	out->frame = __atomic_load_n(&hv_gt_entry(gt, ref)->frame,
				     __ATOMIC_RELAXED);
	return true;
}

int hv_gnttab_unmap_frame(struct hv_domain *d, uint64_t gfn)
{
	struct hv_gnttab *gt = d->gnttab;
	uint8_t *page;

	for (unsigned i = 0; i < gt->nr_frames; i++) {
		if (gt->frame_gfn[i] != gfn)
			continue;
		page = aligned_alloc(HV_PAGE_SIZE, HV_PAGE_SIZE);
		if (!page)
			return -XEN_ENOMEM;
		memcpy(page, gt->frame[i], HV_PAGE_SIZE);
		gt->frame[i] = page;
		gt->frame_owned[i] = true;
		gt->frame_gfn[i] = GT_GFN_NONE;
		hv_mem_set_populated(&d->mem, gfn, false);
		return 0;
	}
	return -XEN_ENOENT;
}

/* The host page behind gpfn in any region, present or not. */
static uint8_t *region_page(struct hv_mem *mem, uint64_t gpfn)
{
	uint64_t gpa = gpfn << HV_PAGE_SHIFT;

	if (gpfn > UINT64_MAX >> HV_PAGE_SHIFT)
		return NULL;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		struct hv_mem_region *r = &mem->region[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

/* Whether page already holds a page of Xen's (shared_info, a frame). */
static bool page_is_xen(struct hv_domain *d, const uint8_t *page)
{
	struct hv_gnttab *gt = d->gnttab;

	if (page == hv_domain_shared_info(d))
		return true;
	for (unsigned i = 0; i < gt->nr_frames; i++)
		if (!gt->frame_owned[i] && gt->frame[i] == page)
			return true;
	return false;
}

int hv_gnttab_map_frame(struct hv_domain *d, uint64_t idx, uint64_t gpfn)
{
	struct hv_gnttab *gt = d->gnttab;
	uint8_t *page;

	/* Mapping a frame past the end grows the table, up to its max. */
	if (idx >= gt->nr_frames) {
		if (idx >= gt->max_frames || hv_gt_grow(gt, (unsigned)idx + 1))
			return -XEN_EINVAL;
	}
	/* Xen wants a frame unmapped before it is mapped elsewhere. */
	if (gt->frame_gfn[idx] != GT_GFN_NONE)
		return -XEN_EBUSY;
	page = region_page(&d->mem, gpfn);
	if (page && hv_p2m_alias_at(d, gpfn))
		page = NULL;   /* a mapped grant there: Xen would replace it */
	if (!page) {
		hv_log(d->machine, HV_LOG_WARN, "d%u: grant frame %llu at gfn "
		       "%#llx: the model backs no memory there", d->domid,
		       (unsigned long long)idx, (unsigned long long)gpfn);
		return -XEN_EINVAL;
	}
	if (page_is_xen(d, page))
		return -XEN_EBUSY;
	/* The frame's contents move into the page now mapped there. */
	memcpy(page, gt->frame[idx], HV_PAGE_SIZE);
	if (gt->frame_owned[idx])
		free(gt->frame[idx]);
	gt->frame[idx] = page;
	gt->frame_owned[idx] = false;
	gt->frame_gfn[idx] = gpfn;
	hv_mem_set_present(&d->mem, gpfn, true);
	hv_p2m_note_mapped(d, gpfn);
	return 0;
}

/* Xen's _set_status for v1: mark the entry in use, checking its type and
 * grantee unless already pinned, and that a writer has a writable grant. */
static int16_t set_status(struct grant_entry_v1 *e, const struct gt_active *act,
			  bool readonly, uint16_t ldom)
{
	uint32_t *combo = entry_combo(e);
	uint32_t seen = __atomic_load_n(combo, __ATOMIC_SEQ_CST), want;
	bool pinned = act->pin_r || act->pin_w;

	for (unsigned tries = 0;; tries++) {
		uint16_t flags = COMBO_FLAGS(seen);

		if (!pinned && ((flags & GTF_type_mask) != GTF_permit_access ||
				COMBO_DOMID(seen) != ldom))
			return GNTST_general_error;
		flags |= GTF_reading;
		if (!readonly) {
			if (COMBO_FLAGS(seen) & GTF_readonly)
				return GNTST_general_error;
			flags |= GTF_writing;
		}
		want = (seen & 0xffff0000u) | flags;
		if (__atomic_compare_exchange_n(combo, &seen, want, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return GNTST_okay;
		if (tries + 1 == PIN_RETRIES)
			return GNTST_general_error;
	}
}

/* Clear the flags the remaining pins no longer justify. */
static void reduce_status(struct grant_entry_v1 *e, const struct gt_active *act,
			  bool readonly)
{
	uint16_t clear = (act->pin_r || act->pin_w) ? 0 : GTF_reading;

	if (!readonly && !act->pin_w)
		clear |= GTF_writing;
	if (clear)
		__atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

int16_t hv_gt_acquire(struct hv_domain *rd, grant_ref_t ref, uint16_t ldom,
		   bool readonly, uint8_t **page)
{
	struct hv_gnttab *gt = rd->gnttab;
	struct gt_active *act;
	struct grant_entry_v1 *e;
	bool pinned;
	uint64_t gfn;
	uint8_t *pg;
	int16_t rc;

	if (ref >= gt_nr_entries(gt))
		return GNTST_bad_gntref;
	e = hv_gt_entry(gt, ref);
	act = &gt->active[ref];
	pinned = act->pin_r || act->pin_w;
	if (pinned && (act->domid != ldom ||
		       (readonly ? act->pin_r : act->pin_w) >= GT_PIN_LIMIT))
		return GNTST_general_error;
	if (pinned && (readonly || act->pin_w)) {
		pg = hv_gpfn_ptr(&rd->mem, act->gfn);
		if (!pg)
			return GNTST_bad_page;
	} else {
		rc = set_status(e, act, readonly, ldom);
		if (rc != GNTST_okay)
			return rc;
		gfn = __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);
		pg = hv_gpfn_ptr(&rd->mem, gfn);
		if (!pg || (pinned && gfn != act->gfn)) {
			reduce_status(e, act, readonly);
			return pg ? GNTST_general_error : GNTST_bad_page;
		}
		act->domid = ldom;
		act->gfn = gfn;
		/* The page is now shared with ldom: how the guest maps it. */
		hv_check_granted_gfn(rd, gfn, ref, ldom);
	}
	if (!pinned) {
		act->pinned_at = gt->nr_pinned;
		gt->pinned[gt->nr_pinned++] = ref;
		act->reported = false;
	}
	if (readonly)
		act->pin_r++;
	else
		act->pin_w++;
	*page = pg;
	return GNTST_okay;
}

void hv_gt_release(struct hv_domain *rd, grant_ref_t ref, bool readonly)
{
	struct hv_gnttab *gt = rd->gnttab;
	struct gt_active *act = &gt->active[ref];
	bool was_pinned = act->pin_r || act->pin_w;

	if (readonly && act->pin_r)
		act->pin_r--;
	else if (!readonly && act->pin_w)
		act->pin_w--;
	if (was_pinned && !act->pin_r && !act->pin_w) {
		/* The last pinned entry takes its place in the list. */
		grant_ref_t last = gt->pinned[--gt->nr_pinned];

		gt->pinned[act->pinned_at] = last;
		gt->active[last].pinned_at = act->pinned_at;
	}
	reduce_status(hv_gt_entry(gt, ref), act, readonly);
}

bool hv_gt_check_ended(struct hv_domain *rd, grant_ref_t ref)
{
	struct hv_gnttab *gt = rd->gnttab;
	struct gt_active *act = &gt->active[ref];
	struct grant_entry_v1 *e = hv_gt_entry(gt, ref);
	uint32_t combo = __atomic_load_n(entry_combo(e), __ATOMIC_SEQ_CST);
	uint32_t frame = __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);

	if (act->reported ||
	    ((COMBO_FLAGS(combo) & GTF_type_mask) == GTF_permit_access &&
	     COMBO_DOMID(combo) == act->domid && frame == act->gfn))
		return false;
	act->reported = true;
	gt->violations++;
	hv_log(rd->machine, HV_LOG_WARN, "d%u ended grant ref %u (flags %#x, "
	       "domid %u, frame %#x) while d%u still uses frame %#llx "
	       "(XSA-396 class)", rd->domid, ref, COMBO_FLAGS(combo),
	       COMBO_DOMID(combo), frame, act->domid,
	       (unsigned long long)act->gfn);
	return true;
}

unsigned hv_gnttab_audit(struct hv_domain *d)
{
	struct hv_gnttab *gt = d->gnttab;
	unsigned found = 0;

	/* The pinned entries only: this runs at every idle. */
	for (unsigned i = 0; i < gt->nr_pinned; i++)
		if (hv_gt_check_ended(d, gt->pinned[i]))
			found++;
	return found;
}

unsigned hv_gnttab_violations(struct hv_domain *d)
{
	return d->gnttab->violations;
}

void hv_gnttab_dump(struct hv_domain *d)
{
	struct hv_gnttab *gt = d->gnttab;
	struct hv_machine *m = d->machine;
	bool any = false;

	hv_printk(m, "grant-table for remote d%u (v1)", d->domid);
	hv_printk(m, "  %u frames (%u max), %u mappings held", gt->nr_frames,
		  gt->max_frames, gt->nr_mapped);
	for (grant_ref_t ref = 0; ref < gt_nr_entries(gt); ref++) {
		const struct gt_active *act = &gt->active[ref];
		struct grant_entry_v1 *e;

		if (!act->pin_r && !act->pin_w)
			continue;
		e = hv_gt_entry(gt, ref);
		any = true;
		hv_printk(m, "[0x%03x]  %5u 0x%06llx r%u w%u      %5u 0x%06x "
			  "0x%02x", ref, act->domid,
			  (unsigned long long)act->gfn, act->pin_r, act->pin_w,
			  e->domid, e->frame, e->flags);
	}
	if (!any)
		hv_printk(m, "no active grant table entries");
}

void hv_gnttab_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx)
{
	struct hv_gnttab *gt = d->gnttab;

	if (!gt)
		return;
	fn(ctx, gt, sizeof(*gt));
	if (gt->active)
		fn(ctx, gt->active, gt_nr_entries(gt) * sizeof(*gt->active));
	if (gt->pinned)
		fn(ctx, gt->pinned, gt_nr_entries(gt) * sizeof(*gt->pinned));
	if (gt->maptrack)
		fn(ctx, gt->maptrack, gt->cap_maptrack * sizeof(*gt->maptrack));
	for (unsigned i = 0; i < gt->nr_frames; i++)
		if (gt->frame_owned[i])
			fn(ctx, gt->frame[i], HV_PAGE_SIZE);
}
