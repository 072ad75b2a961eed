/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory regions and the only translation from guest numbers to host
 * pointers. Every check is overflow-safe: a guest may pass any 64-bit value.
 * Regions live in memory files, so a page of one can be mapped again over
 * a page of another (a grant a guest maps). */
#define _GNU_SOURCE   /* memfd_create, SEEK_DATA */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* The host address of [off, off + len) of region i, its pages marked
 * touched when someone tracks them. */
static void *touch(const struct hv_mem *mem, unsigned i, uint64_t off,
		   uint64_t len)
{
	uint8_t *t = mem->touched[i];

	if (t) {
		uint64_t first = off >> HV_PAGE_SHIFT;
		uint64_t last = (off + (len ? len - 1 : 0)) >> HV_PAGE_SHIFT;

		/* No loop: this runs on every guest copy, mostly of one page. */
		if (first == last)
			t[first] = 1;
		else
			memset(t + first, 1, (size_t)(last - first + 1));
	}
	return mem->region[i].host + off;
}

/* Regions hv_mem_free kept (hv_mem_recycle), the last freed on top. */
#define MAX_KEPT 8
static struct hv_mem_region kept[MAX_KEPT];
static unsigned nr_kept;
static bool recycling;

bool hv_mem_region_data_runs(const struct hv_mem_region *r,
			     hv_mem_run_fn *fn, void *ctx)
{
	off_t size = (off_t)r->size, at = 0;

	if (r->fd < 0)
		return fn(ctx, 0, r->size);
	while (at < size) {
		off_t data = lseek(r->fd, at, SEEK_DATA), hole;

		if (data < 0)
			return errno == ENXIO;     /* no data past at */
		hole = lseek(r->fd, data, SEEK_HOLE);
		if (hole < 0)
			return false;
		if (hole > size)
			hole = size;
		if (!fn(ctx, (uint64_t)data, (uint64_t)hole))
			return false;
		at = hole;
	}
	return true;
}

static bool zero_run(void *ctx, uint64_t off, uint64_t end)
{
	const struct hv_mem_region *r = ctx;

	memset(r->host + off, 0, (size_t)(end - off));
	return true;
}

/* Zero the pages of r that were ever touched (the data its memory file
 * holds: SEEK_DATA skips the holes at once, where mincore would look up
 * every page), leaving the others unallocated; false when that cannot be
 * known. */
static bool zero_touched(const struct hv_mem_region *r)
{
	return hv_mem_region_data_runs(r, zero_run, (void *)r);
}

/* Map r's own page pg back where another file's page was. */
static bool own_page_back(const struct hv_mem_region *r, uint64_t pg)
{
	return mmap(r->host + (pg << HV_PAGE_SHIFT), HV_PAGE_SIZE,
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, r->fd,
		    (off_t)(pg << HV_PAGE_SHIFT)) != MAP_FAILED;
}

/* Every page of r its own again; false if one cannot be. */
static bool unalias_all(const struct hv_mem_region *r)
{
	uint64_t pages = r->size >> HV_PAGE_SHIFT;

	if (!r->aliased)
		return true;
	for (uint64_t pg = 0; pg < pages; pg++)
		if ((r->aliased[pg / 8] >> (pg % 8) & 1) && !own_page_back(r, pg))
			return false;
	return true;
}

/* Keep r for a later hv_mem_add_region; false when it cannot be. */
static bool keep_region(const struct hv_mem_region *r)
{
	if (!recycling || nr_kept == MAX_KEPT || r->fd < 0 ||
	    !unalias_all(r) || !zero_touched(r))
		return false;
	kept[nr_kept] = *r;
	kept[nr_kept].present = NULL;
	kept[nr_kept].aliased = NULL;
	kept[nr_kept].readonly = NULL;
	nr_kept++;
	return true;
}

static void unmap_region(const struct hv_mem_region *r)
{
	munmap(r->host, r->size);
	if (r->fd >= 0)
		close(r->fd);
}

/* A kept region for name at gpa of size bytes, taken off the list. */
static bool take_kept(const char *name, uint64_t gpa, uint64_t size,
		      struct hv_mem_region *out)
{
	for (unsigned i = nr_kept; i-- > 0;) {
		if (kept[i].gpa != gpa || kept[i].size != size ||
		    strcmp(kept[i].name, name) != 0)
			continue;
		*out = kept[i];
		memmove(&kept[i], &kept[i + 1], (nr_kept - i - 1) *
			sizeof(kept[0]));
		nr_kept--;
		return true;
	}
	return false;
}

void hv_mem_recycle(bool on)
{
	recycling = on;
	if (on)
		return;
	while (nr_kept)
		unmap_region(&kept[--nr_kept]);
}

