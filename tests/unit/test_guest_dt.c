/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack's guest device tree read back by the guest's discovery,
 * and every malformed tree the discovery must refuse with a reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "gxen/dt.h"
#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/toolstack.h"

#define DT_SIZE 8192

static char dtb[DT_SIZE];

static int build(enum hv_gic_version gic)
{
	struct hv_dt_config cfg = {
		.ram_bytes = 256 << 20,
		.nr_cpus = 2, .gic = gic, .bootargs = "selftest debug-hvc",
	};
	int rc = hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb));

	if (rc < 0)
		return rc;
	/* Room for the edits the malformed cases make. */
	return fdt_open_into(dtb, dtb, sizeof(dtb));
}

static int setup(void **state)
{
	(void)state;
	return build(HV_GIC_V2);
}

static void test_dt_discovery_reads_the_toolstack_tree(void **state)
{
	struct dt_info info;
	const char *why = NULL;

	(void)state;
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_int_equal(info.nr_mem, 1);
	assert_int_equal(info.mem[0].base, GUEST_RAM0_BASE);
	assert_int_equal(info.mem[0].size, 256 << 20);
	assert_string_equal(info.xen_version, "4.17");
	assert_int_equal(info.gnttab_base, GUEST_GNTTAB_BASE);
	assert_int_equal(info.gnttab_size, GUEST_GNTTAB_SIZE);
	assert_int_equal(info.evtchn_intid, GUEST_EVTCHN_PPI);
	assert_int_equal(info.nr_cpus, 2);
	assert_true(info.psci_hvc);
	assert_true(info.has_timer);
	assert_int_equal(info.timer_intid, GUEST_TIMER_VIRT_PPI);
	assert_string_equal(info.gic_compatible, "arm,cortex-a15-gic");
	assert_int_equal(info.gic_version, 2);
	assert_int_equal(info.gic_dist_base, GUEST_GICD_BASE);
	assert_int_equal(info.gic_cpu_base, GUEST_GICC_BASE);
	assert_false(info.xl_built);
	assert_string_equal(info.bootargs, "selftest debug-hvc");
}

/* xl's tree says so at its root (libxl's "xen,xenvm"); Xen's own has no
 * root compatible, and the guest tells the two apart by it. */
static void test_dt_root_says_xl_built_the_tree(void **state)
{
	struct hv_dt_config cfg = { .ram_bytes = 64 << 20, .nr_cpus = 1,
				    .gic = HV_GIC_V3, .xl_built = true };
	struct dt_info info;
	const char *why;

	(void)state;
	assert_int_equal(fdt_getprop(dtb, 0, "compatible", NULL), NULL);
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	assert_int_equal(fdt_node_check_compatible(dtb, 0, "xen,xenvm-4.17"), 0);
	assert_string_equal(fdt_getprop(dtb, 0, "model", NULL), "XENVM-4.17");
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_true(info.xl_built);
}

static void test_dt_gic_v3_is_advertised_on_request(void **state)
{
	struct dt_info info;
	const char *why;

	(void)state;
	assert_int_equal(build(HV_GIC_V3), 0);
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_string_equal(info.gic_compatible, "arm,gic-v3");
	assert_int_equal(info.gic_version, 3);
	assert_int_equal(info.gic_dist_base, GUEST_GICV3_GICD_BASE);
	assert_int_equal(info.gic_redist_base, GUEST_GICV3_GICR0_BASE);
	assert_int_equal(info.gic_redist_size, GUEST_GICV3_GICR0_SIZE);
}

static void test_dt_toolstack_rejects_bad_config_and_small_buffer(void **state)
{
	struct hv_dt_config cfg = {
				    .ram_bytes = 1 << 20, .nr_cpus = 1,
				    .gic = HV_GIC_V2 };
	char small[128];

	(void)state;
	assert_int_equal(hv_toolstack_build_dt(&cfg, small, sizeof(small)),
			 -XEN_ENOSPC);
	cfg.nr_cpus = 0;
	assert_int_equal(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)),
			 -XEN_EINVAL);
	cfg.nr_cpus = 1;
	cfg.gic = 4;
	assert_int_equal(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)),
			 -XEN_EINVAL);
}


static int node(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	assert_true(off >= 0);
	return off;
}

/* As libxl writes /cpus: one node per vCPU, named and numbered by the
 * MPIDR affinity Xen gives it, started through PSCI; up to 8 vCPUs. */
