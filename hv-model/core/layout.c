/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest memory layouts of Xen 4.4 and of Xen 4.5 and later (hv/layout.h).
 * The numbers are those of each version's public arch-arm.h; the magic
 * pages' place is the domain builder's (xc_dom_arm.c). */
#include <stddef.h>
#include <string.h>

#include "hv/layout.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

/* Xen 4.5 .. 4.17: 3 GiB of RAM at 1 GiB and 1016 GiB at 8 GiB, the
 * devices and Xen's windows in the first GiB. GICC grew from 0x100 to
 * 8 KiB (the GICv2 CPU interface's two pages) in 4.7, the GICv3
 * redistributor region from 1 MiB (8 vCPUs) to 16 MiB (128) in 4.6;
 * these are 4.17's sizes. */
static const struct hv_layout layout_4_5 = {
	.name = "4.5",
	.xen = "Xen 4.5 and later (4.17)",
	.ram = { { 0x40000000ull, 0xc0000000ull },
		 { 0x0200000000ull, 0xfe00000000ull } },
	.nr_ram = 2,
	.gnttab = { 0x38000000ull, 16 * MIB },
	.magic = { 0x39000000ull, 16 * MIB },
	.nr_magic_pages = 4,    /* console, xenstore, mem_access, vuart */
	.gicv2_dist = { 0x03001000ull, 0x1000 },
	.gicv2_cpu = { 0x03002000ull, 0x2000 },
	.has_gicv3 = true,
	.gicv3_dist = { 0x03001000ull, 0x10000 },
	.gicv3_redist = { 0x03020000ull, 16 * MIB },
};

/* Xen 4.4: one bank, 768 MiB at 2 GiB, then a 128 KiB grant window (32
 * frames); the GICv2 of the Versatile Express, and no GICv3 for guests
 * (4.5 brought it). There was no magic region: the domain builder put
 * the console and xenstore pages right after the domain's RAM (at
 * rambase + total pages), outside the memory node. 4.4 declared the
 * GICC as 0x100 bytes; the CPU interface is mapped as two pages here, as
 * every later version does, so that the same GIC emulation serves both. */
static const struct hv_layout layout_4_4 = {
	.name = "4.4",
	.xen = "Xen 4.4",
	.ram = { { 0x80000000ull, 768 * MIB } },
	.nr_ram = 1,
	.gnttab = { 0xb0000000ull, 0x20000 },
	.magic_after_ram = true,
	.magic = { 0, 16 * MIB },
	.nr_magic_pages = 2,    /* console, xenstore */
	.gicv2_dist = { 0x2c001000ull, 0x1000 },
	.gicv2_cpu = { 0x2c002000ull, 0x2000 },
	.has_gicv3 = false,
};

static const struct hv_layout *const layouts[] = { &layout_4_4, &layout_4_5 };

const struct hv_layout *hv_layout_default(void)
{
	return &layout_4_5;
}

const struct hv_layout *hv_layout_find(const char *name)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (strcmp(layouts[i]->name, name) == 0)
			return layouts[i];
	return NULL;
}

const char *hv_layout_names(void)
{
	return "4.4|4.5";
}

uint64_t hv_layout_ram_max(const struct hv_layout *l)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < l->nr_ram; i++)
		total += l->ram[i].size;
	return total;
}

bool hv_layout_split_ram(const struct hv_layout *l, uint64_t ram_bytes,
			 uint64_t size[HV_LAYOUT_MAX_BANKS])
{
	for (unsigned i = 0; i < HV_LAYOUT_MAX_BANKS; i++) {
		uint64_t take = 0;

		if (i < l->nr_ram)
			take = ram_bytes < l->ram[i].size ? ram_bytes :
							    l->ram[i].size;
		size[i] = take;
		ram_bytes -= take;
	}
	return ram_bytes == 0;
}

uint64_t hv_layout_magic_base(const struct hv_layout *l, uint64_t ram_bytes)
{
	uint64_t size[HV_LAYOUT_MAX_BANKS];

	if (!l->magic_after_ram)
		return l->magic.base;
	/* A one-bank layout: the pages follow bank 0's RAM. */
	hv_layout_split_ram(l, ram_bytes, size);
	return l->ram[0].base + size[0];
}
