/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Snapshots of the committed store, for a process that runs case after
 * case against one daemon (a fuzzer): taking one shares the tree by
 * reference, as a transaction does, so it costs a small copy of the
 * ownership counts; restoring one puts back the tree, the counts and the
 * generation counter, so the next case sees the store byte for byte as it
 * was, generations included.
 */
#include <stdlib.h>

#include "xs_internal.h"

struct hv_xs_snapshot {
	struct hv_xs_view view;
	uint64_t gen;
};

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
	return snap;
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
	rc = hv_xs_view_clone(&copy, &snap->view);
	if (rc)
		return rc;
	hv_xs_view_release(xs, &xs->main);
	xs->main = copy;
	xs->gen = snap->gen;
	return 0;
}

void hv_xs_snapshot_free(struct hv_xs *xs, struct hv_xs_snapshot *snap)
{
	if (!snap)
		return;
	hv_xs_view_release(xs, &snap->view);
	free(snap);
}
