/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_grant_table_op(cmd, uop, count) for guests, with Xen 4.17's
 * argument checks and per-op statuses. Each op struct is copied in from
 * the guest once; statuses go back field by field as Xen writes them.
 * Grants a guest maps into its own physmap: gnttab_guest_map.c. */
#include <stddef.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "gnttab_internal.h"
#include "hv/machine.h"
#include "hv/mem.h"

/* The low 12 bits of cmd are the op; the rest is a continuation argument
 * only cache_flush may carry. */
#define GNTTABOP_CMD_BITS 12
#define GNTTABOP_CMD_MASK ((1u << GNTTABOP_CMD_BITS) - 1)

/* What Xen writes in a frame list for a frame the guest has not mapped. */
#define INVALID_GFN UINT64_MAX

/* Write back one field of the op struct at gva. */
static int put_status(struct hv_vcpu *v, uint64_t gva, size_t off,
		      int16_t status)
{
	return hv_copy_to_guest(v, gva + off, &status, sizeof(status));
}

/* The domain an op names, as the caller may reach it: GNTST_okay with *d
 * set, or the status Xen gives (bad_domain, permission_denied). */
static int16_t op_target(struct hv_vcpu *v, domid_t dom, struct hv_domain **d)
{
	*d = hv_domain_lookup(v->domain, dom);
	if (!*d)
		return GNTST_bad_domain;
	if (!gt_may_target(v->domain, *d))
		return GNTST_permission_denied;
	return GNTST_okay;
}

static long setup_table(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_setup_table op;
	struct hv_domain *d;
	struct hv_gnttab *gt;

	if (count != 1)
		return -XEN_EINVAL;
	if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	op.status = op_target(v, op.dom, &d);
	if (op.status == GNTST_okay &&
	    (op.nr_frames > d->gnttab->max_frames ||
	     hv_gt_grow(d->gnttab, op.nr_frames)))
		op.status = GNTST_general_error;
	if (op.status == GNTST_okay) {
		gt = d->gnttab;
		for (uint32_t i = 0; i < op.nr_frames; i++) {
			uint64_t gfn = gt->frame_gfn[i] == GT_GFN_NONE ?
					       INVALID_GFN : gt->frame_gfn[i];

			if (hv_copy_to_guest(v,
					     op.frame_list.q + i * sizeof(gfn),
					     &gfn, sizeof(gfn)))
				op.status = GNTST_bad_virt_addr;
		}
	}
	if (put_status(v, gva, offsetof(struct gnttab_setup_table, status),
		       op.status))
		return -XEN_EFAULT;
	return 0;
}

static long query_size(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_query_size op;
	struct hv_domain *d;

	if (count != 1)
		return -XEN_EINVAL;
	if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	op.status = op_target(v, op.dom, &d);
	if (op.status == GNTST_okay) {
		op.nr_frames = d->gnttab->nr_frames;
		op.max_nr_frames = d->gnttab->max_frames;
	}
	if (hv_copy_to_guest(v, gva, &op, sizeof(op)))
		return -XEN_EFAULT;
	return 0;
}

static long copy(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_copy op;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		op.status = hv_gt_copy_one(v->domain, &op);
		if (put_status(v, gva, offsetof(struct gnttab_copy, status),
			       op.status))
			return -XEN_EFAULT;
	}
	return 0;
}

