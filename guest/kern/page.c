/* SPDX-License-Identifier: BSD-2-Clause */
/* First-fit page allocator over one RAM range. The bitmap (one bit per page,
 * set = in use) lives in the first pages of the range it manages. */
#include <stdbool.h>

#include "kern/page.h"
#include "kern/string.h"

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static struct {
	paddr_t base;          /* physical address of page 0 */
	size_t nr_pages;
	size_t nr_free;
	size_t first_free;     /* no free page below it: where a search starts */
	unsigned long *bitmap;
} pages;

static bool page_used(size_t i)
{
	return pages.bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD) & 1;
}

static void page_set(size_t i, bool used)
{
	unsigned long bit = 1ul << (i % BITS_PER_WORD);

	if (used == page_used(i))
		return;
	if (used) {
		pages.bitmap[i / BITS_PER_WORD] |= bit;
		pages.nr_free--;
	} else {
		pages.bitmap[i / BITS_PER_WORD] &= ~bit;
		pages.nr_free++;
		if (i < pages.first_free)
			pages.first_free = i;
	}
}

void page_alloc_reset(void)
{
	memset(&pages, 0, sizeof(pages));
}

int page_alloc_init(paddr_t start, paddr_t end)
{
	size_t bitmap_bytes, bitmap_pages;

	start = (start + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
	end &= ~(paddr_t)(PAGE_SIZE - 1);
	if (end <= start)
		return -1;
	pages.base = start;
	pages.nr_pages = (size_t)((end - start) >> PAGE_SHIFT);
	bitmap_bytes = (pages.nr_pages + BITS_PER_WORD - 1) / BITS_PER_WORD *
		       sizeof(unsigned long);
	bitmap_pages = (bitmap_bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (bitmap_pages >= pages.nr_pages)
		return -1;
	pages.bitmap = arch_phys_to_virt(start);
	memset(pages.bitmap, 0, bitmap_bytes);
	pages.nr_free = pages.nr_pages;
	pages.first_free = 0;
	page_reserve(start, start + (bitmap_pages << PAGE_SHIFT));
	return 0;
}

void page_reserve(paddr_t start, paddr_t end)
{
	paddr_t top = pages.base + ((paddr_t)pages.nr_pages << PAGE_SHIFT);

	if (start < pages.base)
		start = pages.base;
	if (end > top)
		end = top;
	for (paddr_t pa = start & ~(paddr_t)(PAGE_SIZE - 1); pa < end;
	     pa += PAGE_SIZE)
		page_set((size_t)((pa - pages.base) >> PAGE_SHIFT), true);
}

void *page_alloc(size_t n)
{
	size_t run = 0, lowest_free = pages.nr_pages;

	if (n == 0 || n > pages.nr_free)
		return NULL;
	/* First fit as a scan from page 0 finds it: below first_free every
	 * page is in use, and a full word holds no start of a run. */
	for (size_t i = pages.first_free; i < pages.nr_pages; i++) {
		if (run == 0 && i % BITS_PER_WORD == 0 &&
		    pages.bitmap[i / BITS_PER_WORD] == ~0ul) {
			i += BITS_PER_WORD - 1;
			continue;
		}
		run = page_used(i) ? 0 : run + 1;
		if (run == 1 && lowest_free == pages.nr_pages)
			lowest_free = i;
		if (run == n) {
			size_t first = i + 1 - n;
			void *p;

			for (size_t j = first; j <= i; j++)
				page_set(j, true);
			pages.first_free = first == lowest_free ? i + 1 :
					   lowest_free;
			p = arch_phys_to_virt(pages.base +
					      ((paddr_t)first << PAGE_SHIFT));
			memset(p, 0, n * PAGE_SIZE);
			return p;
		}
	}
	return NULL;
}

void page_free(void *p, size_t n)
{
	size_t first;

	if (!p)
		return;
	first = (size_t)((arch_virt_to_phys(p) - pages.base) >> PAGE_SHIFT);
	for (size_t j = first; j < first + n && j < pages.nr_pages; j++)
		page_set(j, false);
}

size_t page_free_count(void)
{
	return pages.nr_free;
}

size_t page_total_count(void)
{
	return pages.nr_pages;
}
