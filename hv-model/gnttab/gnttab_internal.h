/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the model's grant tables: a domain's frames (model pages until
 * the guest maps them, then the guest page they were mapped at), the
 * active record of every entry (who pinned it, how), and the maptrack of
 * the mappings a backend domain holds. Entries themselves are guest memory. */
#ifndef HV_GNTTAB_INTERNAL_H
#define HV_GNTTAB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/grant_table.h>

#include "hv/domain.h"
#include "hv/gnttab.h"

#define GT_ENTRIES_PER_FRAME HV_GNTTAB_ENTRIES_PER_FRAME
#define GT_GFN_NONE          UINT64_MAX
/* Xen's pin counters are 8 bits wide and refuse to reach the top bit. */
#define GT_PIN_LIMIT         128u

/* What Xen keeps per entry while it is in use. */
struct gt_active {
	uint16_t domid;               /* the domain that pinned it */
	uint8_t pin_r;                /* read-only pins (maps, copies) */
	uint8_t pin_w;                /* writable pins */
	uint32_t pinned_at;           /* its place in hv_gnttab.pinned */
	uint64_t gfn;                 /* frame pinned */
	bool reported;                /* its XSA-396 case was logged */
};

#define GT_MT_IN_USE   (1u << 0)
#define GT_MT_READONLY (1u << 1)
#define GT_MT_STALE    (1u << 2)  /* the granting domain was destroyed */
#define GT_MT_HOST     (1u << 3)  /* the guest's own: mapped at host_gfn */

struct gt_maptrack {
	uint16_t rdom;
	uint8_t flags;                /* GT_MT_* */
	grant_ref_t ref;
	grant_handle_t next_free;
	uint64_t host_gfn;            /* GT_MT_HOST: where the guest sees it */
};

struct hv_gnttab {
	unsigned nr_frames;
	unsigned max_frames;
	uint8_t *frame[HV_GNTTAB_MAX_FRAMES];
	bool frame_owned[HV_GNTTAB_MAX_FRAMES];   /* model page, not guest's */
	uint64_t frame_gfn[HV_GNTTAB_MAX_FRAMES]; /* GT_GFN_NONE: unmapped */
	struct gt_active *active;     /* nr_frames * GT_ENTRIES_PER_FRAME */
	unsigned nr_pinned;           /* entries with a pin */
	grant_ref_t *pinned;          /* those entries, nr_pinned of them */
	unsigned violations;

	struct gt_maptrack *maptrack; /* mappings this domain holds */
	unsigned nr_maptrack;         /* handles created */
	unsigned cap_maptrack;        /* entries allocated (>= nr_maptrack) */
	unsigned nr_mapped;           /* handles in use */
	grant_handle_t free_head, free_tail;  /* FIFO of released handles */
	bool have_free;
};

static inline unsigned gt_nr_entries(const struct hv_gnttab *gt)
{
	return gt->nr_frames * GT_ENTRIES_PER_FRAME;
}

/* The entry ref of gt (ref < gt_nr_entries). */
struct grant_entry_v1 *hv_gt_entry(struct hv_gnttab *gt, grant_ref_t ref);

/* Grow to nr frames (nr <= max_frames): 0 or -XEN_ENOMEM. */
int hv_gt_grow(struct hv_gnttab *gt, unsigned nr);

/* Pin rd's entry ref for ldom, as Xen's acquire for map and copy: set
 * GTF_reading (and GTF_writing) in the entry. GNTST_okay with *page the
 * granted page, or the GNTST_* error. */
int16_t hv_gt_acquire(struct hv_domain *rd, grant_ref_t ref, uint16_t ldom,
		   bool readonly, uint8_t **page);
/* Drop one pin; clears GTF_reading/GTF_writing as the pins go. */
void hv_gt_release(struct hv_domain *rd, grant_ref_t ref, bool readonly);

/* Log once if rd's entry ref no longer grants what act pinned. */
bool hv_gt_check_ended(struct hv_domain *rd, grant_ref_t ref);

/* XSM_TARGET in Xen's default policy. */
static inline bool gt_may_target(const struct hv_domain *ld,
				 const struct hv_domain *d)
{
	return ld == d || ld->privileged;
}

/* One GNTTABOP_copy for ld (gnttab_copy.c). */
int16_t hv_gt_copy_one(struct hv_domain *ld, const struct gnttab_copy *op);

/* The guest-issued grant ops (gnttab_guest_map.c): each fills op->status
 * (and for a map op->handle, op->dev_bus_addr) as Xen does. */
void hv_gt_guest_map(struct hv_domain *ld, struct gnttab_map_grant_ref *op);
int16_t hv_gt_guest_unmap(struct hv_domain *ld, uint64_t host_addr,
			  uint64_t new_addr, grant_handle_t handle);
/* One GNTTABOP_cache_flush: 0 or a negative errno for the whole call. */
long hv_gt_cache_flush(struct hv_domain *ld, const struct gnttab_cache_flush *op,
		       uint32_t cur_ref);

/* Mark every mapping other domains hold on rd's grants stale. */
void hv_gt_forget_domain(struct hv_domain *rd);
/* Release the mappings ld holds (ld is going away). */
void hv_gt_release_mappings(struct hv_domain *ld);

#endif
