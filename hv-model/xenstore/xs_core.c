/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The daemon object: configuration, connections, known domains, the
 * special watch nodes, logging, and direct dom0 access for the toolstack.
 * No globals: every daemon is one struct hv_xs, and freeing it frees all.
 */
#include <xen/errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

void hv_xs_config_default(struct hv_xs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* Xen's C xenstored defaults. */
	cfg->max_nodes_per_domain = 1000;
	cfg->max_watches = 128;
	cfg->max_outstanding = 20;
	cfg->max_transactions = 10;
	cfg->max_node_data = 2048;
	cfg->max_perms = 5;
	cfg->max_rel_path = XENSTORE_REL_PATH_MAX;
	cfg->max_abs_path = XENSTORE_ABS_PATH_MAX;
	/* C's hard memory quota of a domain (quota_memory_per_domain_hard). */
	cfg->max_guest_out_bytes = 2 * 1024 * 1024 + 512 * 1024;
	/* Ours: a guest's transaction may not grow without bound. */
	cfg->max_txn_ops = 1024;
	cfg->max_txn_reads = 16384;
	/* Ours: C xenstored does not bound a dom0 client's output. */
	cfg->max_dom0_out_bytes = 64u << 20;
	cfg->max_total_out_bytes = 256u << 20;
	cfg->log_level = HV_XS_LOG_WARN;
}

static void vlog(const struct hv_xs *xs, enum hv_xs_log_level level, int domid,
		 const char *fmt, va_list ap)
{
	char msg[512];
	int off = 0;

	if (!xs->cfg.log || level > xs->cfg.log_level)
		return;
	if (domid >= 0)
		off = snprintf(msg, sizeof(msg), "(d%d) xenstored: ", domid);
	else
		off = snprintf(msg, sizeof(msg), "xenstored: ");
	vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
	xs->cfg.log(xs->cfg.log_opaque, level, msg);
}

void hv_xs_log(const struct hv_xs *xs, enum hv_xs_log_level level, int domid,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(xs, level, domid, fmt, ap);
	va_end(ap);
}

void hv_xs_logf(const struct hv_xs *xs, enum hv_xs_log_level level, int domid,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(xs, level, domid, fmt, ap);
	va_end(ap);
}

const struct hv_xs_config *hv_xs_config_of(const struct hv_xs *xs)
{
	return &xs->cfg;
}

struct hv_xs *hv_xs_new(const struct hv_xs_config *cfg)
{
	static const struct hv_xs_perm dom0_only = { .domid = 0, .perms = HV_XS_PERM_NONE };
	static const char *const special_names[HV_XS_SPECIAL_COUNT] = {
		[HV_XS_SPECIAL_INTRODUCE] = "@introduceDomain",
		[HV_XS_SPECIAL_RELEASE] = "@releaseDomain",
	};
	struct hv_xs *xs = calloc(1, sizeof(*xs));

	if (!xs)
		return NULL;
	if (cfg)
		xs->cfg = *cfg;
	else
		hv_xs_config_default(&xs->cfg);
	xs->main.root = hv_xs_node_new(xs, "", 0);
	if (!xs->main.root || hv_xs_node_set_perms(xs->main.root, &dom0_only, 1) ||
	    hv_xs_counts_add(&xs->main.counts, 0, 1))
		goto fail;
	xs->main.root->gen = hv_xs_next_gen(xs);
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++) {
		xs->special[i].name = special_names[i];
		if (hv_xs_special_set(xs, &xs->special[i], &dom0_only, 1))
			goto fail;
	}
	return xs;
fail:
	hv_xs_free(xs);
	return NULL;
}

static void conn_drop_state(struct hv_xs_conn *conn)
{
	hv_xs_watch_free_all(conn);
	hv_xs_txn_free_all(conn);
}

void hv_xs_free(struct hv_xs *xs)
{
	if (!xs)
		return;
	while (xs->conns) {
		struct hv_xs_conn *conn = xs->conns;

		xs->conns = conn->next;
		conn_drop_state(conn);
		free(conn);
	}
	hv_xs_view_release(xs, &xs->main);
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++)
		free(xs->special[i].perms);
	free(xs->doms);
	free(xs->spare_req);
	hv_xs_outq_free_spare(xs);
	free(xs);
}

