/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wire protocol: one table maps each op to its handler; unknown ops
 * get XEN_ENOSYS here and nowhere else. A payload is hostile: it is split into
 * nul-terminated strings once (split_args), each handler then checks the
 * count it needs; a missing nul, a missing or extra string, a bad number
 * or path is XEN_EINVAL. Replies echo req_id and tx_id; an error reply is
 * XS_ERROR with the errno's name.
 */
#include <xen/errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

#define DOMID_FIRST_RESERVED 0x7ff0u
/* A payload of one-character strings: the most a request can hold. */
#define MAX_ARGS (XENSTORE_PAYLOAD_MAX / 2)

enum {
	OP_PRIV  = 1 << 0, /* dom0 only: a guest gets XEN_EACCES */
	OP_TXN   = 1 << 1, /* runs inside the transaction named by tx_id */
	OP_LOG   = 1 << 2, /* changes the store: replayed at commit */
	OP_NO_TX = 1 << 3, /* tx_id is ignored */
};

struct hv_xs_req {
	struct hv_xs_conn *conn;
	struct hv_xs_ctx *c;
	struct hv_xs_txn *txn;       /* named by tx_id, or NULL */
	uint32_t type;
	const uint8_t *payload;
	uint32_t len;
	const char *argv[MAX_ARGS];
	int argc;                 /* -XEN_EINVAL: the payload is not nul-terminated */
	uint8_t rsp[XENSTORE_PAYLOAD_MAX];
	uint32_t rsp_len;
	const char *watch_path;   /* WATCH: fire the initial event after the reply */
	const char *watch_token;
};

typedef int (*hv_xs_handler)(struct hv_xs_req *r);

struct hv_xs_op_desc {
	const char *name;
	hv_xs_handler fn;
	unsigned flags;
};

/* ---- payload helpers ---- */

/* Splits a payload made of nul-terminated strings. */
static int split_args(const uint8_t *p, uint32_t len, const char **argv, int max)
{
	uint32_t off = 0;
	int n = 0;

	if (len && p[len - 1] != '\0')
		return -XEN_EINVAL;
	while (off < len) {
		if (n == max)
			return -XEN_EINVAL;
		argv[n++] = (const char *)p + off;
		off += (uint32_t)strlen((const char *)p + off) + 1;
	}
	return n;
}

static int want_args(const struct hv_xs_req *r, int n)
{
	return r->argc == n ? 0 : -XEN_EINVAL;
}

/* TRANSACTION_START and RESET_WATCHES carry nothing, or one empty string. */
static int want_empty(const struct hv_xs_req *r)
{
	if (r->len == 0 || (r->argc == 1 && r->argv[0][0] == '\0'))
		return 0;
	return -XEN_EINVAL;
}

static int reply_bytes(struct hv_xs_req *r, const void *data, size_t len)
{
	if (len > sizeof(r->rsp))
		return -XEN_E2BIG;
	if (len)
		memcpy(r->rsp, data, len);
	r->rsp_len = (uint32_t)len;
	return 0;
}

static int reply_str(struct hv_xs_req *r, const char *s)
{
	return reply_bytes(r, s, strlen(s) + 1);
}

static int reply_ok(struct hv_xs_req *r)
{
	return reply_str(r, "OK");
}

static int canon(struct hv_xs_req *r, const char *in, bool allow_special, char **out)
{
	return hv_xs_path_canon(r->c->xs, r->c->who, in, allow_special, out);
}

/* ---- database ops ---- */

static int do_read(struct hv_xs_req *r)
{
	const struct hv_xs_node *n;
	char *path;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = canon(r, r->argv[0], false, &path)))
		return rc;
	rc = hv_xs_store_get(r->c, path, HV_XS_PERM_READ, &n);
	free(path);
	return rc ? rc : reply_bytes(r, n->value, n->vlen);
}

static int do_directory(struct hv_xs_req *r)
{
	const struct hv_xs_node *n;
	char *path;
	size_t off = 0;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = canon(r, r->argv[0], false, &path)))
		return rc;
	rc = hv_xs_store_get(r->c, path, HV_XS_PERM_READ, &n);
	free(path);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < n->nchildren; i++) {
		size_t nl = n->child[i]->name_len + 1;

		if (off + nl > sizeof(r->rsp))
			return -XEN_E2BIG; /* the client falls back to DIRECTORY_PART */
		memcpy(r->rsp + off, n->child[i]->name, nl);
		off += nl;
	}
	r->rsp_len = (uint32_t)off;
	return 0;
}

