/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Views: a tree root plus how many nodes each domain owns in it. The
 * committed store is one view; each transaction and each commit in
 * progress works on its own copy, which shares the nodes and copies only
 * the small ownership table.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

static struct hv_xs_owner_count *counts_find(const struct hv_xs_counts *c, uint16_t domid)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->v[i].domid == domid)
			return &c->v[i];
	return NULL;
}

uint32_t hv_xs_counts_get(const struct hv_xs_counts *c, uint16_t domid)
{
	const struct hv_xs_owner_count *oc = counts_find(c, domid);

	return oc ? oc->count : 0;
}

int hv_xs_counts_add(struct hv_xs_counts *c, uint16_t domid, int64_t delta)
{
	struct hv_xs_owner_count *oc = counts_find(c, domid);

	if (!oc) {
		if (delta <= 0)
			return 0;
		if (c->n == c->cap) {
			uint32_t cap = c->cap ? c->cap * 2 : 8;
			struct hv_xs_owner_count *grown = realloc(c->v, cap * sizeof(*grown));

			if (!grown)
				return -XEN_ENOMEM;
			c->v = grown;
			c->cap = cap;
		}
		oc = &c->v[c->n++];
		oc->domid = domid;
		oc->count = 0;
	}
	if (delta < 0 && (uint64_t)-delta > oc->count)
		oc->count = 0;
	else
		oc->count = (uint32_t)(oc->count + delta);
	return 0;
}

int hv_xs_view_clone(struct hv_xs_view *dst, const struct hv_xs_view *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src->counts.n) {
		dst->counts.v = malloc(src->counts.n * sizeof(*dst->counts.v));
		if (!dst->counts.v)
			return -XEN_ENOMEM;
		memcpy(dst->counts.v, src->counts.v, src->counts.n * sizeof(*dst->counts.v));
		dst->counts.n = dst->counts.cap = src->counts.n;
	}
	dst->root = src->root;
	hv_xs_node_ref(dst->root);
	return 0;
}

void hv_xs_view_release(struct hv_xs *xs, struct hv_xs_view *v)
{
	hv_xs_node_unref(xs, v->root);
	free(v->counts.v);
	memset(v, 0, sizeof(*v));
}
