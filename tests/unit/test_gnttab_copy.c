/* SPDX-License-Identifier: BSD-2-Clause */
/* GNTTABOP_copy, issued by a guest (dom0 here, or a domU on its own
 * grants) and by a backend in the model: data moves only when every check
 * passes, each failure has Xen's GNTST_* status, and the in-use flags are
 * gone once the copy is done. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "hv/gnttab.h"
#include "test_gnttab_util.h"

struct env {
	struct fixture *fx;
	struct hv_domain *d1;     /* grants */
	struct hv_domain *d0;     /* copies */
	uint8_t *granted;         /* d1's page 5, granted as ref 10 (rw) */
	uint8_t *granted_ro;      /* d1's page 6, granted as ref 11 (ro) */
	uint8_t *local;           /* d0's page 7 */
};

static void setup_env(struct fixture *fx, struct env *e)
{
	e->fx = fx;
	e->d1 = fx->d;
	e->d0 = ut_add_domain(fx, 0, true, 1);
	assert_non_null(e->d0);
	assert_int_equal(ut_map_frame(e->d1, 0), 0);
	e->granted = ut_ram_page(e->d1, 5);
	e->granted_ro = ut_ram_page(e->d1, 6);
	e->local = ut_ram_page(e->d0, 7);
	for (unsigned i = 0; i < 4096; i++) {
		e->granted[i] = (uint8_t)i;
		e->granted_ro[i] = (uint8_t)(255 - i);
	}
	ut_grant(e->d1, 10, 0, ut_ram_gfn(e->d1, 5), false);
	ut_grant(e->d1, 11, 0, ut_ram_gfn(e->d1, 6), true);
}

/* A copy from d1's ref into d0's page 7 (gmfn, DOMID_SELF). */
static struct gnttab_copy from_ref(struct env *e, grant_ref_t ref,
				   uint16_t soff, uint16_t doff, uint16_t len)
{
	struct gnttab_copy c = {
		.flags = GNTCOPY_source_gref, .len = len,
	};

	c.source.u.ref = ref;
	c.source.domid = 1;
	c.source.offset = soff;
	c.dest.u.gmfn = ut_ram_gfn(e->d0, 7);
	c.dest.domid = DOMID_SELF;
	c.dest.offset = doff;
	return c;
}

static int16_t copy(struct env *e, struct gnttab_copy *c)
{
	assert_int_equal(GT(e->d0, GNTTABOP_copy, *c, 1), 0);
	return c->status;
}

static void test_copy_from_grant_to_own_frame(void **state)
{
	struct env e;
	struct gnttab_copy c;

	setup_env(*state, &e);
	c = from_ref(&e, 10, 100, 200, 1000);
	assert_int_equal(copy(&e, &c), GNTST_okay);
	assert_memory_equal(e.local + 200, e.granted + 100, 1000);
	/* No flags left behind once done. */
	assert_int_equal(ut_entry(e.d1, 10)->flags, GTF_permit_access);
}

static void test_copy_to_grant_from_own_frame(void **state)
{
	struct env e;
	struct gnttab_copy c = { .flags = GNTCOPY_dest_gref, .len = 16 };

	setup_env(*state, &e);
	memset(e.local, 0xee, 4096);
	c.source.u.gmfn = ut_ram_gfn(e.d0, 7);
	c.source.domid = DOMID_SELF;
	c.dest.u.ref = 10;
	c.dest.domid = 1;
	c.dest.offset = 4080;
	assert_int_equal(copy(&e, &c), GNTST_okay);
	assert_int_equal(e.granted[4080], 0xee);
	assert_int_equal(e.granted[4095], 0xee);
	assert_int_equal(e.granted[4079], (uint8_t)4079);
	/* Into the read-only grant: refused, nothing written. */
	c.dest.u.ref = 11;
	assert_int_equal(copy(&e, &c), GNTST_general_error);
	assert_int_equal(e.granted_ro[4080], (uint8_t)(255 - 4080));
	assert_int_equal(ut_entry(e.d1, 11)->flags,
			 GTF_permit_access | GTF_readonly);
}

static void test_copy_offsets_and_lengths_stay_in_the_page(void **state)
{
	struct env e;
	struct gnttab_copy c;

	setup_env(*state, &e);
	memset(e.local, 0, 4096);
	c = from_ref(&e, 10, 4000, 0, 97);
	assert_int_equal(copy(&e, &c), GNTST_bad_copy_arg);
	c = from_ref(&e, 10, 0, 4095, 2);
	assert_int_equal(copy(&e, &c), GNTST_bad_copy_arg);
	c = from_ref(&e, 10, 0xffff, 0, 1);
	assert_int_equal(copy(&e, &c), GNTST_bad_copy_arg);
	assert_int_equal(e.local[4095], 0);
	c = from_ref(&e, 10, 4000, 0, 96);
	assert_int_equal(copy(&e, &c), GNTST_okay);
	c = from_ref(&e, 10, 0, 0, 0);
	assert_int_equal(copy(&e, &c), GNTST_okay);
	assert_int_equal(ut_entry(e.d1, 10)->flags, GTF_permit_access);
}

