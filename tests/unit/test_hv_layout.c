/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory layouts (hv/layout.h): Xen 4.4's and 4.5+'s numbers, RAM
 * split over the banks, the magic pages' place, and domains built on each
 * (regions, the highest mapped gfn, the device tree). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <xen/errno.h>

#include "gxen/dt.h"
#include "hv/machine.h"
#include "hv/toolstack.h"

#define MIB (1ull << 20)

static void test_layout_4_5_is_the_default_and_matches_xen_4_17(void **state)
{
	const struct hv_layout *l = hv_layout_find("4.5");

	(void)state;
	assert_ptr_equal(hv_layout_default(), l);
	assert_int_equal(l->ram[0].base, 0x40000000);
	assert_int_equal(l->ram[0].size, 0xc0000000);
	assert_int_equal(l->ram[1].base, 0x200000000);
	assert_int_equal(l->gnttab.base, 0x38000000);
	assert_int_equal(l->magic.base, 0x39000000);
	assert_int_equal(l->gicv2_dist.base, 0x03001000);
	assert_int_equal(l->gicv3_redist.base, 0x03020000);
	assert_null(hv_layout_find("4.6"));
}

static void test_layout_splits_ram_bank0_first(void **state)
{
	const struct hv_layout *l45 = hv_layout_find("4.5");
	const struct hv_layout *l44 = hv_layout_find("4.4");
	uint64_t size[HV_LAYOUT_MAX_BANKS];

	(void)state;
	assert_true(hv_layout_split_ram(l45, 256 * MIB, size));
	assert_int_equal(size[0], 256 * MIB);
	assert_int_equal(size[1], 0);
	assert_true(hv_layout_split_ram(l45, 3200 * MIB, size));
	assert_int_equal(size[0], 3072 * MIB);
	assert_int_equal(size[1], 128 * MIB);
	assert_true(hv_layout_split_ram(l44, 768 * MIB, size));
	assert_false(hv_layout_split_ram(l44, 769 * MIB, size));
}

static void test_layout_4_4_puts_magic_pages_after_ram(void **state)
{
	const struct hv_layout *l44 = hv_layout_find("4.4");

	(void)state;
	assert_int_equal(hv_layout_magic_base(l44, 64 * MIB),
			 0x80000000 + 64 * MIB);
	assert_int_equal(hv_layout_magic_base(hv_layout_default(), 64 * MIB),
			 0x39000000);
}

static struct hv_domain *create(struct hv_machine *m, const char *layout,
				uint64_t ram)
{
	struct hv_domain_config dc = { .name = "t", .domid = 1,
				       .ram_bytes = ram, .nr_vcpus = 1 };
	struct hv_domain *d = NULL;

	m->layout = hv_layout_find(layout);
	assert_int_equal(hv_domain_create(m, &dc, &d), 0);
	return d;
}

static void test_domain_spills_into_bank1(void **state)
{
	struct hv_machine *m = hv_machine_new(NULL, NULL);
	struct hv_domain *d = create(m, "4.5", 3200 * MIB);

	(void)state;
	assert_string_equal(d->mem.region[0].name, "ram0");
	assert_int_equal(d->mem.region[0].size, 3072 * MIB);
	assert_string_equal(d->mem.region[1].name, "ram1");
	assert_int_equal(d->mem.region[1].gpa, 0x200000000);
	assert_true(hv_gpfn_valid(&d->mem, 0x200000 + 128 * 256 - 1));
	assert_false(hv_gpfn_valid(&d->mem, 0x200000 + 128 * 256));
	assert_int_equal(d->max_mapped_gfn, 0x200000 + 128 * 256 - 1);
	assert_int_equal(d->tot_pages, 3200 * 256);
	hv_machine_free(m);
}

static void test_domain_on_4_4_layout(void **state)
{
	struct hv_machine *m = hv_machine_new(NULL, NULL);
	struct hv_domain *d = create(m, "4.4", 64 * MIB);
	struct hv_domain_config big = { .name = "big", .domid = 2,
					.ram_bytes = 1024 * MIB,
					.nr_vcpus = 1 };
	struct hv_domain *d2;

	(void)state;
	assert_int_equal(d->mem.region[0].gpa, 0x80000000);
	assert_int_equal(d->magic_gfn, (0x80000000 + 64 * MIB) >> 12);
	assert_true(hv_gpfn_valid(&d->mem, d->magic_gfn + 1));
	/* The console and xenstore pages are the highest mapped gfn. */
	assert_int_equal(d->max_mapped_gfn, d->magic_gfn + 1);
	assert_int_equal(hv_domain_create(m, &big, &d2), -XEN_EINVAL);
	hv_machine_free(m);
}

static void test_dt_follows_the_layout(void **state)
{
	static char dtb[8192];
	struct hv_dt_config cfg = { .layout = hv_layout_find("4.5"),
				    .ram_bytes = 3200 * MIB, .nr_cpus = 1,
				    .gic = HV_GIC_V2 };
	struct dt_info info;
	const char *why;

	(void)state;
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_int_equal(info.nr_mem, 2);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[0].size, 3072 * MIB);
	assert_int_equal(info.mem[1].base, 0x200000000);
	assert_int_equal(info.mem[1].size, 128 * MIB);
	cfg.layout = hv_layout_find("4.4");
	cfg.ram_bytes = 256 * MIB;
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_int_equal(info.nr_mem, 1);
	assert_int_equal(info.mem[0].base, 0x80000000);
	assert_int_equal(info.gnttab_base, 0xb0000000);
	assert_int_equal(info.gnttab_size, 0x20000);
	assert_int_equal(info.gic_dist_base, 0x2c001000);
	assert_int_equal(info.gic_dist_size, 0x1000);
	assert_int_equal(info.gic_cpu_base, 0x2c002000);
	assert_int_equal(info.gic_cpu_size, 0x2000);
	cfg.gic = HV_GIC_V3;
	assert_int_equal(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)),
			 -XEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_4_5_is_the_default_and_matches_xen_4_17),
		cmocka_unit_test(test_layout_splits_ram_bank0_first),
		cmocka_unit_test(test_layout_4_4_puts_magic_pages_after_ram),
		cmocka_unit_test(test_domain_spills_into_bank1),
		cmocka_unit_test(test_domain_on_4_4_layout),
		cmocka_unit_test(test_dt_follows_the_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
