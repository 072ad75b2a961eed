/* SPDX-License-Identifier: BSD-2-Clause */
/* What the guest learns from the device tree the hypervisor handed over:
 * its RAM, the /hypervisor node (Xen version, grant-table region, event
 * channel interrupt), CPUs, PSCI, timer and GIC. */
#ifndef GXEN_DT_H
#define GXEN_DT_H

#include <stdbool.h>
#include <stdint.h>

#include "port.h"

#define DT_MAX_MEM_BANKS 4
#define DT_MAX_CPUS      8
/* The largest tree the guest accepts, as Linux on arm64 does. */
#define DT_MAX_SIZE (2u << 20)

struct dt_info {
	struct {
		paddr_t base;
		uint64_t size;
	} mem[DT_MAX_MEM_BANKS];
	unsigned nr_mem;

	char xen_version[16];     /* "4.17" from "xen,xen-4.17"; "" if absent */
	paddr_t gnttab_base;      /* /hypervisor reg[0] */
	uint64_t gnttab_size;
	unsigned evtchn_intid;    /* GIC INTID of the event-channel PPI */

	unsigned nr_cpus;
	/* Each CPU node's reg (its MPIDR affinity, PSCI's target), the first
	 * DT_MAX_CPUS in tree order; a node without a 32-bit reg gives ~0. */
	uint32_t cpu_mpidr[DT_MAX_CPUS];
	bool psci_hvc;            /* /psci method = "hvc" */
	char gic_compatible[32];
	unsigned gic_version;     /* 2 or 3; 0 when not recognised */
	paddr_t gic_dist_base;    /* distributor (GICD) */
	uint64_t gic_dist_size;
	paddr_t gic_cpu_base;     /* v2: CPU interface (GICC); v3: 0 */
	uint64_t gic_cpu_size;
	paddr_t gic_redist_base;  /* v3: first redistributor region; v2: 0 */
	uint64_t gic_redist_size;
	bool has_timer;
	unsigned timer_intid;     /* GIC INTID of the virtual timer PPI; 0 if none */
	char bootargs[2048];      /* /chosen/bootargs, as much as fits */
	bool bootargs_cut;        /* the tree's bootargs did not fit */
	/* The root is compatible with "xen,xenvm": libxl (xl) wrote the tree.
	 * Xen's own builder (dom0less domUs) and dom0's firmware tree are
	 * not, and what Xen lets a domain do differs between them. */
	bool xl_built;
};

/* Parse the device tree at fdt; 0, or a negative number with *why set to a
 * sentence naming the missing or malformed node. A missing /hypervisor
 * node is an error: the guest cannot run without Xen. */
int dt_discover(const void *fdt, struct dt_info *info, const char **why);

/* Total size of the flattened tree (its header's totalsize), 0 if bad. */
uint32_t dt_total_size(const void *fdt);

#endif
