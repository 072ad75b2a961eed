/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the model's xenstored request handler, fed whole requests
 * from dom0 and two guests as a transport hands them over. Every reply must
 * be framed right, go to the asker and echo its req_id and tx_id; events
 * must look like events. Once the connections are gone, the daemon's node
 * count and each domain's quota count must match the tree that is left. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/xs.h>
#include <xen/errno.h>

#include "fuzz_digest.h"
#include "fuzz_edges.h"

#define HDR_LEN  sizeof(struct xsd_sockmsg)
#define MSG_MAX  (HDR_LEN + XENSTORE_PAYLOAD_MAX)
#define NPEERS   3 /* dom0, dom1, dom2 */

/*
 * Input layout. Byte 0: bit 0 picks small limits (so every quota is in
 * reach), bit 1 makes the INTRODUCE hook refuse. Then requests:
 *   who    bits 0-1: peer (mod 3); bits 2-3: tx_id (0, the peer's last
 *          transaction, one past it, or a raw byte that follows)
 *   type   one byte, any value
 *   len    two bytes, little-endian; clamped to 4096 and to what is left
 *   payload
 */
enum { TX_NONE, TX_LAST, TX_NEXT, TX_RAW };

struct peer {
	struct hv_xs_conn *conn;
	uint16_t domid;
	uint32_t last_tx;        /* the last transaction it started */
	bool waiting;            /* a request is in flight: one reply due */
	struct xsd_sockmsg req;  /* that request's header */
	size_t reply_len;        /* the reply, kept for the caller */
	uint8_t reply[MSG_MAX + 1]; /* +1: ask() nul-terminates it */
};

struct input {
	const uint8_t *p;
	size_t left;
};

static struct peer peers[NPEERS];
static uint32_t owned[65536];  /* nodes per owner, counted by the walk */
static uint16_t seen[65536];   /* the owners the walk met */

static void fail(const char *what, const struct xsd_sockmsg *hdr)
{
	fprintf(stderr, "fuzz_xs_requests: %s (type %u req %u tx %u len %u)\n", what,
		hdr->type, hdr->req_id, hdr->tx_id, hdr->len);
	abort();
}

static uint8_t take(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static bool is_error_name(const uint8_t *payload, uint32_t len)
{
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++) {
		size_t nl = strlen(xsd_errors[i].errstring) + 1;

		if (len == nl && memcmp(payload, xsd_errors[i].errstring, nl) == 0)
			return true;
	}
	return false;
}

/* A watch event: req_id = tx_id = 0, path and token, each nul-terminated. */
static void check_event(const struct xsd_sockmsg *hdr, const uint8_t *payload)
{
	uint32_t nuls = 0;

	if (hdr->type != XS_WATCH_EVENT || hdr->req_id || hdr->tx_id)
		fail("event with a bad header", hdr);
	for (uint32_t i = 0; i < hdr->len; i++)
		nuls += payload[i] == '\0';
	if (nuls != 2 || !hdr->len || payload[hdr->len - 1] != '\0' || payload[0] == '\0')
		fail("event payload is not path and token", hdr);
}

static void check_reply(struct peer *p, const struct xsd_sockmsg *hdr, const uint8_t *payload)
{
	if (!p->waiting)
		fail("reply nobody asked for (or a second one)", hdr);
	p->waiting = false;
	if (hdr->req_id != p->req.req_id || hdr->tx_id != p->req.tx_id)
		fail("reply does not echo req_id and tx_id", hdr);
	if (hdr->type == XS_ERROR) {
		if (!is_error_name(payload, hdr->len))
			fail("error reply without a known errno name", hdr);
	} else if (hdr->type != p->req.type) {
		fail("reply type is neither the request's nor XS_ERROR", hdr);
	}
}

