/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory: every translation is bounds-checked and overflow-safe. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "fixture.h"

static void test_mem_gpa_inside_ram_translates(void **state)
{
	struct fixture *fx = *state;
	uint8_t *base = fx->d->mem.region[0].host;

	assert_ptr_equal(hv_gpa_ptr(&fx->d->mem, GUEST_RAM0_BASE, 1), base);
	assert_ptr_equal(hv_gpa_ptr(&fx->d->mem, GUEST_RAM0_BASE + 4096, 8),
			 base + 4096);
}

static void test_mem_gpa_rejects_ranges_leaving_ram(void **state)
{
	struct fixture *fx = *state;
	uint64_t end = GUEST_RAM0_BASE + ((uint64_t)FX_RAM_MIB << 20);

	assert_null(hv_gpa_ptr(&fx->d->mem, end, 1));
	assert_null(hv_gpa_ptr(&fx->d->mem, end - 4, 8));
	assert_null(hv_gpa_ptr(&fx->d->mem, GUEST_RAM0_BASE - 1, 2));
	assert_null(hv_gpa_ptr(&fx->d->mem, 0, 1));
}

static void test_mem_gpa_survives_wrapping_lengths(void **state)
{
	struct fixture *fx = *state;

	assert_null(hv_gpa_ptr(&fx->d->mem, GUEST_RAM0_BASE, SIZE_MAX));
	assert_null(hv_gpa_ptr(&fx->d->mem, UINT64_MAX, 2));
	assert_null(hv_gpa_ptr(&fx->d->mem, UINT64_MAX - 4095, 4096));
}

static void test_mem_gpfn_covers_magic_pages(void **state)
{
	struct fixture *fx = *state;
	uint64_t magic = GUEST_MAGIC_BASE >> 12;

	assert_true(hv_gpfn_valid(&fx->d->mem, magic));
	assert_true(hv_gpfn_valid(&fx->d->mem, magic + 3));
	assert_false(hv_gpfn_valid(&fx->d->mem, magic + 4));
	assert_false(hv_gpfn_valid(&fx->d->mem, UINT64_MAX));
}

static void test_mem_host_to_gpa_roundtrips(void **state)
{
	struct fixture *fx = *state;
	void *p = hv_gpa_ptr(&fx->d->mem, GUEST_RAM0_BASE + 0x1234, 1);
	int outside;

	assert_int_equal(hv_host_to_gpa(&fx->d->mem, p), GUEST_RAM0_BASE + 0x1234);
	assert_int_equal(hv_host_to_gpa(&fx->d->mem, &outside), UINT64_MAX);
}

static void test_mem_copy_from_bad_gva_is_efault(void **state)
{
	struct fixture *fx = *state;
	char buf[16];

	assert_int_equal(hv_copy_from_guest(&fx->d->vcpu[0], buf, 0x10, 16),
			 -XEN_EFAULT);
	assert_int_equal(hv_copy_to_guest(&fx->d->vcpu[0], 0x10, buf, 16),
			 -XEN_EFAULT);
}

static void test_mem_host_mode_accepts_only_declared_ranges(void **state)
{
	struct fixture *fx = *state;
	struct hv_mem *mem = &fx->d->mem;
	char declared[32], undeclared[32];
	uint8_t *ram = mem->region[0].host;

	mem->va_mode = HV_VA_HOST;
	assert_non_null(hv_gva_ptr(mem, (uintptr_t)ram, 64));
	assert_null(hv_gva_ptr(mem, (uintptr_t)undeclared, 8));
	assert_int_equal(hv_mem_add_host_range(mem, declared, sizeof(declared)),
			 0);
	assert_ptr_equal(hv_gva_ptr(mem, (uintptr_t)declared, 32), declared);
	assert_null(hv_gva_ptr(mem, (uintptr_t)declared, 33));
	/* A guest-physical address means nothing to a native guest. */
	assert_null(hv_gva_ptr(mem, GUEST_RAM0_BASE, 1));
}

static void test_mem_region_overlap_is_einval(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(hv_mem_add_region(&fx->d->mem, "x", GUEST_RAM0_BASE,
					   4096), -XEN_EINVAL);
	assert_int_equal(hv_mem_add_region(&fx->d->mem, "x", 0x1001, 4096),
			 -XEN_EINVAL);
	assert_int_equal(hv_mem_add_region(&fx->d->mem, "x", 0x1000, 0),
			 -XEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_mem_gpa_inside_ram_translates),
		FX_TEST(test_mem_gpa_rejects_ranges_leaving_ram),
		FX_TEST(test_mem_gpa_survives_wrapping_lengths),
		FX_TEST(test_mem_gpfn_covers_magic_pages),
		FX_TEST(test_mem_host_to_gpa_roundtrips),
		FX_TEST(test_mem_copy_from_bad_gva_is_efault),
		FX_TEST(test_mem_host_mode_accepts_only_declared_ranges),
		FX_TEST(test_mem_region_overlap_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