size_t hv_xs_live_nodes(const struct hv_xs *xs)
{
	return xs->live_nodes;
}

uint32_t hv_xs_domain_nodes(const struct hv_xs *xs, uint16_t domid)
{
	return hv_xs_counts_get(&xs->main.counts, domid);
}

size_t hv_xs_out_memory(const struct hv_xs *xs)
{
	return xs->out_mem;
}

/* ---- connections ---- */

struct hv_xs_conn *hv_xs_conn_new(struct hv_xs *xs, uint16_t domid,
				  hv_xs_send_fn send, void *opaque)
{
	struct hv_xs_conn *conn = calloc(1, sizeof(*conn));
	struct hv_xs_conn **tail = &xs->conns;

	if (!conn)
		return NULL;
	conn->xs = xs;
	conn->domid = domid;
	conn->send = send;
	conn->opaque = opaque;
	while (*tail)
		tail = &(*tail)->next;
	*tail = conn; /* creation order is event delivery order */
	return conn;
}

void hv_xs_conn_reset(struct hv_xs_conn *conn)
{
	conn_drop_state(conn);
}

void hv_xs_conn_free(struct hv_xs_conn *conn)
{
	if (!conn)
		return;
	for (struct hv_xs_conn **pp = &conn->xs->conns; *pp; pp = &(*pp)->next) {
		if (*pp == conn) {
			*pp = conn->next;
			break;
		}
	}
	conn_drop_state(conn);
	free(conn);
}

uint16_t hv_xs_conn_domid(const struct hv_xs_conn *conn)
{
	return conn->domid;
}

/* ---- domains and special nodes ---- */

struct hv_xs_domain *hv_xs_domain_find(const struct hv_xs *xs, uint16_t domid)
{
	for (size_t i = 0; i < xs->ndoms; i++)
		if (xs->doms[i].domid == domid)
			return &xs->doms[i];
	return NULL;
}

struct hv_xs_domain *hv_xs_domain_get(struct hv_xs *xs, uint16_t domid)
{
	struct hv_xs_domain *d = hv_xs_domain_find(xs, domid);

	if (d)
		return d;
	if (xs->ndoms == xs->capdoms) {
		size_t cap = xs->capdoms ? xs->capdoms * 2 : 8;
		struct hv_xs_domain *grown = realloc(xs->doms, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		xs->doms = grown;
		xs->capdoms = cap;
	}
	d = &xs->doms[xs->ndoms++];
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	return d;
}

bool hv_xs_domain_introduced(const struct hv_xs *xs, uint16_t domid)
{
	const struct hv_xs_domain *d = hv_xs_domain_find(xs, domid);

	return domid == 0 || (d && d->introduced); /* dom0 is always there */
}

struct hv_xs_special *hv_xs_special_find(struct hv_xs *xs, const char *name)
{
	for (int i = 0; i < HV_XS_SPECIAL_COUNT; i++)
		if (strcmp(xs->special[i].name, name) == 0)
			return &xs->special[i];
	return NULL;
}

int hv_xs_special_set(struct hv_xs *xs, struct hv_xs_special *sp,
		   const struct hv_xs_perm *perms, uint32_t nperms)
{
	struct hv_xs_perm *copy;

	(void)xs;
	if (!nperms)
		return -XEN_EINVAL;
	copy = malloc(nperms * sizeof(*copy));
	if (!copy)
		return -XEN_ENOMEM;
	memcpy(copy, perms, nperms * sizeof(*copy));
	free(sp->perms);
	sp->perms = copy;
	sp->nperms = nperms;
	return 0;
}

int hv_xs_domain_set_introduced(struct hv_xs *xs, uint16_t domid, bool introduced,
			     struct hv_xs_events *ev)
{
	struct hv_xs_domain *d = hv_xs_domain_get(xs, domid);
	const struct hv_xs_special *sp;

