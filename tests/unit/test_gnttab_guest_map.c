/* SPDX-License-Identifier: BSD-2-Clause */
/* Grants a guest maps into its own physmap with GNTTABOP_map_grant_ref:
 * the gfn shows the granter's page itself, unmap empties it, and each
 * refusal carries Xen 4.17/ARM's GNTST_* (ARM's flag limits, SILO between
 * domUs, the handle and address checks of unmap), plus cache_flush's
 * argument checks and transfer's -EOPNOTSUPP. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "hv/gnttab.h"
#include "test_gnttab_util.h"

#define SELF_REF  12   /* d1's page 20, writable, to d1 itself */
#define DOM0_REF  13   /* d1's page 21, writable, to dom0 */
#define HOST_PAGE 30   /* where d1 maps, once given back */

static struct gnttab_map_grant_ref map_op(uint64_t gfn, uint32_t flags,
					  grant_ref_t ref, uint16_t dom)
{
	return (struct gnttab_map_grant_ref){
		.host_addr = gfn << 12, .flags = flags, .ref = ref, .dom = dom,
	};
}

static void setup(struct fixture *fx)
{
	assert_int_equal(ut_map_frame(fx->d, 0), 0);
	ut_grant(fx->d, SELF_REF, 1, ut_ram_gfn(fx->d, 20), false);
	ut_grant(fx->d, DOM0_REF, 0, ut_ram_gfn(fx->d, 21), false);
}

static int16_t unmap(struct hv_domain *d, uint64_t gfn, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref u = { .host_addr = gfn << 12,
					    .handle = h };

	assert_int_equal(GT(d, GNTTABOP_unmap_grant_ref, u, 1), 0);
	return u.status;
}

static void test_own_grant_mapped_shows_the_page_until_unmapped(void **state)
{
	struct fixture *fx = *state;
	uint64_t host = ut_ram_gfn(fx->d, HOST_PAGE);
	struct gnttab_map_grant_ref m = map_op(host, GNTMAP_host_map, SELF_REF,
					       1);

	setup(fx);
	ut_ram_page(fx->d, 20)[7] = 0x5a;
	assert_int_equal(GT(fx->d, GNTTABOP_map_grant_ref, m, 1), 0);
	assert_int_equal(m.status, GNTST_okay);
	assert_int_equal(ut_ram_page(fx->d, HOST_PAGE)[7], 0x5a);
	ut_ram_page(fx->d, HOST_PAGE)[8] = 0x3c;
	assert_int_equal(ut_ram_page(fx->d, 20)[8], 0x3c);
	assert_int_equal(ut_entry(fx->d, SELF_REF)->flags,
			 GTF_permit_access | GTF_reading | GTF_writing);
	/* Unmapping at an empty gfn other than the mapping's is refused
	 * only if a page is there. */
	assert_int_equal(unmap(fx->d, ut_ram_gfn(fx->d, 31), m.handle),
			 GNTST_general_error);
	assert_int_equal(unmap(fx->d, host, m.handle), GNTST_okay);
	assert_false(hv_gpfn_valid(&fx->d->mem, host));
	assert_int_equal(ut_entry(fx->d, SELF_REF)->flags, GTF_permit_access);
	assert_int_equal(ut_ram_page(fx->d, 20)[8], 0x3c);
	assert_int_equal(unmap(fx->d, host, m.handle), GNTST_bad_handle);
}

static void test_map_refusals_carry_xens_statuses(void **state)
{
	struct fixture *fx = *state;
	uint64_t host = ut_ram_gfn(fx->d, HOST_PAGE);
	struct { uint32_t flags; grant_ref_t ref; uint16_t dom; int16_t want; }
	cases[] = {
		{ 0, SELF_REF, 1, GNTST_bad_gntref },
		{ GNTMAP_host_map | GNTMAP_device_map, SELF_REF, 1,
		  GNTST_general_error },
		{ GNTMAP_host_map | GNTMAP_contains_pte, SELF_REF, 1,
		  GNTST_general_error },
		{ GNTMAP_host_map, SELF_REF, DOMID_SELF, GNTST_bad_domain },
		{ GNTMAP_host_map, SELF_REF, 5, GNTST_bad_domain },
		{ GNTMAP_host_map, 100000, 1, GNTST_bad_gntref },
		{ GNTMAP_host_map, DOM0_REF, 1, GNTST_general_error },
		{ GNTMAP_host_map, 3, 1, GNTST_general_error },
	};

	setup(fx);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gnttab_map_grant_ref m = map_op(host, cases[i].flags,
						       cases[i].ref,
						       cases[i].dom);

		assert_int_equal(GT(fx->d, GNTTABOP_map_grant_ref, m, 1), 0);
		assert_int_equal(m.status, cases[i].want);
	}
	assert_int_equal(hv_gnttab_nr_mappings(fx->d), 0);
	assert_true(hv_gpfn_valid(&fx->d->mem, host));
}

