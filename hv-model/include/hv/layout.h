/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a domU's RAM, grant window, GIC and magic pages sit in its
 * guest-physical space, as each Xen version places them (the constants of
 * xen/include/public/arch-arm.h and of the toolstack's domain builder).
 * The guest learns all of it from its device tree; the model, the device
 * tree writer and the runtimes take it from here. */
#ifndef HV_LAYOUT_H
#define HV_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define HV_LAYOUT_MAX_BANKS 2

struct hv_layout_range {
	uint64_t base;
	uint64_t size;
};

struct hv_layout {
	const char *name;                  /* "4.5", "4.4" */
	const char *xen;                   /* the Xen versions that use it */
	/* RAM banks, filled in order: a domain larger than bank 0 goes on
	 * into bank 1. */
	struct hv_layout_range ram[HV_LAYOUT_MAX_BANKS];
	unsigned nr_ram;
	struct hv_layout_range gnttab;     /* the /hypervisor grant window */
	/* The toolstack's magic pages (console ring, xenstore ring, ...):
	 * a fixed region, or (magic_after_ram) the pages right after the
	 * domain's RAM, outside the device tree's memory node. */
	struct hv_layout_range magic;
	bool magic_after_ram;
	unsigned nr_magic_pages;           /* the builder populates these */
	struct hv_layout_range gicv2_dist, gicv2_cpu;
	bool has_gicv3;
	struct hv_layout_range gicv3_dist, gicv3_redist;
};

/* The layout Xen 4.5 introduced and 4.17 uses: the default. */
const struct hv_layout *hv_layout_default(void);
/* By name ("4.4", "4.5"); NULL when unknown. */
const struct hv_layout *hv_layout_find(const char *name);
/* The names, for messages: "4.4|4.5". */
const char *hv_layout_names(void);

/* RAM the layout can give one domain, in bytes. */
uint64_t hv_layout_ram_max(const struct hv_layout *l);
/* Split ram_bytes over the banks: size[i] of bank i (0 when unused).
 * False when it does not fit. */
bool hv_layout_split_ram(const struct hv_layout *l, uint64_t ram_bytes,
			 uint64_t size[HV_LAYOUT_MAX_BANKS]);
/* First magic page of a domain with ram_bytes of RAM. */
uint64_t hv_layout_magic_base(const struct hv_layout *l, uint64_t ram_bytes);

#endif