	if (!d)
		return -XEN_ENOMEM;
	d->introduced = introduced;
	if (!introduced)
		d->has_target = false;
	sp = &xs->special[introduced ? HV_XS_SPECIAL_INTRODUCE : HV_XS_SPECIAL_RELEASE];
	hv_xs_log(xs, HV_XS_LOG_INFO, domid, "%s", introduced ? "introduced" : "released");
	return ev ? hv_xs_events_add(ev, sp->name, sp->perms, sp->nperms, NULL) : 0;
}

int hv_xs_domain_introduce(struct hv_xs *xs, uint16_t domid)
{
	struct hv_xs_events ev = { 0 };
	int rc;

	if (domid == 0)
		return -XEN_EINVAL;
	rc = hv_xs_domain_set_introduced(xs, domid, true, &ev);
	hv_xs_events_deliver(xs, &ev);
	return rc;
}

int hv_xs_domain_release(struct hv_xs *xs, uint16_t domid)
{
	struct hv_xs_events ev = { 0 };
	int rc;

	if (domid == 0 || !hv_xs_domain_introduced(xs, domid))
		return -XEN_ENOENT;
	rc = hv_xs_domain_set_introduced(xs, domid, false, &ev);
	hv_xs_events_deliver(xs, &ev);
	return rc;
}

/* ---- direct dom0 access ---- */

struct direct {
	struct hv_xs_who who;
	struct hv_xs_events ev;
	struct hv_xs_ctx c;
	char *path;
};

static int direct_begin(struct hv_xs *xs, const char *path, struct direct *d)
{
	memset(d, 0, sizeof(*d));
	hv_xs_who_for(xs, 0, &d->who);
	d->c = (struct hv_xs_ctx){ .xs = xs, .who = &d->who, .view = &xs->main, .ev = &d->ev };
	return hv_xs_path_canon(xs, &d->who, path, false, &d->path);
}

static int direct_end(struct hv_xs *xs, struct direct *d, int rc)
{
	if (rc)
		hv_xs_events_clear(xs, &d->ev);
	else
		hv_xs_events_deliver(xs, &d->ev);
	free(d->path);
	return rc;
}

int hv_xs_write(struct hv_xs *xs, const char *path, const void *value, size_t len)
{
	struct direct d;
	int rc = direct_begin(xs, path, &d);

	if (!rc)
		rc = len > XENSTORE_PAYLOAD_MAX ? -XEN_E2BIG : hv_xs_store_write(&d.c, d.path, value, len);
	return direct_end(xs, &d, rc);
}

int hv_xs_write_str(struct hv_xs *xs, const char *path, const char *value)
{
	return hv_xs_write(xs, path, value, strlen(value));
}

int hv_xs_mkdir(struct hv_xs *xs, const char *path)
{
	struct direct d;
	int rc = direct_begin(xs, path, &d);

	if (!rc)
		rc = hv_xs_store_mkdir(&d.c, d.path);
	return direct_end(xs, &d, rc);
}

int hv_xs_rm(struct hv_xs *xs, const char *path)
{
	struct direct d;
	int rc = direct_begin(xs, path, &d);

	if (!rc)
		rc = hv_xs_store_rm(&d.c, d.path);
	return direct_end(xs, &d, rc);
}

int hv_xs_set_perms(struct hv_xs *xs, const char *path,
		    const struct hv_xs_perm *perms, unsigned nperms)
{
	struct direct d;
	int rc = direct_begin(xs, path, &d);

	if (!rc)
		rc = hv_xs_store_set_perms(&d.c, d.path, perms, nperms);
	return direct_end(xs, &d, rc);
}

int hv_xs_read(struct hv_xs *xs, const char *path, void *buf, size_t cap)
{
	const struct hv_xs_node *n;
	struct direct d;
	int rc = direct_begin(xs, path, &d);

	if (!rc)
		rc = hv_xs_store_get(&d.c, d.path, HV_XS_PERM_READ, &n);
	if (!rc) {
		if (cap && n->vlen)
			memcpy(buf, n->value, n->vlen < cap ? n->vlen : cap);
		rc = (int)n->vlen;
	}
	direct_end(xs, &d, 0);
	return rc;
}
