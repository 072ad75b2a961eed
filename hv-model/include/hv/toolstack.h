/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack part of the model: what Xen's toolstack does to build a
 * domU on ARM. It writes the guest device tree with libfdt and places the
 * boot modules in guest RAM where the real toolstack would. */
#ifndef HV_TOOLSTACK_H
#define HV_TOOLSTACK_H

#include <stddef.h>
#include <stdint.h>

#include "hv/layout.h"

struct hv_domain;

enum hv_gic_version {
	HV_GIC_V2 = 2,
	HV_GIC_V3 = 3,
};

struct hv_dt_config {
	const struct hv_layout *layout;   /* NULL: hv_layout_default() */
	uint64_t ram_bytes;               /* over the layout's banks */
	unsigned nr_cpus;
	enum hv_gic_version gic;
	const char *bootargs;        /* /chosen/bootargs; NULL for none */
	/* The initial ramdisk at [initrd_start, initrd_end) in guest RAM
	 * (/chosen linux,initrd-start and -end); both 0 for none. */
	uint64_t initrd_start, initrd_end;
	/* The root as libxl writes it (compatible "xen,xenvm-4.17", "xen,xenvm"
	 * and a model), for a domain xl builds; Xen's own builder (dom0less)
	 * writes neither. */
	bool xl_built;
};

/* Write the guest device tree into buf; its size, or -XEN_ENOSPC when buf
 * is too small, -XEN_EINVAL for a bad config. */
int hv_toolstack_build_dt(const struct hv_dt_config *cfg, void *buf,
			  size_t size);

/* Copy a finished tree, held in len bytes at fdt, into the domain's RAM
 * below 128 MiB (or the end of RAM), 2 MiB aligned, as Xen's toolstack
 * places boot modules; the guest physical address in *gpa. 0, -XEN_EINVAL
 * (a bad tree, or one whose header claims more than len bytes) or
 * -XEN_ENOSPC. */
int hv_toolstack_place_dt(struct hv_domain *d, const void *fdt, size_t len,
			  uint64_t *gpa);

/* Copy an initial ramdisk of len bytes into the domain's RAM, page
 * aligned, ending where the 2 MiB slot hv_toolstack_place_dt gives the
 * device tree begins, as Xen's toolstack puts the ramdisk before the tree
 * among its boot modules; its guest physical address in *gpa. 0, or
 * -XEN_ENOSPC when it does not fit in RAM below the tree (or is empty:
 * -XEN_EINVAL). */
int hv_toolstack_place_initrd(struct hv_domain *d, const void *data,
			      size_t len, uint64_t *gpa);

#endif
