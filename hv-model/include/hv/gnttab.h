/* SPDX-License-Identifier: BSD-2-Clause */
/* Grant tables of the model, version 1 as Xen on ARM has it: the frames a
 * guest maps (XENMAPSPACE_grant_table) into its grant window, the
 * HYPERVISOR_grant_table_op sub-ops a guest uses, and the calls the model's
 * backends make to map, unmap and copy granted pages. Grant entries live in
 * the granting guest's page: each is read once into a local copy, checked,
 * and updated only with the GTF_reading/GTF_writing flags Xen sets. */
#ifndef HV_GNTTAB_H
#define HV_GNTTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/grant_table.h>

#include "hv/hypercall.h"

struct hv_domain;

/* Xen 4.17's defaults for a domU on ARM (gnttab_max_frames,
 * gnttab_max_maptrack_frames) and the size of a v1 frame. */
#define HV_GNTTAB_MAX_FRAMES     64u
#define HV_GNTTAB_ENTRIES_PER_FRAME (4096u / sizeof(struct grant_entry_v1))
#define HV_GNTTAB_MAX_MAPTRACK   (1024u * 256u)

/* Domain creation (also adds the grant window region where the machine's
 * layout puts it) and teardown. */
int hv_gnttab_domain_init(struct hv_domain *d);
void hv_gnttab_domain_destroy(struct hv_domain *d);
/* A fresh table of one frame, as a restored domain gets: every mapping d
 * held and every mapping of d's grants is gone, its frames leave the
 * physmap, the grant window stays (suspend and resume, domain_resume.c). */
int hv_gnttab_domain_renew(struct hv_domain *d);

hv_hypercall_fn hv_do_grant_table_op;

/* XENMEM_add_to_physmap with XENMAPSPACE_grant_table: put frame idx of d's
 * table at gpfn (growing the table up to idx + 1 frames). 0, -XEN_EINVAL
 * (idx beyond the maximum, a gpfn with no backing), -XEN_EBUSY (the frame
 * is already mapped, or gpfn holds another Xen page). */
int hv_gnttab_map_frame(struct hv_domain *d, uint64_t idx, uint64_t gpfn);

unsigned hv_gnttab_nr_frames(struct hv_domain *d);
/* The most frames d's table may grow to (xl's max_grant_frames), at
 * least the frames it has: 0, or -XEN_EINVAL. */
int hv_gnttab_set_max_frames(struct hv_domain *d, unsigned max);
/* Take the frame mapped at gfn out of d's physmap: its entries go back
 * into a page of the model's and the gfn is left empty. 0, -XEN_ENOENT
 * (no frame there) or -XEN_ENOMEM. */
int hv_gnttab_unmap_frame(struct hv_domain *d, uint64_t gfn);
/* Whether one of d's grant-table frames is mapped at gfn. */
bool hv_gnttab_frame_at(struct hv_domain *d, uint64_t gfn);
/* A copy of d's entry ref as the guest last wrote it: false when ref is
 * beyond d's table (for checks that a peer was handed the right grant). */
bool hv_gnttab_entry(struct hv_domain *d, grant_ref_t ref,
		     struct grant_entry_v1 *out);

/* ---- calls for the model's backends (ld, usually dom0) ----
 * They apply Xen's checks and return a GNTST_* status. */
struct hv_gnttab_mapping {
	grant_handle_t handle;
	void *page;                    /* the granted page, HV_PAGE_SIZE bytes */
};

/* Map rdom's grant ref into the backend: read-only or writable. */
int16_t hv_gnttab_map_ref(struct hv_domain *ld, uint16_t rdom,
			  grant_ref_t ref, bool readonly,
			  struct hv_gnttab_mapping *out);
int16_t hv_gnttab_unmap(struct hv_domain *ld, grant_handle_t handle);
/* Mappings ld holds now. */
unsigned hv_gnttab_nr_mappings(struct hv_domain *ld);

/* A GNTTABOP_copy as if ld had issued it (frames in gmfn are ld's own). */
int16_t hv_gnttab_copy_op(struct hv_domain *ld, const struct gnttab_copy *op);
/* Copy between a granted page and a buffer in the backend's own memory. */
int16_t hv_gnttab_copy_from_ref(struct hv_domain *ld, uint16_t rdom,
				grant_ref_t ref, uint16_t offset, void *dst,
				uint16_t len);
int16_t hv_gnttab_copy_to_ref(struct hv_domain *ld, uint16_t rdom,
			      grant_ref_t ref, uint16_t offset,
			      const void *src, uint16_t len);

/* The XSA-396 class of bug: a granting guest ended (rewrote) an entry that
 * a backend still has mapped. Checked at every unmap and by this scan of
 * the pinned entries; each case is logged once. Returns the number of
 * cases found by this call. */
unsigned hv_gnttab_audit(struct hv_domain *d);
/* Cases found in d's table since it was created. */
unsigned hv_gnttab_violations(struct hv_domain *d);

/* Print the pinned entries of d's table on the Xen console, like Xen's
 * 'g' debug key (GNTTABOP_dump_table itself is gone from Xen 4.17). */
void hv_gnttab_dump(struct hv_domain *d);

#endif