int hv_mem_add_region(struct hv_mem *mem, const char *name, uint64_t gpa,
		      uint64_t size)
{
	struct hv_mem_region *r, again;
	void *host;
	int fd;

	if (mem->nr_regions == HV_MAX_REGIONS || size == 0 ||
	    (gpa | size) & (HV_PAGE_SIZE - 1) || gpa + size < gpa)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		r = &mem->region[i];
		if (gpa < r->gpa + r->size && r->gpa < gpa + size)
			return -XEN_EINVAL;
	}
	if (recycling && take_kept(name, gpa, size, &again)) {
		mem->region[mem->nr_regions++] = again;
		return 0;
	}
	/* mmap: page aligned, zeroed, and mappable by an emulated CPU as is. */
	fd = memfd_create("xensim-guest", MFD_CLOEXEC);
	if (fd >= 0 && ftruncate(fd, (off_t)size) != 0) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	else   /* no memory files here: nothing can alias the region */
		host = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		return -XEN_ENOMEM;
	}
	r = &mem->region[mem->nr_regions++];
	r->name = name;
	r->gpa = gpa;
	r->size = size;
	r->host = host;
	r->fd = fd;
	r->present = NULL;
	r->aliased = NULL;
	r->readonly = NULL;
	return 0;
}

void hv_mem_free(struct hv_mem *mem)
{
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		if (!keep_region(&mem->region[i]))
			unmap_region(&mem->region[i]);
		free(mem->region[i].present);
		free(mem->region[i].aliased);
		free(mem->region[i].readonly);
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
		mem->access_gen++;
		if (present)
			r->present[pg / 8] |= (uint8_t)(1u << (pg % 8));
		else
			r->present[pg / 8] &= (uint8_t)~(1u << (pg % 8));
		return 0;
	}
	return -XEN_EINVAL;
}

/* The region holding gpfn and the page's index in it, or NULL. */
static struct hv_mem_region *page_region(const struct hv_mem *mem,
					 uint64_t gpfn, uint64_t *pg)
{
	uint64_t gpa = gpfn << HV_PAGE_SHIFT;

	if (gpfn > UINT64_MAX >> HV_PAGE_SHIFT)
		return NULL;
	for (unsigned i = 0; i < mem->nr_regions; i++) {
		const struct hv_mem_region *r = &mem->region[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size) {
			*pg = (gpa - r->gpa) >> HV_PAGE_SHIFT;
			return (struct hv_mem_region *)r;
		}
	}
	return NULL;
}

int hv_mem_set_populated(struct hv_mem *mem, uint64_t gpfn, bool populated)
{
	uint64_t pg, nr_bytes;
	struct hv_mem_region *r = page_region(mem, gpfn, &pg);

	if (!r)
		return -XEN_EINVAL;
	memset(touch(mem, (unsigned)(r - mem->region), pg << HV_PAGE_SHIFT,
		     HV_PAGE_SIZE), 0, HV_PAGE_SIZE);
	if (!r->present) {
		if (populated)
			return 0;
		/* The first page a fully backed region gives back. */
		nr_bytes = (r->size >> HV_PAGE_SHIFT) / 8 + 1;
		r->present = malloc(nr_bytes);
		if (!r->present)
			return -XEN_ENOMEM;
		memset(r->present, 0xff, nr_bytes);
	}
	return hv_mem_set_present(mem, gpfn, populated);
}

int hv_mem_alias(struct hv_mem *mem, uint64_t gpfn, const struct hv_mem *src,
		 uint64_t src_gpfn)
{
	uint64_t pg = 0, src_pg = 0;
	struct hv_mem_region *r = page_region(mem, gpfn, &pg);
	const struct hv_mem_region *sr = page_region(src, src_gpfn, &src_pg);
	void *at;

	if (!r || !sr)
		return -XEN_EINVAL;
	if (sr->fd < 0)
		return -XEN_ENOSYS;
	at = mmap(r->host + (pg << HV_PAGE_SHIFT), HV_PAGE_SIZE,
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, sr->fd,
		  (off_t)(src_pg << HV_PAGE_SHIFT));
	if (at == MAP_FAILED)
		return -XEN_ENOMEM;
	if (!r->aliased)
		r->aliased = calloc(1, (r->size >> HV_PAGE_SHIFT) / 8 + 1);
	if (!r->aliased) {
		own_page_back(r, pg);
		return -XEN_ENOMEM;
	}
	r->aliased[pg / 8] |= (uint8_t)(1u << (pg % 8));
	if (r->present)
		return hv_mem_set_present(mem, gpfn, true);
	return 0;
}

int hv_mem_unalias(struct hv_mem *mem, uint64_t gpfn)
{
	uint64_t pg;
	struct hv_mem_region *r = page_region(mem, gpfn, &pg);
	void *at;

	if (!r || r->fd < 0)
		return -XEN_EINVAL;
	at = mmap(r->host + (pg << HV_PAGE_SHIFT), HV_PAGE_SIZE,
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, r->fd,
		  (off_t)(pg << HV_PAGE_SHIFT));
	if (at == MAP_FAILED)
		return -XEN_ENOMEM;
	if (r->aliased)
		r->aliased[pg / 8] &= (uint8_t)~(1u << (pg % 8));
	hv_mem_set_readonly(mem, gpfn, false);
	return hv_mem_set_populated(mem, gpfn, false);
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
				touch(mem, i, gpa - r->gpa, len) : NULL;
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
