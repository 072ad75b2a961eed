/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_memory_op: the reservation queries, the
 * balloon (a page given back, populated again, nothing past the maximum),
 * requests Xen refuses as a whole (they answer the extent they started
 * from), remove_from_physmap of RAM, the physmap spaces ARM lacks or
 * keeps for dom0, add_to_physmap_batch's per-frame errors and vNUMA.
 * dom0 is mapped 1:1 on Xen: a page it gives back stays its own, so its
 * counts do not move and it can populate a gfn it owns again. A page this
 * check leaves without RAM is never handed back to the allocator. */
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "conf.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "kern/boot.h"
#include "kern/page.h"

#define START(n)      ((unsigned)(n) << 6)  /* a start extent in the cmd */
#define ABSENT_GFN    1ul                   /* below every RAM bank */
#define ORDER_TOO_BIG 19u                   /* above dom0's 18, domU's 9 */
#define NO_DOMAIN     7                     /* no such domain in any run */
/* What xl 4.17 gives a domU on ARM beyond its memory: libxl sets the
 * maximum 1 MiB (LIBXL_MAXMEM_CONSTANT) above it, and libxenguest
 * populates 4 magic pages (console, xenstore, memaccess, vuart). */
#define XL_MAXMEM_SLACK_PAGES 256
#define XL_MAGIC_PAGES        4

/* The domain's maximum, which Xen sets to the RAM it gave: the device
 * tree's banks may claim more than the guest was given (a user's own
 * tree), so the counts are held to what Xen says, and the transcripts
 * compare the number. */
static long ram_pages(void)
{
	struct xen_memory_domain md = { .domid = DOMID_SELF };

	return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &md);
}

/* The last gfn of ram pages laid out over the device tree's banks in
 * order, as Xen fills a domU's banks. */
static long last_ram_gfn(long ram)
{
	uint64_t left = (uint64_t)ram, last = 0;

	for (unsigned i = 0; i < boot_dt.nr_mem && left; i++) {
		uint64_t pages = boot_dt.mem[i].size >> PAGE_SHIFT;
		uint64_t take = pages < left ? pages : left;

		last = (boot_dt.mem[i].base >> PAGE_SHIFT) + take - 1;
		left -= take;
	}
	return (long)last;
}

/* What Xen's p2m has mapped highest (XENMEM_maximum_gpfn): the RAM, the
 * grant-table frames this guest placed and the toolstack's console and
 * xenstore pages, whichever lies highest. Xen 4.4's layout puts the grant
 * window and the toolstack's pages above RAM, 4.5's below it. */
static long highest_mapped_gfn(long ram)
{
	static const unsigned toolstack_pages[] = { HVM_PARAM_CONSOLE_PFN,
						    HVM_PARAM_STORE_PFN };
	uint64_t last = (uint64_t)last_ram_gfn(ram);

	for (unsigned i = 0; i < gnttab_nr_frames(); i++)
		if (gnttab_frame_gfn(i) > last)
			last = gnttab_frame_gfn(i);
	for (unsigned i = 0; i < 2; i++) {
		struct xen_hvm_param p = { .domid = DOMID_SELF,
					   .index = toolstack_pages[i] };

		if (HYPERVISOR_hvm_op(HVMOP_get_param, &p) == 0 &&
		    p.value > last)
			last = p.value;
	}
	return (long)last;
}

static long reservation(unsigned cmd, xen_pfn_t *list, unsigned long nr,
			unsigned order, unsigned flags, domid_t dom)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .mem_flags = flags,
		.domid = dom,
	};

	set_xen_guest_handle(r.extent_start, list);
	return HYPERVISOR_memory_op(cmd, &r);
}

/* One page's gfn, in a one-entry extent list. */
static long one_page(unsigned cmd, void *page)
{
	xen_pfn_t gfn = virt_to_pfn(page);

	return reservation(cmd, &gfn, 1, 0, 0, DOMID_SELF);
}

