/* SPDX-License-Identifier: BSD-2-Clause */
/* XENMEM_add_to_physmap of shared_info: placement, moves and refusals. */
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

#define ARG_OFF 0x1000
#define SI_OFF  0x8000

static long add_to_physmap(struct fixture *fx, uint16_t domid, unsigned space,
			   uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = domid, .space = space, .idx = idx, .gpfn = gpfn,
	};
	uint64_t gpa = fx_put(fx, ARG_OFF, &xatp, sizeof(xatp));

	return fx_hypercall(fx, __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			    gpa, 0);
}

static void test_memop_shared_info_appears_at_gpfn(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *si = fx_ptr(fx, fx_gpa(SI_OFF));

	memset(si, 0xaa, 4096);
	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF) >> 12), 0);
	assert_ptr_equal(hv_domain_shared_info(fx->d), si);
	assert_int_equal(si->wc_version, 2);
	assert_int_equal(si->evtchn_pending[0], 0);
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 0);
}

static long remove_from_physmap(struct fixture *fx, uint16_t domid,
				uint64_t gpfn)
{
	struct xen_remove_from_physmap xrfp = { .domid = domid, .gpfn = gpfn };
	uint64_t gpa = fx_put(fx, ARG_OFF, &xrfp, sizeof(xrfp));

	return fx_hypercall(fx, __HYPERVISOR_memory_op,
			    XENMEM_remove_from_physmap, gpa, 0);
}

static void test_memop_shared_info_mapped_twice_is_ebusy(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF) >> 12), 0);
	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF + 4096) >> 12),
			 -XEN_EBUSY);
	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF) >> 12), -XEN_EBUSY);
	assert_int_equal(fx->d->shared_info_gpfn, fx_gpa(SI_OFF) >> 12);
}

static void test_memop_shared_info_remove_then_move_keeps_contents(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *first = fx_ptr(fx, fx_gpa(SI_OFF));
	struct shared_info *second = fx_ptr(fx, fx_gpa(SI_OFF + 4096));

	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF) >> 12), 0);
	first->evtchn_mask[0] = 0x5;
	assert_int_equal(remove_from_physmap(fx, DOMID_SELF,
					     fx_gpa(SI_OFF) >> 12), 0);
	assert_int_equal(first->evtchn_mask[0], 0);
	assert_int_equal(fx->d->shared_info_gpfn, UINT64_MAX);
	assert_int_equal(add_to_physmap(fx, 1, XENMAPSPACE_shared_info, 0,
					fx_gpa(SI_OFF + 4096) >> 12), 0);
	assert_int_equal(second->evtchn_mask[0], 0x5);
	assert_int_equal(second->wc_version, 2);
	assert_ptr_equal(hv_domain_shared_info(fx->d), second);
}

static void test_memop_remove_from_physmap_errors(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(remove_from_physmap(fx, 5, 0x40000), -XEN_ESRCH);
	assert_int_equal(remove_from_physmap(fx, DOMID_SELF, 0x10),
			 -XEN_ENOENT);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_remove_from_physmap, 0x10, 0),
			 -XEN_EFAULT);
}

static void test_memop_shared_info_nonzero_idx_is_einval(void **state)
{
	assert_int_equal(add_to_physmap(*state, DOMID_SELF,
					XENMAPSPACE_shared_info, 1,
					fx_gpa(SI_OFF) >> 12), -XEN_EINVAL);
}

static void test_memop_shared_info_outside_memory_is_einval(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, 0x10), -XEN_EINVAL);
	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, UINT64_MAX), -XEN_EINVAL);
	assert_int_equal(fx->d->shared_info_gpfn, UINT64_MAX);
}

static void test_memop_unknown_domain_is_esrch(void **state)
{
	assert_int_equal(add_to_physmap(*state, 5, XENMAPSPACE_shared_info, 0,
					fx_gpa(SI_OFF) >> 12), -XEN_ESRCH);
}

static void test_memop_other_domain_needs_privilege(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain_config dc = { .name = "other", .domid = 2,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_domain *other;

	assert_int_equal(hv_domain_create(fx->m, &dc, &other), 0);
	assert_int_equal(add_to_physmap(fx, 2, XENMAPSPACE_shared_info, 0,
					fx_gpa(SI_OFF) >> 12), -XEN_EPERM);
	fx->d->privileged = true;
	assert_int_equal(add_to_physmap(fx, 2, XENMAPSPACE_shared_info, 0,
					fx_gpa(SI_OFF) >> 12), 0);
	assert_int_equal(other->shared_info_gpfn, fx_gpa(SI_OFF) >> 12);
}

static void test_memop_spaces_arm_lacks_are_enosys(void **state)
{
	/* Foreign pages only through the batch; gmfn is x86's. */
	assert_int_equal(add_to_physmap(*state, DOMID_SELF,
					XENMAPSPACE_gmfn_foreign, 0,
					fx_gpa(SI_OFF) >> 12), -XEN_ENOSYS);
	assert_int_equal(add_to_physmap(*state, DOMID_SELF, XENMAPSPACE_gmfn,
					0, fx_gpa(SI_OFF) >> 12), -XEN_ENOSYS);
	assert_int_equal(add_to_physmap(*state, DOMID_SELF, 99, 0,
					fx_gpa(SI_OFF) >> 12), -XEN_ENOSYS);
}

static void test_memop_bad_argument_pointer_is_efault(void **state)
{
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_memory_op,
				      XENMEM_add_to_physmap, 0x10, 0),
			 -XEN_EFAULT);
}

static void test_memop_unknown_op_is_enosys(void **state)
{
	assert_int_equal(fx_hypercall(*state, __HYPERVISOR_memory_op, 63, 0, 0),
			 -XEN_ENOSYS);
}

static void test_memop_start_extents_as_xen_reads_them(void **state)
{
	struct fixture *fx = *state;

	/* add_to_physmap takes a start that fits its 16-bit size. */
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_add_to_physmap | 1u << 22,
				      fx_gpa(ARG_OFF), 0), -XEN_EDOM);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_maximum_ram_page | 1u << 6, 0, 0),
			 -XEN_EINVAL);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_memory_op,
				      XENMEM_current_reservation | 1u << 6,
				      fx_gpa(ARG_OFF), 0), -XEN_EINVAL);
	/* A start inside the 16-bit range is ignored outside gmfn_range. */
	assert_int_equal(add_to_physmap(fx, DOMID_SELF, XENMAPSPACE_shared_info,
					0, fx_gpa(SI_OFF) >> 12), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_memop_shared_info_appears_at_gpfn),
		FX_TEST(test_memop_shared_info_mapped_twice_is_ebusy),
		FX_TEST(test_memop_shared_info_remove_then_move_keeps_contents),
		FX_TEST(test_memop_remove_from_physmap_errors),
		FX_TEST(test_memop_shared_info_nonzero_idx_is_einval),
		FX_TEST(test_memop_shared_info_outside_memory_is_einval),
		FX_TEST(test_memop_unknown_domain_is_esrch),
		FX_TEST(test_memop_other_domain_needs_privilege),
		FX_TEST(test_memop_spaces_arm_lacks_are_enosys),
		FX_TEST(test_memop_bad_argument_pointer_is_efault),
		FX_TEST(test_memop_unknown_op_is_enosys),
		FX_TEST(test_memop_start_extents_as_xen_reads_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
