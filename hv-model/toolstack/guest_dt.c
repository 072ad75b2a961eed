/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest device tree as Xen's toolstack (xl) or Xen itself (dom0less)
 * writes it for an ARM domU:
 * root cells, /chosen, /hypervisor, memory, CPUs, PSCI, the GIC and the
 * architectural timer. Built with libfdt's sequential writer. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>

#include "gxen/dt_walk.h"
#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/toolstack.h"

#define GIC_PHANDLE       65000
#define GIC_PPI           1
#define PPI_BASE          16
/* Level-sensitive, active low, delivered to CPUs 0-3: Xen's choice. */
#define PPI_FLAGS         0xf08
#define MODULE_ALIGN      (2ull << 20)
#define MODULE_LIMIT      (128ull << 20)

/* Every fdt_* call returns < 0 on failure; collect the first one. */
#define TRY(expr)                                 \
	do {                                      \
		int try_rc_ = (expr);             \
		if (try_rc_ < 0)                  \
			return try_rc_;           \
	} while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int prop_ppi(void *fdt, const char *name, const unsigned *intid,
		    unsigned n)
{
	fdt32_t cells[4 * 3];

	for (unsigned i = 0; i < n; i++) {
		cells[3 * i] = cpu_to_fdt32(GIC_PPI);
		cells[3 * i + 1] = cpu_to_fdt32(intid[i] - PPI_BASE);
		cells[3 * i + 2] = cpu_to_fdt32(PPI_FLAGS);
	}
	return fdt_property(fdt, name, cells, (int)(n * 3 * sizeof(fdt32_t)));
}

static int string_list(void *fdt, const char *name, const char *const *s,
		       unsigned n)
{
	char buf[128];
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(s[i]) + 1;

		if (len + l > sizeof(buf))
			return -FDT_ERR_NOSPACE;
		memcpy(buf + len, s[i], l);
		len += l;
	}
	return fdt_property(fdt, name, buf, (int)len);
}

static int node_root_props(void *fdt, const struct hv_dt_config *cfg)
{
	static const char *const compat[] = { "xen,xenvm-4.17", "xen,xenvm" };

	if (cfg->xl_built) {
		TRY(string_list(fdt, "compatible", compat, 2));
		TRY(fdt_property_string(fdt, "model", "XENVM-4.17"));
	}
	TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	return fdt_property_u32(fdt, "#size-cells", 2);
}

static int node_chosen(void *fdt, const struct hv_dt_config *cfg)
{
	TRY(fdt_begin_node(fdt, "chosen"));
	if (cfg->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", cfg->bootargs));
	/* 64-bit cells, as xl writes them. */
	if (cfg->initrd_end > cfg->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start",
				     cfg->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end",
				     cfg->initrd_end));
	}
	return fdt_end_node(fdt);
}

static int node_hypervisor(void *fdt, const struct hv_layout *l)
{
	static const char *const compat[] = { "xen,xen-4.17", "xen,xen" };
	const unsigned irq = GUEST_EVTCHN_PPI;

	TRY(fdt_begin_node(fdt, "hypervisor"));
	TRY(string_list(fdt, "compatible", compat, 2));
	TRY(prop_reg(fdt, l->gnttab.base, l->gnttab.size));
	TRY(prop_ppi(fdt, "interrupts", &irq, 1));
	return fdt_end_node(fdt);
}

/* One node per bank the domain uses, as libxl writes them. */
static int node_memory(void *fdt, const struct hv_layout *l,
		       const uint64_t size[HV_LAYOUT_MAX_BANKS])
{
	for (unsigned i = 0; i < l->nr_ram && size[i]; i++) {
		char name[32];

		snprintf(name, sizeof(name), "memory@%llx",
			 (unsigned long long)l->ram[i].base);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "memory"));
		TRY(prop_reg(fdt, l->ram[i].base, size[i]));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

static int node_cpus(void *fdt, const struct hv_dt_config *cfg)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < cfg->nr_cpus; i++) {
		uint64_t aff = hv_vcpu_affinity(i);
		char name[32];

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)aff);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_property_u32(fdt, "reg", (uint32_t)aff));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int node_psci(void *fdt)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2",
					      "arm,psci" };

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(string_list(fdt, "compatible", compat, 3));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	TRY(fdt_property_u32(fdt, "cpu_off", PSCI_cpu_off));
	TRY(fdt_property_u32(fdt, "cpu_on", PSCI_cpu_on));
	return fdt_end_node(fdt);
}

static int node_gic(void *fdt, const struct hv_layout *l,
		    enum hv_gic_version gic)
{
	const struct hv_layout_range *dist = gic == HV_GIC_V3 ?
		&l->gicv3_dist : &l->gicv2_dist;
	const struct hv_layout_range *second = gic == HV_GIC_V3 ?
		&l->gicv3_redist : &l->gicv2_cpu;
	fdt64_t reg[4] = {
		cpu_to_fdt64(dist->base), cpu_to_fdt64(dist->size),
		cpu_to_fdt64(second->base), cpu_to_fdt64(second->size),
	};
	char name[48];

