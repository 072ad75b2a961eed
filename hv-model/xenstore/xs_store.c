/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The store operations on one view: look up, write, mkdir, rm, set perms.
 * Paths arrive canonical (hv_xs_path_canon). Inside a transaction every node
 * looked at is recorded as it was in the snapshot (hv_xs_txn_record), which is
 * what TRANSACTION_END checks for conflicts. Changes copy the nodes on
 * their path first (cow_path), so snapshots never see them.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

static struct hv_xs_node *lookup(struct hv_xs_ctx *c, const char *path)
{
	struct hv_xs_node *n = hv_xs_node_walk(c->view->root, path);

	hv_xs_txn_record(c, path, n);
	return n;
}

/* Nearest existing ancestor of path (the root at worst); copies it to *anc. */
static struct hv_xs_node *nearest_ancestor(struct hv_xs_ctx *c, const char *path, char **anc)
{
	char *buf = strdup(path);
	size_t len;

	*anc = NULL;
	if (!buf)
		return NULL;
	while ((len = hv_xs_path_parent_len(buf)) > 0) {
		struct hv_xs_node *n;

		buf[len] = '\0';
		n = lookup(c, buf);
		if (n) {
			*anc = buf;
			return n;
		}
	}
	free(buf);
	return NULL;
}

/*
 * Why a node is missing, as the caller may learn it: XEN_ENOENT, or XEN_EACCES if
 * the nearest existing ancestor is unreadable (so nothing leaks below it).
 */
static int missing_error(struct hv_xs_ctx *c, const char *path)
{
	char *anc;
	struct hv_xs_node *a = nearest_ancestor(c, path, &anc);

	if (!a)
		return -XEN_ENOMEM;
	free(anc);
	return hv_xs_may(c->who, a, HV_XS_PERM_READ) ? -XEN_ENOENT : -XEN_EACCES;
}

/*
 * Makes each node from the root down to path private to this view (a
 * shared one is replaced by a copy) and returns the one at path, which
 * must exist.
 */
static int cow_path(struct hv_xs_ctx *c, const char *path, struct hv_xs_node **out)
{
	struct hv_xs_node **slot = &c->view->root;
	const char *p = path;

	for (;;) {
		if ((*slot)->refs > 1) {
			struct hv_xs_node *copy = hv_xs_node_clone(c->xs, *slot);

			if (!copy)
				return -XEN_ENOMEM;
			hv_xs_node_unref(c->xs, *slot); /* still referenced elsewhere */
			*slot = copy;
		}
		if (!(p[0] == '/' && p[1]))
			break;
		const char *name = p + 1;
		size_t len = strcspn(name, "/");
		int i = hv_xs_node_child_index(*slot, name, len);

		if (i < 0)
			return -XEN_ENOENT;
		slot = &(*slot)->child[i];
		p = name + len;
	}
	*out = *slot;
	return 0;
}

static int note_change(struct hv_xs_ctx *c, const char *path, const struct hv_xs_node *n,
		       struct hv_xs_node *removed)
{
	if (!c->ev)
		return 0;
	return hv_xs_events_add(c->ev, path, n->perms, n->nperms, removed);
}

int hv_xs_store_get(struct hv_xs_ctx *c, const char *path, unsigned want,
		 const struct hv_xs_node **out)
{
	struct hv_xs_node *n = lookup(c, path);

	if (!n)
		return missing_error(c, path);
	if (!hv_xs_may(c->who, n, want))
		return -XEN_EACCES;
	*out = n;
	return 0;
}

static bool data_too_big(const struct hv_xs_ctx *c, size_t len)
{
	uint32_t max = c->xs->cfg.max_node_data;

	return !c->who->priv && max && len > max;
}

static unsigned count_components(const char *s)
{
	unsigned k = 0;

	for (; *s; s++)
		k += *s == '/';
	return k;
}

