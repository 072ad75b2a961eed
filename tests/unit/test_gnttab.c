/* SPDX-License-Identifier: BSD-2-Clause */
/* The grant table itself: its frames and where they are mapped
 * (XENMAPSPACE_grant_table into the grant window), query_size,
 * setup_table, the version calls, get_status_frames, swap_grant_ref, the
 * sub-ops the model leaves out, and every status and error of each. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "hv/gnttab.h"
#include "test_gnttab_util.h"

#define INVALID_GFN UINT64_MAX

static void test_new_table_has_one_frame_of_64(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, 64);
}

static void test_query_size_errors(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct gnttab_query_size q = { .dom = 0 };
	const uint64_t bad[5] = { GNTTABOP_query_size, 0x10, 1, 0, 0 };

	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 1), 0);
	assert_int_equal(q.status, GNTST_permission_denied);
	q.dom = 5;
	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 1), 0);
	assert_int_equal(q.status, GNTST_bad_domain);
	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 0), -XEN_EINVAL);
	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 2), -XEN_EINVAL);
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0],
				      __HYPERVISOR_grant_table_op, bad),
			 -XEN_EFAULT);
	q.dom = 1;
	assert_int_equal(GT(d0, GNTTABOP_query_size, q, 1), 0);
	assert_int_equal(q.status, GNTST_okay);
}

static void test_map_frame_into_window(void **state)
{
	struct fixture *fx = *state;
	const uint64_t write[5] = { CONSOLEIO_write, 4, GUEST_GNTTAB_BASE, 0,
				    0 };

	/* Before mapping, the window page is nothing a hypercall can use. */
	assert_null(hv_gpfn_ptr(&fx->d->mem, UT_GNTTAB_GFN));
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0], __HYPERVISOR_console_io,
				      write), -XEN_EFAULT);
	assert_int_equal(ut_map_frame(fx->d, 0), 0);
	assert_non_null(hv_gpfn_ptr(&fx->d->mem, UT_GNTTAB_GFN));
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0], __HYPERVISOR_console_io,
				      write), 0);
	/* The next page of the window is still absent. */
	assert_null(hv_gpfn_ptr(&fx->d->mem, UT_GNTTAB_GFN + 1));
}

static void test_map_frame_grows_and_refuses(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(ut_map_frame(fx->d, 5), 0);
	assert_int_equal(hv_gnttab_nr_frames(fx->d), 6);
	assert_int_equal(ut_map_frame(fx->d, 63), 0);
	assert_int_equal(hv_gnttab_nr_frames(fx->d), 64);
	assert_int_equal(ut_map_frame(fx->d, 64), -XEN_EINVAL);
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table,
					   UINT64_MAX, UT_GNTTAB_GFN), -XEN_EINVAL);
	/* Already mapped: unmap first, says Xen. */
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table, 5,
					   UT_GNTTAB_GFN + 9), -XEN_EBUSY);
	/* A page already holding another frame. */
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table, 7,
					   UT_GNTTAB_GFN + 5), -XEN_EBUSY);
	/* No memory behind that gfn in the model. */
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table, 8,
					   0x10), -XEN_EINVAL);
	/* RAM works too: the frame replaces that page. */
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table, 9,
					   ut_ram_gfn(fx->d, 0x100)), 0);
	/* v1 has no status frames. */
	assert_int_equal(ut_add_to_physmap(fx->d, XENMAPSPACE_grant_table,
					   XENMAPIDX_grant_table_status,
					   UT_GNTTAB_GFN + 20), -XEN_EINVAL);
}

static void test_setup_table_lists_where_frames_are_mapped(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
	uint64_t *list = fx_ptr(fx, fx_gpa(0x3000));

	st.frame_list.q = fx_gpa(0x3000);
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_okay);
	/* Unmapped frames read back as Xen's INVALID_GFN. */
	assert_true(list[0] == INVALID_GFN && list[1] == INVALID_GFN);
	assert_int_equal(ut_map_frame(fx->d, 1), 0);
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(list[0], INVALID_GFN);
	assert_int_equal(list[1], UT_GNTTAB_GFN + 1);
}

static void test_frame_contents_survive_the_move(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
	struct gnttab_swap_grant_ref sw = { .ref_a = 10, .ref_b = 512 + 3 };

	/* Put an entry into frame 1 while it is still Xen's own page. */
	st.frame_list.q = fx_gpa(0x3000);
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	ut_map_frame(fx->d, 0);
	ut_grant(fx->d, 10, 0, 0x40123, true);
	assert_int_equal(GT(fx->d, GNTTABOP_swap_grant_ref, sw, 1), 0);
	assert_int_equal(ut_map_frame(fx->d, 1), 0);
	assert_int_equal(ut_entry(fx->d, 512 + 3)->frame, 0x40123);
	assert_int_equal(ut_entry(fx->d, 10)->flags, 0);
}

static void test_setup_table_errors(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 65 };
	const uint64_t bad[5] = { GNTTABOP_setup_table, 0x10, 1, 0, 0 };

	st.frame_list.q = fx_gpa(0x3000);
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_general_error);
	assert_int_equal(hv_gnttab_nr_frames(fx->d), 1);
	st.nr_frames = 1;
	st.dom = 0;
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_permission_denied);
	st.dom = 4;
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_bad_domain);
	st.dom = DOMID_SELF;
	st.frame_list.q = 0x10;
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_bad_virt_addr);
	assert_int_equal(GT(fx->d, GNTTABOP_setup_table, st, 2), -XEN_EINVAL);
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0],
				      __HYPERVISOR_grant_table_op, bad),
			 -XEN_EFAULT);
	/* dom0 may grow d1's table. */
	st.dom = 1;
	st.nr_frames = 4;
	st.frame_list.q = d0->mem.region[0].gpa + 0x3000;
	assert_int_equal(GT(d0, GNTTABOP_setup_table, st, 1), 0);
	assert_int_equal(st.status, GNTST_okay);
	assert_int_equal(hv_gnttab_nr_frames(fx->d), 4);
}