	snprintf(name, sizeof(name), "interrupt-controller@%llx",
		 (unsigned long long)dist->base);
	TRY(fdt_begin_node(fdt, name));
	if (gic == HV_GIC_V3) {
		TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
		TRY(fdt_property_u32(fdt, "#redistributor-regions",
				     GUEST_GICV3_RDIST_REGIONS));
	} else {
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"));
	}
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	TRY(fdt_property_u32(fdt, "linux,phandle", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int node_timer(void *fdt)
{
	/* Secure physical, non-secure physical, virtual: Xen lists three. */
	static const unsigned ppis[] = { GUEST_TIMER_PHYS_S_PPI,
					 GUEST_TIMER_PHYS_NS_PPI,
					 GUEST_TIMER_VIRT_PPI };

	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(prop_ppi(fdt, "interrupts", ppis, 3));
	return fdt_end_node(fdt);
}

static int build(const struct hv_dt_config *cfg, const struct hv_layout *l,
		 const uint64_t bank_size[HV_LAYOUT_MAX_BANKS], void *fdt,
		 size_t size)
{
	TRY(fdt_create(fdt, (int)size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(node_root_props(fdt, cfg));
	TRY(node_chosen(fdt, cfg));
	TRY(node_hypervisor(fdt, l));
	TRY(node_memory(fdt, l, bank_size));
	TRY(node_cpus(fdt, cfg));
	TRY(node_psci(fdt));
	TRY(node_gic(fdt, l, cfg->gic));
	TRY(node_timer(fdt));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	return fdt_pack(fdt);
}

int hv_toolstack_build_dt(const struct hv_dt_config *cfg, void *buf,
			  size_t size)
{
	const struct hv_layout *l = cfg->layout ? cfg->layout :
						  hv_layout_default();
	uint64_t bank_size[HV_LAYOUT_MAX_BANKS];

	if (cfg->nr_cpus == 0 || cfg->nr_cpus > HV_MAX_VCPUS || cfg->ram_bytes == 0 ||
	    !hv_layout_split_ram(l, cfg->ram_bytes, bank_size) ||
	    (cfg->gic != HV_GIC_V2 && cfg->gic != HV_GIC_V3) ||
	    (cfg->gic == HV_GIC_V3 && !l->has_gicv3) || size > INT32_MAX)
		return -XEN_EINVAL;
	if (build(cfg, l, bank_size, buf, size) < 0)
		return -XEN_ENOSPC;
	return (int)fdt_totalsize(buf);
}

/* Where boot modules end: 128 MiB into RAM, or RAM's end if sooner. */
static uint64_t modules_end(const struct hv_mem_region *ram)
{
	return ram->size < MODULE_LIMIT ? ram->size : MODULE_LIMIT;
}

int hv_toolstack_place_initrd(struct hv_domain *d, const void *data,
			      size_t len, uint64_t *gpa)
{
	const struct hv_mem_region *ram = &d->mem.region[0];
	/* A tree of up to 2 MiB starts at or above this (see below). */
	uint64_t top = (modules_end(ram) & ~(MODULE_ALIGN - 1));
	uint64_t start;
	void *dst;

	if (len == 0)
		return -XEN_EINVAL;
	if (top < MODULE_ALIGN || len > top - MODULE_ALIGN)
		return -XEN_ENOSPC;
	start = (top - MODULE_ALIGN - len) & ~(uint64_t)(XEN_PAGE_SIZE - 1);
	*gpa = ram->gpa + start;
	dst = hv_gpa_ptr(&d->mem, *gpa, len);
	if (!dst)
		return -XEN_ENOSPC;
	memcpy(dst, data, len);
	return 0;
}

int hv_toolstack_place_dt(struct hv_domain *d, const void *fdt, size_t len,
			  uint64_t *gpa)
{
	const struct hv_mem_region *ram = &d->mem.region[0];
	uint64_t end = modules_end(ram);
	uint64_t size;
	void *dst;

	/* The header must fit before it is read, and the tree it describes
	 * inside the buffer, whole and well formed, before it is copied. */
	if (len < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
	    fdt_totalsize(fdt) > len ||
	    !dt_walk_bounded(fdt, fdt_totalsize(fdt)) ||
	    fdt_check_full(fdt, fdt_totalsize(fdt)))
		return -XEN_EINVAL;
	size = fdt_totalsize(fdt);
	if (size > end)
		return -XEN_ENOSPC;
	*gpa = ram->gpa + ((end - size) & ~(MODULE_ALIGN - 1));
	dst = hv_gpa_ptr(&d->mem, *gpa, size);
	if (!dst)
		return -XEN_ENOSPC;
	memcpy(dst, fdt, size);
	return 0;
}
