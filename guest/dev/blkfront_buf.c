/* SPDX-License-Identifier: BSD-2-Clause */
/* Registered buffers: caller pages granted to the backend once, kept
 * granted until the device closes, so that a request whose data lies in
 * one moves to and from the caller's pages directly instead of through
 * its slot's bounce pages. That saves a copy of every byte per request,
 * which under emulation (where each guest store is costly) is most of a
 * 4 KiB request's work. The grants persist like the bounce pages' do, so
 * feature-persistent holds. The backend may read and write these pages at
 * any time while they are registered: the caller registers only pages
 * that hold I/O data and nothing else. */
#include <xen/errno.h>

#include "blkfront.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

static size_t gref_pages(unsigned pages)
{
	return (pages * sizeof(grant_ref_t) + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Whether every page of [buf, buf + pages) is guest RAM the port can
 * translate both ways: only such a page can be granted. */
static bool pages_translate(const unsigned char *buf, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++) {
		const unsigned char *page = buf + (size_t)i * PAGE_SIZE;

		if (pfn_to_virt(virt_to_pfn(page)) != page)
			return false;
	}
	return true;
}

static bool overlaps(const struct blkfront *dev, const unsigned char *buf,
		     size_t len)
{
	for (unsigned i = 0; i < dev->nr_buffers; i++) {
		const struct blkfront_buffer *b = &dev->buffer[i];
		size_t blen = (size_t)b->pages * PAGE_SIZE;

		if (buf < b->base + blen && b->base < buf + len)
			return true;
	}
	return false;
}

/* End what was granted; a page the backend still maps stays granted (its
 * reference is never reused), as for the bounce pages. */
static void buffer_release(struct blkfront_buffer *b)
{
	for (unsigned i = 0; i < b->pages; i++) {
		if (b->gref[i] && gnttab_end_access(b->gref[i]) == -XEN_EBUSY)
			kprintf("blkfront: backend still maps grant %u of a "
				"registered buffer: leaving it granted\n",
				b->gref[i]);
	}
	page_free(b->gref, gref_pages(b->pages));
	memset(b, 0, sizeof(*b));
}

int blkfront_buffer_register(struct blkfront *dev, void *buf, size_t len)
{
	struct blkfront_buffer *b;
	struct gnttab_batch batch;
	unsigned pages = (unsigned)(len / PAGE_SIZE);
	int rc;

	if (!dev->connected || dev->broken)
		return -XEN_ENOTCONN;
	if (!buf || (uintptr_t)buf % PAGE_SIZE || len == 0 ||
	    len % PAGE_SIZE || len / PAGE_SIZE > BLKFRONT_MAX_BUFFER_PAGES ||
	    !pages_translate(buf, pages) || overlaps(dev, buf, len))
		return -XEN_EINVAL;
	if (dev->nr_buffers == BLKFRONT_MAX_BUFFERS)
		return -XEN_ENOSPC;
	b = &dev->buffer[dev->nr_buffers];
	b->gref = page_alloc(gref_pages(pages));
	if (!b->gref)
		return -XEN_ENOMEM;
	memset(b->gref, 0, gref_pages(pages) * PAGE_SIZE);
	b->base = buf;
	b->pages = pages;
	rc = gnttab_batch_claim(pages, &batch);
	for (unsigned i = 0; rc == 0 && i < pages; i++)
		rc = gnttab_batch_grant(&batch, dev->xb.otherend_id,
					virt_to_pfn(b->base +
						    (size_t)i * PAGE_SIZE),
					false, &b->gref[i]);
	if (rc) {
		gnttab_batch_release(&batch);
		buffer_release(b);
		return rc;
	}
	dev->nr_buffers++;
	return 0;
}

void blkfront_buffers_free(struct blkfront *dev)
{
	for (unsigned i = 0; i < dev->nr_buffers; i++)
		buffer_release(&dev->buffer[i]);
	dev->nr_buffers = 0;
}

int blkfront_buffers_regrant(struct blkfront *dev)
{
	for (unsigned i = 0; i < dev->nr_buffers; i++) {
		struct blkfront_buffer *b = &dev->buffer[i];

		for (unsigned p = 0; p < b->pages; p++) {
			int rc;

			/* The old reference is free again in the new
			 * table; the page gets the next one. */
			if (b->gref[p])
				gnttab_end_access(b->gref[p]);
			b->gref[p] = 0;
			rc = gnttab_grant_access(dev->xb.otherend_id,
						 virt_to_pfn(b->base +
							     (size_t)p *
							     PAGE_SIZE),
						 false, &b->gref[p]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

unsigned blkfront_buffer_segments(const struct blkfront *dev,
				  const void *buf, uint32_t bytes,
				  struct blkif_request_segment *seg,
				  unsigned max)
{
	const unsigned char *p = buf;

	if (bytes == 0 || (uintptr_t)p % dev->info.sector_size)
		return 0;
	for (unsigned i = 0; i < dev->nr_buffers; i++) {
		const struct blkfront_buffer *b = &dev->buffer[i];
		size_t off = (size_t)(p - b->base), n = 0;

		if (p < b->base || off >= (size_t)b->pages * PAGE_SIZE ||
		    bytes > (size_t)b->pages * PAGE_SIZE - off)
			continue;
		/* One segment a page touched, its sectors within the page. */
		while (bytes) {
			size_t in = off % PAGE_SIZE;
			uint32_t len = PAGE_SIZE - in < bytes ?
				       (uint32_t)(PAGE_SIZE - in) : bytes;

			if (n == max)
				return 0;
			seg[n].gref = b->gref[off / PAGE_SIZE];
			seg[n].first_sect = (uint8_t)(in / BLKFRONT_SECTOR);
			seg[n].last_sect = (uint8_t)((in + len) /
						     BLKFRONT_SECTOR - 1);
			n++;
			off += len;
			bytes -= len;
		}
		return (unsigned)n;
	}
	return 0;
}
