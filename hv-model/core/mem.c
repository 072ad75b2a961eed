/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory regions and the only translation from guest numbers to host
 * pointers. Every check is overflow-safe: a guest may pass any 64-bit value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/errno.h>

#include "hv/mem.h"

static bool range_inside(uint64_t base, uint64_t size, uint64_t addr,
			 uint64_t len)
{
	return addr >= base && addr - base <= size && len <= size - (addr - base);
}

/* Whether every page of [off, off + len) of region r is backed. */
static bool pages_present(const struct hv_mem_region *r, uint64_t off,
			  uint64_t len)
{
	uint64_t first = off >> HV_PAGE_SHIFT;
	uint64_t last = (off + (len ? len - 1 : 0)) >> HV_PAGE_SHIFT;

	if (!r->present)
		return true;
	for (uint64_t pg = first; pg <= last; pg++)
		if (!(r->present[pg / 8] >> (pg % 8) & 1))
			return false;
	return true;
}

int hv_mem_add_region(struct hv_mem *mem, const char *name, uint64_t gpa,
		      uint64_t size)
{
	struct hv_mem_region *r;
	void *host;

	if (mem->nr_regions == HV_MAX_REGIONS || size == 0 ||
	    (gpa | size) & (HV_PAGE_SIZE - 1) || gpa + size < gpa)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		r = &mem->region[i];
		if (gpa < r->gpa + r->size && r->gpa < gpa + size)
			return -XEN_EINVAL;
	}
	/* mmap: page aligned, zeroed, and mappable by an emulated CPU as is. */
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED)
		return -XEN_ENOMEM;
	r = &mem->region[mem->nr_regions++];
	r->name = name;
	r->gpa = gpa;
	r->size = size;
	r->host = host;
	return 0;
}

void hv_mem_free(struct hv_mem *mem)
{
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		munmap(mem->region[i].host, mem->region[i].size);
		free(mem->region[i].present);
	}
	memset(mem, 0, sizeof(*mem));
}

int hv_mem_add_sparse_region(struct hv_mem *mem, const char *name,
			     uint64_t gpa, uint64_t size)
{
	uint8_t *present;
	int rc;

	if (size == 0 || size & (HV_PAGE_SIZE - 1))
		return -XEN_EINVAL;
	present = calloc(1, (size >> HV_PAGE_SHIFT) / 8 + 1);
	if (!present)
		return -XEN_ENOMEM;
	rc = hv_mem_add_region(mem, name, gpa, size);
	if (rc) {
		free(present);
		return rc;
	}
	mem->region[mem->nr_regions - 1].present = present;
	return 0;
}

int hv_mem_set_present(struct hv_mem *mem, uint64_t gpfn, bool present)
{
	uint64_t gpa = gpfn << HV_PAGE_SHIFT;

	if (gpfn > UINT64_MAX >> HV_PAGE_SHIFT)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		struct hv_mem_region *r = &mem->region[i];
		uint64_t pg;

		if (!r->present || gpa < r->gpa || gpa - r->gpa >= r->size)
			continue;
		pg = (gpa - r->gpa) >> HV_PAGE_SHIFT;
		if (present)
			r->present[pg / 8] |= (uint8_t)(1u << (pg % 8));
		else
			r->present[pg / 8] &= (uint8_t)~(1u << (pg % 8));
		return 0;
	}
	return -XEN_EINVAL;
}

int hv_mem_add_host_range(struct hv_mem *mem, const void *start, size_t len)
{
	if (mem->nr_host_ranges == HV_MAX_HOST_RANGES)
		return -XEN_ENOSPC;
	mem->host_range[mem->nr_host_ranges].start = (uintptr_t)start;
	mem->host_range[mem->nr_host_ranges].len = len;
	mem->nr_host_ranges++;
	return 0;
}

void *hv_gpa_ptr(const struct hv_mem *mem, uint64_t gpa, size_t len)
{
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct hv_mem_region *r = &mem->region[i];

		if (range_inside(r->gpa, r->size, gpa, len))
			return pages_present(r, gpa - r->gpa, len) ?
				r->host + (gpa - r->gpa) : NULL;
	}
	return NULL;
}

void *hv_gpfn_ptr(const struct hv_mem *mem, uint64_t gpfn)
{
	if (gpfn > UINT64_MAX >> HV_PAGE_SHIFT)
		return NULL;
	return hv_gpa_ptr(mem, gpfn << HV_PAGE_SHIFT, HV_PAGE_SIZE);
}

bool hv_gpfn_valid(const struct hv_mem *mem, uint64_t gpfn)
{
	return hv_gpfn_ptr(mem, gpfn) != NULL;
}

uint64_t hv_host_to_gpa(const struct hv_mem *mem, const void *p)
{
	uintptr_t addr = (uintptr_t)p;

	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct hv_mem_region *r = &mem->region[i];
		uintptr_t base = (uintptr_t)r->host;

		if (addr >= base && addr - base < r->size)
			return r->gpa + (addr - base);
	}
	return UINT64_MAX;
}

void hv_mem_log_arg(const struct hv_mem *mem, uint64_t v, char *buf,
		    size_t len)
{
	uint64_t gpa;

	if (mem->va_mode == HV_VA_HOST && v) {
		gpa = hv_host_to_gpa(mem, (const void *)(uintptr_t)v);
		if (gpa != UINT64_MAX) {
			snprintf(buf, len, "%#llx", (unsigned long long)gpa);
			return;
		}
		for (unsigned i = 0; i < mem->nr_host_ranges; i++) {
			const struct hv_host_range *h = &mem->host_range[i];

			if (v >= h->start && v - h->start < h->len) {
				snprintf(buf, len, "(host)");
				return;
			}
		}
	}
	snprintf(buf, len, "%#llx", (unsigned long long)v);
}

void *hv_gva_ptr(const struct hv_mem *mem, uint64_t gva, size_t len)
{
	if (mem->va_mode == HV_VA_IDENTITY)
		return hv_gpa_ptr(mem, gva, len);

	/* Native guest: the pointer must lie wholly inside guest RAM or a
	 * declared host range (its stack and static image). */
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct hv_mem_region *r = &mem->region[i];

		if (range_inside((uintptr_t)r->host, r->size, gva, len))
			return pages_present(r, gva - (uintptr_t)r->host, len) ?
				(void *)(uintptr_t)gva : NULL;
	}
	for (unsigned i = 0; i < mem->nr_host_ranges; i++) {
		const struct hv_host_range *h = &mem->host_range[i];

		if (range_inside(h->start, h->len, gva, len))
			return (void *)(uintptr_t)gva;
	}
	return NULL;
}

int hv_copy_from_guest(const struct hv_mem *mem, void *dst, uint64_t gva,
		       size_t len)
{
	const void *src = hv_gva_ptr(mem, gva, len);

	if (!src)
		return -XEN_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int hv_copy_to_guest(const struct hv_mem *mem, uint64_t gva, const void *src,
		     size_t len)
{
	void *dst = hv_gva_ptr(mem, gva, len);

	if (!dst)
		return -XEN_EFAULT;
	memcpy(dst, src, len);
	return 0;
}