/*
 * <path>|<offset>| -> <gen>|<child>|*, whole names only, starting at byte
 * <offset> of the full list; an extra empty string marks the list's end.
 */
static int do_directory_part(struct hv_xs_req *r)
{
	const struct hv_xs_node *n;
	uint32_t offset, pos = 0, out;
	char *path;
	uint32_t i = 0;
	int rc, gl;

	if ((rc = want_args(r, 2)) || (rc = hv_xs_parse_u32(r->argv[1], &offset)))
		return rc ? rc : -XEN_EINVAL;
	if ((rc = canon(r, r->argv[0], false, &path)))
		return rc;
	rc = hv_xs_store_get(r->c, path, HV_XS_PERM_READ, &n);
	free(path);
	if (rc)
		return rc;
	gl = snprintf((char *)r->rsp, sizeof(r->rsp), "%" PRIu64, n->gen) + 1;
	out = (uint32_t)gl;
	for (; i < n->nchildren && pos < offset; i++)
		pos += n->child[i]->name_len + 1;
	for (; i < n->nchildren; i++) {
		size_t nl = n->child[i]->name_len + 1;

		if (out + nl + 1 > sizeof(r->rsp))
			break; /* keep a byte for the end marker */
		memcpy(r->rsp + out, n->child[i]->name, nl);
		out += (uint32_t)nl;
	}
	if (i == n->nchildren)
		r->rsp[out++] = '\0';
	r->rsp_len = out;
	return 0;
}

static int do_write(struct hv_xs_req *r)
{
	const uint8_t *nul = r->len ? memchr(r->payload, '\0', r->len) : NULL;
	char *path;
	int rc;

	if (!nul)
		return -XEN_EINVAL;
	if ((rc = canon(r, (const char *)r->payload, false, &path)))
		return rc;
	rc = hv_xs_store_write(r->c, path, nul + 1, r->len - (uint32_t)(nul + 1 - r->payload));
	free(path);
	return rc ? rc : reply_ok(r);
}

static int do_mkdir(struct hv_xs_req *r)
{
	char *path;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = canon(r, r->argv[0], false, &path)))
		return rc;
	rc = hv_xs_store_mkdir(r->c, path);
	free(path);
	return rc ? rc : reply_ok(r);
}

static int do_rm(struct hv_xs_req *r)
{
	char *path;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = canon(r, r->argv[0], false, &path)))
		return rc;
	rc = hv_xs_store_rm(r->c, path);
	free(path);
	return rc ? rc : reply_ok(r);
}

static int format_perms(struct hv_xs_req *r, const struct hv_xs_perm *perms, uint32_t n)
{
	uint32_t off = 0;

	for (uint32_t i = 0; i < n; i++) {
		int len = hv_xs_perm_format(&perms[i], (char *)r->rsp + off, sizeof(r->rsp) - off);

		if (len < 0)
			return -XEN_E2BIG;
		off += (uint32_t)len + 1;
	}
	r->rsp_len = off;
	return 0;
}

static int do_get_perms(struct hv_xs_req *r)
{
	const struct hv_xs_node *n;
	struct hv_xs_special *sp;
	char *path;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = canon(r, r->argv[0], true, &path)))
		return rc;
	if (path[0] == '@') {
		sp = hv_xs_special_find(r->c->xs, path);
		free(path);
		if (!sp)
			return -XEN_ENOENT;
		if (!(hv_xs_perm_for(r->c->who, sp->perms, sp->nperms) & HV_XS_PERM_READ))
			return -XEN_EACCES;
		return format_perms(r, sp->perms, sp->nperms);
	}
	rc = hv_xs_store_get(r->c, path, HV_XS_PERM_READ, &n);
	free(path);
	return rc ? rc : format_perms(r, n->perms, n->nperms);
}

static int set_special_perms(struct hv_xs_req *r, const char *name,
			     const struct hv_xs_perm *perms, uint32_t n)
{
	struct hv_xs_special *sp = hv_xs_special_find(r->c->xs, name);

	if (!sp)
		return -XEN_ENOENT;
	if (!hv_xs_is_owner(r->c->who, sp->perms, sp->nperms))
		return -XEN_EACCES;
	if (r->c->txn)
		return 0; /* applied when the transaction commits */
	return hv_xs_special_set(r->c->xs, sp, perms, n);
}