static void test_dt_cpus_follow_vcpus(void **state)
{
	struct hv_dt_config cfg = { .ram_bytes = 64 << 20, .nr_cpus = 8,
				    .gic = HV_GIC_V3 };
	struct dt_info info;
	const char *why;

	(void)state;
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	for (unsigned i = 0; i < 8; i++) {
		char path[32];
		const fdt32_t *reg;
		int off, len;

		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		off = node(dtb, path);
		reg = fdt_getprop(dtb, off, "reg", &len);
		assert_non_null(reg);
		assert_int_equal(len, 4);
		assert_int_equal(fdt32_to_cpu(*reg), hv_vcpu_affinity(i));
		assert_string_equal(fdt_getprop(dtb, off, "enable-method",
						NULL), "psci");
	}
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@8") < 0);
	assert_string_equal(fdt_getprop(dtb, node(dtb, "/psci"), "method",
					NULL), "hvc");
	assert_int_equal(dt_discover(dtb, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 8);
	cfg.nr_cpus = 9;
	assert_int_equal(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)),
			 -XEN_EINVAL);
	assert_int_equal(build(HV_GIC_V2), 0);
}

/* vCPU ids map to MPIDR affinity as Xen's vcpuid_to_vaffinity does. */
static void test_dt_vcpu_affinity_is_xens(void **state)
{
	(void)state;
	assert_int_equal(hv_vcpu_affinity(0), 0);
	assert_int_equal(hv_vcpu_affinity(7), 7);
	assert_int_equal(hv_vcpu_affinity(15), 0xf);
	assert_int_equal(hv_vcpu_affinity(16), 0x100);
	assert_int_equal(hv_vcpu_affinity(0x123), 0x1203);
}

/* Each malformation, applied to a good tree, and the reason expected. */
struct bad_case {
	const char *name;
	void (*spoil)(void *fdt);
	const char *why;
};

static void spoil_magic(void *fdt)
{
	memset(fdt, 0, 4);
}

static void spoil_old_version(void *fdt)
{
	fdt_set_version(fdt, 3);
	fdt_set_last_comp_version(fdt, 0);
}

static void spoil_no_hypervisor(void *fdt)
{
	assert_int_equal(fdt_del_node(fdt, node(fdt, "/hypervisor")), 0);
}

static void spoil_compatible(void *fdt)
{
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/hypervisor"),
					    "compatible", "acme,hv"), 0);
}

static void spoil_reg_short(void *fdt)
{
	uint32_t one = 0;

	assert_int_equal(fdt_setprop(fdt, node(fdt, "/hypervisor"), "reg",
				     &one, sizeof(one)), 0);
}

static void spoil_reg_empty_region(void *fdt)
{
	fdt64_t reg[2] = { cpu_to_fdt64(GUEST_GNTTAB_BASE), 0 };

	assert_int_equal(fdt_setprop(fdt, node(fdt, "/hypervisor"), "reg",
				     reg, sizeof(reg)), 0);
}

static void spoil_no_interrupts(void *fdt)
{
	assert_int_equal(fdt_delprop(fdt, node(fdt, "/hypervisor"),
				     "interrupts"), 0);
}

static void spoil_interrupt_is_spi(void *fdt)
{
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(15),
			   cpu_to_fdt32(0xf08) };

	assert_int_equal(fdt_setprop(fdt, node(fdt, "/hypervisor"),
				     "interrupts", irq, sizeof(irq)), 0);
}

static void spoil_no_memory(void *fdt)
{
	assert_int_equal(fdt_del_node(fdt, node(fdt, "/memory@40000000")), 0);
}

static void spoil_root_cells(void *fdt)
{
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 3), 0);
}

static void spoil_totalsize(void *fdt)
{
	fdt_set_totalsize(fdt, 3u << 20);
}

static void spoil_truncated_structure(void *fdt)
{
	/* Claim a structure block that runs past the end of the tree. */
	fdt_set_size_dt_struct(fdt, fdt_totalsize(fdt));
}

static void spoil_prop_len_wraps(void *fdt)
{
	/* -12: the walk would land on this very tag again (libfdt 1.6.1's
	 * fdt_check_full loops for ever on it). */
	struct fdt_property *prop = (struct fdt_property *)fdt_offset_ptr_w(
		fdt, fdt_first_property_offset(fdt, 0), sizeof(*prop));

	prop->len = cpu_to_fdt32(0xfffffff4u);
}

static void spoil_prop_len_past_block(void *fdt)
{
	struct fdt_property *prop = (struct fdt_property *)fdt_offset_ptr_w(
		fdt, fdt_first_property_offset(fdt, 0), sizeof(*prop));

	prop->len = cpu_to_fdt32(fdt_size_dt_struct(fdt));
}