static int peer_send(void *opaque, const void *msg, size_t len, enum hv_xs_msg_kind kind)
{
	struct peer *p = opaque;
	struct xsd_sockmsg hdr;
	const uint8_t *payload = (const uint8_t *)msg + HDR_LEN;

	if (len < HDR_LEN || len > MSG_MAX) {
		fprintf(stderr, "fuzz_xs_requests: %zu-byte message\n", len);
		abort();
	}
	memcpy(&hdr, msg, HDR_LEN);
	if (hdr.len > XENSTORE_PAYLOAD_MAX || hdr.len != len - HDR_LEN)
		fail("header len does not match the message", &hdr);
	fuzz_digest_add(&p->domid, sizeof(p->domid));
	fuzz_digest_add(msg, len);
	if (kind == HV_XS_MSG_EVENT) {
		check_event(&hdr, payload);
		return 0;
	}
	check_reply(p, &hdr, payload);
	memcpy(p->reply, msg, len);
	p->reply_len = len;
	return 0;
}

/* Sends one request and checks exactly one reply came back. */
static void request(struct peer *p, const struct xsd_sockmsg *hdr, const void *payload)
{
	p->req = *hdr;
	p->waiting = true;
	hv_xs_conn_request(p->conn, hdr, payload);
	if (p->waiting)
		fail("request got no reply", hdr);
}

static uint32_t pick_tx(struct input *in, const struct peer *p, unsigned how)
{
	switch (how) {
	case TX_LAST:
		return p->last_tx;
	case TX_NEXT:
		return p->last_tx + 1;
	case TX_RAW:
		return take(in);
	default:
		return 0;
	}
}

static void remember_tx(struct peer *p)
{
	struct xsd_sockmsg hdr;
	char id[16];

	memcpy(&hdr, p->reply, HDR_LEN);
	if (hdr.type != XS_TRANSACTION_START || hdr.len > sizeof(id) || !hdr.len)
		return;
	memcpy(id, p->reply + HDR_LEN, hdr.len);
	id[hdr.len - 1] = '\0';
	p->last_tx = (uint32_t)strtoul(id, NULL, 10);
}

static void run_one(struct input *in, uint32_t req_id)
{
	uint8_t who = take(in);
	struct peer *p = &peers[(who & 3) % NPEERS];
	struct xsd_sockmsg hdr = { .req_id = req_id };
	uint32_t len;

	hdr.tx_id = pick_tx(in, p, (who >> 2) & 3);
	hdr.type = take(in);
	len = take(in);
	len |= (uint32_t)take(in) << 8;
	if (len > XENSTORE_PAYLOAD_MAX)
		len = XENSTORE_PAYLOAD_MAX;
	if (len > in->left)
		len = (uint32_t)in->left;
	hdr.len = len;
	request(p, &hdr, in->p);
	in->p += len;
	in->left -= len;
	remember_tx(p);
}

/* ---- the end-of-run audit: walk the committed tree as dom0 ---- */

/* Asks as the walker (dom0) for one or two strings; returns the reply header. */
static const struct xsd_sockmsg *ask(struct peer *w, uint32_t type, const char *a, const char *b)
{
	static uint8_t payload[XENSTORE_PAYLOAD_MAX];
	size_t al = strlen(a) + 1, bl = b ? strlen(b) + 1 : 0;
	struct xsd_sockmsg hdr = { .type = type, .req_id = 7, .len = (uint32_t)(al + bl) };

	if (al + bl > sizeof(payload))
		fail("walk path too long", &hdr);
	memcpy(payload, a, al);
	if (b)
		memcpy(payload + al, b, bl);
	request(w, &hdr, payload);
	memcpy(&hdr, w->reply, HDR_LEN);
	if (hdr.type == XS_ERROR)
		fail("dom0 cannot read a node it listed", &hdr);
	w->reply[w->reply_len] = '\0';
	return (const struct xsd_sockmsg *)w->reply;
}

struct paths {
	char **v;
	size_t n, cap;
};

static void paths_push(struct paths *s, const char *parent, const char *name)
{
	size_t pl = strlen(parent), nl = strlen(name);
	char *path = malloc(pl + nl + 2);

	if (!path)
		abort();
	memcpy(path, parent, pl);
	if (pl > 1)
		path[pl++] = '/';
	memcpy(path + pl, name, nl + 1);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = path;
}

