/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_memory_op as Xen 4.17 on ARM answers it: the dispatch with
 * its continuation checks, the reservation queries, and the physmap ops
 * (add_to_physmap and its batch, remove_from_physmap). The balloon is in
 * memory_reservation.c. shared_info becomes the guest page named, as on
 * Xen where the frame at that gpfn is replaced; mapping it again while it
 * is mapped is -EBUSY: the guest removes it first, and the contents go
 * along. Everything read from the guest is copied in once, then checked. */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "hv/gnttab.h"
#include "hv/hypercall.h"
#include "hv/machine.h"
#include "hv/memory_op.h"
#include "hv/p2m.h"

/* Xen's boot wall clock as a fixed value, so runs are reproducible. */
#define HV_WALLCLOCK_SEC 1767225600u  /* 2026-01-01T00:00:00Z */

/* XENMEM_get_sharing_freed_pages / shared_pages: ARM answers 0. */
#define XENMEM_get_sharing_freed_pages 18
#define XENMEM_get_sharing_shared_pages 19

#define INVALID_GFN UINT64_MAX

static void shared_info_init(struct shared_info *s)
{
	s->wc_sec = HV_WALLCLOCK_SEC;
	s->wc_nsec = 0;
	s->wc_version = 2;  /* even: consistent, updated once at boot */
}

/* The page behind gpfn in one of d's regions, populated or not: Xen maps
 * its page over whatever the gfn held. */
static uint8_t *physmap_slot(struct hv_domain *d, uint64_t gpfn)
{
	if (hv_p2m_alias_at(d, gpfn) || hv_gnttab_frame_at(d, gpfn))
		return NULL;   /* the model keeps one page of Xen's per gfn */
	if (!hv_gpfn_valid(&d->mem, gpfn) &&
	    hv_mem_set_present(&d->mem, gpfn, true))
		return NULL;
	return hv_gpfn_ptr(&d->mem, gpfn);
}

static long map_shared_info(struct hv_domain *d, uint64_t idx, uint64_t gpfn)
{
	uint8_t *page;

	if (idx != 0)
		return -XEN_EINVAL;
	if (d->shared_info_gpfn != UINT64_MAX)
		return -XEN_EBUSY;
	page = physmap_slot(d, gpfn);
	if (!page) {
		hv_log(d->machine, HV_LOG_WARN, "d%u: shared_info at gfn "
		       "%#llx: the model backs no memory there", d->domid,
		       (unsigned long long)gpfn);
		return -XEN_EINVAL;
	}
	memcpy(page, d->shared_info, HV_PAGE_SIZE);
	if (!d->shared_info_mapped_once)
		shared_info_init((struct shared_info *)page);
	d->shared_info_mapped_once = true;
	free(d->shared_info);
	d->shared_info = page;
	d->shared_info_gpfn = gpfn;
	hv_p2m_note_mapped(d, gpfn);
	return 0;
}

/* Take shared_info out of the guest's physmap: it lives on in a page of the
 * model's, and the gfn is left empty. */
long hv_memory_unmap_shared_info(struct hv_domain *d)
{
	uint8_t *page = malloc(HV_PAGE_SIZE);
	uint64_t gpfn = d->shared_info_gpfn;

	if (!page)
		return -XEN_ENOMEM;
	memcpy(page, d->shared_info, HV_PAGE_SIZE);
	d->shared_info = page;
	d->shared_info_gpfn = UINT64_MAX;
	hv_mem_set_populated(&d->mem, gpfn, false);
	return 0;
}

/* XSM_TARGET in Xen's default policy. */
static bool may_target(const struct hv_domain *caller,
		       const struct hv_domain *d)
{
	return caller == d || caller->privileged;
}

/* Xen's xatp_permission_check: dev_mmio only for the hardware domain, on
 * itself. */
static long physmap_permission(struct hv_vcpu *v, struct hv_domain *d,
			       unsigned space)
{
	if (space == XENMAPSPACE_dev_mmio &&
	    (!v->domain->privileged || d != v->domain))
		return -XEN_EACCES;
	return may_target(v->domain, d) ? 0 : -XEN_EPERM;
}

/* A foreign page for dom0 (add_to_physmap_batch only): it must be RAM of
 * another domain. */
