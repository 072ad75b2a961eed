/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Snapshots of the committed store, for a process that runs case after
 * case against one daemon (a fuzzer): taking one shares the tree by
 * reference, as a transaction does, so it costs a small copy of the
 * ownership counts; restoring one puts back the tree, the counts, the
 * generation counter, the domains the daemon knows (introduced or not,
 * their targets) and the permissions of @introduceDomain and
 * @releaseDomain, so the next case sees the store byte for byte as it
 * was, generations included. It also leaves the daemon's own memory as
 * the next case should find it, whatever the last one did: the domain
 * table as large as it was, the request scratch and output chunks it
 * keeps for reuse all there. Otherwise a case would run other code (grow
 * the table, allocate rather than reuse) after another that left them
 * otherwise, which a fuzzer counts as a case that is not stable.
 */
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

struct hv_xs_snapshot {
	struct hv_xs_view view;
	uint64_t gen;
	struct hv_xs_domain *doms;
	size_t ndoms, capdoms;
	struct hv_xs_perm *special_perms[HV_XS_SPECIAL_COUNT];
	uint32_t special_nperms[HV_XS_SPECIAL_COUNT];
};

static void *copy_of(const void *src, size_t len)
{
	void *dst = malloc(len ? len : 1);

	if (dst && len)
		memcpy(dst, src, len);
	return dst;
}

static void snapshot_discard(struct hv_xs *xs, struct hv_xs_snapshot *snap)
{
	hv_xs_view_release(xs, &snap->view);
	free(snap->doms);
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++)
		free(snap->special_perms[i]);
	free(snap);
}

/* The domains and special permissions, copied; false when out of memory. */
static bool take_daemon_state(struct hv_xs_snapshot *snap, const struct hv_xs *xs)
{
	snap->ndoms = xs->ndoms;
	snap->capdoms = xs->capdoms;
	snap->doms = copy_of(xs->doms, xs->ndoms * sizeof(*xs->doms));
	if (!snap->doms)
		return false;
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++) {
		const struct hv_xs_special *sp = &xs->special[i];

		snap->special_nperms[i] = sp->nperms;
		snap->special_perms[i] = copy_of(sp->perms, sp->nperms * sizeof(*sp->perms));
		if (!snap->special_perms[i])
			return false;
	}
	return true;
}

static void fill_spares(struct hv_xs *xs)
{
	hv_xs_ops_fill_spare(xs);
	hv_xs_outq_fill_spare(xs);
}

struct hv_xs_snapshot *hv_xs_snapshot_take(struct hv_xs *xs)
{
	struct hv_xs_snapshot *snap = calloc(1, sizeof(*snap));

	if (!snap)
		return NULL;
	if (hv_xs_view_clone(&snap->view, &xs->main)) {
		free(snap);
		return NULL;
	}
	snap->gen = xs->gen;
	if (!take_daemon_state(snap, xs)) {
		snapshot_discard(xs, snap);
		return NULL;
	}
	fill_spares(xs); /* the first case finds them as the next will */
	return snap;
}

/* Puts the domains back, into the daemon's own array (it has room:
 * the daemon never forgets a domain, so it holds at least as many). */
static int restore_daemon_state(struct hv_xs *xs, const struct hv_xs_snapshot *snap)
{
	struct hv_xs_perm *perms[HV_XS_SPECIAL_COUNT] = { NULL };

	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++) {
		perms[i] = copy_of(snap->special_perms[i],
				   snap->special_nperms[i] * sizeof(*perms[i]));
		if (!perms[i]) {
			for (int j = 0; j < i; j++)
				free(perms[j]);
			return -XEN_ENOMEM;
		}
	}
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++) {
		free(xs->special[i].perms);
		xs->special[i].perms = perms[i];
		xs->special[i].nperms = snap->special_nperms[i];
	}
	if (snap->ndoms)
		memcpy(xs->doms, snap->doms, snap->ndoms * sizeof(*xs->doms));
	xs->ndoms = snap->ndoms;
	if (xs->capdoms != snap->capdoms && snap->capdoms) {
		struct hv_xs_domain *doms = realloc(xs->doms, snap->capdoms * sizeof(*doms));

		if (doms) { /* a shrink: failing, it keeps the larger table */
			xs->doms = doms;
			xs->capdoms = snap->capdoms;
		}
	}
	return 0;
}

/* Whether a connection has a transaction open: its view was taken from
 * the store a restore would replace. */
static bool transactions_open(const struct hv_xs *xs)
{
	for (const struct hv_xs_conn *c = xs->conns; c; c = c->next)
		if (c->ntxns)
			return true;
	return false;
}

int hv_xs_snapshot_restore(struct hv_xs *xs, const struct hv_xs_snapshot *snap)
{
	struct hv_xs_view copy;
	int rc;

	if (transactions_open(xs))
		return -XEN_EBUSY;
	if (xs->ndoms < snap->ndoms)
		return -XEN_EINVAL; /* a snapshot of another daemon */
	rc = restore_daemon_state(xs, snap);
	if (rc)
		return rc;
	rc = hv_xs_view_clone(&copy, &snap->view);
	if (rc)
		return rc;
	hv_xs_view_release(xs, &xs->main);
	xs->main = copy;
	xs->gen = snap->gen;
	fill_spares(xs);
	return 0;
}

void hv_xs_snapshot_free(struct hv_xs *xs, struct hv_xs_snapshot *snap)
{
	if (snap)
		snapshot_discard(xs, snap);
}