static int do_set_perms(struct hv_xs_req *r)
{
	struct hv_xs_perm *perms;
	uint32_t n = (uint32_t)r->argc - 1;
	char *path = NULL;
	int rc = 0;

	if (r->argc < 2)
		return -XEN_EINVAL;
	perms = malloc(n * sizeof(*perms));
	if (!perms)
		return -XEN_ENOMEM;
	for (uint32_t i = 0; i < n && !rc; i++)
		rc = hv_xs_perm_parse(r->argv[i + 1], &perms[i]) ? -XEN_EINVAL : 0;
	if (!rc)
		rc = canon(r, r->argv[0], true, &path);
	if (!rc && path[0] == '@')
		rc = set_special_perms(r, path, perms, n);
	else if (!rc)
		rc = hv_xs_store_set_perms(r->c, path, perms, n);
	free(path);
	free(perms);
	return rc ? rc : reply_ok(r);
}

/* ---- watches ---- */

static int do_watch(struct hv_xs_req *r)
{
	char *path;
	int rc;

	if ((rc = want_args(r, 2)) || (rc = canon(r, r->argv[0], true, &path)))
		return rc;
	rc = hv_xs_watch_add(r->conn, path, r->argv[1], r->argv[0][0] != '/' && path[0] != '@');
	free(path);
	if (rc)
		return rc;
	r->watch_path = r->argv[0];
	r->watch_token = r->argv[1];
	return reply_ok(r);
}

static int do_unwatch(struct hv_xs_req *r)
{
	char *path;
	int rc;

	if ((rc = want_args(r, 2)) || (rc = canon(r, r->argv[0], true, &path)))
		return rc;
	rc = hv_xs_watch_remove(r->conn, path, r->argv[1]);
	free(path);
	return rc ? rc : reply_ok(r);
}

static int do_reset_watches(struct hv_xs_req *r)
{
	int rc = want_empty(r);

	if (rc)
		return rc;
	hv_xs_watch_free_all(r->conn);
	hv_xs_txn_free_all(r->conn);
	return reply_ok(r);
}

/* ---- transactions ---- */

static int do_transaction_start(struct hv_xs_req *r)
{
	char id[16];
	uint32_t tid;
	int rc;

	if ((rc = want_empty(r)))
		return rc;
	if (r->txn)
		return -XEN_EBUSY; /* no nesting */
	if ((rc = hv_xs_txn_start(r->conn, &tid)))
		return rc;
	snprintf(id, sizeof(id), "%" PRIu32, tid);
	return reply_str(r, id);
}

static int do_transaction_end(struct hv_xs_req *r)
{
	bool commit;
	int rc;

	if ((rc = want_args(r, 1)))
		return rc;
	if (strcmp(r->argv[0], "T") == 0)
		commit = true;
	else if (strcmp(r->argv[0], "F") == 0)
		commit = false;
	else
		return -XEN_EINVAL;
	if (!r->txn)
		return -XEN_ENOENT;
	if (commit && r->conn->domid != 0 && r->conn->xs->cfg.txn_end_fault &&
	    r->conn->xs->cfg.txn_end_fault(r->conn->xs->cfg.fault_opaque,
					   r->conn->domid)) {
		hv_xs_txn_end(r->conn, r->txn, false, r->c->ev);
		r->txn = NULL;
		return -XEN_EAGAIN;
	}
	rc = hv_xs_txn_end(r->conn, r->txn, commit, r->c->ev);
	r->txn = NULL;
	return rc ? rc : reply_ok(r);
}

/* ---- domains ---- */

static int arg_domid(const struct hv_xs_req *r, int i, uint16_t *domid)
{
	return hv_xs_parse_domid(r->argv[i], domid);
}

/* A real guest: not dom0, not a DOMID_* special value. */
static int arg_guest_domid(const struct hv_xs_req *r, int i, uint16_t *domid)
{
	int rc = arg_domid(r, i, domid);

	if (!rc && (*domid == 0 || *domid >= DOMID_FIRST_RESERVED))
		rc = -XEN_EINVAL;
	return rc;
}