static const struct bad_case bad_cases[] = {
	{ "property length -12", spoil_prop_len_wraps, "malformed device tree" },
	{ "property past block", spoil_prop_len_past_block,
	  "malformed device tree" },
	{ "huge totalsize", spoil_totalsize, "malformed device tree" },
	{ "structure past end", spoil_truncated_structure, "device tree" },
	{ "bad magic", spoil_magic, "no valid device tree" },
	{ "version 3", spoil_old_version, "older than version 16" },
	{ "no /hypervisor", spoil_no_hypervisor, "no /hypervisor node" },
	{ "not xen,xen", spoil_compatible, "not compatible" },
	{ "short reg", spoil_reg_short, "no grant-table region" },
	{ "empty grant region", spoil_reg_empty_region, "no grant-table region" },
	{ "no interrupts", spoil_no_interrupts, "no valid interrupts" },
	{ "SPI not PPI", spoil_interrupt_is_spi, "not a PPI" },
	{ "no memory", spoil_no_memory, "no /memory node" },
	{ "root cells", spoil_root_cells, "#address-cells" },
};

static void test_dt_malformed_trees_are_refused_with_reason(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct dt_info info;
		const char *why = NULL;

		assert_int_equal(build(HV_GIC_V2), 0);
		bad_cases[i].spoil(dtb);
		if (dt_discover(dtb, &info, &why) != -1 || !why ||
		    !strstr(why, bad_cases[i].why))
			fail_msg("case \"%s\": got \"%s\"", bad_cases[i].name,
				 why ? why : "(accepted)");
	}
}

/* The toolstack copies totalsize bytes: a header that claims more than the
 * buffer holds (a user's --dtb file cut short) must be refused, never
 * read past. */
static void test_dt_place_refuses_a_tree_longer_than_its_buffer(void **state)
{
	struct hv_domain_config dc = { .name = "g", .domid = 1,
				       .ram_bytes = 64 << 20, .nr_vcpus = 1 };
	struct hv_machine *m = hv_machine_new(NULL, NULL);
	struct hv_domain *d;
	uint32_t size = fdt_totalsize(dtb);
	uint64_t gpa = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(hv_domain_create(m, &dc, &d), 0);
	assert_int_equal(hv_toolstack_place_dt(d, dtb, size - 1, &gpa),
			 -XEN_EINVAL);
	assert_int_equal(hv_toolstack_place_dt(d, dtb, 20, &gpa), -XEN_EINVAL);
	assert_int_equal(hv_toolstack_place_dt(d, dtb, size, &gpa), 0);
	assert_memory_equal(hv_gpa_ptr(&d->mem, gpa, size), dtb, size);
	/* A property whose length takes the walk back is refused, not
	 * walked for ever. */
	spoil_prop_len_wraps(dtb);
	assert_int_equal(hv_toolstack_place_dt(d, dtb, size, &gpa),
			 -XEN_EINVAL);
	/* A well-formed header over a damaged structure is refused too. */
	memset((char *)dtb + fdt_off_dt_struct(dtb), 0xff, 8);
	assert_int_equal(hv_toolstack_place_dt(d, dtb, size, &gpa),
			 -XEN_EINVAL);
	hv_machine_free(m);
}

/* A ramdisk is named in /chosen as xl names it: two 64-bit cells each;
 * without one neither property is there. */
static void test_dt_chosen_names_the_initrd(void **state)
{
	struct hv_dt_config cfg = {
		.ram_bytes = 256 << 20, .nr_cpus = 1, .gic = HV_GIC_V2,
		.initrd_start = 0x47e00000, .initrd_end = 0x47f00123,
	};
	const void *start, *end;
	fdt64_t cell;
	int node, len_start = 0, len_end = 0;

	(void)state;
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	node = fdt_path_offset(dtb, "/chosen");
	assert_true(node >= 0);
	start = fdt_getprop(dtb, node, "linux,initrd-start", &len_start);
	end = fdt_getprop(dtb, node, "linux,initrd-end", &len_end);
	assert_non_null(start);
	assert_non_null(end);
	assert_int_equal(len_start, 8);
	assert_int_equal(len_end, 8);
	memcpy(&cell, start, sizeof(cell));    /* cells are 4-aligned only */
	assert_true(fdt64_to_cpu(cell) == 0x47e00000);
	memcpy(&cell, end, sizeof(cell));
	assert_true(fdt64_to_cpu(cell) == 0x47f00123);

	cfg.initrd_start = cfg.initrd_end = 0;
	assert_true(hv_toolstack_build_dt(&cfg, dtb, sizeof(dtb)) > 0);
	node = fdt_path_offset(dtb, "/chosen");
	assert_null(fdt_getprop(dtb, node, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dtb, node, "linux,initrd-end", NULL));
}

