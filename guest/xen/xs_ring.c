/* SPDX-License-Identifier: BSD-2-Clause */
/* The xenstore ring page at the byte level. The server writes req_cons and
 * rsp_prod: each is read once per call, checked against what is possible,
 * and only then used; positions are free-running and masked on use. */
#include <stdint.h>

#include "kern/string.h"
#include "port.h"
#include "xs_internal.h"

static uint32_t read_index(const volatile uint32_t *idx)
{
	return *idx;
}

static void write_index(volatile uint32_t *idx, uint32_t v)
{
	*idx = v;
}

/* Copy between a linear buffer and the ring at free-running position pos,
 * in at most two pieces around the wrap. */
static void copy_out(char *ring, uint32_t pos, const char *src, size_t len)
{
	size_t off = MASK_XENSTORE_IDX(pos);
	size_t first = XENSTORE_RING_SIZE - off < len ? XENSTORE_RING_SIZE - off
						      : len;

	memcpy(ring + off, src, first);
	memcpy(ring, src + first, len - first);
}

static void copy_in(char *dst, const char *ring, uint32_t pos, size_t len)
{
	size_t off = MASK_XENSTORE_IDX(pos);
	size_t first = XENSTORE_RING_SIZE - off < len ? XENSTORE_RING_SIZE - off
						      : len;

	memcpy(dst, ring + off, first);
	memcpy(dst + first, ring, len - first);
}

long xs_ring_put(struct xenstore_domain_interface *page, const void *data,
		 size_t len)
{
	uint32_t cons = read_index(&page->req_cons);
	uint32_t prod = page->req_prod;
	uint32_t used = prod - cons;
	size_t n;

	/* The server cannot have consumed more than we produced. */
	if (used > XENSTORE_RING_SIZE)
		return -1;
	n = XENSTORE_RING_SIZE - used;
	if (n > len)
		n = len;
	/* Don't let the write to the ring pass our read of req_cons. */
	arch_mb();
	copy_out(page->req, prod, data, n);
	/* The bytes must be visible before the index that publishes them. */
	arch_wmb();
	write_index(&page->req_prod, prod + (uint32_t)n);
	return (long)n;
}

long xs_ring_get(struct xenstore_domain_interface *page, void *data,
		 size_t len)
{
	uint32_t prod = read_index(&page->rsp_prod);
	uint32_t cons = page->rsp_cons;
	uint32_t avail = prod - cons;
	size_t n;

	/* The server cannot have produced more than the ring holds. */
	if (avail > XENSTORE_RING_SIZE)
		return -1;
	n = avail < len ? avail : len;
	/* Read the bytes only after reading the index that published them. */
	arch_rmb();
	copy_in(data, page->rsp, cons, n);
	/* Finish reading before handing the space back. */
	arch_mb();
	write_index(&page->rsp_cons, cons + (uint32_t)n);
	return (long)n;
}

bool xs_ring_quiet(const struct xenstore_domain_interface *page)
{
	return read_index(&page->rsp_prod) == page->rsp_cons &&
	       !read_index(&page->error);
}

unsigned xs_ring_error(const struct xenstore_domain_interface *page)
{
	return read_index(&page->error);
}
