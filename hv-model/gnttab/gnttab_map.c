/* SPDX-License-Identifier: BSD-2-Clause */
/* Mappings a backend in the model holds on other domains' grants: Xen's
 * maptrack (handles, reused oldest-freed first) and map/unmap with Xen's
 * statuses. The granting guest may rewrite its entry at any time; unmap
 * reports a grant ended while still mapped instead of trusting it. */
#include <stdlib.h>

#include "gnttab_internal.h"
#include "hv/machine.h"

/* Handles come in pages of 256, as Xen's maptrack frames hold. */
#define MAPTRACK_CHUNK 256u

static int grow_maptrack(struct hv_gnttab *gt)
{
	unsigned nr = gt->nr_maptrack + MAPTRACK_CHUNK;
	struct gt_maptrack *mt;

	if (nr > HV_GNTTAB_MAX_MAPTRACK)
		return -1;
	/* Handles are created a page at a time, but the array doubles: a
	 * backend that maps its way to the limit copies it a few times, not
	 * once a page. */
	mt = gt->maptrack;
	if (nr > gt->cap_maptrack) {
		unsigned cap = gt->cap_maptrack ? gt->cap_maptrack * 2 : nr;

		if (cap > HV_GNTTAB_MAX_MAPTRACK)
			cap = HV_GNTTAB_MAX_MAPTRACK;
		mt = realloc(gt->maptrack, cap * sizeof(*mt));
		if (!mt)
			return -1;
		gt->cap_maptrack = cap;
	}
	for (unsigned h = gt->nr_maptrack; h < nr; h++) {
		mt[h].flags = 0;
		mt[h].next_free = h + 1;
	}
	if (gt->have_free)
		mt[gt->free_tail].next_free = gt->nr_maptrack;
	else
		gt->free_head = gt->nr_maptrack;
	gt->free_tail = nr - 1;
	gt->have_free = true;
	gt->maptrack = mt;
	gt->nr_maptrack = nr;
	return 0;
}

static bool get_handle(struct hv_gnttab *gt, grant_handle_t *handle)
{
	if (!gt->have_free && grow_maptrack(gt))
		return false;
	*handle = gt->free_head;
	if (gt->free_head == gt->free_tail)
		gt->have_free = false;
	else
		gt->free_head = gt->maptrack[*handle].next_free;
	return true;
}

static void put_handle(struct hv_gnttab *gt, grant_handle_t handle)
{
	gt->maptrack[handle].flags = 0;
	if (gt->have_free)
		gt->maptrack[gt->free_tail].next_free = handle;
	else
		gt->free_head = handle;
	gt->free_tail = handle;
	gt->have_free = true;
}

int16_t hv_gnttab_map_ref(struct hv_domain *ld, uint16_t rdom,
			  grant_ref_t ref, bool readonly,
			  struct hv_gnttab_mapping *out)
{
	struct hv_gnttab *lgt = ld->gnttab;
	struct hv_domain *rd = hv_domain_by_id(ld->machine, rdom);
	grant_handle_t handle;
	uint8_t *page;
	int16_t rc;

	if (!rd)
		return GNTST_bad_domain;
	if (!get_handle(lgt, &handle))
		return GNTST_no_space;
	rc = hv_gt_acquire(rd, ref, ld->domid, readonly, &page);
	if (rc != GNTST_okay) {
		put_handle(lgt, handle);
		return rc;
	}
	lgt->maptrack[handle].rdom = rdom;
	lgt->maptrack[handle].ref = ref;
	lgt->maptrack[handle].flags = GT_MT_IN_USE |
				      (readonly ? GT_MT_READONLY : 0);
	lgt->nr_mapped++;
	out->handle = handle;
	out->page = page;
	return GNTST_okay;
}

int16_t hv_gnttab_unmap(struct hv_domain *ld, grant_handle_t handle)
{
	struct hv_gnttab *lgt = ld->gnttab;
	struct gt_maptrack *mt;
	struct hv_domain *rd;

	if (handle >= lgt->nr_maptrack ||
	    !(lgt->maptrack[handle].flags & GT_MT_IN_USE))
		return GNTST_bad_handle;
	mt = &lgt->maptrack[handle];
	if (!(mt->flags & GT_MT_STALE)) {
		rd = hv_domain_by_id(ld->machine, mt->rdom);
		if (!rd || mt->ref >= gt_nr_entries(rd->gnttab))
			return GNTST_bad_handle;
		hv_gt_check_ended(rd, mt->ref);
		hv_gt_release(rd, mt->ref, mt->flags & GT_MT_READONLY);
	}
	put_handle(lgt, handle);
	lgt->nr_mapped--;
	return GNTST_okay;
}

unsigned hv_gnttab_nr_mappings(struct hv_domain *ld)
{
	return ld->gnttab->nr_mapped;
}

void hv_gt_release_mappings(struct hv_domain *ld)
{
	struct hv_gnttab *lgt = ld->gnttab;

	for (grant_handle_t h = 0; h < lgt->nr_maptrack; h++)
		if (lgt->maptrack[h].flags & GT_MT_IN_USE)
			hv_gnttab_unmap(ld, h);
}

void hv_gt_forget_domain(struct hv_domain *rd)
{
	struct hv_machine *m = rd->machine;

	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++) {
		struct hv_domain *ld = m->domain[i];
		struct hv_gnttab *lgt = ld && ld != rd ? ld->gnttab : NULL;

		for (grant_handle_t h = 0; lgt && h < lgt->nr_maptrack; h++) {
			struct gt_maptrack *mt = &lgt->maptrack[h];

			if ((mt->flags & (GT_MT_IN_USE | GT_MT_STALE)) !=
			    GT_MT_IN_USE || mt->rdom != rd->domid)
				continue;
			mt->flags |= GT_MT_STALE;
			hv_log(m, HV_LOG_WARN, "d%u destroyed while d%u still "
			       "maps its grant ref %u (handle %u)", rd->domid,
			       ld->domid, mt->ref, h);
		}
	}
}