static void test_copy_statuses(void **state)
{
	struct env e;
	struct gnttab_copy c;

	setup_env(*state, &e);
	c = from_ref(&e, 600, 0, 0, 8);
	assert_int_equal(copy(&e, &c), GNTST_bad_gntref);
	c = from_ref(&e, 10, 0, 0, 8);
	c.source.domid = 5;
	assert_int_equal(copy(&e, &c), GNTST_bad_domain);
	/* A frame named by a domid other than DOMID_SELF, even our own. */
	c = from_ref(&e, 10, 0, 0, 8);
	c.dest.domid = 0;
	assert_int_equal(copy(&e, &c), GNTST_permission_denied);
	c = from_ref(&e, 10, 0, 0, 8);
	c.dest.u.gmfn = 0x10;
	assert_int_equal(copy(&e, &c), GNTST_bad_page);
	/* Not granted to us, not a grant at all, granted nothing real. */
	ut_grant(e.d1, 12, 2, ut_ram_gfn(e.d1, 5), false);
	c = from_ref(&e, 12, 0, 0, 8);
	assert_int_equal(copy(&e, &c), GNTST_general_error);
	c = from_ref(&e, 13, 0, 0, 8);
	assert_int_equal(copy(&e, &c), GNTST_general_error);
	ut_grant(e.d1, 14, 0, 0x10, false);
	c = from_ref(&e, 14, 0, 0, 8);
	assert_int_equal(copy(&e, &c), GNTST_bad_page);
	/* A failed claim leaves no flags behind. */
	assert_int_equal(ut_entry(e.d1, 14)->flags, GTF_permit_access);
	ut_entry(e.d1, 15)->flags = GTF_accept_transfer;
	ut_entry(e.d1, 15)->domid = 0;
	c = from_ref(&e, 15, 0, 0, 8);
	assert_int_equal(copy(&e, &c), GNTST_general_error);
}

static void test_copy_batch_reports_each_status(void **state)
{
	struct env e;
	struct gnttab_copy c[3];

	setup_env(*state, &e);
	c[0] = from_ref(&e, 10, 0, 0, 4);
	c[1] = from_ref(&e, 600, 0, 0, 4);
	c[2] = from_ref(&e, 11, 0, 8, 4);
	assert_int_equal(ut_gnttab(e.d0, GNTTABOP_copy, c, sizeof(c), 3), 0);
	assert_int_equal(c[0].status, GNTST_okay);
	assert_int_equal(c[1].status, GNTST_bad_gntref);
	assert_int_equal(c[2].status, GNTST_okay);
	assert_int_equal(e.local[8], 255);
}

static void test_copy_bad_op_pointer_is_efault(void **state)
{
	struct env e;
	const uint64_t args[5] = { GNTTABOP_copy, 0x10, 1, 0, 0 };

	setup_env(*state, &e);
	assert_int_equal(hv_hypercall(&e.d0->vcpu[0],
				      __HYPERVISOR_grant_table_op, args),
			 -XEN_EFAULT);
	/* count 0 copies nothing and succeeds. */
	assert_int_equal(ut_gnttab(e.d0, GNTTABOP_copy, NULL, 0, 0), 0);
}

static void test_domu_copies_through_its_own_grant(void **state)
{
	struct env e;
	struct gnttab_copy c = { .flags = GNTCOPY_source_gref, .len = 32 };

	setup_env(*state, &e);
	ut_grant(e.d1, 20, 1, ut_ram_gfn(e.d1, 5), true);
	c.source.u.ref = 20;
	c.source.domid = DOMID_SELF;
	c.dest.u.gmfn = ut_ram_gfn(e.d1, 9);
	c.dest.domid = DOMID_SELF;
	assert_int_equal(ut_gnttab(e.d1, GNTTABOP_copy, &c, sizeof(c), 1), 0);
	assert_int_equal(c.status, GNTST_okay);
	assert_memory_equal(ut_ram_page(e.d1, 9), e.granted, 32);
}

static void test_backend_copies_with_its_own_buffer(void **state)
{
	struct env e;
	uint8_t buf[64];

	setup_env(*state, &e);
	assert_int_equal(hv_gnttab_copy_from_ref(e.d0, 1, 11, 10, buf, 64),
			 GNTST_okay);
	assert_memory_equal(buf, e.granted_ro + 10, 64);
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(hv_gnttab_copy_to_ref(e.d0, 1, 10, 0, buf, 64),
			 GNTST_okay);
	assert_int_equal(e.granted[63], 0x77);
	assert_int_equal(hv_gnttab_copy_to_ref(e.d0, 1, 11, 0, buf, 64),
			 GNTST_general_error);
	assert_int_equal(hv_gnttab_copy_to_ref(e.d0, 1, 10, 4090, buf, 7),
			 GNTST_bad_copy_arg);
	assert_int_equal(hv_gnttab_copy_from_ref(e.d0, 4, 10, 0, buf, 1),
			 GNTST_bad_domain);
	assert_int_equal(hv_gnttab_copy_from_ref(e.d0, 1, 9999, 0, buf, 1),
			 GNTST_bad_gntref);
	assert_int_equal(ut_entry(e.d1, 10)->flags, GTF_permit_access);
}

static void test_backend_copy_op_names_its_frames(void **state)
{
	struct env e;
	struct gnttab_copy c;

	setup_env(*state, &e);
	c = from_ref(&e, 11, 0, 0, 4);
	assert_int_equal(hv_gnttab_copy_op(e.d0, &c), GNTST_okay);
	assert_int_equal(e.local[0], 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_copy_from_grant_to_own_frame),
		FX_TEST(test_copy_to_grant_from_own_frame),
		FX_TEST(test_copy_offsets_and_lengths_stay_in_the_page),
		FX_TEST(test_copy_statuses),
		FX_TEST(test_copy_batch_reports_each_status),
		FX_TEST(test_copy_bad_op_pointer_is_efault),
		FX_TEST(test_domu_copies_through_its_own_grant),
		FX_TEST(test_backend_copies_with_its_own_buffer),
		FX_TEST(test_backend_copy_op_names_its_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