static void test_domus_map_each_others_grants_only_through_dom0(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct gnttab_map_grant_ref m = map_op(ut_ram_gfn(d2, 5),
					       GNTMAP_host_map, 14, 1);

	setup(fx);
	ut_grant(fx->d, 14, 2, ut_ram_gfn(fx->d, 22), false);
	assert_int_equal(GT(d2, GNTTABOP_map_grant_ref, m, 1), 0);
	assert_int_equal(m.status, GNTST_permission_denied);
}

static void test_unmap_checks_handle_and_replacement(void **state)
{
	struct fixture *fx = *state;
	uint64_t host = ut_ram_gfn(fx->d, HOST_PAGE);
	struct gnttab_map_grant_ref m = map_op(host, GNTMAP_host_map |
					       GNTMAP_readonly, SELF_REF, 1);
	struct gnttab_unmap_and_replace r = { .host_addr = host << 12,
					      .new_addr = 0x1000 };

	setup(fx);
	assert_int_equal(unmap(fx->d, host, 0), GNTST_bad_handle);
	assert_int_equal(unmap(fx->d, host, 0xffff), GNTST_bad_handle);
	assert_int_equal(GT(fx->d, GNTTABOP_map_grant_ref, m, 1), 0);
	assert_int_equal(m.status, GNTST_okay);
	/* No address: nothing to do, the mapping stays. */
	assert_int_equal(unmap(fx->d, 0, m.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_nr_mappings(fx->d), 1);
	r.handle = m.handle;
	assert_int_equal(GT(fx->d, GNTTABOP_unmap_and_replace, r, 1), 0);
	assert_int_equal(r.status, GNTST_general_error);
	r.new_addr = 0;
	assert_int_equal(GT(fx->d, GNTTABOP_unmap_and_replace, r, 1), 0);
	assert_int_equal(r.status, GNTST_okay);
	assert_int_equal(hv_gnttab_nr_mappings(fx->d), 0);
}

static void test_cache_flush_finds_only_pages_it_may_touch(void **state)
{
	struct fixture *fx = *state;
	uint64_t host = ut_ram_gfn(fx->d, HOST_PAGE);
	struct gnttab_map_grant_ref m = map_op(host, GNTMAP_host_map, SELF_REF,
					       1);
	struct gnttab_cache_flush f = { .length = 64,
					.op = GNTTAB_CACHE_CLEAN };

	setup(fx);
	assert_int_equal(GT(fx->d, GNTTABOP_map_grant_ref, m, 1), 0);
	f.a.dev_bus_addr = m.dev_bus_addr;
	assert_int_equal(GT(fx->d, GNTTABOP_cache_flush, f, 1), 0);
	f.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF;
	assert_int_equal(GT(fx->d, GNTTABOP_cache_flush, f, 1), -XEN_EINVAL);
	f.op = GNTTAB_CACHE_INVAL;
	f.offset = 4090;
	assert_int_equal(GT(fx->d, GNTTABOP_cache_flush, f, 1), -XEN_EINVAL);
	f.offset = 0;
	f.length = 0;
	assert_int_equal(GT(fx->d, GNTTABOP_cache_flush, f, 1), 0);
	f.length = 16;
	f.a.dev_bus_addr = 0;
	assert_int_equal(GT(fx->d, GNTTABOP_cache_flush, f, 1), -XEN_EINVAL);
}

static void test_dom0_maps_a_domus_grant_as_a_driver_domain(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct gnttab_map_grant_ref m = map_op(ut_ram_gfn(d0, 40),
					       GNTMAP_host_map, DOM0_REF, 1);
	struct gnttab_cache_flush f = { .length = 8, .op = GNTTAB_CACHE_CLEAN };

	setup(fx);
	ut_ram_page(fx->d, 21)[0] = 0x77;
	assert_int_equal(GT(d0, GNTTABOP_map_grant_ref, m, 1), 0);
	assert_int_equal(m.status, GNTST_okay);
	assert_int_equal(ut_ram_page(d0, 40)[0], 0x77);
	ut_ram_page(d0, 40)[1] = 0x88;
	assert_int_equal(ut_ram_page(fx->d, 21)[1], 0x88);
	/* dom0 may flush the page while it maps it, and not after. */
	f.a.dev_bus_addr = m.dev_bus_addr;
	assert_int_equal(GT(d0, GNTTABOP_cache_flush, f, 1), 0);
	assert_int_equal(unmap(d0, ut_ram_gfn(d0, 40), m.handle), GNTST_okay);
	assert_false(hv_gpfn_valid(&d0->mem, ut_ram_gfn(d0, 40)));
	assert_int_equal(GT(d0, GNTTABOP_cache_flush, f, 1), -XEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_own_grant_mapped_shows_the_page_until_unmapped),
		FX_TEST(test_map_refusals_carry_xens_statuses),
		FX_TEST(test_domus_map_each_others_grants_only_through_dom0),
		FX_TEST(test_unmap_checks_handle_and_replacement),
		FX_TEST(test_cache_flush_finds_only_pages_it_may_touch),
		FX_TEST(test_dom0_maps_a_domus_grant_as_a_driver_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
