/* SPDX-License-Identifier: BSD-2-Clause */
/* The page allocator: one bitmap over the guest's RAM bank, kept in the
 * first free pages of the bank itself. Pages shared with the hypervisor or
 * a backend (shared_info, rings, granted buffers) always come from here. */
#ifndef KERN_PAGE_H
#define KERN_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "port.h"

/* Forget the RAM range: nothing is managed until page_alloc_init(). */
void page_alloc_reset(void);
/* Manage [start, end); 0, or -1 when the range cannot hold its bitmap. */
int page_alloc_init(paddr_t start, paddr_t end);
/* Keep [start, end) out of the allocator (image, device tree). */
void page_reserve(paddr_t start, paddr_t end);
/* n contiguous zeroed pages, or NULL. */
void *page_alloc(size_t n);
void page_free(void *p, size_t n);
size_t page_free_count(void);
size_t page_total_count(void);

#endif
