/* SPDX-License-Identifier: BSD-2-Clause */
/* Device-tree discovery with libfdt. Every property is checked for size
 * before use: a malformed tree gives an error that names the node, never
 * a wild read. */
#include <libfdt.h>

#include "gxen/dt.h"
#include "gxen/dt_walk.h"
#include "kern/string.h"

/* PPIs are numbered from INTID 16 in the GIC binding's second cell. */
#define GIC_SPI 0
#define GIC_PPI 1
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32

struct cells {
	int addr;
	int size;
};

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

static int root_cells(const void *fdt, struct cells *c, const char **why)
{
	c->addr = fdt_address_cells(fdt, 0);
	c->size = fdt_size_cells(fdt, 0);
	if (c->addr < 1 || c->addr > 2 || c->size < 1 || c->size > 2) {
		*why = "root #address-cells/#size-cells out of range";
		return -1;
	}
	return 0;
}

/* reg entry idx of node as (base, size); -1 if the property is short. */
static int reg_entry(const void *fdt, int node, const struct cells *c,
		     int idx, paddr_t *base, uint64_t *size)
{
	int len, stride = c->addr + c->size;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || len % (int)(stride * sizeof(fdt32_t)) ||
	    (idx + 1) * stride * (int)sizeof(fdt32_t) > len)
		return -1;
	reg += idx * stride;
	*base = read_cells(reg, c->addr);
	*size = read_cells(reg + c->addr, c->size);
	return 0;
}

static int find_memory(const void *fdt, const struct cells *c,
		       struct dt_info *info, const char **why)
{
	int node = -1;

	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", sizeof("memory"));
		if (node < 0)
			break;
		for (int i = 0; info->nr_mem < DT_MAX_MEM_BANKS; i++) {
			paddr_t base;
			uint64_t size;

			if (reg_entry(fdt, node, c, i, &base, &size))
				break;
			if (size == 0)
				continue;
			info->mem[info->nr_mem].base = base;
			info->mem[info->nr_mem].size = size;
			info->nr_mem++;
		}
	}
	if (info->nr_mem == 0) {
		*why = "no /memory node with a usable reg";
		return -1;
	}
	return 0;
}

/* compatible = "xen,xen-X.Y", "xen,xen": take the version from the first. */
static int hypervisor_version(const void *fdt, int node, struct dt_info *info,
			      const char **why)
{
	static const char prefix[] = "xen,xen-";
	const char *compat;
	int len;

	if (fdt_node_check_compatible(fdt, node, "xen,xen") != 0) {
		*why = "/hypervisor is not compatible with \"xen,xen\"";
		return -1;
	}
	compat = fdt_getprop(fdt, node, "compatible", &len);
	for (int off = 0; compat && off < len;) {
		const char *s = compat + off;
		size_t n = strnlen(s, (size_t)(len - off));

		if (n < sizeof(info->xen_version) + sizeof(prefix) - 1 &&
		    strncmp(s, prefix, sizeof(prefix) - 1) == 0) {
			memcpy(info->xen_version, s + sizeof(prefix) - 1,
			       n - (sizeof(prefix) - 1));
			info->xen_version[n - (sizeof(prefix) - 1)] = '\0';
			break;
		}
		off += (int)n + 1;
	}
	return 0;
}

/* interrupts = <type number flags>: the event-channel PPI. */
static int hypervisor_irq(const void *fdt, int node, struct dt_info *info,
			  const char **why)
{
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	uint32_t type, num;

	if (!irq || len < 3 * (int)sizeof(fdt32_t)) {
		*why = "/hypervisor has no valid interrupts property";
		return -1;
	}
	type = fdt32_to_cpu(irq[0]);
	num = fdt32_to_cpu(irq[1]);
	if (type != GIC_PPI || num > 15) {
		*why = "/hypervisor interrupt is not a PPI";
		return -1;
	}
	info->evtchn_intid = GIC_PPI_BASE + num;
	return 0;
}

static int find_hypervisor(const void *fdt, const struct cells *c,
			   struct dt_info *info, const char **why)
{
	int node = fdt_path_offset(fdt, "/hypervisor");

	if (node < 0) {
		*why = "no /hypervisor node: not running on Xen";
		return -1;
	}
	if (hypervisor_version(fdt, node, info, why))
		return -1;
	if (reg_entry(fdt, node, c, 0, &info->gnttab_base, &info->gnttab_size) ||
	    info->gnttab_size == 0) {
		*why = "/hypervisor has no grant-table region in reg";
		return -1;
	}
	return hypervisor_irq(fdt, node, info, why);
}

/* A CPU node's reg, one cell as /cpus says (#address-cells 1); ~0 when
 * it has no such reg. */
static uint32_t cpu_reg(const void *fdt, int node)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || len != (int)sizeof(*reg))
		return ~0u;
	return fdt32_to_cpu(*reg);
}

static void find_cpus(const void *fdt, struct dt_info *info)
{
	int node = -1;

	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "cpu", sizeof("cpu"));
		if (node < 0)
			break;
		if (info->nr_cpus < DT_MAX_CPUS)
			info->cpu_mpidr[info->nr_cpus] = cpu_reg(fdt, node);
		info->nr_cpus++;
	}
}

