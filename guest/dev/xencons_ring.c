/* SPDX-License-Identifier: BSD-2-Clause */
/* The console ring page at the byte level, frontend side. The backend
 * writes out_cons and in_prod: each is read once per call, checked against
 * what is possible (never more than one ring apart from ours), and only
 * then used; our indexes live in struct xencons_ring and are never read
 * back from the page. Positions run freely and are masked on use. */
#include <xen/errno.h>

#include "dev/xencons.h"
#include "kern/string.h"
#include "port.h"

static uint32_t read_index(const volatile uint32_t *idx)
{
	return *idx;
}

static void write_index(volatile uint32_t *idx, uint32_t v)
{
	*idx = v;
}

void xencons_ring_attach(struct xencons_ring *r,
			 struct xencons_interface *page)
{
	r->page = page;
	r->out_prod = read_index(&page->out_prod);
	r->in_cons = read_index(&page->in_cons);
}

long xencons_ring_put(struct xencons_ring *r, const char *s, size_t len)
{
	struct xencons_interface *page = r->page;
	uint32_t cons = read_index(&page->out_cons);
	uint32_t used = r->out_prod - cons;
	size_t room, n, off, first;

	/* The backend cannot have consumed more than we produced, nor be
	 * more than a ring behind. */
	if (used > sizeof(page->out))
		return -XEN_EIO;
	room = sizeof(page->out) - used;
	n = len < room ? len : room;
	/* Don't let the writes to the slots pass our read of out_cons. */
	arch_mb();
	/* The slot is the index masked to the ring's power-of-two size. */
	off = MASK_XENCONS_IDX(r->out_prod, page->out);
	first = sizeof(page->out) - off < n ? sizeof(page->out) - off : n;
	memcpy(page->out + off, s, first);
	memcpy(page->out, s + first, n - first);
	/* The bytes must be visible before the index that publishes them. */
	arch_wmb();
	r->out_prod += (uint32_t)n;
	write_index(&page->out_prod, r->out_prod);
	return (long)n;
}

long xencons_ring_get(struct xencons_ring *r, char *buf, size_t len)
{
	struct xencons_interface *page = r->page;
	uint32_t prod = read_index(&page->in_prod);
	uint32_t avail = prod - r->in_cons;
	size_t n, off, first;

	/* The backend cannot have produced more than the ring holds. */
	if (avail > sizeof(page->in))
		return -XEN_EIO;
	n = avail < len ? avail : len;
	/* Read the bytes only after reading the index that published them. */
	arch_rmb();
	off = MASK_XENCONS_IDX(r->in_cons, page->in);
	first = sizeof(page->in) - off < n ? sizeof(page->in) - off : n;
	memcpy(buf, page->in + off, first);
	memcpy(buf + first, page->in, n - first);
	/* Finish reading before handing the slots back. */
	arch_mb();
	r->in_cons += (uint32_t)n;
	write_index(&page->in_cons, r->in_cons);
	return (long)n;
}

size_t xencons_ring_unsent(const struct xencons_ring *r)
{
	uint32_t used = r->out_prod - read_index(&r->page->out_cons);

	return used > sizeof(r->page->out) ? 0 : used;
}
