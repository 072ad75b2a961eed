/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_memory_op: XENMEM_add_to_physmap of shared_info and grant
 * frames, and XENMEM_remove_from_physmap of shared_info. The page the guest
 * names becomes shared_info, as on Xen where the frame at that gpfn is
 * replaced. As Xen 4.17 on ARM, mapping it again while it is mapped is
 * -EBUSY: the guest removes it first, and the contents go along. */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "hv/gnttab.h"
#include "hv/hypercall.h"
#include "hv/machine.h"

/* The low bits of the command are the op; the rest a continuation point. */
#define MEMOP_CMD_MASK 0x3f

/* Xen's boot wall clock as a fixed value, so runs are reproducible. */
#define HV_WALLCLOCK_SEC 1767225600u  /* 2026-01-01T00:00:00Z */

static void shared_info_init(struct shared_info *s)
{
	s->wc_sec = HV_WALLCLOCK_SEC;
	s->wc_nsec = 0;
	s->wc_version = 2;  /* even: consistent, updated once at boot */
}

static long map_shared_info(struct hv_domain *d, uint64_t idx, uint64_t gpfn)
{
	uint8_t *page;

	if (idx != 0)
		return -XEN_EINVAL;
	page = hv_gpfn_ptr(&d->mem, gpfn);
	if (!page)
		return -XEN_EINVAL;
	if (d->shared_info_gpfn != UINT64_MAX)
		return -XEN_EBUSY;
	memcpy(page, d->shared_info, HV_PAGE_SIZE);
	if (!d->shared_info_mapped_once)
		shared_info_init((struct shared_info *)page);
	d->shared_info_mapped_once = true;
	free(d->shared_info);
	d->shared_info = page;
	d->shared_info_gpfn = gpfn;
	return 0;
}

/* Take shared_info out of the guest's physmap: it lives on in a page of the
 * model's, and the frame the guest gave reads as zero. */
static long unmap_shared_info(struct hv_domain *d)
{
	uint8_t *page = malloc(HV_PAGE_SIZE);

	if (!page)
		return -XEN_ENOMEM;
	memcpy(page, d->shared_info, HV_PAGE_SIZE);
	memset(d->shared_info, 0, HV_PAGE_SIZE);
	d->shared_info = page;
	d->shared_info_gpfn = UINT64_MAX;
	return 0;
}

static long remove_from_physmap(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_remove_from_physmap xrfp;
	struct hv_domain *d;

	if (hv_copy_from_guest(&v->domain->mem, &xrfp, gva, sizeof(xrfp)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, xrfp.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->domain && !v->domain->privileged)
		return -XEN_EPERM;
	if (xrfp.gpfn == d->shared_info_gpfn)
		return unmap_shared_info(d);
	/* Taking RAM or grant frames out of the physmap is not modelled. */
	return -XEN_ENOSYS;
}

static long add_to_physmap(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_add_to_physmap xatp;
	struct hv_domain *d;

	if (hv_copy_from_guest(&v->domain->mem, &xatp, gva, sizeof(xatp)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, xatp.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->domain && !v->domain->privileged)
		return -XEN_EPERM;
	switch (xatp.space) {
	case XENMAPSPACE_shared_info:
		return map_shared_info(d, xatp.idx, xatp.gpfn);
	case XENMAPSPACE_grant_table:
		return hv_gnttab_map_frame(d, xatp.idx, xatp.gpfn);
	default:
		/* Other spaces are not modelled. */
		return -XEN_ENOSYS;
	}
}

long hv_do_memory_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	if (arg[0] & ~(uint64_t)MEMOP_CMD_MASK)   /* a continuation the model never hands out */
		return -XEN_EINVAL;
	switch (arg[0] & MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg[1]);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(v, arg[1]);
	default:
		return -XEN_ENOSYS;
	}
}
