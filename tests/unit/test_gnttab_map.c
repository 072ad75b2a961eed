/* SPDX-License-Identifier: BSD-2-Clause */
/* Backends mapping grants: the GNTST_* of map and unmap, the in-use flags
 * Xen keeps in the granting guest's entry while a mapping lives, pin
 * counting, handle reuse, and the detection of a guest that ends a grant
 * still mapped (the XSA-396 class). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "hv/gnttab.h"
#include "test_gnttab_util.h"

#define RW_REF 10   /* d1's page 5, writable, to dom0 */
#define RO_REF 11   /* d1's page 6, read-only, to dom0 */

static struct hv_domain *setup_grants(struct fixture *fx)
{
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);

	assert_non_null(d0);
	assert_int_equal(ut_map_frame(fx->d, 0), 0);
	ut_grant(fx->d, RW_REF, 0, ut_ram_gfn(fx->d, 5), false);
	ut_grant(fx->d, RO_REF, 0, ut_ram_gfn(fx->d, 6), true);
	return d0;
}

static uint16_t flags_of(struct fixture *fx, grant_ref_t ref)
{
	return ut_entry(fx->d, ref)->flags;
}

static void test_map_readonly_sets_reading_until_unmap(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
			 GNTST_okay);
	assert_ptr_equal(map.page, ut_ram_page(fx->d, 6));
	assert_int_equal(flags_of(fx, RO_REF),
			 GTF_permit_access | GTF_readonly | GTF_reading);
	assert_int_equal(hv_gnttab_nr_mappings(d0), 1);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(flags_of(fx, RO_REF), GTF_permit_access | GTF_readonly);
	assert_int_equal(hv_gnttab_nr_mappings(d0), 0);
}

static void test_map_writable_sets_reading_and_writing(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, false, &map),
			 GNTST_okay);
	assert_int_equal(flags_of(fx, RW_REF),
			 GTF_permit_access | GTF_reading | GTF_writing);
	((uint8_t *)map.page)[7] = 0x42;
	assert_int_equal(ut_ram_page(fx->d, 5)[7], 0x42);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(flags_of(fx, RW_REF), GTF_permit_access);
}

static void test_map_statuses(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct hv_gnttab_mapping map;

	/* Writable mapping of a read-only grant: refused, flags intact. */
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, false, &map),
			 GNTST_general_error);
	assert_int_equal(flags_of(fx, RO_REF), GTF_permit_access | GTF_readonly);
	/* Not granted to d2. */
	assert_int_equal(hv_gnttab_map_ref(d2, 1, RW_REF, true, &map),
			 GNTST_general_error);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, 512, true, &map),
			 GNTST_bad_gntref);
	assert_int_equal(hv_gnttab_map_ref(d0, 6, RW_REF, true, &map),
			 GNTST_bad_domain);
	/* DOMID_SELF is no domain for map (Xen looks up by id only). */
	assert_int_equal(hv_gnttab_map_ref(d0, DOMID_SELF, RW_REF, true, &map),
			 GNTST_bad_domain);
	ut_grant(fx->d, 12, 0, 0x10, true);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, 12, true, &map),
			 GNTST_bad_page);
	assert_int_equal(flags_of(fx, 12), GTF_permit_access | GTF_readonly);
	/* An unused (invalid) entry. */
	assert_int_equal(hv_gnttab_map_ref(d0, 1, 13, true, &map),
			 GNTST_general_error);
	assert_int_equal(hv_gnttab_nr_mappings(d0), 0);
}

static void test_unmap_statuses(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_unmap(d0, 0), GNTST_bad_handle);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &map),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle + 1), GNTST_bad_handle);
	assert_int_equal(hv_gnttab_unmap(d0, 100000), GNTST_bad_handle);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_bad_handle);
}

static void test_pins_count_and_peers_are_excluded(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct hv_gnttab_mapping a, b, w;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &a),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &b),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, false, &w),
			 GNTST_okay);
	/* Pinned by dom0: nobody else, even if the guest regrants. */
	ut_entry(fx->d, RW_REF)->domid = 2;
	assert_int_equal(hv_gnttab_map_ref(d2, 1, RW_REF, true, &a),
			 GNTST_general_error);
	ut_entry(fx->d, RW_REF)->domid = 0;
	assert_int_equal(hv_gnttab_unmap(d0, w.handle), GNTST_okay);
	/* The writer is gone: GTF_writing goes, GTF_reading stays. */
	assert_int_equal(flags_of(fx, RW_REF), GTF_permit_access | GTF_reading);
	assert_int_equal(hv_gnttab_unmap(d0, a.handle), GNTST_okay);
	assert_int_equal(flags_of(fx, RW_REF), GTF_permit_access | GTF_reading);
	assert_int_equal(hv_gnttab_unmap(d0, b.handle), GNTST_okay);
	assert_int_equal(flags_of(fx, RW_REF), GTF_permit_access);
}