static long map_foreign(struct hv_vcpu *v, struct hv_domain *d,
			uint16_t foreign_domid, uint64_t idx, uint64_t gpfn)
{
	struct hv_domain *od = hv_domain_lookup(v->domain, foreign_domid);

	/* Xen's get_pg_owner: DOMID_SELF is the caller, its own id nothing. */
	if (foreign_domid == v->domain->domid)
		return -XEN_ESRCH;
	if (!od)
		return -XEN_ESRCH;
	if (od == d)
		return -XEN_EINVAL;
	if (!may_target(d, od))
		return -XEN_EPERM;
	if (!hv_gpfn_valid(&od->mem, idx) || hv_p2m_alias_at(od, idx))
		return -XEN_EINVAL;
	if (gpfn == d->shared_info_gpfn || hv_gnttab_frame_at(d, gpfn))
		return -XEN_EINVAL;   /* the model keeps Xen's pages in place */
	return hv_p2m_alias_add(d, gpfn, od, idx, HV_P2M_FOREIGN);
}

/* Xen's xenmem_add_to_physmap_one on ARM. */
static long add_one(struct hv_vcpu *v, struct hv_domain *d, unsigned space,
		    uint16_t foreign_domid, uint64_t idx, uint64_t gpfn)
{
	int rc;

	switch (space) {
	case XENMAPSPACE_shared_info:
		rc = map_shared_info(d, idx, gpfn);
		if (rc == 0 && d == v->domain)
			hv_check_shared_gpfn(v, gpfn, "shared_info");
		return rc;
	case XENMAPSPACE_grant_table:
		if (hv_p2m_alias_at(d, gpfn))
			return -XEN_EINVAL;
		rc = hv_gnttab_map_frame(d, idx, gpfn);
		if (rc == 0 && d == v->domain)
			hv_check_shared_gpfn(v, gpfn, "a grant-table frame");
		return rc;
	case XENMAPSPACE_gmfn_foreign:
		return map_foreign(v, d, foreign_domid, idx, gpfn);
	case XENMAPSPACE_dev_mmio:
		/* dom0's devices are not modelled: nothing is iomem. */
		return -XEN_EINVAL;
	default:
		/* gmfn and gmfn_range have no ARM implementation. */
		return -XEN_ENOSYS;
	}
}

