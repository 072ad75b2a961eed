/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel files: detection, header checks and placement in guest RAM, after
 * the boot protocols (Linux arm64 Image and arm32 zImage) and what Xen's
 * domain builder does with them. Never trusts a size, offset or address
 * read from the file: each is checked before it is added to anything. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv/domain.h"
#include "file.h"
#include "hv/mem.h"
#include "loader.h"

/* arm64 Image header (64 bytes, little endian). */
#define IMAGE_HDR_LEN          64
#define IMAGE_TEXT_OFFSET_AT   8
#define IMAGE_SIZE_AT          16
#define IMAGE_FLAGS_AT         24
#define IMAGE_MAGIC_AT         56
#define IMAGE_MAGIC            0x644d5241u   /* "ARM\x64" */
#define IMAGE_MAGIC_V0         0x14000008u   /* first word of pre-3.12 Images */
#define IMAGE_FLAG_BE          (1u << 0)
#define IMAGE_TEXT_ALIGN       4096u

/* arm32 zImage header: three words at 0x24, little endian. */
#define ZIMAGE_HDR_LEN         0x30
#define ZIMAGE_MAGIC_AT        0x24
#define ZIMAGE_START_AT        0x28
#define ZIMAGE_END_AT          0x2c
#define ZIMAGE_MAGIC           0x016f2818u

/* ELF identification. */
#define ELF_MACHINE_AT         18
#define ELF_EM_ARM             40
#define ELF_EM_AARCH64         183

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static bool is_elf(const uint8_t *p, size_t len)
{
	return len >= 20 && memcmp(p, "\177ELF", 4) == 0;
}

const char *sim_kernel_kind_name(enum sim_kernel_kind kind)
{
	switch (kind) {
	case SIM_KERNEL_NATIVE:
		return "native program";
	case SIM_KERNEL_ARM64:
		return "arm64 Image";
	case SIM_KERNEL_ARM32:
		return "arm32 zImage";
	default:
		return "unknown";
	}
}

enum sim_kernel_kind sim_kernel_detect(const void *head, size_t len)
{
	const uint8_t *p = head;

	if (is_elf(p, len)) {
		unsigned machine = p[ELF_MACHINE_AT] | p[ELF_MACHINE_AT + 1] << 8;

		return machine == ELF_EM_ARM || machine == ELF_EM_AARCH64 ?
			       SIM_KERNEL_UNKNOWN : SIM_KERNEL_NATIVE;
	}
	if (len >= IMAGE_HDR_LEN && (le32(p + IMAGE_MAGIC_AT) == IMAGE_MAGIC ||
				     le32(p) == IMAGE_MAGIC_V0))
		return SIM_KERNEL_ARM64;
	if (len >= ZIMAGE_HDR_LEN && le32(p + ZIMAGE_MAGIC_AT) == ZIMAGE_MAGIC)
		return SIM_KERNEL_ARM32;
	return SIM_KERNEL_UNKNOWN;
}

/* Why a file is no kernel we run, as precisely as its first bytes allow. */
static int explain_unknown(const uint8_t *p, size_t len, char *err,
			   size_t errlen)
{
	if (len == 0)
		return fail(err, errlen, "empty file");
	if (is_elf(p, len))
		return fail(err, errlen, "an ARM ELF file (vmlinux?), not a "
			    "boot image: convert it with objcopy -O binary");
	if (len < IMAGE_HDR_LEN)
		return fail(err, errlen, "truncated: %zu bytes, shorter than "
			    "an arm64 Image header and without zImage magic",
			    len);
	return fail(err, errlen, "not a kernel: bad magic (no \"ARM\\x64\" "
		    "at 0x38, no zImage magic 0x%08x at 0x24)", ZIMAGE_MAGIC);
}

static int parse_image(struct sim_kernel *k, const uint8_t *p, size_t len,
		       char *err, size_t errlen)
{
	uint64_t text_offset = le64(p + IMAGE_TEXT_OFFSET_AT);
	uint64_t image_size = le64(p + IMAGE_SIZE_AT);
	uint64_t flags = le64(p + IMAGE_FLAGS_AT);

	if (image_size == 0)
		text_offset = SIM_IMAGE_LEGACY_TEXT_OFFSET;
	else if (flags & IMAGE_FLAG_BE)
		return fail(err, errlen, "big-endian arm64 Image (flags 0x%llx):"
			    " only little-endian guests run here",
			    (unsigned long long)flags);
	if (text_offset % IMAGE_TEXT_ALIGN)
		return fail(err, errlen, "text_offset 0x%llx is not a multiple "
			    "of %u", (unsigned long long)text_offset,
			    IMAGE_TEXT_ALIGN);
	if (text_offset >= SIM_KERNEL_MAX_FILE)
		return fail(err, errlen, "text_offset 0x%llx lies beyond any "
			    "guest RAM", (unsigned long long)text_offset);
	if (image_size >= SIM_KERNEL_MAX_FILE)
		return fail(err, errlen, "image_size 0x%llx is larger than any "
			    "guest RAM", (unsigned long long)image_size);
	k->kind = SIM_KERNEL_ARM64;
	k->load_offset = text_offset;
	k->mem_size = image_size > len ? image_size : len;
	k->entry = 0;
	return 0;
}