static void test_pin_counter_cannot_overflow(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
				 GNTST_okay);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
			 GNTST_general_error);
	assert_int_equal(hv_gnttab_nr_mappings(d0), 128);
}

static void test_handles_are_reused_oldest_freed_first(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping m[4];

	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &m[i]),
				 GNTST_okay);
		assert_int_equal(m[i].handle, i);
	}
	hv_gnttab_unmap(d0, 2);
	hv_gnttab_unmap(d0, 0);
	/* Spread over refs so no pin counter fills up. */
	for (grant_ref_t ref = 20; ref < 24; ref++)
		ut_grant(fx->d, ref, 0, ut_ram_gfn(fx->d, 6), true);
	for (unsigned i = 0; i < 252; i++) {
		assert_int_equal(hv_gnttab_map_ref(d0, 1, 20 + i % 4, true,
						   &m[3]), GNTST_okay);
		assert_int_equal(m[3].handle, 4 + i);
	}
	/* The first chunk's fresh handles came first, then 2, then 0. */
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &m[0]),
			 GNTST_okay);
	assert_int_equal(m[0].handle, 2);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &m[0]),
			 GNTST_okay);
	assert_int_equal(m[0].handle, 0);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &m[0]),
			 GNTST_okay);
	assert_int_equal(m[0].handle, 256);
}

static void test_maptrack_runs_out_at_xens_limit(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;
	const unsigned refs = HV_GNTTAB_MAX_MAPTRACK / 128;

	for (unsigned f = 1; f < 5; f++)
		assert_int_equal(ut_map_frame(fx->d, f), 0);
	for (grant_ref_t ref = 0; ref < refs; ref++)
		ut_grant(fx->d, 16 + ref, 0, ut_ram_gfn(fx->d, 6), true);
	for (unsigned i = 0; i < HV_GNTTAB_MAX_MAPTRACK; i++)
		if (hv_gnttab_map_ref(d0, 1, 16 + i % refs, true, &map) !=
		    GNTST_okay)
			fail_msg("map %u refused", i);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &map),
			 GNTST_no_space);
	assert_int_equal(hv_gnttab_unmap(d0, 7), GNTST_okay);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, true, &map),
			 GNTST_okay);
	assert_int_equal(map.handle, 7);
}

static void test_grant_ended_while_mapped_is_detected(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, false, &map),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_audit(fx->d), 0);
	/* The guest zeroes the entry instead of waiting for the flags. */
	ut_entry(fx->d, RW_REF)->flags = 0;
	assert_int_equal(hv_gnttab_audit(fx->d), 1);
	assert_true(fx_has_text(fx, "d1 ended grant ref 10"));
	assert_true(fx_has_text(fx, "XSA-396"));
	/* Reported once, at audit or unmap, not twice. */
	assert_int_equal(hv_gnttab_audit(fx->d), 0);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_violations(fx->d), 1);
}

static void test_regranting_to_another_frame_is_detected_at_unmap(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
			 GNTST_okay);
	ut_entry(fx->d, RO_REF)->frame = (uint32_t)ut_ram_gfn(fx->d, 9);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_violations(fx->d), 1);
	/* A clean map/unmap reports nothing. */
	ut_grant(fx->d, RO_REF, 0, ut_ram_gfn(fx->d, 6), true);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_violations(fx->d), 1);
}

static void test_granting_domain_destroyed_under_a_mapping(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RO_REF, true, &map),
			 GNTST_okay);
	hv_domain_destroy(fx->d);
	fx->d = NULL;
	assert_true(fx_has_text(fx, "d1 destroyed while d0 still maps"));
	assert_int_equal(hv_gnttab_unmap(d0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_nr_mappings(d0), 0);
}

static void test_backend_destroyed_releases_its_pins(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = setup_grants(fx);
	struct hv_gnttab_mapping map;

	assert_int_equal(hv_gnttab_map_ref(d0, 1, RW_REF, false, &map),
			 GNTST_okay);
	hv_domain_destroy(d0);
	assert_int_equal(flags_of(fx, RW_REF), GTF_permit_access);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_map_readonly_sets_reading_until_unmap),
		FX_TEST(test_map_writable_sets_reading_and_writing),
		FX_TEST(test_map_statuses),
		FX_TEST(test_unmap_statuses),
		FX_TEST(test_pins_count_and_peers_are_excluded),
		FX_TEST(test_pin_counter_cannot_overflow),
		FX_TEST(test_handles_are_reused_oldest_freed_first),
		FX_TEST(test_maptrack_runs_out_at_xens_limit),
		FX_TEST(test_grant_ended_while_mapped_is_detected),
		FX_TEST(test_regranting_to_another_frame_is_detected_at_unmap),
		FX_TEST(test_granting_domain_destroyed_under_a_mapping),
		FX_TEST(test_backend_destroyed_releases_its_pins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
