/* SPDX-License-Identifier: BSD-2-Clause */
/* Grants a guest maps into its own physmap (a driver domain's backend, or
 * a domain mapping a grant it gave itself), unmaps, and flushes, with Xen
 * 4.17/ARM's checks in Xen's order and its GNTST_* statuses. The mapped
 * gfn shows the granter's page itself (hv_p2m_alias_add), writes and all.
 * Whatever the guest names is checked against the model's own records:
 * the handle, the address it claims the mapping is at, the machine
 * address it wants flushed. */
#include <xen/errno.h>

#include "gnttab_internal.h"
#include "hv/machine.h"
#include "hv/p2m.h"

/* The map flags ARM has no use for: an HVM-style guest gets no device or
 * application mappings and no PTE updates. */
#define ARM_REFUSED_FLAGS (GNTMAP_device_map | GNTMAP_application_map | \
			   GNTMAP_contains_pte)
/* Cache attributes a grant may ask of x86; ARM maps none of them. */
#define GTF_CACHE_FLAGS (GTF_PAT | GTF_PWT | GTF_PCD)

/* Xen's SILO policy (Debian's default XSM): domUs map each other's grants
 * only through dom0, never directly. */
static bool silo_allows(const struct hv_domain *ld, const struct hv_domain *rd)
{
	return ld == rd || ld->privileged || rd->privileged;
}

/* Xen's create_grant_host_mapping: the granted page replaces whatever the
 * gfn held. The model will not put it over a page it keeps Xen's data in
 * (shared_info, a grant-table frame) or outside the domain's memory. */