static long query(unsigned cmd, domid_t dom)
{
	struct xen_memory_domain md = { .domid = dom };

	return HYPERVISOR_memory_op(cmd, &md);
}

/* What the domain owns when it starts, out of its maximum RAM: all of it
 * when Xen built the domain, less xl's slack plus its magic pages when
 * xl did. */
static long boot_reservation(long ram)
{
	if (selftest_domain_kind() == SELFTEST_XL_DOMU)
		return ram - XL_MAXMEM_SLACK_PAGES + XL_MAGIC_PAGES;
	return ram;
}

static void check_queries(struct selftest_ctx *ctx)
{
	long ram = ram_pages();
	long max_page = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

	/* The host's last RAM frame is the machine's, not the interface's:
	 * it is held here only to holding this domain's RAM; the transcripts
	 * compare the number (xensim's host is sized as the interop runs'). */
	conf_expect(ctx, "maximum_ram_page", max_page, max_page);
	check_that(ctx, max_page > ram, "maximum_ram_page %ld cannot hold "
		   "this domain's %ld pages", max_page, ram);
	conf_expect(ctx, "maximum_ram_page(start 1)",
		    HYPERVISOR_memory_op(XENMEM_maximum_ram_page | START(1),
					 NULL), -XEN_EINVAL);
	conf_expect(ctx, "maximum_reservation", ram, ram > 0 ? ram : 1);
	conf_expect(ctx, "current_reservation",
		    query(XENMEM_current_reservation, DOMID_SELF),
		    boot_reservation(ram));
	conf_expect(ctx, "maximum_reservation(again)",
		    query(XENMEM_maximum_reservation, DOMID_SELF), ram);
	conf_expect_role(ctx, "maximum_gpfn",
			 query(XENMEM_maximum_gpfn, DOMID_SELF),
			 query(XENMEM_maximum_gpfn, DOMID_SELF),
			 highest_mapped_gfn(ram));
	conf_expect(ctx, "current_reservation(no domain)",
		    query(XENMEM_current_reservation, NO_DOMAIN), -XEN_ESRCH);
	conf_expect(ctx, "current_reservation(start 1)",
		    HYPERVISOR_memory_op(XENMEM_current_reservation | START(1),
					 NULL), -XEN_EINVAL);
}

static void check_balloon(struct selftest_ctx *ctx, uint8_t *a, uint8_t *b,
			  uint8_t *c)
{
	long ram = ram_pages();
	xen_pfn_t list[3] = { virt_to_pfn(b), ABSENT_GFN, virt_to_pfn(c) };

	/* Up to the maximum first (pages Xen gives without a gfn, as xl's
	 * domU may), so that the balloon below meets it as a dom0less one. */
	long headroom = ram - query(XENMEM_current_reservation, DOMID_SELF);

	if (headroom > 0)
		conf_expect(ctx, "increase_reservation(up to maximum)",
			    reservation(XENMEM_increase_reservation, NULL,
					(unsigned long)headroom, 0, 0,
					DOMID_SELF), headroom);
	conf_expect(ctx, "increase_reservation(at maximum)",
		    reservation(XENMEM_increase_reservation, NULL, 1, 0, 0,
				DOMID_SELF), 0);
	conf_expect(ctx, "decrease_reservation(1 page)",
		    one_page(XENMEM_decrease_reservation, a), 1);
	conf_expect_role(ctx, "current_reservation(page given back)",
			 query(XENMEM_current_reservation, DOMID_SELF), ram,
			 ram - 1);
	conf_expect(ctx, "decrease_reservation(empty gfn)",
		    one_page(XENMEM_decrease_reservation, a), 0);
	conf_expect(ctx, "populate_physmap(1 page)",
		    one_page(XENMEM_populate_physmap, a), 1);
	conf_expect(ctx, "current_reservation(page back)",
		    query(XENMEM_current_reservation, DOMID_SELF), ram);
	conf_expect(ctx, "populated page reads as zero", a[0] | a[4095], 0);
	conf_expect_role(ctx, "populate_physmap(past maximum)",
			 one_page(XENMEM_populate_physmap, a), 1, 0);
	conf_expect(ctx, "decrease_reservation(stops at an empty gfn)",
		    reservation(XENMEM_decrease_reservation, list, 3, 0, 0,
				DOMID_SELF), 1);
	conf_expect(ctx, "populate_physmap(page back)",
		    one_page(XENMEM_populate_physmap, b), 1);
}

