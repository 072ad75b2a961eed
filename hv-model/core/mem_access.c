/* SPDX-License-Identifier: BSD-2-Clause */
/* What a guest's own loads and stores may do to each of its pages, as
 * Xen's stage-2 tables would let them: nothing where the p2m has no entry
 * (a page given back, an empty page of a sparse window), read only where a
 * grant is mapped GNTMAP_readonly. The model's own accesses are checked
 * elsewhere (hv_gpa_ptr); this is for a runtime that can enforce it on the
 * guest's instructions. */
#include <stdlib.h>

#include <xen/errno.h>

#include "hv/mem.h"

static bool bit(const uint8_t *map, uint64_t pg)
{
	return map && (map[pg / 8] >> (pg % 8) & 1);
}

/* The region holding gpfn and the page's index in it, or NULL. */
static struct hv_mem_region *region_of(const struct hv_mem *mem,
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

enum hv_page_access hv_mem_page_access(const struct hv_mem *mem,
				       uint64_t gpfn)
{
	uint64_t pg = 0;
	const struct hv_mem_region *r = region_of(mem, gpfn, &pg);

	if (!r || (r->present && !bit(r->present, pg)))
		return HV_PAGE_NONE;
	return bit(r->readonly, pg) ? HV_PAGE_RO : HV_PAGE_RW;
}

int hv_mem_set_readonly(struct hv_mem *mem, uint64_t gpfn, bool readonly)
{
	uint64_t pg = 0;
	struct hv_mem_region *r = region_of(mem, gpfn, &pg);

	if (!r)
		return -XEN_EINVAL;
	if (!r->readonly) {
		if (!readonly)
			return 0;
		r->readonly = calloc(1, (r->size >> HV_PAGE_SHIFT) / 8 + 1);
		if (!r->readonly)
			return -XEN_ENOMEM;
	}
	if (bit(r->readonly, pg) == readonly)
		return 0;
	r->readonly[pg / 8] ^= (uint8_t)(1u << (pg % 8));
	mem->access_gen++;
	return 0;
}

uint64_t hv_mem_region_next_restricted(const struct hv_mem_region *r,
				       uint64_t pg, enum hv_page_access *access)
{
	uint64_t pages = r->size >> HV_PAGE_SHIFT;

	if (!r->present && !r->readonly)
		return pages;
	while (pg < pages) {
		/* Eight pages all present and none read-only: none here. */
		if (pg % 8 == 0 && pages - pg >= 8 &&
		    (!r->present || r->present[pg / 8] == 0xff) &&
		    (!r->readonly || r->readonly[pg / 8] == 0)) {
			pg += 8;
			continue;
		}
		if (r->present && !bit(r->present, pg)) {
			*access = HV_PAGE_NONE;
			return pg;
		}
		if (bit(r->readonly, pg)) {
			*access = HV_PAGE_RO;
			return pg;
		}
		pg++;
	}
	return pages;
}