static void test_version_calls(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_set_version sv = { .version = 2 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF, .version = 9 };

	assert_int_equal(GT(fx->d, GNTTABOP_set_version, sv, 1), -XEN_ENOSYS);
	assert_int_equal(sv.version, 1);
	sv.version = 3;
	assert_int_equal(GT(fx->d, GNTTABOP_set_version, sv, 1), -XEN_EINVAL);
	assert_int_equal(sv.version, 1);
	sv.version = 1;
	assert_int_equal(GT(fx->d, GNTTABOP_set_version, sv, 1), 0);
	assert_int_equal(GT(fx->d, GNTTABOP_get_version, gv, 1), 0);
	assert_int_equal(gv.version, 1);
	gv.dom = 6;
	assert_int_equal(GT(fx->d, GNTTABOP_get_version, gv, 1), -XEN_ESRCH);
	ut_add_domain(fx, 0, true, 1);
	gv.dom = 0;
	assert_int_equal(GT(fx->d, GNTTABOP_get_version, gv, 1), -XEN_EPERM);
}

static void test_get_status_frames_in_v1(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_get_status_frames gs = { .dom = DOMID_SELF };

	assert_int_equal(GT(fx->d, GNTTABOP_get_status_frames, gs, 1), 0);
	assert_int_equal(gs.status, GNTST_okay);
	gs.nr_frames = 1;
	assert_int_equal(GT(fx->d, GNTTABOP_get_status_frames, gs, 1), 0);
	assert_int_equal(gs.status, GNTST_general_error);
	gs.dom = 3;
	assert_int_equal(GT(fx->d, GNTTABOP_get_status_frames, gs, 1), 0);
	assert_int_equal(gs.status, GNTST_bad_domain);
	assert_int_equal(GT(fx->d, GNTTABOP_get_status_frames, gs, 2),
			 -XEN_EINVAL);
}

static void test_swap_grant_ref(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct gnttab_swap_grant_ref sw = { .ref_a = 10, .ref_b = 11 };
	struct hv_gnttab_mapping map;

	ut_map_frame(fx->d, 0);
	ut_grant(fx->d, 10, 0, ut_ram_gfn(fx->d, 5), true);
	assert_int_equal(GT(fx->d, GNTTABOP_swap_grant_ref, sw, 1), 0);
	assert_int_equal(sw.status, GNTST_okay);
	assert_int_equal(ut_entry(fx->d, 10)->flags, 0);
	assert_int_equal(ut_entry(fx->d, 11)->frame, ut_ram_gfn(fx->d, 5));
	sw.ref_b = 512;
	assert_int_equal(GT(fx->d, GNTTABOP_swap_grant_ref, sw, 1), 0);
	assert_int_equal(sw.status, GNTST_bad_gntref);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, 11, true, &map), GNTST_okay);
	sw.ref_b = 11;
	assert_int_equal(GT(fx->d, GNTTABOP_swap_grant_ref, sw, 1), 0);
	assert_int_equal(sw.status, GNTST_eagain);
	sw.ref_a = 11;
	assert_int_equal(GT(fx->d, GNTTABOP_swap_grant_ref, sw, 1), 0);
	assert_int_equal(sw.status, GNTST_okay);
}

static void test_op_argument_checks_and_unmodelled_ops(void **state)
{
	struct fixture *fx = *state;
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	uint8_t any[64] = { 0 };

	assert_int_equal(GT(fx->d, GNTTABOP_query_size | (1u << 12), q, 1),
			 -XEN_EINVAL);
	assert_int_equal(GT(fx->d, GNTTABOP_query_size, q, 0x80000000u),
			 -XEN_EINVAL);
	assert_int_equal(GT(fx->d, GNTTABOP_transfer, any, 1),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(GT(fx->d, GNTTABOP_transfer, any, 0),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(GT(fx->d, GNTTABOP_dump_table, any, 1), -XEN_ENOSYS);
	assert_int_equal(GT(fx->d, 99, any, 1), -XEN_ENOSYS);
}

static void test_dump_lists_pinned_entries(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct hv_gnttab_mapping map;

	hv_gnttab_dump(fx->d);
	assert_true(fx_has_text(fx, "no active grant table entries"));
	ut_map_frame(fx->d, 0);
	ut_grant(fx->d, 9, 0, ut_ram_gfn(fx->d, 3), false);
	assert_int_equal(hv_gnttab_map_ref(d0, 1, 9, false, &map), GNTST_okay);
	hv_gnttab_dump(fx->d);
	assert_true(fx_has_text(fx, "[0x009]"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_new_table_has_one_frame_of_64),
		FX_TEST(test_query_size_errors),
		FX_TEST(test_map_frame_into_window),
		FX_TEST(test_map_frame_grows_and_refuses),
		FX_TEST(test_setup_table_lists_where_frames_are_mapped),
		FX_TEST(test_frame_contents_survive_the_move),
		FX_TEST(test_setup_table_errors),
		FX_TEST(test_version_calls),
		FX_TEST(test_get_status_frames_in_v1),
		FX_TEST(test_swap_grant_ref),
		FX_TEST(test_op_argument_checks_and_unmodelled_ops),
		FX_TEST(test_dump_lists_pinned_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