static long set_version(struct hv_vcpu *v, uint64_t gva)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -XEN_EINVAL;
	else if (op.version == 2)
		/* ARM's tables stop at version 1. */
		rc = -XEN_ENOSYS;
	op.version = 1;
	if (hv_copy_to_guest(v, gva, &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}

static long get_version(struct hv_vcpu *v, uint64_t gva)
{
	struct gnttab_get_version op;
	struct hv_domain *d;

	if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	d = hv_domain_lookup(v->domain, op.dom);
	if (!d)
		return -XEN_ESRCH;
	if (!gt_may_target(v->domain, d))
		return -XEN_EPERM;
	op.version = 1;
	if (hv_copy_to_guest(v,
			     gva + offsetof(struct gnttab_get_version, version),
			     &op.version, sizeof(op.version)))
		return -XEN_EFAULT;
	return 0;
}

static long get_status_frames(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_get_status_frames op;
	struct hv_domain *d;

	if (count != 1)
		return -XEN_EINVAL;
	if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	op.status = op_target(v, op.dom, &d);
	if (op.status == GNTST_okay && op.nr_frames)
		/* A v1 table has no status frames. */
		op.status = GNTST_general_error;
	if (put_status(v, gva, offsetof(struct gnttab_get_status_frames,
					 status), op.status))
		return -XEN_EFAULT;
	return 0;
}

static int16_t swap_one(struct hv_domain *d, grant_ref_t a, grant_ref_t b)
{
	struct hv_gnttab *gt = d->gnttab;
	struct grant_entry_v1 tmp;

	if (a >= gt_nr_entries(gt) || b >= gt_nr_entries(gt))
		return GNTST_bad_gntref;
	if (a == b)
		return GNTST_okay;
	if (gt->active[a].pin_r || gt->active[a].pin_w ||
	    gt->active[b].pin_r || gt->active[b].pin_w)
		return GNTST_eagain;
	tmp = *hv_gt_entry(gt, a);
	*hv_gt_entry(gt, a) = *hv_gt_entry(gt, b);
	*hv_gt_entry(gt, b) = tmp;
	return GNTST_okay;
}

static long swap_grant_ref(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_swap_grant_ref op;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		op.status = swap_one(v->domain, op.ref_a, op.ref_b);
		if (put_status(v, gva,
			       offsetof(struct gnttab_swap_grant_ref, status),
			       op.status))
			return -XEN_EFAULT;
	}
	return 0;
}

static long map_grant_ref(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_map_grant_ref op;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		hv_gt_guest_map(v->domain, &op);
		if (hv_copy_to_guest(v, gva, &op, sizeof(op)))
			return -XEN_EFAULT;
	}
	return 0;
}

static long unmap_grant_ref(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_unmap_grant_ref op;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		op.status = hv_gt_guest_unmap(v->domain, op.host_addr, 0,
					      op.handle);
		if (put_status(v, gva, offsetof(struct gnttab_unmap_grant_ref,
						 status), op.status))
			return -XEN_EFAULT;
	}
	return 0;
}

static long unmap_and_replace(struct hv_vcpu *v, uint64_t gva, uint32_t count)
{
	struct gnttab_unmap_and_replace op;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		op.status = hv_gt_guest_unmap(v->domain, op.host_addr,
					      op.new_addr, op.handle);
		if (put_status(v, gva, offsetof(struct gnttab_unmap_and_replace,
						 status), op.status))
			return -XEN_EFAULT;
	}
	return 0;
}

/* cur_ref is where a preempted flush resumed; the model never preempts,
 * so only a guest's own continuation bits get here. */
static long cache_flush(struct hv_vcpu *v, uint64_t gva, uint32_t count,
			uint32_t cur_ref)
{
	struct gnttab_cache_flush op;
	long rc;

	for (uint32_t i = 0; i < count; i++, gva += sizeof(op)) {
		if (hv_copy_from_guest(v, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		rc = hv_gt_cache_flush(v->domain, &op, cur_ref);
		if (rc < 0)
			return rc;
		cur_ref = 0;
	}
	return 0;
}

long hv_do_grant_table_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	uint32_t cmd = (uint32_t)arg[0];
	uint64_t uop = arg[1];
	uint32_t count = (uint32_t)arg[2];

	if ((int32_t)count < 0)
		return -XEN_EINVAL;
	if ((cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush &&
	    cmd & ~GNTTABOP_CMD_MASK)
		return -XEN_EINVAL;
	switch (cmd & GNTTABOP_CMD_MASK) {
	case GNTTABOP_setup_table:
		return setup_table(v, uop, count);
	case GNTTABOP_query_size:
		return query_size(v, uop, count);
	case GNTTABOP_copy:
		return copy(v, uop, count);
	case GNTTABOP_set_version:
		return set_version(v, uop);
	case GNTTABOP_get_version:
		return get_version(v, uop);
	case GNTTABOP_get_status_frames:
		return get_status_frames(v, uop, count);
	case GNTTABOP_swap_grant_ref:
		return swap_grant_ref(v, uop, count);
	case GNTTABOP_map_grant_ref:
		return map_grant_ref(v, uop, count);
	case GNTTABOP_unmap_grant_ref:
		return unmap_grant_ref(v, uop, count);
	case GNTTABOP_unmap_and_replace:
		return unmap_and_replace(v, uop, count);
	case GNTTABOP_cache_flush:
		return cache_flush(v, uop, count, cmd & ~GNTTABOP_CMD_MASK);
	case GNTTABOP_transfer:
		/* Built without grant transfer on ARM. */
		return -XEN_EOPNOTSUPP;
	default:
		/* Including GNTTABOP_dump_table, gone from Xen 4.17. */
		return -XEN_ENOSYS;
	}
}
