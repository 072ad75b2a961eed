/* SPDX-License-Identifier: BSD-2-Clause */
/* The balloon and the reservation queries of XENMEM_*: what a domain owns
 * against its maximum, pages given back and populated again, the answers
 * Xen 4.17/ARM gives to requests it refuses as a whole (the start extent,
 * never an errno), and add_to_physmap_batch's per-frame errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "fixture.h"
#include "hv/guest_va.h"
#include "hv/mem.h"

#define ARG_OFF  0x1000   /* the op struct */
#define LIST_OFF 0x2000   /* extent lists, idxs, gpfns, errs */
#define PAGE_OFF 0x10000  /* the pages ballooned */
#define RAM_PAGES (FX_RAM_MIB * 256)

static uint64_t page_gfn(unsigned n)
{
	return (fx_gpa(PAGE_OFF) >> 12) + n;
}

static long memop(struct fixture *fx, uint64_t cmd, const void *arg,
		  size_t len)
{
	return fx_hypercall(fx, __HYPERVISOR_memory_op, cmd,
			    fx_put(fx, ARG_OFF, arg, len), 0);
}

/* A reservation op on nr extents of order, listed from list[]. */
static long reserve(struct fixture *fx, unsigned op, const uint64_t *list,
		    uint64_t nr, unsigned order, uint32_t flags, uint16_t dom)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .mem_flags = flags,
		.domid = dom,
	};

	r.extent_start.q = list ? fx_put(fx, LIST_OFF, list, nr * 8) : 0;
	return memop(fx, op, &r, sizeof(r));
}

static long query(struct fixture *fx, unsigned op, uint16_t dom)
{
	struct xen_memory_domain md = { .domid = dom };

	return memop(fx, op, &md, sizeof(md));
}

static long current_pages(struct fixture *fx)
{
	return query(fx, XENMEM_current_reservation, DOMID_SELF);
}

static void test_reservation_starts_at_the_ram_given(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(current_pages(fx), RAM_PAGES);
	assert_int_equal(query(fx, XENMEM_maximum_reservation, DOMID_SELF),
			 RAM_PAGES);
	assert_int_equal(query(fx, XENMEM_maximum_gpfn, DOMID_SELF),
			 (GUEST_RAM0_BASE >> 12) + RAM_PAGES - 1);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_maximum_ram_page, 0, 0), 524288);
	assert_int_equal(query(fx, XENMEM_current_reservation, 7), -XEN_ESRCH);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_current_reservation, 0x10, 0),
			 -XEN_EFAULT);
}

static void test_decrease_empties_the_gfn_and_populate_refills_it(void **state)
{
	struct fixture *fx = *state;
	uint64_t gfn = page_gfn(0);
	uint8_t *page = fx_ptr(fx, gfn << 12);

	memset(page, 0xa5, 4096);
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 0, DOMID_SELF), 1);
	assert_int_equal(current_pages(fx), RAM_PAGES - 1);
	assert_false(hv_gpfn_valid(&fx->d->mem, gfn));
	/* The model reads nothing from an empty gfn. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_current_reservation, gfn << 12, 0),
			 -XEN_EFAULT);
	/* Giving it back twice: the second stops at the empty gfn. */
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 0, DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_populate_physmap, &gfn, 1, 0, 0,
				 DOMID_SELF), 1);
	assert_true(hv_gpfn_valid(&fx->d->mem, gfn));
	assert_int_equal(page[0], 0);
	assert_int_equal(page[4095], 0);
	assert_int_equal(current_pages(fx), RAM_PAGES);
}

static void test_nothing_is_allocated_past_max_pages(void **state)
{
	struct fixture *fx = *state;
	uint64_t gfn = page_gfn(1);

	assert_int_equal(reserve(fx, XENMEM_increase_reservation, NULL, 1, 0,
				 0, DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_populate_physmap, &gfn, 1, 0, 0,
				 DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 0, DOMID_SELF), 1);
	/* The page is owned again, but mapped nowhere: the gfn stays empty
	 * and populating it is over the maximum. */
	assert_int_equal(reserve(fx, XENMEM_increase_reservation, NULL, 2, 0,
				 0, DOMID_SELF), 1);
	assert_int_equal(current_pages(fx), RAM_PAGES);
	assert_false(hv_gpfn_valid(&fx->d->mem, gfn));
	assert_int_equal(reserve(fx, XENMEM_populate_physmap, &gfn, 1, 0, 0,
				 DOMID_SELF), 0);
}