static int parse_zimage(struct sim_kernel *k, const uint8_t *p, size_t len,
			char *err, size_t errlen)
{
	uint32_t start = le32(p + ZIMAGE_START_AT);
	uint32_t end = le32(p + ZIMAGE_END_AT);

	if (end <= start)
		return fail(err, errlen, "zImage end 0x%08x is not above its "
			    "start 0x%08x", end, start);
	if (end - start > len)
		return fail(err, errlen, "truncated zImage: the header says "
			    "%u bytes, the file has %zu", end - start, len);
	/* The header's end is the image's size (the boot protocol's zImage
	 * is [start, end)): what follows in the file is not loaded. */
	k->kind = SIM_KERNEL_ARM32;
	k->load_offset = SIM_ZIMAGE_LOAD_OFFSET;
	k->len = end - start;
	k->trailing = len - k->len;
	k->mem_size = k->len;
	k->entry = start;
	return 0;
}

int sim_kernel_parse(struct sim_kernel *k, const void *data, size_t len,
		     char *err, size_t errlen)
{
	const uint8_t *p = data;

	memset(k, 0, sizeof(*k));
	k->data = p;
	k->len = len;
	if (len > SIM_KERNEL_MAX_FILE)
		return fail(err, errlen, "%zu bytes: larger than any guest RAM",
			    len);
	switch (sim_kernel_detect(p, len)) {
	case SIM_KERNEL_ARM64:
		return parse_image(k, p, len, err, errlen);
	case SIM_KERNEL_ARM32:
		return parse_zimage(k, p, len, err, errlen);
	case SIM_KERNEL_NATIVE:
		k->kind = SIM_KERNEL_NATIVE;
		return 0;
	default:
		return explain_unknown(p, len, err, errlen);
	}
}

int sim_kernel_read(struct sim_kernel *k, const char *path, char *err,
		    size_t errlen)
{
	size_t len = 0;
	uint8_t *buf = sim_file_read(path, SIM_KERNEL_MAX_FILE, &len, err,
				     errlen);

	memset(k, 0, sizeof(*k));
	if (!buf)
		return -1;
	if (sim_kernel_parse(k, buf, len, err, errlen)) {
		free(buf);
		k->data = NULL;
		return -1;
	}
	k->owned = buf;
	return 0;
}

int sim_kernel_probe(const char *path, enum sim_kernel_kind *kind, char *err,
		     size_t errlen)
{
	uint8_t head[IMAGE_HDR_LEN];
	struct stat st;
	ssize_t n;
	int fd;

	/* Never open what is not a regular file, and never block (a FIFO
	 * would wait for a writer): look, open without blocking, look again. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return fail(err, errlen, "%s, not a regular file",
			    sim_file_kind(st.st_mode));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, "%s, not a regular file",
			    sim_file_kind(st.st_mode));
	}
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return fail(err, errlen, "cannot read: %s", strerror(errno));
	*kind = sim_kernel_detect(head, (size_t)n);
	if (*kind == SIM_KERNEL_UNKNOWN)
		return explain_unknown(head, (size_t)n, err, errlen);
	return 0;
}

void sim_kernel_free(struct sim_kernel *k)
{
	free(k->owned);
	memset(k, 0, sizeof(*k));
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int sim_kernel_place(const struct sim_kernel *k, struct hv_domain *d,
		     uint64_t dtb, uint64_t dtb_size, struct sim_boot *boot,
		     char *err, size_t errlen)
{
	const struct hv_mem_region *ram = &d->mem.region[0];
	uint64_t load;
	void *dst;

	if (k->kind != SIM_KERNEL_ARM64 && k->kind != SIM_KERNEL_ARM32)
		return fail(err, errlen, "a %s cannot be loaded into guest RAM",
			    sim_kernel_kind_name(k->kind));
	if (k->load_offset > ram->size || k->mem_size > ram->size -
					       k->load_offset)
		return fail(err, errlen, "%s of %llu KiB at RAM + 0x%llx does "
			    "not fit in %llu MiB of RAM",
			    sim_kernel_kind_name(k->kind),
			    (unsigned long long)(k->mem_size >> 10),
			    (unsigned long long)k->load_offset,
			    (unsigned long long)(ram->size >> 20));
	load = ram->gpa + k->load_offset;
	if (overlap(load, k->mem_size, dtb, dtb_size))
		return fail(err, errlen, "kernel at [0x%llx, 0x%llx) would "
			    "overlap the device tree at [0x%llx, 0x%llx)",
			    (unsigned long long)load,
			    (unsigned long long)(load + k->mem_size),
			    (unsigned long long)dtb,
			    (unsigned long long)(dtb + dtb_size));
	boot->entry = k->entry ? k->entry : load;
	if (boot->entry < load || boot->entry - load >= k->len)
		return fail(err, errlen, "zImage start address 0x%llx is "
			    "outside the image loaded at 0x%llx",
			    (unsigned long long)boot->entry,
			    (unsigned long long)load);
	dst = hv_gpa_ptr(&d->mem, load, k->len);
	if (!dst)
		return fail(err, errlen, "kernel does not fit in guest RAM");
	memcpy(dst, k->data, k->len);
	boot->image_start = load;
	boot->image_end = load + k->mem_size;
	boot->dtb = dtb;
	boot->cpu_on = false;
	return 0;
}