static int do_introduce(struct hv_xs_req *r)
{
	struct hv_xs *xs = r->c->xs;
	uint16_t domid;
	uint64_t gfn;
	uint32_t port;
	int rc;

	if ((rc = want_args(r, 3)) || (rc = arg_guest_domid(r, 0, &domid)) ||
	    (rc = hv_xs_parse_u64(r->argv[1], &gfn)) || (rc = hv_xs_parse_u32(r->argv[2], &port)))
		return rc ? rc : -XEN_EINVAL;
	if (hv_xs_domain_introduced(xs, domid))
		return reply_ok(r); /* already talking to it */
	if (xs->cfg.introduce && (rc = xs->cfg.introduce(xs->cfg.hook_opaque, domid, gfn, port)))
		return rc;
	rc = hv_xs_domain_set_introduced(xs, domid, true, r->c->ev);
	return rc ? rc : reply_ok(r);
}

static int do_release(struct hv_xs_req *r)
{
	struct hv_xs *xs = r->c->xs;
	uint16_t domid;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = arg_guest_domid(r, 0, &domid)))
		return rc;
	if (!hv_xs_domain_introduced(xs, domid))
		return -XEN_ENOENT;
	if (xs->cfg.release)
		xs->cfg.release(xs->cfg.hook_opaque, domid);
	rc = hv_xs_domain_set_introduced(xs, domid, false, r->c->ev);
	return rc ? rc : reply_ok(r);
}

static int do_get_domain_path(struct hv_xs_req *r)
{
	char base[32];
	uint16_t domid;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = arg_domid(r, 0, &domid)))
		return rc;
	hv_xs_path_domain_base(domid, base, sizeof(base));
	return reply_str(r, base);
}

static int do_is_domain_introduced(struct hv_xs_req *r)
{
	uint16_t domid;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = arg_domid(r, 0, &domid)))
		return rc;
	return reply_str(r, hv_xs_domain_introduced(r->c->xs, domid) ? "T" : "F");
}

static int do_resume(struct hv_xs_req *r)
{
	uint16_t domid;
	int rc;

	if ((rc = want_args(r, 1)) || (rc = arg_guest_domid(r, 0, &domid)))
		return rc;
	return hv_xs_domain_introduced(r->c->xs, domid) ? reply_ok(r) : -XEN_ENOENT;
}

static int do_set_target(struct hv_xs_req *r)
{
	struct hv_xs_domain *d;
	uint16_t domid, target;
	int rc;

	if ((rc = want_args(r, 2)) || (rc = arg_guest_domid(r, 0, &domid)) ||
	    (rc = arg_domid(r, 1, &target)))
		return rc;
	d = hv_xs_domain_find(r->c->xs, domid);
	if (!d || !d->introduced)
		return -XEN_ENOENT;
	d->has_target = true;
	d->target = target;
	return reply_ok(r);
}

/* ---- control ---- */

static int do_control(struct hv_xs_req *r)
{
	static const char help[] = "check\nhelp\nprint\n";
	const char *cmd;

	if (r->argc < 1)
		return -XEN_EINVAL;
	cmd = r->argv[0];
	if (strcmp(cmd, "help") == 0 && r->argc == 1)
		return reply_bytes(r, help, sizeof(help));
	if (strcmp(cmd, "check") == 0 && r->argc == 1)
		return reply_ok(r);
	if (strcmp(cmd, "print") == 0 && r->argc == 2) {
		hv_xs_log(r->c->xs, HV_XS_LOG_INFO, r->conn->domid, "%s", r->argv[1]);
		return reply_ok(r);
	}
	return -XEN_EINVAL;
}

/* ---- dispatch ---- */