/* Copy a string property into dst, truncated and nul-terminated. */
static void copy_prop(char *dst, size_t size, const char *s, int len)
{
	size_t n;

	if (!s || len <= 0)
		return;
	n = strnlen(s, (size_t)len);
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The architected timer; interrupts = <secure phys, phys, virt, hyp>, each
 * <type number flags>: the guest uses the virtual timer's PPI. */
static void find_timer(const void *fdt, struct dt_info *info)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	const fdt32_t *irq;
	int len;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return;
	info->has_timer = true;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < 9 * (int)sizeof(fdt32_t))
		return;
	if (fdt32_to_cpu(irq[6]) == GIC_PPI && fdt32_to_cpu(irq[7]) <= 15)
		info->timer_intid = GIC_PPI_BASE + fdt32_to_cpu(irq[7]);
}

/* The root's interrupt parent, else the first interrupt controller. */
static int gic_node(const void *fdt)
{
	int len;
	const fdt32_t *ph = fdt_getprop(fdt, 0, "interrupt-parent", &len);
	int node = -1;

	if (ph && len == sizeof(*ph))
		node = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
	if (node < 0)
		node = fdt_node_offset_by_prop_value(fdt, -1,
						     "interrupt-controller", "", 0);
	return node;
}

static bool is_gicv2(const void *fdt, int node)
{
	static const char *const compat[] = {
		"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic",
		"arm,cortex-a9-gic",
	};

	for (unsigned i = 0; i < sizeof(compat) / sizeof(compat[0]); i++) {
		if (fdt_node_check_compatible(fdt, node, compat[i]) == 0)
			return true;
	}
	return false;
}

/* GIC version and register bases. reg is read with the cells of the GIC's
 * parent: v2 <distributor, CPU interface, ...>, v3 <distributor,
 * redistributor region 0, ...>. A GIC we cannot read stays version 0. */
static void find_gic(const void *fdt, struct dt_info *info)
{
	int node = gic_node(fdt), parent, len;
	struct cells c;
	paddr_t dist, second;
	uint64_t size, second_size;
	const char *s;

	if (node < 0)
		return;
	s = fdt_getprop(fdt, node, "compatible", &len);
	copy_prop(info->gic_compatible, sizeof(info->gic_compatible), s, len);
	parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return;
	c.addr = fdt_address_cells(fdt, parent);
	c.size = fdt_size_cells(fdt, parent);
	if (c.addr < 1 || c.addr > 2 || c.size < 1 || c.size > 2 ||
	    reg_entry(fdt, node, &c, 0, &dist, &size) ||
	    reg_entry(fdt, node, &c, 1, &second, &second_size))
		return;
	if (fdt_node_check_compatible(fdt, node, "arm,gic-v3") == 0) {
		info->gic_version = 3;
		info->gic_redist_base = second;
		info->gic_redist_size = second_size;
	} else if (is_gicv2(fdt, node)) {
		info->gic_version = 2;
		info->gic_cpu_base = second;
		info->gic_cpu_size = second_size;
	} else {
		return;
	}
	info->gic_dist_base = dist;
	info->gic_dist_size = size;
}

static void find_platform(const void *fdt, struct dt_info *info)
{
	const char *s;
	int node, len;

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	if (node >= 0) {
		s = fdt_getprop(fdt, node, "method", &len);
		info->psci_hvc = s && len == sizeof("hvc") &&
				 memcmp(s, "hvc", sizeof("hvc")) == 0;
	}
	info->xl_built = fdt_node_check_compatible(fdt, 0, "xen,xenvm") == 0;
	find_timer(fdt, info);
	find_gic(fdt, info);
	node = fdt_path_offset(fdt, "/chosen");
	if (node >= 0) {
		s = fdt_getprop(fdt, node, "bootargs", &len);
		copy_prop(info->bootargs, sizeof(info->bootargs), s, len);
		info->bootargs_cut = s && len > 0 &&
			strnlen(s, (size_t)len) >= sizeof(info->bootargs);
	}
}

uint32_t dt_total_size(const void *fdt)
{
	return fdt_check_header(fdt) == 0 ? fdt_totalsize(fdt) : 0;
}

int dt_discover(const void *fdt, struct dt_info *info, const char **why)
{
	struct cells c;

	memset(info, 0, sizeof(*info));
	if (!fdt || fdt_check_header(fdt) != 0) {
		*why = "no valid device tree (bad magic or header)";
		return -1;
	}
	/* Before version 16 node names were whole paths; libfdt 1.6.1's
	 * fdt_check_full reads through a NULL name on such a tree. */
	if (fdt_version(fdt) < 16) {
		*why = "device tree older than version 16";
		return -1;
	}
	/* Walk the whole structure once, within its declared size, before
	 * any lookup trusts an offset in it. */
	if (fdt_totalsize(fdt) > DT_MAX_SIZE ||
	    !dt_walk_bounded(fdt, fdt_totalsize(fdt)) ||
	    fdt_check_full(fdt, fdt_totalsize(fdt)) != 0) {
		*why = "malformed device tree (structure or size)";
		return -1;
	}
	if (root_cells(fdt, &c, why) || find_memory(fdt, &c, info, why) ||
	    find_hypervisor(fdt, &c, info, why))
		return -1;
	find_cpus(fdt, info);
	find_platform(fdt, info);
	return 0;
}