/* Owner of a node: the domid after the letter of GET_PERMS's first entry. */
static uint16_t owner_of(struct peer *w, const char *path)
{
	ask(w, XS_GET_PERMS, path, NULL);
	/* "b0\0r1\0...": the letter, then the owner's domid. */
	return (uint16_t)strtoul((const char *)w->reply + HDR_LEN + 1, NULL, 10);
}

/* Queues path's children (DIRECTORY_PART, so any number of them fits). */
static void push_children(struct peer *w, struct paths *s, const char *path)
{
	uint32_t offset = 0;

	for (;;) {
		char off[16];
		const struct xsd_sockmsg *hdr;
		const char *name, *end;
		bool progress = false;

		snprintf(off, sizeof(off), "%u", offset);
		hdr = ask(w, XS_DIRECTORY_PART, path, off);
		end = (const char *)w->reply + HDR_LEN + hdr->len;
		name = (const char *)w->reply + HDR_LEN;
		name += strlen(name) + 1; /* the generation */
		for (; name < end; name += strlen(name) + 1) {
			if (!*name)
				return; /* the end marker */
			paths_push(s, path, name);
			offset += (uint32_t)strlen(name) + 1;
			progress = true;
		}
		if (!progress)
			fail("DIRECTORY_PART made no progress", hdr);
	}
}

/*
 * Walks the tree and checks each owner's quota count against the nodes it
 * owns. (Whether nodes leak is checked after the store is restored: the
 * snapshot keeps the nodes the input replaced alive until then.)
 */
static void audit(struct hv_xs *xs)
{
	struct peer *w = &peers[0];
	struct paths todo = { 0 };
	size_t nodes = 0, nseen = 0;

	memset(w, 0, sizeof(*w));
	w->conn = hv_xs_conn_new(xs, 0, peer_send, w);
	if (!w->conn)
		abort();
	paths_push(&todo, "", "/");
	while (todo.n) {
		char *path = todo.v[--todo.n];
		uint16_t owner = owner_of(w, path);

		if (!owned[owner]++)
			seen[nseen++] = owner;
		nodes++;
		push_children(w, &todo, path);
		free(path);
	}
	free(todo.v);
	hv_xs_conn_free(w->conn);
	for (size_t i = 0; i < nseen; i++) {
		if (owned[seen[i]] != hv_xs_domain_nodes(xs, seen[i])) {
			fprintf(stderr, "fuzz_xs_requests: d%u owns %u nodes, quota says %u\n",
				seen[i], owned[seen[i]], hv_xs_domain_nodes(xs, seen[i]));
			abort();
		}
	}
	for (uint16_t d = 0; d < NPEERS; d++) {
		if (!owned[d] && hv_xs_domain_nodes(xs, d)) {
			fprintf(stderr, "fuzz_xs_requests: d%u owns nothing, quota says %u\n",
				d, hv_xs_domain_nodes(xs, d));
			abort();
		}
	}
	for (size_t i = 0; i < nseen; i++)
		owned[seen[i]] = 0;
}

/* ---- setup ---- */

static void quiet(void *opaque, enum hv_xs_log_level level, const char *msg)
{
	(void)opaque, (void)level, (void)msg;
}

static bool refuse;              /* the INTRODUCE hook's answer, per input */

/* The INTRODUCE hook: refuses when told to, as a failed page map would. */
static int introduce_hook(void *opaque, uint16_t domid, uint64_t gfn, uint32_t evtchn)
{
	(void)domid, (void)gfn, (void)evtchn;
	return *(const bool *)opaque ? -XEN_ENOMEM : 0;
}

static void release_hook(void *opaque, uint16_t domid)
{
	(void)opaque, (void)domid;
}