static void test_decrease_stops_at_the_first_extent_it_cannot_free(void **state)
{
	struct fixture *fx = *state;
	uint64_t list[3] = { page_gfn(2), 0x10, page_gfn(3) };
	uint64_t pair = page_gfn(4);

	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, list, 3, 0,
				 0, DOMID_SELF), 1);
	assert_true(hv_gpfn_valid(&fx->d->mem, page_gfn(3)));
	/* An extent of order 1 is two pages. */
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &pair, 1, 1,
				 0, DOMID_SELF), 1);
	assert_false(hv_gpfn_valid(&fx->d->mem, page_gfn(5)));
	assert_int_equal(current_pages(fx), RAM_PAGES - 3);
	/* A list the model cannot read ends the op where it is. */
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, NULL, 1, 0,
				 0, DOMID_SELF), 0);
}

static void test_refused_requests_answer_their_start_extent(void **state)
{
	struct fixture *fx = *state;
	uint64_t gfn = page_gfn(6);
	struct xen_memory_reservation r = { .nr_extents = 4 };

	/* An order over a domU's 9, an address limit of 12 bits, an exact
	 * node, populate-on-demand, an unknown or foreign domain. */
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 10,
				 0, DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 XENMEMF_address_bits(12), DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 XENMEMF_exact_node(0), DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_populate_physmap, &gfn, 1, 0,
				 XENMEMF_populate_on_demand, DOMID_SELF), 0);
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 0, 7), 0);
	assert_int_equal(current_pages(fx), RAM_PAGES);
	/* A bad struct pointer, and a start at or past nr_extents. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_decrease_reservation | 3u << 6,
				      0x10, 0), 3);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_increase_reservation | 5u << 6,
				      fx_put(fx, ARG_OFF, &r, sizeof(r)), 0),
			 5);
	/* A node hint without "exact" is only a hint. */
	assert_int_equal(reserve(fx, XENMEM_decrease_reservation, &gfn, 1, 0,
				 XENMEMF_node(0), DOMID_SELF), 1);
}

static void test_remove_from_physmap_keeps_the_ram_counted(void **state)
{
	struct fixture *fx = *state;
	struct xen_remove_from_physmap x = { .domid = DOMID_SELF,
					     .gpfn = page_gfn(7) };
	uint64_t gfn = page_gfn(7);

	assert_int_equal(memop(fx, XENMEM_remove_from_physmap, &x, sizeof(x)),
			 0);
	assert_false(hv_gpfn_valid(&fx->d->mem, page_gfn(7)));
	assert_int_equal(current_pages(fx), RAM_PAGES);
	assert_int_equal(memop(fx, XENMEM_remove_from_physmap, &x, sizeof(x)),
			 -XEN_ENOENT);
	assert_int_equal(reserve(fx, XENMEM_populate_physmap, &gfn, 1, 0, 0,
				 DOMID_SELF), 0);
}

static long batch(struct fixture *fx, uint64_t start, uint16_t space,
		  uint16_t size, uint16_t extra, const uint64_t *idxs,
		  const uint64_t *gpfns, int32_t *errs)
{
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF, .space = space, .size = size,
		.u.res0 = extra,
	};
	long rc;

	b.idxs.q = fx_put(fx, LIST_OFF, idxs, size * 8ull);
	b.gpfns.q = fx_put(fx, LIST_OFF + 0x400, gpfns, size * 8ull);
	b.errs.q = fx_gpa(LIST_OFF + 0x800);
	memset(fx_ptr(fx, b.errs.q), 0x7f, 64);
	rc = fx_hypercall(fx, __HYPERVISOR_memory_op,
			  XENMEM_add_to_physmap_batch | start << 6,
			  fx_put(fx, ARG_OFF, &b, sizeof(b)), 0);
	memcpy(errs, fx_ptr(fx, b.errs.q), size * 4u);
	return rc;
}

static void test_add_to_physmap_batch_reports_each_frame(void **state)
{
	struct fixture *fx = *state;
	uint64_t idxs[3] = { 0, 0, 5 };
	uint64_t gpfns[3] = { page_gfn(8), page_gfn(9), page_gfn(10) };
	int32_t errs[3];

	assert_int_equal(batch(fx, 0, XENMAPSPACE_shared_info, 3, 0, idxs,
			       gpfns, errs), 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], -XEN_EBUSY);
	assert_int_equal(errs[2], -XEN_EINVAL);
	assert_int_equal(fx->d->shared_info_gpfn, page_gfn(8));
	assert_int_equal(batch(fx, 0, XENMAPSPACE_gmfn_range, 1, 0, idxs,
			       gpfns, errs), -XEN_EOPNOTSUPP);
	assert_int_equal(batch(fx, 0, XENMAPSPACE_dev_mmio, 1, 0, idxs,
			       gpfns, errs), -XEN_EACCES);
	assert_int_equal(batch(fx, 0, XENMAPSPACE_shared_info, 0, 0, idxs,
			       gpfns, errs), 0);
	assert_int_equal(batch(fx, 2, XENMAPSPACE_shared_info, 1, 0, idxs,
			       gpfns, errs), -XEN_EILSEQ);
	assert_int_equal(batch(fx, 1 << 16, XENMAPSPACE_shared_info, 1, 0,
			       idxs, gpfns, errs), -XEN_EDOM);
	/* A foreign page of oneself, or of a domain a domU may not map. */
	idxs[0] = page_gfn(0);
	assert_int_equal(batch(fx, 0, XENMAPSPACE_gmfn_foreign, 1, DOMID_SELF,
			       idxs, gpfns, errs), 0);
	assert_int_equal(errs[0], -XEN_EINVAL);
	assert_int_equal(batch(fx, 0, XENMAPSPACE_gmfn_foreign, 1, 9, idxs,
			       gpfns, errs), 0);
	assert_int_equal(errs[0], -XEN_ESRCH);
}

