/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel files for `xensim run KERNEL`: recognise an arm64 Image, an arm32
 * zImage or a native (workstation) program, check the header and place the
 * kernel in guest RAM where Xen's domain builder puts it. The file is hostile
 * input: every header field is range-checked before it is used. */
#ifndef SIM_LOADER_H
#define SIM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hv_domain;

enum sim_kernel_kind {
	SIM_KERNEL_UNKNOWN,
	SIM_KERNEL_NATIVE,      /* an ELF program for this workstation */
	SIM_KERNEL_ARM64,       /* Linux arm64 boot Image */
	SIM_KERNEL_ARM32,       /* Linux arm32 zImage */
};

/* Where Xen's toolstack loads a kernel, as an offset from the RAM base. */
#define SIM_ZIMAGE_LOAD_OFFSET 0x8000u
/* Image headers before Linux 3.17 leave image_size 0 and mean this offset. */
#define SIM_IMAGE_LEGACY_TEXT_OFFSET 0x80000u
/* The largest file the loader reads: no guest RAM bank is larger. */
#define SIM_KERNEL_MAX_FILE (3ull << 30)

struct sim_kernel {
	enum sim_kernel_kind kind;
	const uint8_t *data;         /* the whole file */
	size_t len;                  /* bytes to load from data */
	size_t trailing;             /* bytes of the file after the image its
				      * header declares: not loaded */
	uint64_t load_offset;        /* from the start of RAM */
	uint64_t mem_size;           /* bytes the kernel occupies once loaded */
	uint64_t entry;              /* absolute entry (zImage start), or 0:
				      * enter at the load address */
	void *owned;                 /* what sim_kernel_free releases */
};

struct sim_boot {
	uint64_t entry;              /* first instruction */
	uint64_t image_start;        /* [image_start, image_end) in RAM */
	uint64_t image_end;
	uint64_t dtb;                /* device tree, for x0 / r2 */
	/* A CPU that PSCI CPU_ON starts: dtb's slot holds the context id,
	 * for x0 / r0. */
	bool cpu_on;
};

const char *sim_kernel_kind_name(enum sim_kernel_kind kind);

/* What kind of kernel a file starts with; UNKNOWN when nothing matches. */
enum sim_kernel_kind sim_kernel_detect(const void *head, size_t len);

/* Check the header of an in-memory kernel and fill k (data is borrowed).
 * 0, or -1 with a message in err. */
int sim_kernel_parse(struct sim_kernel *k, const void *data, size_t len,
		     char *err, size_t errlen);

/* Read a kernel file and parse it; 0, or -1 with a message in err. */
int sim_kernel_read(struct sim_kernel *k, const char *path, char *err,
		    size_t errlen);

/* Only the kind of a kernel file, from its first bytes: for the CLI. */
int sim_kernel_probe(const char *path, enum sim_kernel_kind *kind, char *err,
		     size_t errlen);

void sim_kernel_free(struct sim_kernel *k);

/* Copy the kernel into the domain's first RAM bank, refusing one that does
 * not fit or would overlap the device tree at [dtb, dtb + dtb_size).
 * 0, or -1 with a message in err. */
int sim_kernel_place(const struct sim_kernel *k, struct hv_domain *d,
		     uint64_t dtb, uint64_t dtb_size, struct sim_boot *boot,
		     char *err, size_t errlen);

#endif
