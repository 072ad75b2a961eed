/* SPDX-License-Identifier: BSD-2-Clause */
/* GNTTABOP_copy and the backends' copies to and from a grant: each side is
 * a grant (pinned for the copy: read-only for the source, writable for the
 * destination) or, only for DOMID_SELF, one of the caller's own frames.
 * Offsets and lengths come from the caller and are checked against the
 * page before any byte moves. */
#include <string.h>

#include <xen/xen.h>

#include "gnttab_internal.h"
#include "hv/machine.h"
#include "hv/mem.h"

/* One side of a copy, once claimed. */
struct copy_buf {
	struct hv_domain *d;
	uint8_t *page;
	bool have_grant;
	grant_ref_t ref;
	bool readonly;
};

/* Xen's gnttab_copy_lock_domain: only DOMID_SELF may name a frame. */
static int16_t lock_domain(struct hv_domain *ld, uint16_t domid, bool is_gref,
			   struct copy_buf *buf)
{
	if (domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied;
	buf->d = hv_domain_lookup(ld, domid);
	return buf->d ? GNTST_okay : GNTST_bad_domain;
}

static int16_t claim(struct hv_domain *ld, const struct gnttab_copy_ptr *ptr,
		     bool is_gref, struct copy_buf *buf)
{
	int16_t rc;

	if (is_gref) {
		rc = hv_gt_acquire(buf->d, ptr->u.ref, ld->domid, buf->readonly,
				   &buf->page);
		if (rc != GNTST_okay)
			return rc;
		buf->have_grant = true;
		buf->ref = ptr->u.ref;
		return GNTST_okay;
	}
	buf->page = hv_gpfn_ptr(&buf->d->mem, ptr->u.gmfn);
	return buf->page ? GNTST_okay : GNTST_bad_page;
}

static void release(struct copy_buf *buf)
{
	if (buf->have_grant)
		hv_gt_release(buf->d, buf->ref, buf->readonly);
	buf->have_grant = false;
}

int16_t hv_gt_copy_one(struct hv_domain *ld, const struct gnttab_copy *op)
{
	bool src_gref = op->flags & GNTCOPY_source_gref;
	bool dst_gref = op->flags & GNTCOPY_dest_gref;
	struct copy_buf src = { .readonly = true };
	struct copy_buf dst = { .readonly = false };
	int16_t rc;

	rc = lock_domain(ld, op->source.domid, src_gref, &src);
	if (rc == GNTST_okay)
		rc = lock_domain(ld, op->dest.domid, dst_gref, &dst);
	if (rc == GNTST_okay)
		rc = claim(ld, &op->source, src_gref, &src);
	if (rc == GNTST_okay)
		rc = claim(ld, &op->dest, dst_gref, &dst);
	if (rc == GNTST_okay &&
	    ((unsigned)op->source.offset + op->len > HV_PAGE_SIZE ||
	     (unsigned)op->dest.offset + op->len > HV_PAGE_SIZE))
		rc = GNTST_bad_copy_arg;
	if (rc == GNTST_okay)
		memmove(dst.page + op->dest.offset,
			src.page + op->source.offset, op->len);
	release(&dst);
	release(&src);
	return rc;
}

int16_t hv_gnttab_copy_op(struct hv_domain *ld, const struct gnttab_copy *op)
{
	return hv_gt_copy_one(ld, op);
}

/* A copy where the backend's side is a plain buffer of its own. */
static int16_t copy_with_buffer(struct hv_domain *ld, uint16_t rdom,
				grant_ref_t ref, uint16_t offset, void *buf,
				uint16_t len, bool to_grant)
{
	struct copy_buf g = { .readonly = !to_grant };
	int16_t rc;

	g.d = hv_domain_lookup(ld, rdom);
	if (!g.d)
		return GNTST_bad_domain;
	rc = hv_gt_acquire(g.d, ref, ld->domid, g.readonly, &g.page);
	if (rc != GNTST_okay)
		return rc;
	g.have_grant = true;
	g.ref = ref;
	if ((unsigned)offset + len > HV_PAGE_SIZE)
		rc = GNTST_bad_copy_arg;
	else if (to_grant)
		memcpy(g.page + offset, buf, len);
	else
		memcpy(buf, g.page + offset, len);
	release(&g);
	return rc;
}

int16_t hv_gnttab_copy_from_ref(struct hv_domain *ld, uint16_t rdom,
				grant_ref_t ref, uint16_t offset, void *dst,
				uint16_t len)
{
	return copy_with_buffer(ld, rdom, ref, offset, dst, len, false);
}

int16_t hv_gnttab_copy_to_ref(struct hv_domain *ld, uint16_t rdom,
			      grant_ref_t ref, uint16_t offset,
			      const void *src, uint16_t len)
{
	return copy_with_buffer(ld, rdom, ref, offset, (void *)src, len, true);
}