static const struct hv_xs_op_desc op_table[XS_TYPE_COUNT] = {
	[XS_CONTROL]              = { "CONTROL",              do_control,              OP_PRIV },
	[XS_DIRECTORY]            = { "DIRECTORY",            do_directory,            OP_TXN },
	[XS_READ]                 = { "READ",                 do_read,                 OP_TXN },
	[XS_GET_PERMS]            = { "GET_PERMS",            do_get_perms,            OP_TXN },
	[XS_WATCH]                = { "WATCH",                do_watch,                OP_NO_TX },
	[XS_UNWATCH]              = { "UNWATCH",              do_unwatch,              OP_NO_TX },
	[XS_TRANSACTION_START]    = { "TRANSACTION_START",    do_transaction_start,    0 },
	[XS_TRANSACTION_END]      = { "TRANSACTION_END",      do_transaction_end,      0 },
	[XS_INTRODUCE]            = { "INTRODUCE",            do_introduce,            OP_PRIV },
	[XS_RELEASE]              = { "RELEASE",              do_release,              OP_PRIV },
	[XS_GET_DOMAIN_PATH]      = { "GET_DOMAIN_PATH",      do_get_domain_path,      0 },
	[XS_WRITE]                = { "WRITE",                do_write,                OP_TXN | OP_LOG },
	[XS_MKDIR]                = { "MKDIR",                do_mkdir,                OP_TXN | OP_LOG },
	[XS_RM]                   = { "RM",                   do_rm,                   OP_TXN | OP_LOG },
	[XS_SET_PERMS]            = { "SET_PERMS",            do_set_perms,            OP_TXN | OP_LOG },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", do_is_domain_introduced, OP_PRIV },
	[XS_RESUME]               = { "RESUME",               do_resume,               OP_PRIV },
	[XS_SET_TARGET]           = { "SET_TARGET",           do_set_target,           OP_PRIV },
	[XS_RESET_WATCHES]        = { "RESET_WATCHES",        do_reset_watches,        OP_NO_TX },
	[XS_DIRECTORY_PART]       = { "DIRECTORY_PART",       do_directory_part,       OP_TXN },
	/* XS_WATCH_EVENT, XS_ERROR, 20 and the post-4.17 ops: XEN_ENOSYS. */
};

static const struct hv_xs_op_desc *op_lookup(uint32_t type)
{
	if (type >= XS_TYPE_COUNT || !op_table[type].fn)
		return NULL;
	return &op_table[type];
}

void hv_xs_conn_send(struct hv_xs_conn *conn, uint32_t type, uint32_t req_id,
		  uint32_t tx_id, const void *payload, uint32_t len,
		  enum hv_xs_msg_kind kind)
{
	uint8_t msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = len };

	if (len > XENSTORE_PAYLOAD_MAX) {
		hv_xs_log(conn->xs, HV_XS_LOG_ERROR, conn->domid,
		       "internal: %u-byte reply not sent", (unsigned)len);
		return;
	}
	memcpy(msg, &hdr, sizeof(hdr));
	if (len)
		memcpy(msg + sizeof(hdr), payload, len);
	if (conn->send(conn->opaque, msg, sizeof(hdr) + len, kind))
		hv_xs_log(conn->xs, HV_XS_LOG_WARN, conn->domid,
		       "%s for req %u lost: transport refused it",
		       kind == HV_XS_MSG_EVENT ? "watch event" : "reply", (unsigned)req_id);
}

/*
 * Sets every field but the argument vector and the reply buffer, which
 * split_args and the reply helpers fill before anything reads them: at
 * 20 KiB, clearing them would cost more than most requests.
 */
static void req_init(struct hv_xs_req *r, struct hv_xs_conn *conn, struct hv_xs_ctx *c,
		     uint32_t type, const uint8_t *payload, uint32_t len)
{
	r->conn = conn;
	r->c = c;
	r->txn = NULL;
	r->type = type;
	r->payload = payload;
	r->len = len;
	r->argc = 0;
	r->rsp_len = 0;
	r->watch_path = NULL;
	r->watch_token = NULL;
}

static int run(struct hv_xs_req *r, const struct hv_xs_op_desc *op)
{
	r->argc = split_args(r->payload, r->len, r->argv, MAX_ARGS);
	/* WRITE carries binary data after its path; the others are strings. */
	if (r->argc < 0 && r->type != XS_WRITE)
		return -XEN_EINVAL;
	return op->fn(r);
}

int hv_xs_ops_replay(struct hv_xs_conn *conn, struct hv_xs_ctx *c, uint32_t type,
		  const uint8_t *payload, uint32_t len)
{
	const struct hv_xs_op_desc *op = op_lookup(type);
	struct hv_xs_req *r;
	int rc;

	if (!op)
		return -XEN_ENOSYS;
	r = malloc(sizeof(*r));
	if (!r)
		return -XEN_ENOMEM;
	req_init(r, conn, c, type, payload, len);
	rc = run(r, op);
	free(r);
	return rc;
}