static long add_to_physmap(struct hv_vcpu *v, uint64_t start, uint64_t gva)
{
	struct xen_add_to_physmap xatp;
	struct hv_domain *d;
	long rc;

	if (start != (uint16_t)start)
		return -XEN_EDOM;
	if (hv_copy_from_guest(v, &xatp, gva, sizeof(xatp)))
		return -XEN_EFAULT;
	/* Foreign pages go through add_to_physmap_batch only. */
	if (xatp.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	d = hv_domain_lookup(v->domain, xatp.domid);
	if (!d)
		return -XEN_ESRCH;
	rc = physmap_permission(v, d, xatp.space);
	if (rc)
		return rc;
	if (xatp.gpfn == INVALID_GFN)
		return -XEN_EINVAL;
	if (xatp.space != XENMAPSPACE_gmfn_range)
		return add_one(v, d, xatp.space, DOMID_INVALID, xatp.idx,
			       xatp.gpfn);
	if (xatp.size < start)
		return -XEN_EILSEQ;
	if (xatp.gpfn + xatp.size < xatp.gpfn || xatp.idx + xatp.size < xatp.idx)
		return -XEN_EOVERFLOW;
	/* Each frame of the range is a gmfn, which ARM does not do. */
	return xatp.size > start ? -XEN_ENOSYS : 0;
}

static long add_to_physmap_batch(struct hv_vcpu *v, uint64_t start,
				 uint64_t gva)
{
	struct xen_add_to_physmap_batch b;
	struct hv_domain *d;
	long rc;

	if (start != (uint16_t)start)
		return -XEN_EDOM;
	if (hv_copy_from_guest(v, &b, gva, sizeof(b)))
		return -XEN_EFAULT;
	if (b.space == XENMAPSPACE_gmfn_range)
		return -XEN_EOPNOTSUPP;
	d = hv_domain_lookup(v->domain, b.domid);
	if (!d)
		return -XEN_ESRCH;
	rc = physmap_permission(v, d, b.space);
	if (rc)
		return rc;
	if (b.size < start)
		return -XEN_EILSEQ;
	if (b.size == start)
		return start ? -XEN_EILSEQ : 0;
	if (b.space == XENMAPSPACE_dev_mmio && b.u.res0)
		return -XEN_EOPNOTSUPP;
	for (uint64_t i = start; i < b.size; i++) {
		uint64_t idx, gpfn;
		int32_t err;

		if (hv_copy_from_guest(v, &idx, b.idxs.q + i * 8, 8) ||
		    hv_copy_from_guest(v, &gpfn, b.gpfns.q + i * 8, 8))
			return -XEN_EFAULT;
		if (gpfn == INVALID_GFN)
			return -XEN_EINVAL;
		err = (int32_t)add_one(v, d, b.space,
				       b.space == XENMAPSPACE_gmfn_foreign ?
				       b.u.foreign_domid : DOMID_INVALID,
				       idx, gpfn);
		if (hv_copy_to_guest(v, b.errs.q + i * 4, &err, 4))
			return -XEN_EFAULT;
	}
	return 0;
}

/* Xen's remove_from_physmap: whatever page of the domain's own is mapped
 * at gpfn leaves the physmap (RAM stays counted: Xen keeps it allocated);
 * a gfn with no page of the domain's is -ENOENT. */
static long remove_from_physmap(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_remove_from_physmap xrfp;
	const struct hv_p2m_alias *alias;
	struct hv_domain *d;

	if (hv_copy_from_guest(v, &xrfp, gva, sizeof(xrfp)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, xrfp.domid);
	if (!d)
		return -XEN_ESRCH;
	if (!may_target(v->domain, d))
		return -XEN_EPERM;
	if (xrfp.gpfn == d->shared_info_gpfn)
		return hv_memory_unmap_shared_info(d);
	if (hv_gnttab_frame_at(d, xrfp.gpfn))
		return hv_gnttab_unmap_frame(d, xrfp.gpfn);
	alias = hv_p2m_alias_at(d, xrfp.gpfn);
	if (alias)
		/* A mapped grant is not the domain's page; a foreign one is
		 * dropped, as Xen drops its reference. */
		return alias->kind == HV_P2M_FOREIGN ?
			hv_p2m_alias_remove(d, xrfp.gpfn) : -XEN_ENOENT;
	if (!hv_gpfn_valid(&d->mem, xrfp.gpfn))
		return -XEN_ENOENT;
	return hv_mem_set_populated(&d->mem, xrfp.gpfn, false);
}

/* current_reservation, maximum_reservation, maximum_gpfn. */
static long reservation_query(struct hv_vcpu *v, unsigned op, uint64_t gva)
{
	struct xen_memory_domain md;
	struct hv_domain *d;

	if (hv_copy_from_guest(v, &md, gva, sizeof(md)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, md.domid);
	if (!d)
		return -XEN_ESRCH;
	if (!may_target(v->domain, d))
		return -XEN_EPERM;
	switch (op) {
	case XENMEM_current_reservation:
		return (long)d->tot_pages;
	case XENMEM_maximum_reservation:
		return (long)d->max_pages;
	default:
		return (long)d->max_mapped_gfn;
	}
}

/* No domain has a virtual NUMA topology: -EOPNOTSUPP once the request
 * and the domain check out. */
static long get_vnumainfo(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_vnuma_topology_info topo;
	struct hv_domain *d;

	if (hv_copy_from_guest(v, &topo, gva, sizeof(topo)))
		return -XEN_EFAULT;
	if (topo.pad != 0)
		return -XEN_EINVAL;
	d = hv_domain_lookup(v->domain, topo.domid);
	if (!d)
		return -XEN_ESRCH;
	if (!may_target(v->domain, d))
		return -XEN_EPERM;
	return -XEN_EOPNOTSUPP;
}

long hv_do_memory_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	uint64_t start = arg[0] >> HV_MEMOP_EXTENT_SHIFT;
	unsigned op = arg[0] & HV_MEMOP_CMD_MASK;

	switch (op) {
	case XENMEM_increase_reservation:
		return hv_memory_increase_reservation(v, start, arg[1]);
	case XENMEM_decrease_reservation:
		return hv_memory_decrease_reservation(v, start, arg[1]);
	case XENMEM_populate_physmap:
		return hv_memory_populate_physmap(v, start, arg[1]);
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, start, arg[1]);
	case XENMEM_add_to_physmap_batch:
		return add_to_physmap_batch(v, start, arg[1]);
	default:
		break;
	}
	/* The rest take no start extent; Xen's ARM code sees the command
	 * whole, so a start makes it an unknown op. */
	if (start)
		return op == XENMEM_maximum_ram_page ||
		       op == XENMEM_current_reservation ||
		       op == XENMEM_maximum_reservation ||
		       op == XENMEM_maximum_gpfn ||
		       op == XENMEM_remove_from_physmap ||
		       op == XENMEM_get_vnumainfo ? -XEN_EINVAL : -XEN_ENOSYS;
	switch (op) {
	case XENMEM_maximum_ram_page:
		return (long)hv_p2m_host_max_page(v->domain->machine);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return reservation_query(v, op, arg[1]);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(v, arg[1]);
	case XENMEM_get_vnumainfo:
		return get_vnumainfo(v, arg[1]);
	case XENMEM_get_sharing_freed_pages:
	case XENMEM_get_sharing_shared_pages:
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