/* Builds the missing nodes below an existing ancestor, detached. */
static struct hv_xs_node *build_chain(struct hv_xs_ctx *c, const char *rest,
				   const struct hv_xs_perm *perms, uint32_t nperms,
				   const void *value, size_t len)
{
	struct hv_xs_node *top = NULL, *cur = NULL;
	const char *p = rest;

	while (*p == '/') {
		const char *name = p + 1;
		size_t nlen = strcspn(name, "/");
		struct hv_xs_node *n = hv_xs_node_new(c->xs, name, nlen);
		bool ok = n && !hv_xs_node_set_perms(n, perms, nperms);

		p = name + nlen;
		if (ok && !*p)
			ok = !hv_xs_node_set_value(n, value, len);
		if (ok && top)
			ok = !hv_xs_node_add_child(cur, n);
		if (!ok) {
			hv_xs_node_unref(c->xs, n);
			hv_xs_node_unref(c->xs, top);
			return NULL;
		}
		n->gen = hv_xs_next_gen(c->xs);
		if (!top)
			top = n;
		cur = n;
	}
	return top;
}

static int create(struct hv_xs_ctx *c, const char *path, const void *value, size_t len)
{
	const struct hv_xs_config *cfg = &c->xs->cfg;
	struct hv_xs_perm *perms = NULL;
	struct hv_xs_node *a, *chain, *last;
	char *anc;
	size_t alen;
	unsigned k;
	int rc;

	a = nearest_ancestor(c, path, &anc);
	if (!a)
		return -XEN_ENOMEM;
	rc = -XEN_EACCES;
	if (!hv_xs_may(c->who, a, HV_XS_PERM_WRITE))
		goto out;
	/* New nodes inherit the parent's list; a guest becomes their owner. */
	rc = -XEN_ENOMEM;
	perms = malloc(a->nperms * sizeof(*perms));
	if (!perms)
		goto out;
	memcpy(perms, a->perms, a->nperms * sizeof(*perms));
	if (!c->who->priv)
		perms[0].domid = c->who->domid;
	alen = strlen(anc);
	k = count_components(path + (alen == 1 ? 0 : alen));
	rc = -XEN_ENOSPC;
	if (!c->who->priv && cfg->max_nodes_per_domain &&
	    hv_xs_counts_get(&c->view->counts, perms[0].domid) + k > cfg->max_nodes_per_domain)
		goto out;
	rc = -XEN_ENOMEM;
	chain = build_chain(c, path + (alen == 1 ? 0 : alen), perms, a->nperms, value, len);
	if (!chain)
		goto out;
	rc = cow_path(c, anc, &a);
	if (!rc)
		rc = hv_xs_counts_add(&c->view->counts, perms[0].domid, k);
	if (!rc && (rc = hv_xs_node_add_child(a, chain)) != 0)
		hv_xs_counts_add(&c->view->counts, perms[0].domid, -(int64_t)k);
	if (rc) {
		hv_xs_node_unref(c->xs, chain);
		goto out;
	}
	a->gen = hv_xs_next_gen(c->xs); /* its list of children changed */
	for (last = chain; last->nchildren; last = last->child[0])
		;
	rc = note_change(c, path, last, NULL);
out:
	free(perms);
	free(anc);
	return rc;
}

int hv_xs_store_write(struct hv_xs_ctx *c, const char *path, const void *value, size_t len)
{
	struct hv_xs_node *n = lookup(c, path);
	int rc;

	if (!n) {
		if (data_too_big(c, len))
			return -XEN_ENOSPC;
		return create(c, path, value, len);
	}
	if (!hv_xs_may(c->who, n, HV_XS_PERM_WRITE))
		return -XEN_EACCES;
	if (data_too_big(c, len))
		return -XEN_ENOSPC;
	rc = cow_path(c, path, &n);
	if (!rc)
		rc = hv_xs_node_set_value(n, value, len);
	if (rc)
		return rc;
	n->gen = hv_xs_next_gen(c->xs);
	return note_change(c, path, n, NULL);
}

int hv_xs_store_mkdir(struct hv_xs_ctx *c, const char *path)
{
	struct hv_xs_node *n = lookup(c, path);

	if (n)
		return hv_xs_may(c->who, n, HV_XS_PERM_WRITE) ? 0 : -XEN_EACCES;
	return create(c, path, NULL, 0);
}