static void check_refusals(struct selftest_ctx *ctx, uint8_t *a)
{
	xen_pfn_t gfn = virt_to_pfn(a);

	conf_expect(ctx, "decrease_reservation(order 19)",
		    reservation(XENMEM_decrease_reservation, &gfn, 1,
				ORDER_TOO_BIG, 0, DOMID_SELF), 0);
	conf_expect(ctx, "decrease_reservation(address bits 12)",
		    reservation(XENMEM_decrease_reservation, &gfn, 1, 0,
				XENMEMF_address_bits(12), DOMID_SELF), 0);
	conf_expect(ctx, "decrease_reservation(no domain)",
		    reservation(XENMEM_decrease_reservation, &gfn, 1, 0, 0,
				NO_DOMAIN), 0);
	conf_expect(ctx, "populate_physmap(populate on demand)",
		    reservation(XENMEM_populate_physmap, &gfn, 1, 0,
				XENMEMF_populate_on_demand, DOMID_SELF), 0);
	conf_expect(ctx, "decrease_reservation(start 3, nr 2)",
		    reservation(XENMEM_decrease_reservation | START(3), &gfn,
				2, 0, 0, DOMID_SELF), 3);
	conf_expect(ctx, "memory_op(63)", HYPERVISOR_memory_op(63, NULL),
		    -XEN_ENOSYS);
}

/* d leaves the physmap but stays counted; c is given back so that d can
 * be populated again, and c is left without RAM. */
static void check_remove(struct selftest_ctx *ctx, uint8_t *c, uint8_t *d)
{
	struct xen_remove_from_physmap x = { .domid = DOMID_SELF,
					     .gpfn = virt_to_pfn(d) };

	conf_expect(ctx, "remove_from_physmap(RAM page)",
		    HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x), 0);
	conf_expect(ctx, "current_reservation(page removed)",
		    query(XENMEM_current_reservation, DOMID_SELF), ram_pages());
	conf_expect(ctx, "remove_from_physmap(empty gfn)",
		    HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x),
		    -XEN_ENOENT);
	conf_expect(ctx, "decrease_reservation(another page)",
		    one_page(XENMEM_decrease_reservation, c), 1);
	conf_expect(ctx, "populate_physmap(removed page)",
		    one_page(XENMEM_populate_physmap, d), 1);
	x.domid = NO_DOMAIN;
	conf_expect(ctx, "remove_from_physmap(no domain)",
		    HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x),
		    -XEN_ESRCH);
}

static long add_to_physmap(unsigned cmd, unsigned space, xen_ulong_t idx,
			   xen_pfn_t gpfn)
{
	struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = space,
					.idx = idx, .gpfn = gpfn };

	return HYPERVISOR_memory_op(cmd, &x);
}

static void check_spaces(struct selftest_ctx *ctx, uint8_t *a)
{
	xen_pfn_t gfn = virt_to_pfn(a);

	/* dom0 passes the permission check and meets the invalid gfn. */
	conf_expect_role(ctx, "add_to_physmap(dev_mmio)",
			 add_to_physmap(XENMEM_add_to_physmap,
					XENMAPSPACE_dev_mmio, 0, ~(xen_pfn_t)0),
			 -XEN_EINVAL, -XEN_EACCES);
	conf_expect(ctx, "add_to_physmap(gmfn)",
		    add_to_physmap(XENMEM_add_to_physmap, XENMAPSPACE_gmfn, 0,
				   gfn), -XEN_ENOSYS);
	conf_expect(ctx, "add_to_physmap(gmfn_foreign)",
		    add_to_physmap(XENMEM_add_to_physmap,
				   XENMAPSPACE_gmfn_foreign, 0, gfn),
		    -XEN_ENOSYS);
	conf_expect(ctx, "add_to_physmap(shared_info idx 1)",
		    add_to_physmap(XENMEM_add_to_physmap,
				   XENMAPSPACE_shared_info, 1, gfn),
		    -XEN_EINVAL);
	conf_expect(ctx, "add_to_physmap(start 65536)",
		    add_to_physmap(XENMEM_add_to_physmap | START(65536),
				   XENMAPSPACE_shared_info, 0, gfn),
		    -XEN_EDOM);
}

