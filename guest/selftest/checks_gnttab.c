/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of the grant table: its size and setup as Xen 4.17 on ARM reports
 * them, the version calls, and a copy through a grant this domain gives
 * itself (GNTTABOP_copy with every status a guest can provoke alone). */
#include <xen/errno.h>
#include <xen/grant_table.h>

#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "kern/page.h"
#include "kern/string.h"
#include "selftest_checks.h"

static long gnttab_op(unsigned cmd, void *arg, unsigned count)
{
	return HYPERVISOR_grant_table_op(cmd, arg, count);
}

void check_gnttab_setup(struct selftest_ctx *ctx)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_query_size bad = { .dom = DOMID_INVALID };
	struct gnttab_set_version v2 = { .version = 2 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	xen_pfn_t frames[1] = { 0 };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };

	if (gnttab_nr_frames() == 0) {
		selftest_skip(ctx, "no grant table window");
		return;
	}
	check(ctx, gnttab_op(GNTTABOP_query_size, &q, 1) == 0);
	check_that(ctx, q.status == GNTST_okay && q.nr_frames >= 1 &&
			q.max_nr_frames >= q.nr_frames,
		   "query_size: status %d, %u of %u frames", q.status,
		   q.nr_frames, q.max_nr_frames);
	check(ctx, q.nr_frames == gnttab_nr_frames());
	check(ctx, gnttab_op(GNTTABOP_query_size, &q, 2) == -XEN_EINVAL);
	check(ctx, gnttab_op(GNTTABOP_query_size, &bad, 1) == 0 &&
		   bad.status == GNTST_bad_domain);
	set_xen_guest_handle(st.frame_list, frames);
	check(ctx, gnttab_op(GNTTABOP_setup_table, &st, 1) == 0);
	/* On ARM the list names where the guest mapped each frame. */
	check_that(ctx, st.status == GNTST_okay &&
			frames[0] == gnttab_frame_gfn(0),
		   "setup_table: status %d, frame %#llx, mapped at %#llx",
		   st.status, (unsigned long long)frames[0],
		   (unsigned long long)gnttab_frame_gfn(0));
	st.nr_frames = 1000;
	check(ctx, gnttab_op(GNTTABOP_setup_table, &st, 1) == 0 &&
		   st.status == GNTST_general_error);
	check(ctx, gnttab_op(GNTTABOP_set_version, &v2, 1) == -XEN_ENOSYS);
	check(ctx, v2.version == 1);
	check(ctx, gnttab_op(GNTTABOP_get_version, &gv, 1) == 0 &&
		   gv.version == 1);
	check(ctx, gnttab_op(GNTTABOP_dump_table, &gv, 1) == -XEN_ENOSYS);
	check(ctx, gnttab_op(GNTTABOP_query_size | (1u << 12), &q, 1) ==
		   -XEN_EINVAL);
}

/* One GNTTABOP_copy; its status, or the hypercall's error. */
static int copy_one(struct gnttab_copy *c)
{
	long rc = gnttab_op(GNTTABOP_copy, c, 1);

	return rc ? (int)rc : c->status;
}

void check_gnttab_self_copy(struct selftest_ctx *ctx)
{
	uint8_t *src = page_alloc(1), *dst = page_alloc(1);
	struct gnttab_copy c = { .flags = GNTCOPY_source_gref };
	grant_ref_t ro, rw;
	domid_t self;

	if (!check(ctx, src && dst) || gnttab_nr_frames() == 0 ||
	    !check(ctx, evtchn_own_domid(&self) == 0))
		goto out;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	if (!check(ctx, gnttab_grant_access(self, virt_to_pfn(src), true,
					    &ro) == 0))
		goto out;
	if (!check(ctx, gnttab_grant_access(self, virt_to_pfn(dst), false,
					    &rw) == 0)) {
		gnttab_end_access(ro);
		goto out;
	}
	c.source.u.ref = ro;
	c.source.domid = DOMID_SELF;
	c.source.offset = 100;
	c.dest.u.gmfn = virt_to_pfn(dst);
	c.dest.domid = DOMID_SELF;
	c.dest.offset = 200;
	c.len = 1000;
	check(ctx, copy_one(&c) == GNTST_okay);
	check(ctx, memcmp(dst + 200, src + 100, 1000) == 0);
	/* Xen drops the in-use flags once the copy is done. */
	check(ctx, !gnttab_in_use(ro) && gnttab_entry(ro)->flags ==
		   (GTF_permit_access | GTF_readonly));
	c.len = PAGE_SIZE;
	check(ctx, copy_one(&c) == GNTST_bad_copy_arg);
	c.len = 8;
	c.source.u.ref = 0xfffff;
	check(ctx, copy_one(&c) == GNTST_bad_gntref);
	/* Writing through a read-only grant. */
	c.flags = GNTCOPY_dest_gref;
	c.source.u.gmfn = virt_to_pfn(src);
	c.dest.u.ref = ro;
	check(ctx, copy_one(&c) == GNTST_general_error);
	c.dest.u.ref = rw;
	check(ctx, copy_one(&c) == GNTST_okay);
	/* Only DOMID_SELF may name a frame directly. */
	c.source.domid = self;
	check(ctx, copy_one(&c) == GNTST_permission_denied);
	c.source.domid = DOMID_SELF;
	c.dest.domid = DOMID_INVALID;
	check(ctx, copy_one(&c) == GNTST_bad_domain);
	check(ctx, gnttab_end_access(ro) == 0 && gnttab_end_access(rw) == 0);
	check(ctx, gnttab_end_access(rw) == -XEN_EINVAL);
out:
	if (src)
		page_free(src, 1);
	if (dst)
		page_free(dst, 1);
}

void check_gnttab_batch(struct selftest_ctx *ctx)
{
	unsigned before = gnttab_free_count();
	struct gnttab_batch b;
	grant_ref_t ref;

	if (gnttab_nr_frames() == 0) {
		selftest_skip(ctx, "no grant table window");
		return;
	}
	if (!check(ctx, gnttab_batch_claim(4, &b) == 0))
		return;
	check(ctx, b.count == 4 && gnttab_free_count() == before - 4);
	check(ctx, gnttab_batch_grant(&b, 0, 0x40000, true, &ref) == 0);
	check(ctx, gnttab_entry(ref)->flags == (GTF_permit_access |
						GTF_readonly));
	gnttab_batch_release(&b);
	check(ctx, gnttab_free_count() == before - 1);
	check(ctx, gnttab_end_access(ref) == 0);
	check(ctx, gnttab_free_count() == before);
	check(ctx, gnttab_grant_access(0, (uint64_t)1 << 32, false, &ref) ==
		   -XEN_EINVAL);
}