/* Records every node of a subtree a transaction is about to remove. */
static int record_subtree(struct hv_xs_ctx *c, char *buf, size_t len, size_t cap,
			  const struct hv_xs_node *n)
{
	hv_xs_txn_record(c, buf, n);
	for (uint32_t i = 0; i < n->nchildren; i++) {
		const struct hv_xs_node *ch = n->child[i];
		size_t nl = strlen(ch->name);
		size_t sep = (len == 1) ? 0 : 1;

		if (len + sep + nl + 1 > cap)
			return -XEN_ENOMEM;
		if (sep)
			buf[len] = '/';
		memcpy(buf + len + sep, ch->name, nl + 1);
		if (record_subtree(c, buf, len + sep + nl, cap, ch))
			return -XEN_ENOMEM;
		buf[len] = '\0';
	}
	return 0;
}

static void uncount_subtree(struct hv_xs_counts *counts, const struct hv_xs_node *n)
{
	if (n->nperms)
		hv_xs_counts_add(counts, n->perms[0].domid, -1);
	for (uint32_t i = 0; i < n->nchildren; i++)
		uncount_subtree(counts, n->child[i]);
}

static int record_removal(struct hv_xs_ctx *c, const char *path, const struct hv_xs_node *n)
{
	size_t cap = 2 * XENSTORE_PAYLOAD_MAX;
	char *buf;
	int rc;

	if (!c->txn)
		return 0;
	buf = malloc(cap);
	if (!buf)
		return -XEN_ENOMEM;
	strcpy(buf, path);
	rc = record_subtree(c, buf, strlen(buf), cap, n);
	free(buf);
	return rc;
}

int hv_xs_store_rm(struct hv_xs_ctx *c, const char *path)
{
	struct hv_xs_node *n, *parent;
	char *ppath;
	size_t plen;
	int rc, i;

	if (strcmp(path, "/") == 0)
		return -XEN_EINVAL;
	plen = hv_xs_path_parent_len(path);
	ppath = strndup(path, plen);
	if (!ppath)
		return -XEN_ENOMEM;
	n = lookup(c, path);
	if (!n) {
		/* Nothing to remove is fine, if the parent exists. */
		rc = lookup(c, ppath) ? 0 : missing_error(c, path);
		goto out;
	}
	rc = -XEN_EACCES;
	if (!hv_xs_may(c->who, n, HV_XS_PERM_WRITE))
		goto out;
	rc = record_removal(c, path, n);
	if (!rc)
		rc = note_change(c, path, n, n);
	if (!rc)
		rc = cow_path(c, ppath, &parent);
	if (rc)
		goto out;
	i = hv_xs_node_child_index(parent, path + plen + (plen > 1), strlen(path + plen + (plen > 1)));
	if (i < 0) {
		rc = -XEN_ENOENT;
		goto out;
	}
	uncount_subtree(&c->view->counts, parent->child[i]);
	hv_xs_node_remove_child(c->xs, parent, (uint32_t)i);
	parent->gen = hv_xs_next_gen(c->xs);
out:
	free(ppath);
	return rc;
}

int hv_xs_store_set_perms(struct hv_xs_ctx *c, const char *path,
		       const struct hv_xs_perm *perms, uint32_t nperms)
{
	const struct hv_xs_config *cfg = &c->xs->cfg;
	struct hv_xs_node *n = lookup(c, path);
	uint16_t old_owner;
	int rc;

	if (!n)
		return missing_error(c, path);
	if (!nperms)
		return -XEN_EINVAL;
	if (!hv_xs_is_owner(c->who, n->perms, n->nperms))
		return -XEN_EACCES;
	old_owner = n->nperms ? n->perms[0].domid : 0;
	if (!c->who->priv && perms[0].domid != old_owner)
		return -XEN_EPERM; /* only dom0 gives nodes away */
	if (!c->who->priv && cfg->max_perms && nperms > cfg->max_perms)
		return -XEN_ENOSPC;
	rc = cow_path(c, path, &n);
	if (!rc && perms[0].domid != old_owner)
		rc = hv_xs_counts_add(&c->view->counts, perms[0].domid, 1);
	if (rc)
		return rc;
	rc = hv_xs_node_set_perms(n, perms, nperms);
	if (rc) {
		if (perms[0].domid != old_owner)
			hv_xs_counts_add(&c->view->counts, perms[0].domid, -1);
		return rc;
	}
	if (perms[0].domid != old_owner)
		hv_xs_counts_add(&c->view->counts, old_owner, -1);
	n->gen = hv_xs_next_gen(c->xs);
	return note_change(c, path, n, NULL);
}