static long batch(unsigned start, unsigned space, uint16_t size,
		  uint16_t extra, xen_ulong_t *idx, xen_pfn_t *gpfn, int *err)
{
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF, .space = space, .size = size,
		.u.res0 = extra,
	};

	set_xen_guest_handle(b.idxs, idx);
	set_xen_guest_handle(b.gpfns, gpfn);
	set_xen_guest_handle(b.errs, err);
	return HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch | START(start),
				    &b);
}

static void check_batch(struct selftest_ctx *ctx, uint8_t *a)
{
	xen_ulong_t idx[2] = { 1, 0 };
	xen_pfn_t gpfn[2] = { virt_to_pfn(a), virt_to_pfn(a) };
	int err[2] = { 1, 1 };

	conf_expect(ctx, "add_to_physmap_batch(size 0)",
		    batch(0, XENMAPSPACE_shared_info, 0, 0, idx, gpfn, err), 0);
	conf_expect(ctx, "add_to_physmap_batch(gmfn_range)",
		    batch(0, XENMAPSPACE_gmfn_range, 1, 0, idx, gpfn, err),
		    -XEN_EOPNOTSUPP);
	conf_expect_role(ctx, "add_to_physmap_batch(dev_mmio, res0 1)",
			 batch(0, XENMAPSPACE_dev_mmio, 1, 1, idx, gpfn, err),
			 -XEN_EOPNOTSUPP, -XEN_EACCES);
	conf_expect(ctx, "add_to_physmap_batch(start 2, size 1)",
		    batch(2, XENMAPSPACE_shared_info, 1, 0, idx, gpfn, err),
		    -XEN_EILSEQ);
	/* idx 1 is no shared_info; idx 0 is, but it is mapped already. */
	conf_expect(ctx, "add_to_physmap_batch(shared_info x2)",
		    batch(0, XENMAPSPACE_shared_info, 2, 0, idx, gpfn, err), 0);
	conf_expect(ctx, "add_to_physmap_batch errs[0]", err[0], -XEN_EINVAL);
	conf_expect(ctx, "add_to_physmap_batch errs[1]", err[1], -XEN_EBUSY);
}

static void check_vnuma(struct selftest_ctx *ctx)
{
	struct xen_vnuma_topology_info t = { .domid = DOMID_SELF };

	conf_expect(ctx, "get_vnumainfo",
		    HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t),
		    -XEN_EOPNOTSUPP);
	t.pad = 1;
	conf_expect(ctx, "get_vnumainfo(pad 1)",
		    HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t),
		    -XEN_EINVAL);
}

void check_conf_memory_op(struct selftest_ctx *ctx)
{
	/* a and b go out and come back; c ends without RAM, d comes back
	 * in its place. */
	uint8_t *pages = page_alloc(4);

	if (!check_that(ctx, pages != NULL, "4 pages to balloon"))
		return;
	check_queries(ctx);
	check_balloon(ctx, pages, pages + PAGE_SIZE, pages + 2 * PAGE_SIZE);
	check_refusals(ctx, pages);
	check_remove(ctx, pages + 2 * PAGE_SIZE, pages + 3 * PAGE_SIZE);
	check_spaces(ctx, pages);
	check_batch(ctx, pages);
	check_vnuma(ctx);
	page_free(pages, 2);
}