static int16_t map_at_host(struct hv_domain *ld, uint64_t gfn,
			   struct hv_domain *rd, uint64_t rgfn)
{
	if (gfn == ld->shared_info_gpfn || hv_gnttab_frame_at(ld, gfn)) {
		hv_log(ld->machine, HV_LOG_WARN, "d%u: grant mapped over Xen's "
		       "page at gfn %#llx: not modelled", ld->domid,
		       (unsigned long long)gfn);
		return GNTST_general_error;
	}
	if (hv_p2m_alias_add(ld, gfn, rd, rgfn, HV_P2M_GRANT)) {
		hv_log(ld->machine, HV_LOG_WARN, "d%u: grant mapped at gfn "
		       "%#llx: the model backs no memory there", ld->domid,
		       (unsigned long long)gfn);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

void hv_gt_guest_map(struct hv_domain *ld, struct gnttab_map_grant_ref *op)
{
	bool readonly = op->flags & GNTMAP_readonly;
	struct hv_gnttab_mapping m;
	struct gt_maptrack *mt;
	struct hv_domain *rd;
	uint16_t entry_flags;
	uint64_t rgfn;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
		op->status = GNTST_bad_gntref;
		return;
	}
	if (op->flags & ARM_REFUSED_FLAGS) {
		op->status = GNTST_general_error;
		return;
	}
	rd = hv_domain_by_id(ld->machine, op->dom);   /* no DOMID_SELF here */
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	if (!silo_allows(ld, rd)) {
		op->status = GNTST_permission_denied;
		return;
	}
	op->status = hv_gnttab_map_ref(ld, op->dom, op->ref, readonly, &m);
	if (op->status != GNTST_okay)
		return;
	rgfn = rd->gnttab->active[op->ref].gfn;
	entry_flags = __atomic_load_n(&hv_gt_entry(rd->gnttab, op->ref)->flags,
				      __ATOMIC_SEQ_CST);
	op->status = entry_flags & GTF_CACHE_FLAGS ? GNTST_general_error :
		map_at_host(ld, op->host_addr >> HV_PAGE_SHIFT, rd, rgfn);
	if (op->status != GNTST_okay) {
		hv_gnttab_unmap(ld, m.handle);
		return;
	}
	mt = &ld->gnttab->maptrack[m.handle];
	mt->flags |= GT_MT_HOST;
	mt->host_gfn = op->host_addr >> HV_PAGE_SHIFT;
	/* Xen maps it p2m_grant_map_ro: the guest's stores to it fault. */
	if (readonly && hv_mem_set_readonly(&ld->mem, mt->host_gfn, true))
		hv_log(ld->machine, HV_LOG_WARN, "d%u: out of memory marking "
		       "gfn %#llx read-only: stores to it go through",
		       ld->domid, (unsigned long long)mt->host_gfn);
	op->handle = m.handle;
	op->dev_bus_addr = hv_p2m_mfn(rd, rgfn) << HV_PAGE_SHIFT;
}

/* Whether gfn of ld shows the page mapping mt mapped. */
static bool shows_mapping(struct hv_domain *ld, uint64_t gfn,
			  const struct gt_maptrack *mt)
{
	const struct hv_p2m_alias *alias = hv_p2m_alias_at(ld, gfn);
	struct hv_domain *rd;

	if (!alias || alias->kind != HV_P2M_GRANT || alias->owner != mt->rdom)
		return false;
	rd = hv_domain_by_id(ld->machine, mt->rdom);
	return !rd || (mt->flags & GT_MT_STALE) ||
	       (mt->ref < gt_nr_entries(rd->gnttab) &&
		rd->gnttab->active[mt->ref].gfn == alias->owner_gfn);
}

int16_t hv_gt_guest_unmap(struct hv_domain *ld, uint64_t host_addr,
			  uint64_t new_addr, grant_handle_t handle)
{
	struct hv_gnttab *lgt = ld->gnttab;
	uint64_t gfn = host_addr >> HV_PAGE_SHIFT;
	bool here;

	if (handle >= lgt->nr_maptrack ||
	    (lgt->maptrack[handle].flags & (GT_MT_IN_USE | GT_MT_HOST)) !=
	    (GT_MT_IN_USE | GT_MT_HOST))
		return GNTST_bad_handle;
	/* No address: Xen has nothing to undo and keeps the mapping. */
	if (host_addr == 0)
		return GNTST_okay;
	/* ARM cannot put another page where the grant was. */
	if (new_addr != 0)
		return GNTST_general_error;
	/* Xen empties the gfn named unless another page is there; the
	 * mapping is dropped either way, even if it was elsewhere. */
	here = shows_mapping(ld, gfn, &lgt->maptrack[handle]);
	if (!here && hv_gpfn_valid(&ld->mem, gfn))
		return GNTST_general_error;
	if (here)
		hv_p2m_alias_remove(ld, gfn);
	return hv_gnttab_unmap(ld, handle);
}

/* Whether ld maps rd's page rgfn through one of its handles. */
static bool maps_page(struct hv_domain *ld, struct hv_domain *rd,
		      uint64_t rgfn)
{
	struct hv_gnttab *lgt = ld->gnttab;

	for (grant_handle_t h = 0; h < lgt->nr_maptrack; h++) {
		const struct gt_maptrack *mt = &lgt->maptrack[h];

		if ((mt->flags & (GT_MT_IN_USE | GT_MT_STALE)) == GT_MT_IN_USE &&
		    mt->rdom == rd->domid &&
		    mt->ref < gt_nr_entries(rd->gnttab) &&
		    rd->gnttab->active[mt->ref].gfn == rgfn)
			return true;
	}
	return false;
}

long hv_gt_cache_flush(struct hv_domain *ld, const struct gnttab_cache_flush *op,
		       uint32_t cur_ref)
{
	struct hv_domain *owner;
	uint64_t gfn;

	if (op->offset >= HV_PAGE_SIZE || op->length > HV_PAGE_SIZE ||
	    op->offset + op->length > HV_PAGE_SIZE ||
	    op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN))
		return -XEN_EINVAL;
	if (op->length == 0 || op->op == 0)
		return cur_ref ? -XEN_EILSEQ : 0;
	/* The model's memory is coherent: finding the page is all there is. */
	owner = hv_p2m_mfn_owner(ld->machine, op->a.dev_bus_addr >> HV_PAGE_SHIFT,
				 &gfn);
	if (!owner)
		return -XEN_EINVAL;
	if (owner != ld && !maps_page(ld, owner, gfn))
		return -XEN_EINVAL;
	return 0;
}