/* The ramdisk ends, page aligned, where the tree's 2 MiB slot below
 * 128 MiB begins, so the two never meet; one that does not fit there, or
 * an empty one, is refused. */
static void test_dt_initrd_goes_below_the_tree(void **state)
{
	struct hv_domain_config dc = { .name = "g", .domid = 1,
				       .ram_bytes = 256 << 20, .nr_vcpus = 1 };
	struct hv_machine *m = hv_machine_new(NULL, NULL);
	static uint8_t initrd[3 * 4096 + 5];
	uint32_t size = fdt_totalsize(dtb);
	uint64_t gpa = 0, dt_gpa = 0;
	struct hv_domain *d;

	(void)state;
	memset(initrd, 0xa5, sizeof(initrd));
	assert_non_null(m);
	assert_int_equal(hv_domain_create(m, &dc, &d), 0);
	assert_int_equal(hv_toolstack_place_initrd(d, initrd, sizeof(initrd),
						   &gpa), 0);
	assert_true(gpa % 4096 == 0);
	assert_true(gpa + sizeof(initrd) <= GUEST_RAM0_BASE + (126ull << 20));
	assert_true(gpa + sizeof(initrd) > GUEST_RAM0_BASE + (126ull << 20) -
		    4096);
	assert_memory_equal(hv_gpa_ptr(&d->mem, gpa, sizeof(initrd)), initrd,
			    sizeof(initrd));
	assert_int_equal(hv_toolstack_place_dt(d, dtb, size, &dt_gpa), 0);
	assert_true(dt_gpa >= gpa + sizeof(initrd));
	assert_memory_equal(hv_gpa_ptr(&d->mem, gpa, sizeof(initrd)), initrd,
			    sizeof(initrd));

	assert_int_equal(hv_toolstack_place_initrd(d, initrd, 0, &gpa),
			 -XEN_EINVAL);
	hv_machine_free(m);
}

/* In 16 MiB of RAM the tree takes the last 2 MiB: 14 MiB fit below it,
 * from RAM's first byte, and a byte more does not. */
static void test_dt_initrd_too_big_is_refused(void **state)
{
	struct hv_domain_config dc = { .name = "g", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_machine *m = hv_machine_new(NULL, NULL);
	size_t fits = 14u << 20;
	uint8_t *big = calloc(1, fits + 1);
	struct hv_domain *d;
	uint64_t gpa = 0;

	(void)state;
	assert_non_null(m);
	assert_non_null(big);
	assert_int_equal(hv_domain_create(m, &dc, &d), 0);
	assert_int_equal(hv_toolstack_place_initrd(d, big, fits, &gpa), 0);
	assert_true(gpa == GUEST_RAM0_BASE);
	assert_int_equal(hv_toolstack_place_initrd(d, big, fits + 1, &gpa),
			 -XEN_ENOSPC);
	free(big);
	hv_machine_free(m);
}

static void test_dt_null_tree_is_refused(void **state)
{
	struct dt_info info;
	const char *why = NULL;

	(void)state;
	assert_int_equal(dt_discover(NULL, &info, &why), -1);
	assert_non_null(why);
	assert_int_equal(dt_total_size(dtb + 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dt_discovery_reads_the_toolstack_tree, setup),
		cmocka_unit_test_setup(test_dt_gic_v3_is_advertised_on_request, setup),
		cmocka_unit_test_setup(test_dt_root_says_xl_built_the_tree, setup),
		cmocka_unit_test_setup(test_dt_toolstack_rejects_bad_config_and_small_buffer, setup),
		cmocka_unit_test_setup(test_dt_cpus_follow_vcpus, setup),
		cmocka_unit_test(test_dt_vcpu_affinity_is_xens),
		cmocka_unit_test(test_dt_malformed_trees_are_refused_with_reason),
		cmocka_unit_test(test_dt_null_tree_is_refused),
		cmocka_unit_test(test_dt_chosen_names_the_initrd),
		cmocka_unit_test_setup(test_dt_initrd_goes_below_the_tree, setup),
		cmocka_unit_test(test_dt_initrd_too_big_is_refused),
		cmocka_unit_test_setup(test_dt_place_refuses_a_tree_longer_than_its_buffer,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
