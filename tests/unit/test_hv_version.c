/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_xen_version: every sub-op, its privilege rule and its errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "fixture.h"

#define ARG_OFF 0x1000

static long version(struct fixture *fx, uint64_t cmd, uint64_t arg)
{
	return fx_hypercall(fx, __HYPERVISOR_xen_version, cmd, arg, 0);
}

static void test_version_reports_4_17(void **state)
{
	assert_int_equal(version(*state, XENVER_version, 0), 0x40011);
}

static void test_version_extraversion_is_nul_terminated(void **state)
{
	struct fixture *fx = *state;
	char *extra = fx_ptr(fx, fx_gpa(ARG_OFF));

	memset(extra, 'x', sizeof(xen_extraversion_t));
	assert_int_equal(version(fx, XENVER_extraversion, fx_gpa(ARG_OFF)), 0);
	assert_string_equal(extra, HV_XEN_EXTRAVERSION);
}

static void test_version_capabilities_name_arm(void **state)
{
	struct fixture *fx = *state;
	char *caps = fx_ptr(fx, fx_gpa(ARG_OFF));

	assert_int_equal(version(fx, XENVER_capabilities, fx_gpa(ARG_OFF)), 0);
	assert_non_null(strstr(caps, "xen-3.0-aarch64"));
}

static void test_version_compile_info_and_changeset(void **state)
{
	struct fixture *fx = *state;
	xen_compile_info_t *ci = fx_ptr(fx, fx_gpa(ARG_OFF));

	assert_int_equal(version(fx, XENVER_compile_info, fx_gpa(ARG_OFF)), 0);
	assert_true(strlen(ci->compiler) > 0);
	assert_int_equal(version(fx, XENVER_changeset, fx_gpa(ARG_OFF)), 0);
}

/* Where Xen's own mappings start (arm64 Xen's XEN_VIRT_START). */
static void test_version_platform_parameters_virt_start(void **state)
{
	struct fixture *fx = *state;
	xen_platform_parameters_t *p = fx_ptr(fx, fx_gpa(ARG_OFF));

	p->virt_start = 0xdead;
	assert_int_equal(version(fx, XENVER_platform_parameters,
				 fx_gpa(ARG_OFF)), 0);
	assert_int_equal(p->virt_start, 0x200000);
}

static void test_version_features_of_a_domu(void **state)
{
	struct fixture *fx = *state;
	xen_feature_info_t *fi = fx_ptr(fx, fx_gpa(ARG_OFF));

	fi->submap_idx = 0;
	assert_int_equal(version(fx, XENVER_get_features, fx_gpa(ARG_OFF)), 0);
	assert_true(fi->submap & 1u << XENFEAT_auto_translated_physmap);
	assert_false(fi->submap & 1u << XENFEAT_dom0);
	fi->submap_idx = 1;
	fi->submap = 0x5a5a;
	assert_int_equal(version(fx, XENVER_get_features, fx_gpa(ARG_OFF)),
			 -XEN_EINVAL);
	assert_int_equal(fi->submap, 0x5a5a);
}

static void test_version_features_of_dom0(void **state)
{
	struct fixture *fx = *state;
	xen_feature_info_t *fi = fx_ptr(fx, fx_gpa(ARG_OFF));

	fx->d->privileged = true;
	fi->submap_idx = 0;
	assert_int_equal(version(fx, XENVER_get_features, fx_gpa(ARG_OFF)), 0);
	assert_true(fi->submap & 1u << XENFEAT_dom0);
}

static void test_version_pagesize_is_4k(void **state)
{
	assert_int_equal(version(*state, XENVER_pagesize, 0), 4096);
}

static void test_version_commandline_needs_privilege(void **state)
{
	struct fixture *fx = *state;
	const char *line = fx_ptr(fx, fx_gpa(ARG_OFF));

	assert_int_equal(version(fx, XENVER_commandline, fx_gpa(ARG_OFF)), 0);
	assert_string_equal(line, "<denied>");
	assert_int_equal(version(fx, XENVER_build_id, fx_gpa(ARG_OFF)),
			 -XEN_EPERM);
	fx->d->privileged = true;
	assert_int_equal(version(fx, XENVER_commandline, fx_gpa(ARG_OFF)), 0);
	assert_string_not_equal(line, "<denied>");
}

static void test_version_unknown_subop_is_enosys(void **state)
{
	assert_int_equal(version(*state, 11, 0), -XEN_ENOSYS);
	assert_int_equal(version(*state, 0xffffffffu, 0), -XEN_ENOSYS);
}

static void test_version_bad_buffer_is_efault(void **state)
{
	struct fixture *fx = *state;
	static const unsigned subops[] = {
		XENVER_extraversion, XENVER_compile_info, XENVER_capabilities,
		XENVER_changeset, XENVER_platform_parameters,
		XENVER_get_features, XENVER_guest_handle,
	};

	for (unsigned i = 0; i < sizeof(subops) / sizeof(subops[0]); i++)
		assert_int_equal(version(fx, subops[i], 0x10), -XEN_EFAULT);
	/* A buffer that starts in RAM and runs past its end. */
	assert_int_equal(version(fx, XENVER_capabilities,
				 fx_gpa(((uint64_t)FX_RAM_MIB << 20) - 16)),
			 -XEN_EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_version_reports_4_17),
		FX_TEST(test_version_extraversion_is_nul_terminated),
		FX_TEST(test_version_capabilities_name_arm),
		FX_TEST(test_version_compile_info_and_changeset),
		FX_TEST(test_version_platform_parameters_virt_start),
		FX_TEST(test_version_features_of_a_domu),
		FX_TEST(test_version_features_of_dom0),
		FX_TEST(test_version_pagesize_is_4k),
		FX_TEST(test_version_commandline_needs_privilege),
		FX_TEST(test_version_unknown_subop_is_enosys),
		FX_TEST(test_version_bad_buffer_is_efault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