static void config_for(bool small, struct hv_xs_config *cfg)
{
	hv_xs_config_default(cfg);
	cfg->log = quiet; /* formats every message, shows none */
	cfg->log_level = HV_XS_LOG_DEBUG;
	cfg->introduce = introduce_hook;
	cfg->release = release_hook;
	cfg->hook_opaque = &refuse;
	if (!small)
		return;
	/* The toolstack gives dom1 10 nodes of its own: a little room above. */
	cfg->max_nodes_per_domain = 16;
	cfg->max_watches = 3;
	cfg->max_transactions = 2;
	cfg->max_node_data = 32;
	cfg->max_perms = 2;
	cfg->max_rel_path = 40;
	cfg->max_abs_path = 256;
	cfg->max_txn_ops = 3;
	cfg->max_txn_reads = 12;
}

/*
 * dom1 gets the toolstack's layout; dom2 only a home and a data directory
 * of its own, which keeps each run (and the audit's walk) short.
 */
static void make_domains(struct hv_xs *xs)
{
	const struct hv_xs_domain_info one = { .domid = 1, .name = "one",
					       .memory_kb = 65536, .vcpus = 1 };
	const struct hv_xs_perm two = { .domid = 2, .perms = HV_XS_PERM_NONE };

	if (hv_xs_toolstack_create_domain(xs, &one) ||
	    hv_xs_mkdir(xs, "/local/domain/2/data") ||
	    hv_xs_set_perms(xs, "/local/domain/2", &two, 1) ||
	    hv_xs_set_perms(xs, "/local/domain/2/data", &two, 1) ||
	    hv_xs_domain_introduce(xs, 2))
		abort();
}

/*
 * One daemon per set of limits, both built before the first input (a
 * daemon built during one would be coverage only that input shows); each
 * input starts from its snapshot (tree, quotas, introductions, special
 * permissions) and puts it back after, so an input does the same whatever
 * ran before it.
 */
static struct daemon {
	struct hv_xs *xs;
	struct hv_xs_snapshot *start;
	size_t nodes;                /* live nodes in the snapshot's store */
} daemons[2];

static void daemon_build(struct daemon *d, bool small)
{
	struct hv_xs_config cfg;

	config_for(small, &cfg);
	d->xs = hv_xs_new(&cfg);
	if (!d->xs)
		abort();
	make_domains(d->xs);
	audit(d->xs);
	d->start = hv_xs_snapshot_take(d->xs);
	if (!d->start)
		abort();
	d->nodes = hv_xs_live_nodes(d->xs);
}

/* Back to the snapshot; a node the input leaked would still be live. */
static void daemon_restore(struct daemon *d)
{
	if (hv_xs_snapshot_restore(d->xs, d->start))
		abort();
	if (hv_xs_live_nodes(d->xs) != d->nodes) {
		fprintf(stderr, "fuzz_xs_requests: %zu nodes live after the restore, %zu before\n",
			hv_xs_live_nodes(d->xs), d->nodes);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_digest_on(); /* the environment read before the first input */
	daemon_build(&daemons[0], false);
	daemon_build(&daemons[1], true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct daemon *daemon;
	struct hv_xs *xs;
	uint32_t req_id = 1;
	uint8_t sel;

	fuzz_edges_start();
	fuzz_digest_start();
	sel = take(&in);
	daemon = &daemons[sel & 1];
	xs = daemon->xs;
	refuse = sel & 2;
	for (uint16_t d = 0; d < NPEERS; d++) {
		memset(&peers[d], 0, sizeof(peers[d]));
		peers[d].domid = d;
		peers[d].conn = hv_xs_conn_new(xs, d, peer_send, &peers[d]);
		if (!peers[d].conn)
			abort();
	}
	while (in.left)
		run_one(&in, req_id++);
	for (int d = 0; d < NPEERS; d++)
		hv_xs_conn_free(peers[d].conn);
	/*
	 * Any committed change copies the tree's root and the path to what
	 * changed, while the snapshot keeps the originals alive: as many live
	 * nodes as in the snapshot means the input committed nothing, and the
	 * snapshot's tree was audited when it was built.
	 */
	if (hv_xs_live_nodes(xs) != daemon->nodes)
		audit(xs);
	daemon_restore(daemon);
	fuzz_digest_report();
	fuzz_edges_report();
	return 0;
}
