/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Store nodes: reference-counted versions shared between the committed
 * tree and transaction snapshots. A node may be changed in place only by
 * the one tree that holds the only reference to it and to its ancestors
 * (see xs_store.c's copy-on-write walk). Every allocation is counted in
 * xs->live_nodes so tests can prove nothing leaks.
 */
#include <xen/errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

uint64_t hv_xs_next_gen(struct hv_xs *xs)
{
	return ++xs->gen;
}

/* FNV-1a: cheap, and names differ early enough for it to spread them. */
uint32_t hv_xs_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

struct hv_xs_node *hv_xs_node_new(struct hv_xs *xs, const char *name, size_t namelen)
{
	struct hv_xs_node *n = calloc(1, sizeof(*n) + namelen + 1);

	if (!n)
		return NULL;
	memcpy(n->name, name, namelen);
	n->name[namelen] = '\0';
	n->name_len = (uint32_t)namelen;
	n->name_hash = hv_xs_name_hash(name, namelen);
	n->refs = 1;
	xs->live_nodes++;
	return n;
}

/* A private copy of n's contents; the children are shared, not copied. */
struct hv_xs_node *hv_xs_node_clone(struct hv_xs *xs, const struct hv_xs_node *n)
{
	struct hv_xs_node *copy = hv_xs_node_new(xs, n->name, n->name_len);

	if (!copy)
		return NULL;
	copy->gen = n->gen;
	if (hv_xs_node_set_value(copy, n->value, n->vlen) ||
	    hv_xs_node_set_perms(copy, n->perms, n->nperms))
		goto fail;
	if (n->nchildren) {
		copy->child = malloc(n->nchildren * sizeof(*copy->child));
		if (!copy->child)
			goto fail;
		for (uint32_t i = 0; i < n->nchildren; i++) {
			copy->child[i] = n->child[i];
			hv_xs_node_ref(copy->child[i]);
		}
		copy->nchildren = n->nchildren;
	}
	if (n->nslots) {
		copy->slot = malloc(n->nslots * sizeof(*copy->slot));
		if (copy->slot) {
			memcpy(copy->slot, n->slot,
			       n->nslots * sizeof(*copy->slot));
			copy->nslots = n->nslots;
		}
	}
	return copy;
fail:
	hv_xs_node_unref(xs, copy);
	return NULL;
}

void hv_xs_node_ref(struct hv_xs_node *n)
{
	n->refs++;
}

void hv_xs_node_unref(struct hv_xs *xs, struct hv_xs_node *n)
{
	if (!n || --n->refs)
		return;
	for (uint32_t i = 0; i < n->nchildren; i++)
		hv_xs_node_unref(xs, n->child[i]);
	free(n->child);
	free(n->slot);
	free(n->value);
	free(n->perms);
	free(n);
	xs->live_nodes--;
}

int hv_xs_node_set_value(struct hv_xs_node *n, const void *value, size_t len)
{
	uint8_t *copy = NULL;

	if (len) {
		copy = malloc(len);
		if (!copy)
			return -XEN_ENOMEM;
		memcpy(copy, value, len);
	}
	free(n->value);
	n->value = copy;
	n->vlen = (uint32_t)len;
	return 0;
}

int hv_xs_node_set_perms(struct hv_xs_node *n, const struct hv_xs_perm *perms, uint32_t nperms)
{
	struct hv_xs_perm *copy = NULL;

	if (nperms) {
		copy = malloc(nperms * sizeof(*copy));
		if (!copy)
			return -XEN_ENOMEM;
		memcpy(copy, perms, nperms * sizeof(*copy));
	}
	free(n->perms);
	n->perms = copy;
	n->nperms = nperms;
	return 0;
}

/* A node with this many children or more finds them through a hash table
 * of their indexes (open addressing, at most three quarters full); fewer
 * are tested one by one. */
#define INDEX_MIN 8u

static void index_insert(struct hv_xs_node *n, uint32_t i)
{
	uint32_t mask = n->nslots - 1, at = n->child[i]->name_hash & mask;

	while (n->slot[at])
		at = (at + 1) & mask;
	n->slot[at] = i + 1;
}

/* Index every child afresh in a table of the size it needs; without
 * memory the node is simply searched one by one. */
static void index_rebuild(struct hv_xs_node *n)
{
	uint32_t want = 16;

	free(n->slot);
	n->slot = NULL;
	n->nslots = 0;
	if (n->nchildren < INDEX_MIN)
		return;
	while (want / 4 * 3 < n->nchildren + 1)
		want *= 2;
	n->slot = calloc(want, sizeof(*n->slot));
	if (!n->slot)
		return;
	n->nslots = want;
	for (uint32_t i = 0; i < n->nchildren; i++)
		index_insert(n, i);
}

static bool child_is(const struct hv_xs_node *ch, uint32_t hash,
		     const char *name, size_t len)
{
	return ch->name_hash == hash && ch->name_len == len &&
	       memcmp(ch->name, name, len) == 0;
}

int hv_xs_node_child_index(const struct hv_xs_node *n, const char *name, size_t len)
{
	uint32_t hash = hv_xs_name_hash(name, len);

	if (n->nslots) {
		uint32_t mask = n->nslots - 1;

		for (uint32_t at = hash & mask; n->slot[at];
		     at = (at + 1) & mask)
			if (child_is(n->child[n->slot[at] - 1], hash, name, len))
				return (int)(n->slot[at] - 1);
		return -1;
	}
	for (uint32_t i = 0; i < n->nchildren; i++)
		if (child_is(n->child[i], hash, name, len))
			return (int)i;
	return -1;
}

/* Takes over the caller's reference to child. */
int hv_xs_node_add_child(struct hv_xs_node *n, struct hv_xs_node *child)
{
	struct hv_xs_node **grown = realloc(n->child, (n->nchildren + 1) * sizeof(*grown));

	if (!grown)
		return -XEN_ENOMEM;
	n->child = grown;
	n->child[n->nchildren++] = child;
	if (n->nslots && n->nchildren <= n->nslots / 4 * 3)
		index_insert(n, n->nchildren - 1);
	else if (n->nchildren >= INDEX_MIN)
		index_rebuild(n);
	return 0;
}

void hv_xs_node_remove_child(struct hv_xs *xs, struct hv_xs_node *n, uint32_t index)
{
	struct hv_xs_node *gone = n->child[index];

	memmove(&n->child[index], &n->child[index + 1],
		(n->nchildren - index - 1) * sizeof(*n->child));
	n->nchildren--;
	/* The children after it moved down one. */
	if (n->nslots)
		index_rebuild(n);
	hv_xs_node_unref(xs, gone);
}

struct hv_xs_node *hv_xs_node_walk(struct hv_xs_node *root, const char *path)
{
	struct hv_xs_node *cur = root;
	const char *p = path;

	if (*p != '/')
		return NULL;
	while (cur && *p == '/' && p[1]) {
		const char *name = p + 1;
		size_t len = strcspn(name, "/");
		int i = hv_xs_node_child_index(cur, name, len);

		cur = i < 0 ? NULL : cur->child[i];
		p = name + len;
	}
	return cur;
}