static int dispatch(struct hv_xs_req *r, const struct xsd_sockmsg *hdr)
{
	struct hv_xs_conn *conn = r->conn;
	const struct hv_xs_op_desc *op = op_lookup(hdr->type);
	int rc;

	if (!op)
		return -XEN_ENOSYS;
	if ((op->flags & OP_PRIV) && conn->domid != 0)
		return -XEN_EACCES;
	if (!(op->flags & OP_NO_TX) && hdr->tx_id) {
		r->txn = hv_xs_txn_find(conn, hdr->tx_id);
		if (!r->txn)
			return -XEN_ENOENT;
	}
	if ((op->flags & OP_TXN) && r->txn) {
		if (r->txn->failed)
			return r->txn->failed; /* doomed: only END "F" helps */
		if ((op->flags & OP_LOG) && (rc = hv_xs_txn_room(conn->xs, r->txn)))
			return rc;
		r->c->view = &r->txn->view;
		r->c->txn = r->txn;
		r->c->ev = NULL; /* a transaction's changes fire when it commits */
	}
	rc = run(r, op);
	if (!rc && (op->flags & OP_LOG) && r->txn)
		rc = hv_xs_txn_log(conn->xs, r->txn, hdr->type, r->payload, r->len);
	if ((op->flags & OP_TXN) && r->txn && r->txn->failed)
		rc = r->txn->failed; /* it went over a limit on the way */
	return rc;
}

/* Hand the request's first argument, bounded and terminated, to the
 * config's request_done hook. */
static void report_request(struct hv_xs_conn *conn, const struct xsd_sockmsg *hdr,
			   const void *payload, int rc)
{
	struct hv_xs *xs = conn->xs;
	char arg[256];
	uint32_t n = hdr->len < sizeof(arg) - 1 ? hdr->len : (uint32_t)sizeof(arg) - 1;

	if (n)
		memcpy(arg, payload, n);
	arg[n] = '\0';
	xs->cfg.request_done(xs->cfg.request_opaque, conn->domid, hdr->type,
			     hdr->tx_id, n ? arg : NULL, rc);
}

void hv_xs_ops_fill_spare(struct hv_xs *xs)
{
	if (!xs->spare_req)
		xs->spare_req = malloc(sizeof(*xs->spare_req));
}

void hv_xs_conn_request(struct hv_xs_conn *conn, const struct xsd_sockmsg *hdr_in,
			const void *payload)
{
	struct hv_xs *xs = conn->xs;
	const struct xsd_sockmsg hdr = *hdr_in; /* one copy, then trusted */
	struct hv_xs_events ev = { 0 };
	struct hv_xs_who who;
	struct hv_xs_ctx c;
	struct hv_xs_req *r;
	int rc;

	if (hdr.len > XENSTORE_PAYLOAD_MAX) {
		hv_xs_log(xs, HV_XS_LOG_ERROR, conn->domid, "transport passed a %u-byte payload",
		       (unsigned)hdr.len);
		return;
	}
	/* Commit replay nests requests: it allocates its own scratch. */
	r = xs->spare_req ? xs->spare_req : malloc(sizeof(*r));
	xs->spare_req = NULL;
	if (!r) {
		hv_xs_conn_send(conn, XS_ERROR, hdr.req_id, hdr.tx_id, "ENOMEM", 7, HV_XS_MSG_REPLY);
		return;
	}
	hv_xs_who_for(xs, conn->domid, &who);
	c = (struct hv_xs_ctx){ .xs = xs, .who = &who, .view = &xs->main, .txn = NULL, .ev = &ev };
	req_init(r, conn, &c, hdr.type, payload, hdr.len);
	rc = dispatch(r, &hdr);
	if (xs->cfg.request_done)
		report_request(conn, &hdr, payload, rc);
	if (rc) {
		const char *name = hv_xs_error_name(rc);

		hv_xs_log(xs, HV_XS_LOG_DEBUG, conn->domid, "%s: %s",
		       op_lookup(hdr.type) ? op_lookup(hdr.type)->name : "unknown op", name);
		hv_xs_conn_send(conn, XS_ERROR, hdr.req_id, hdr.tx_id, name,
			     (uint32_t)strlen(name) + 1, HV_XS_MSG_REPLY);
		hv_xs_events_clear(xs, &ev);
	} else {
		hv_xs_conn_send(conn, hdr.type, hdr.req_id, hdr.tx_id, r->rsp, r->rsp_len,
			     HV_XS_MSG_REPLY);
		if (r->watch_path)
			hv_xs_watch_fire_initial(conn, r->watch_path, r->watch_token);
		hv_xs_events_deliver(xs, &ev);
	}
	if (xs->spare_req)
		free(r);
	else
		xs->spare_req = r;
}
