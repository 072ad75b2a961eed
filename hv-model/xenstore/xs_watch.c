/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Watches and the events they receive. A change to a node is reported to
 * every watch on that node or on an ancestor; removing a subtree is also
 * reported to watches below it, with the watch's own path. A watcher only
 * hears of a path it may read (judged by the node's permissions at the
 * time of the change), so events never leak names. Special events
 * (@introduceDomain, @releaseDomain) match only watches on exactly that
 * name, and obey the special node's permissions. Watch events carry
 * req_id = tx_id = 0.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

int hv_xs_watch_add(struct hv_xs_conn *conn, const char *path, const char *token, bool relative)
{
	uint32_t max = conn->xs->cfg.max_watches;
	struct hv_xs_watch *w, **tail = &conn->watches;

	for (w = conn->watches; w; w = w->next) {
		if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0)
			return -XEN_EEXIST;
		tail = &w->next;
	}
	if (conn->domid != 0 && max && conn->nwatches >= max)
		return -XEN_E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -XEN_ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -XEN_ENOMEM;
	}
	w->relative = relative;
	*tail = w; /* registration order is delivery order */
	conn->nwatches++;
	return 0;
}

static void watch_free(struct hv_xs_watch *w)
{
	free(w->path);
	free(w->token);
	free(w);
}

int hv_xs_watch_remove(struct hv_xs_conn *conn, const char *path, const char *token)
{
	for (struct hv_xs_watch **pp = &conn->watches; *pp; pp = &(*pp)->next) {
		struct hv_xs_watch *w = *pp;

		if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0) {
			*pp = w->next;
			watch_free(w);
			conn->nwatches--;
			return 0;
		}
	}
	return -XEN_ENOENT;
}

void hv_xs_watch_free_all(struct hv_xs_conn *conn)
{
	while (conn->watches) {
		struct hv_xs_watch *w = conn->watches;

		conn->watches = w->next;
		watch_free(w);
	}
	conn->nwatches = 0;
}

static void send_event(struct hv_xs_conn *conn, const char *path, const char *token)
{
	size_t pl = strlen(path), tl = strlen(token);
	uint8_t payload[XENSTORE_PAYLOAD_MAX];

	if (pl + 1 + tl + 1 > sizeof(payload)) {
		hv_xs_log(conn->xs, HV_XS_LOG_WARN, conn->domid,
		       "watch event for %.64s... dropped: path and token exceed %d bytes",
		       path, XENSTORE_PAYLOAD_MAX);
		return;
	}
	memcpy(payload, path, pl + 1);
	memcpy(payload + pl + 1, token, tl + 1);
	hv_xs_conn_send(conn, XS_WATCH_EVENT, 0, 0, payload, (uint32_t)(pl + tl + 2),
		     HV_XS_MSG_EVENT);
}

void hv_xs_watch_fire_initial(struct hv_xs_conn *conn, const char *wpath_as_given,
			   const char *token)
{
	send_event(conn, wpath_as_given, token);
}

/* The path as the watcher should see it: relative watches get relative paths. */
static const char *reported_path(const struct hv_xs_conn *conn, const struct hv_xs_watch *w,
				 const char *path)
{
	char base[32];
	size_t bl;

	if (!w->relative || hv_xs_path_domain_base(conn->domid, base, sizeof(base)))
		return path;
	bl = strlen(base);
	if (strncmp(path, base, bl) == 0 && path[bl] == '/')
		return path + bl + 1;
	return path;
}

static bool event_matches(const char *epath, const char *wpath)
{
	if (epath[0] == '@' || wpath[0] == '@')
		return strcmp(epath, wpath) == 0;
	return hv_xs_path_is_under(epath, wpath);
}

/* For a watch below a removed node: the removed node at its path, if any. */
static const struct hv_xs_node *removed_node_at(const struct hv_xs_event *e, const char *wpath)
{
	const struct hv_xs_node *n = hv_xs_node_walk(e->removed, wpath + strlen(e->path));

	return n ? n : e->removed;
}

static void deliver_one(struct hv_xs *xs, const struct hv_xs_event *e)
{
	for (struct hv_xs_conn *conn = xs->conns; conn; conn = conn->next) {
		struct hv_xs_who who;

		hv_xs_who_for(xs, conn->domid, &who);
		for (const struct hv_xs_watch *w = conn->watches; w; w = w->next) {
			const char *path;
			unsigned can;

			if (event_matches(e->path, w->path)) {
				path = e->path;
				can = hv_xs_perm_for(&who, e->perms, e->nperms);
			} else if (e->removed && w->path[0] == '/' &&
				   hv_xs_path_is_under(w->path, e->path)) {
				const struct hv_xs_node *n = removed_node_at(e, w->path);

				path = w->path;
				can = hv_xs_perm_for(&who, n->perms, n->nperms);
			} else {
				continue;
			}
			if (!(can & HV_XS_PERM_READ))
				continue; /* never tell a domain about what it can't read */
			send_event(conn, reported_path(conn, w, path), w->token);
		}
	}
}

int hv_xs_events_add(struct hv_xs_events *ev, const char *path,
		  const struct hv_xs_perm *perms, uint32_t nperms, struct hv_xs_node *removed)
{
	struct hv_xs_event *e;

	for (size_t i = 0; i < ev->n; i++)
		if (!removed && !ev->v[i].removed && strcmp(ev->v[i].path, path) == 0)
			return 0; /* one event per node per request */
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 8;
		struct hv_xs_event *grown = realloc(ev->v, cap * sizeof(*grown));

		if (!grown)
			return -XEN_ENOMEM;
		ev->v = grown;
		ev->cap = cap;
	}
	e = &ev->v[ev->n];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	e->perms = malloc((nperms ? nperms : 1) * sizeof(*e->perms));
	if (!e->path || !e->perms) {
		free(e->path);
		free(e->perms);
		return -XEN_ENOMEM;
	}
	memcpy(e->perms, perms, nperms * sizeof(*e->perms));
	e->nperms = nperms;
	if (removed) {
		hv_xs_node_ref(removed);
		e->removed = removed;
	}
	ev->n++;
	return 0;
}

void hv_xs_events_clear(struct hv_xs *xs, struct hv_xs_events *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->v[i].path);
		free(ev->v[i].perms);
		hv_xs_node_unref(xs, ev->v[i].removed);
	}
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

void hv_xs_events_deliver(struct hv_xs *xs, struct hv_xs_events *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		deliver_one(xs, &ev->v[i]);
	hv_xs_events_clear(xs, ev);
}
