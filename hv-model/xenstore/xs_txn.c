/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transactions. TRANSACTION_START takes a snapshot (a second reference to
 * the committed root); reads and writes inside it see only the snapshot
 * and the transaction's own changes. Every node the transaction looked at
 * is recorded with the generation it had in the snapshot (0: absent).
 * TRANSACTION_END "T" commits when each recorded node still has that
 * generation in the committed store, by replaying the transaction's
 * mutating requests onto a copy of the store and swapping it in; otherwise
 * XEN_EAGAIN. Aborted and failed transactions leave nothing behind.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

static void txn_free(struct hv_xs *xs, struct hv_xs_txn *t)
{
	for (size_t i = 0; i < t->nrec; i++)
		free(t->rec[i].path);
	for (size_t i = 0; i < t->nlog; i++)
		free(t->log[i].payload);
	free(t->rec);
	free(t->log);
	hv_xs_view_release(xs, &t->view);
	free(t);
}

static void txn_unlink(struct hv_xs_conn *conn, struct hv_xs_txn *t)
{
	for (struct hv_xs_txn **pp = &conn->txns; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			conn->ntxns--;
			return;
		}
	}
}

struct hv_xs_txn *hv_xs_txn_find(struct hv_xs_conn *conn, uint32_t id)
{
	for (struct hv_xs_txn *t = conn->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

int hv_xs_txn_start(struct hv_xs_conn *conn, uint32_t *id)
{
	struct hv_xs *xs = conn->xs;
	uint32_t max = xs->cfg.max_transactions;
	struct hv_xs_txn *t;

	if (conn->domid != 0 && max && conn->ntxns >= max)
		return -XEN_ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -XEN_ENOMEM;
	if (hv_xs_view_clone(&t->view, &xs->main)) {
		free(t);
		return -XEN_ENOMEM;
	}
	t->start_gen = xs->gen;
	t->limited = conn->domid != 0;
	do {
		t->id = ++conn->next_txn_id; /* free-running; 0 means "none" */
	} while (t->id == 0 || hv_xs_txn_find(conn, t->id));
	t->next = conn->txns;
	conn->txns = t;
	conn->ntxns++;
	*id = t->id;
	return 0;
}

void hv_xs_txn_record(struct hv_xs_ctx *c, const char *path, const struct hv_xs_node *n)
{
	struct hv_xs_txn *t = c->txn;
	uint32_t max = c->xs->cfg.max_txn_reads;
	struct hv_xs_record *rec;

	if (!t || (n && n->gen > t->start_gen))
		return; /* outside a transaction, or the transaction's own node */
	for (size_t i = 0; i < t->nrec; i++)
		if (strcmp(t->rec[i].path, path) == 0)
			return; /* the first look is the snapshot's state */
	if (t->limited && max && t->nrec >= max) {
		t->failed = -XEN_ENOSPC;
		return;
	}
	if (t->nrec == t->caprec) {
		size_t cap = t->caprec ? t->caprec * 2 : 16;
		struct hv_xs_record *grown = realloc(t->rec, cap * sizeof(*grown));

		if (!grown) {
			t->failed = -XEN_ENOMEM;
			return;
		}
		t->rec = grown;
		t->caprec = cap;
	}
	rec = &t->rec[t->nrec];
	rec->path = strdup(path);
	if (!rec->path) {
		t->failed = -XEN_ENOMEM;
		return;
	}
	rec->gen = n ? n->gen : 0;
	t->nrec++;
}

int hv_xs_txn_room(const struct hv_xs *xs, const struct hv_xs_txn *t)
{
	uint32_t max = xs->cfg.max_txn_ops;

	return (t->limited && max && t->nlog >= max) ? -XEN_ENOSPC : 0;
}

int hv_xs_txn_log(struct hv_xs *xs, struct hv_xs_txn *t, uint32_t type, const void *payload,
	       uint32_t len)
{
	uint32_t max = xs->cfg.max_txn_ops;
	struct hv_xs_logged *entry;

	if (t->limited && max && t->nlog >= max) {
		t->failed = -XEN_ENOSPC; /* the view has a change the log lacks */
		return -XEN_ENOSPC;
	}
	if (t->nlog == t->caplog) {
		size_t cap = t->caplog ? t->caplog * 2 : 8;
		struct hv_xs_logged *grown = realloc(t->log, cap * sizeof(*grown));

		if (!grown)
			goto fail;
		t->log = grown;
		t->caplog = cap;
	}
	entry = &t->log[t->nlog];
	entry->payload = malloc(len ? len : 1);
	if (!entry->payload)
		goto fail;
	if (len)
		memcpy(entry->payload, payload, len);
	entry->type = type;
	entry->len = len;
	t->nlog++;
	return 0;
fail:
	t->failed = -XEN_ENOMEM; /* the view has a change the log lacks */
	return -XEN_ENOMEM;
}

static bool txn_conflicts(const struct hv_xs *xs, const struct hv_xs_txn *t)
{
	for (size_t i = 0; i < t->nrec; i++) {
		const struct hv_xs_node *now = hv_xs_node_walk(xs->main.root, t->rec[i].path);

		if ((now ? now->gen : 0) != t->rec[i].gen)
			return true;
	}
	return false;
}

/* Replays the transaction's changes onto a copy of the store. */
static int txn_apply(struct hv_xs_conn *conn, struct hv_xs_txn *t, struct hv_xs_events *ev)
{
	struct hv_xs *xs = conn->xs;
	struct hv_xs_view next;
	struct hv_xs_who who;
	struct hv_xs_ctx c;
	int rc = 0;

	if (!t->nlog)
		return 0;
	if (hv_xs_view_clone(&next, &xs->main))
		return -XEN_ENOMEM;
	hv_xs_who_for(xs, conn->domid, &who);
	c = (struct hv_xs_ctx){ .xs = xs, .who = &who, .view = &next, .txn = NULL, .ev = ev };
	for (size_t i = 0; i < t->nlog && !rc; i++)
		rc = hv_xs_ops_replay(conn, &c, t->log[i].type, t->log[i].payload, t->log[i].len);
	if (rc) {
		hv_xs_log(xs, HV_XS_LOG_WARN, conn->domid,
		       "transaction %u failed on replay: %d", t->id, rc);
		hv_xs_events_clear(xs, ev);
		hv_xs_view_release(xs, &next);
		return rc;
	}
	hv_xs_view_release(xs, &xs->main);
	xs->main = next;
	return 0;
}

int hv_xs_txn_end(struct hv_xs_conn *conn, struct hv_xs_txn *t, bool commit, struct hv_xs_events *ev)
{
	int rc = 0;

	txn_unlink(conn, t);
	if (commit) {
		if (t->failed)
			rc = t->failed;
		else if (txn_conflicts(conn->xs, t))
			rc = -XEN_EAGAIN;
		else
			rc = txn_apply(conn, t, ev);
	}
	txn_free(conn->xs, t);
	return rc;
}

void hv_xs_txn_free_all(struct hv_xs_conn *conn)
{
	while (conn->txns) {
		struct hv_xs_txn *t = conn->txns;

		conn->txns = t->next;
		txn_free(conn->xs, t);
	}
	conn->ntxns = 0;
}
