/* SPDX-License-Identifier: BSD-2-Clause */
/* What the xenstore client's two halves share: the byte-level ring
 * (xs_ring.c) and the message layer (xs.c). */
#ifndef XS_INTERNAL_H
#define XS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "gxen/xs.h"

/* Copy up to len request bytes into the ring; how many went in, or -1 when
 * the indexes on the page are impossible (the ring is broken). */
long xs_ring_put(struct xenstore_domain_interface *page, const void *data,
		 size_t len);
/* Take up to len reply bytes; how many came, or -1 on impossible indexes. */
long xs_ring_get(struct xenstore_domain_interface *page, void *data,
		 size_t len);
/* The server's error field, read once. */
unsigned xs_ring_error(const struct xenstore_domain_interface *page);
/* Nothing to read and no error: a poll has nothing to do. */
bool xs_ring_quiet(const struct xenstore_domain_interface *page);

#endif