static void test_dev_mmio_and_vnuma_as_a_domu_sees_them(void **state)
{
	struct fixture *fx = *state;
	struct xen_add_to_physmap x = { .domid = DOMID_SELF,
					.space = XENMAPSPACE_dev_mmio,
					.idx = 0x9000, .gpfn = page_gfn(11) };
	struct xen_vnuma_topology_info t = { .domid = DOMID_SELF };

	assert_int_equal(memop(fx, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EACCES);
	assert_int_equal(memop(fx, XENMEM_get_vnumainfo, &t, sizeof(t)),
			 -XEN_EOPNOTSUPP);
	t.pad = 1;
	assert_int_equal(memop(fx, XENMEM_get_vnumainfo, &t, sizeof(t)),
			 -XEN_EINVAL);
	t.pad = 0;
	t.domid = 7;
	assert_int_equal(memop(fx, XENMEM_get_vnumainfo, &t, sizeof(t)),
			 -XEN_ESRCH);
}

static void test_dom0_maps_a_foreign_page_until_removed(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain_config cfg = { .name = "dom0", .domid = 0,
					.ram_bytes = 16u << 20, .nr_vcpus = 1,
					.privileged = true };
	struct hv_domain *d0;
	uint64_t idx = page_gfn(12);
	uint64_t gpfn = (GUEST_RAM0_BASE >> 12) + 100;
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign,
		.size = 1, .u.foreign_domid = 1,
	};
	struct xen_remove_from_physmap x = { .domid = DOMID_SELF,
					     .gpfn = gpfn };
	uint64_t arg = GUEST_RAM0_BASE + ARG_OFF;
	uint8_t *seen;
	int32_t err = 1;

	assert_int_equal(hv_domain_create(fx->m, &cfg, &d0), 0);
	memset(fx_ptr(fx, idx << 12), 0x42, 4096);
	b.idxs.q = GUEST_RAM0_BASE + LIST_OFF;
	b.gpfns.q = GUEST_RAM0_BASE + LIST_OFF + 8;
	b.errs.q = GUEST_RAM0_BASE + LIST_OFF + 16;
	assert_int_equal(hv_copy_to_guest(&d0->vcpu[0], b.idxs.q, &idx, 8), 0);
	assert_int_equal(hv_copy_to_guest(&d0->vcpu[0], b.gpfns.q, &gpfn, 8), 0);
	assert_int_equal(hv_copy_to_guest(&d0->vcpu[0], arg, &b, sizeof(b)), 0);
	assert_int_equal(hv_hypercall(&d0->vcpu[0], __HYPERVISOR_memory_op,
				      (const uint64_t[5]){
					XENMEM_add_to_physmap_batch, arg }),
			 0);
	assert_int_equal(hv_copy_from_guest(&d0->vcpu[0], &err, b.errs.q, 4), 0);
	assert_int_equal(err, 0);
	seen = hv_gpfn_ptr(&d0->mem, gpfn);
	assert_int_equal(seen[5], 0x42);
	assert_int_equal(hv_copy_to_guest(&d0->vcpu[0], arg, &x, sizeof(x)), 0);
	assert_int_equal(hv_hypercall(&d0->vcpu[0], __HYPERVISOR_memory_op,
				      (const uint64_t[5]){
					XENMEM_remove_from_physmap, arg }),
			 0);
	assert_false(hv_gpfn_valid(&d0->mem, gpfn));
	assert_int_equal(((uint8_t *)fx_ptr(fx, idx << 12))[5], 0x42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_reservation_starts_at_the_ram_given),
		FX_TEST(test_decrease_empties_the_gfn_and_populate_refills_it),
		FX_TEST(test_nothing_is_allocated_past_max_pages),
		FX_TEST(test_decrease_stops_at_the_first_extent_it_cannot_free),
		FX_TEST(test_refused_requests_answer_their_start_extent),
		FX_TEST(test_remove_from_physmap_keeps_the_ram_counted),
		FX_TEST(test_add_to_physmap_batch_reports_each_frame),
		FX_TEST(test_dev_mmio_and_vnuma_as_a_domu_sees_them),
		FX_TEST(test_dom0_maps_a_foreign_page_until_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
