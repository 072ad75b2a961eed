/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private structures of the model's xenstored, shared by the files under
 * hv-model/xenstore/. Nothing here is trusted input: requests are parsed
 * in xs_ops.c into local copies before they reach the store.
 *
 * The tree is persistent: a node version is immutable once reachable from
 * more than one root, and is shared by reference count. A transaction is
 * a second root taken at TRANSACTION_START; writes copy the nodes on their
 * path (copy-on-write). Every logical change gives a node a fresh
 * generation number, so "same generation" means "same contents".
 */
#ifndef HV_XS_INTERNAL_H
#define HV_XS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/xs.h>

struct hv_xs_req; /* xs_ops.c's request in progress */

/*
 * One version of one node. name[] is the last path component ("" at /);
 * name_hash and name_len let a child lookup skip most names unread.
 */
struct hv_xs_node {
	uint32_t refs;
	uint32_t nchildren;
	uint32_t name_hash;
	uint32_t name_len;
	uint64_t gen;
	uint8_t *value;
	uint32_t vlen;
	uint32_t nperms;
	struct hv_xs_perm *perms;
	struct hv_xs_node **child;   /* in creation order, as Xen's C xenstored */
	uint32_t *slot;              /* index + 1 of a child by name hash, 0 free */
	uint32_t nslots;             /* 0: no index, the children are few */
	char name[];
};

/* How many nodes each domain owns (perms[0].domid) in one tree. */
struct hv_xs_owner_count {
	uint16_t domid;
	uint32_t count;
};

struct hv_xs_counts {
	struct hv_xs_owner_count *v;
	uint32_t n, cap;
};

/* A tree and its ownership counts: the committed store, or a transaction's. */
struct hv_xs_view {
	struct hv_xs_node *root;
	struct hv_xs_counts counts;
};

/* A node a transaction looked at, as it was in its snapshot. */
struct hv_xs_record {
	char *path;
	uint64_t gen; /* 0: the node did not exist */
};

/* A mutating request a transaction performed, replayed at commit. */
struct hv_xs_logged {
	uint32_t type;
	uint32_t len;
	uint8_t *payload;
};

struct hv_xs_txn {
	struct hv_xs_txn *next;
	uint32_t id;
	uint64_t start_gen;  /* nodes with gen above this are the txn's own */
	bool limited;        /* a guest's: max_txn_ops / max_txn_reads apply */
	int failed;          /* -errno once it can no longer commit */
	struct hv_xs_view view;
	struct hv_xs_record *rec;
	size_t nrec, caprec;
	struct hv_xs_logged *log;
	size_t nlog, caplog;
};

struct hv_xs_watch {
	struct hv_xs_watch *next;
	char *path;      /* absolute, or "@special" */
	char *token;
	bool relative;   /* registered relative: events are reported relative */
};

/* Who is asking: what the permission checks look at. */
struct hv_xs_who {
	uint16_t domid;
	bool priv;
	bool has_target;
	uint16_t target;
};

struct hv_xs_conn {
	struct hv_xs_conn *next;
	struct hv_xs *xs;
	uint16_t domid;
	hv_xs_send_fn send;
	void *opaque;
	struct hv_xs_watch *watches;
	uint32_t nwatches;
	struct hv_xs_txn *txns;
	uint32_t ntxns;
	uint32_t next_txn_id;
};

struct hv_xs_domain {
	uint16_t domid;
	bool introduced;
	bool has_target;
	uint16_t target;
};

/* @introduceDomain and @releaseDomain: permissions only, no tree node. */
enum { HV_XS_SPECIAL_INTRODUCE, HV_XS_SPECIAL_RELEASE, HV_XS_SPECIAL_COUNT };

struct hv_xs_special {
	const char *name;
	struct hv_xs_perm *perms;
	uint32_t nperms;
};

/* A change to report to watchers once the request is done. */
struct hv_xs_event {
	char *path;                 /* absolute or "@special" */
	struct hv_xs_perm *perms;   /* who may see it: the node's perms */
	uint32_t nperms;
	struct hv_xs_node *removed;    /* RM: the removed subtree (a reference) */
};

struct hv_xs_events {
	struct hv_xs_event *v;
	size_t n, cap;
};

struct hv_xs {
	struct hv_xs_config cfg;
	struct hv_xs_view main;
	uint64_t gen;          /* last generation handed out */
	size_t live_nodes;
	struct hv_xs_conn *conns;
	struct hv_xs_domain *doms;
	size_t ndoms, capdoms;
	struct hv_xs_special special[HV_XS_SPECIAL_COUNT];
	struct hv_xs_req *spare_req; /* a request's 20 KiB scratch, kept for the next */
	struct hv_xs_out_chunk *spare_chunks; /* drained output chunks, kept for reuse */
	unsigned nr_spare_chunks;
	size_t out_mem;        /* memory of every connection's queued output */
};

/* Everything one store operation needs. */
struct hv_xs_ctx {
	struct hv_xs *xs;
	const struct hv_xs_who *who;
	struct hv_xs_view *view;
	struct hv_xs_txn *txn;     /* records what it looks at; NULL outside one */
	struct hv_xs_events *ev;   /* collects changes; NULL inside a transaction */
};

/* ---- xs_node.c ---- */
struct hv_xs_node *hv_xs_node_new(struct hv_xs *xs, const char *name, size_t namelen);
struct hv_xs_node *hv_xs_node_clone(struct hv_xs *xs, const struct hv_xs_node *n);
void hv_xs_node_ref(struct hv_xs_node *n);
void hv_xs_node_unref(struct hv_xs *xs, struct hv_xs_node *n);
int hv_xs_node_set_value(struct hv_xs_node *n, const void *value, size_t len);
int hv_xs_node_set_perms(struct hv_xs_node *n, const struct hv_xs_perm *perms, uint32_t nperms);
uint32_t hv_xs_name_hash(const char *name, size_t len);
int hv_xs_node_child_index(const struct hv_xs_node *n, const char *name, size_t len);
int hv_xs_node_add_child(struct hv_xs_node *n, struct hv_xs_node *child);
void hv_xs_node_remove_child(struct hv_xs *xs, struct hv_xs_node *n, uint32_t index);
/* Walks an absolute path; NULL if any component is missing. */
struct hv_xs_node *hv_xs_node_walk(struct hv_xs_node *root, const char *path);
uint64_t hv_xs_next_gen(struct hv_xs *xs);

/* ---- xs_view.c: ownership counts and view copies ---- */
int hv_xs_counts_add(struct hv_xs_counts *c, uint16_t domid, int64_t delta);
uint32_t hv_xs_counts_get(const struct hv_xs_counts *c, uint16_t domid);
int hv_xs_view_clone(struct hv_xs_view *dst, const struct hv_xs_view *src);
void hv_xs_view_release(struct hv_xs *xs, struct hv_xs_view *v);

/* ---- xs_path.c ---- */
/*
 * Checks a path from a request and makes it absolute (relative paths are
 * under /local/domain/<domid>). *out is malloc'd. allow_special lets
 * "@name" through unchanged. -XEN_EINVAL for a malformed or too long path.
 */
int hv_xs_path_canon(const struct hv_xs *xs, const struct hv_xs_who *who,
		  const char *in, bool allow_special, char **out);
/* "/local/domain/N" for N. */
int hv_xs_path_domain_base(uint16_t domid, char *buf, size_t cap);
/* True if path is base itself or below it ("/" is above everything). */
bool hv_xs_path_is_under(const char *path, const char *base);
/* Length of the parent's path (0 for "/" itself). */
size_t hv_xs_path_parent_len(const char *path);
int hv_xs_parse_domid(const char *s, uint16_t *out);
int hv_xs_parse_u32(const char *s, uint32_t *out);
int hv_xs_parse_u64(const char *s, uint64_t *out);

/* ---- xs_perms.c ---- */
unsigned hv_xs_perm_for(const struct hv_xs_who *who, const struct hv_xs_perm *perms, uint32_t n);
bool hv_xs_may(const struct hv_xs_who *who, const struct hv_xs_node *n, unsigned want);
bool hv_xs_is_owner(const struct hv_xs_who *who, const struct hv_xs_perm *perms, uint32_t n);
int hv_xs_perm_parse(const char *s, struct hv_xs_perm *out);
int hv_xs_perm_format(const struct hv_xs_perm *p, char *buf, size_t cap);
void hv_xs_who_for(const struct hv_xs *xs, uint16_t domid, struct hv_xs_who *who);

/* ---- xs_store.c: the operations on a view ---- */
int hv_xs_store_get(struct hv_xs_ctx *c, const char *path, unsigned want,
		 const struct hv_xs_node **out);
int hv_xs_store_write(struct hv_xs_ctx *c, const char *path, const void *value, size_t len);
int hv_xs_store_mkdir(struct hv_xs_ctx *c, const char *path);
int hv_xs_store_rm(struct hv_xs_ctx *c, const char *path);
int hv_xs_store_set_perms(struct hv_xs_ctx *c, const char *path,
		       const struct hv_xs_perm *perms, uint32_t nperms);

/* ---- xs_txn.c ---- */
struct hv_xs_txn *hv_xs_txn_find(struct hv_xs_conn *conn, uint32_t id);
int hv_xs_txn_start(struct hv_xs_conn *conn, uint32_t *id);
/* Commits (or aborts) and frees the transaction; fires watches on commit. */
int hv_xs_txn_end(struct hv_xs_conn *conn, struct hv_xs_txn *t, bool commit,
	       struct hv_xs_events *ev);
void hv_xs_txn_free_all(struct hv_xs_conn *conn);
void hv_xs_txn_record(struct hv_xs_ctx *c, const char *path, const struct hv_xs_node *n);
/* -XEN_ENOSPC if a guest's transaction may make no more changes. */
int hv_xs_txn_room(const struct hv_xs *xs, const struct hv_xs_txn *t);
int hv_xs_txn_log(struct hv_xs *xs, struct hv_xs_txn *t, uint32_t type, const void *payload,
	       uint32_t len);

/* ---- xs_watch.c ---- */
int hv_xs_watch_add(struct hv_xs_conn *conn, const char *path, const char *token,
		 bool relative);
int hv_xs_watch_remove(struct hv_xs_conn *conn, const char *path, const char *token);
void hv_xs_watch_free_all(struct hv_xs_conn *conn);
/* Sends the event a watch gets when registered. */
void hv_xs_watch_fire_initial(struct hv_xs_conn *conn, const char *wpath_as_given,
			   const char *token);
int hv_xs_events_add(struct hv_xs_events *ev, const char *path,
		  const struct hv_xs_perm *perms, uint32_t nperms,
		  struct hv_xs_node *removed);
/* Sends every event to every matching, permitted watch; empties ev. */
void hv_xs_events_deliver(struct hv_xs *xs, struct hv_xs_events *ev);
void hv_xs_events_clear(struct hv_xs *xs, struct hv_xs_events *ev);

/* ---- xs_ops.c ---- */
/* Runs one request against a view; used for requests and commit replay. */
int hv_xs_ops_replay(struct hv_xs_conn *conn, struct hv_xs_ctx *c, uint32_t type,
		  const uint8_t *payload, uint32_t len);
/* Allocates the request scratch the daemon keeps, if it has none. */
void hv_xs_ops_fill_spare(struct hv_xs *xs);
/* Sends a message (header + payload) to the connection's peer. */
void hv_xs_conn_send(struct hv_xs_conn *conn, uint32_t type, uint32_t req_id,
		  uint32_t tx_id, const void *payload, uint32_t len,
		  enum hv_xs_msg_kind kind);

/* ---- xs_core.c ---- */
struct hv_xs_domain *hv_xs_domain_find(const struct hv_xs *xs, uint16_t domid);
struct hv_xs_domain *hv_xs_domain_get(struct hv_xs *xs, uint16_t domid);
/* Marks a domain (not) introduced and queues its special event on ev. */
int hv_xs_domain_set_introduced(struct hv_xs *xs, uint16_t domid, bool introduced,
			     struct hv_xs_events *ev);
struct hv_xs_special *hv_xs_special_find(struct hv_xs *xs, const char *name);
int hv_xs_special_set(struct hv_xs *xs, struct hv_xs_special *sp,
		   const struct hv_xs_perm *perms, uint32_t nperms);
void hv_xs_log(const struct hv_xs *xs, enum hv_xs_log_level level, int domid,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- xs_frame.c: cutting a byte stream into messages ---- */
struct hv_xs_framer {
	uint32_t have;
	uint8_t buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
};

/* Bytes to give next: never more than the rest of the current message. */
size_t hv_xs_framer_want(const struct hv_xs_framer *f);
/*
 * Takes n <= hv_xs_framer_want() bytes. 1: a whole message is ready
 * (hv_xs_framer_hdr / hv_xs_framer_payload); 0: more needed; -XEN_E2BIG: the header
 * announced more than XENSTORE_PAYLOAD_MAX, a connection error.
 */
int hv_xs_framer_put(struct hv_xs_framer *f, const void *data, size_t n);
void hv_xs_framer_hdr(const struct hv_xs_framer *f, struct xsd_sockmsg *hdr);
const uint8_t *hv_xs_framer_payload(const struct hv_xs_framer *f);
void hv_xs_framer_reset(struct hv_xs_framer *f);

/* ---- xs_outq.c: a connection's queued output ---- */
#define HV_XS_OUT_CHUNK 16384u   /* holds several messages: one is at most 4112 bytes */
#define HV_XS_OUTQ_DUPLICATE 1   /* hv_xs_outq_push: an identical event is queued */

struct hv_xs_out_chunk;
struct hv_xs_out_rec;

struct hv_xs_outq {
	struct hv_xs *xs;
	size_t limit;                   /* its memory bound (0: none) */
	size_t mem;                     /* what it has allocated */
	struct hv_xs_out_chunk *head, *tail;
	struct hv_xs_out_chunk *pinned; /* drained, but a partly sent message starts there */
	uint32_t head_off;              /* bytes of head already sent */
	uint64_t pos_head, pos_tail;    /* bytes ever sent, ever queued */
	struct hv_xs_out_rec *rec;      /* one per message not wholly sent, by seq */
	uint64_t *bucket;               /* newest event seq per hash bucket */
	size_t cap;                     /* records and buckets, a power of two */
	uint64_t first, next;           /* seqs of the oldest and the next message */
	uint32_t replies;               /* replies not wholly sent */
	uint64_t duplicates;            /* events dropped as already queued */
};

struct hv_xs_span {
	const uint8_t *data;
	size_t len;
};

void hv_xs_outq_init(struct hv_xs_outq *q, struct hv_xs *xs, size_t limit);
/*
 * Queues one whole message. 0, or HV_XS_OUTQ_DUPLICATE (an identical
 * non-special event is still queued: nothing added, as Xen's C xenstored).
 * With bounded, -XEN_ENOSPC when the queue would pass its limit and
 * -XEN_ENOBUFS when the daemon's total would pass max_total_out_bytes;
 * -XEN_ENOMEM when out of memory. On error nothing is queued.
 */
int hv_xs_outq_push(struct hv_xs_outq *q, const void *msg, size_t len,
		    enum hv_xs_msg_kind kind, bool bounded);
/* The bytes at the head, contiguous; 0 when empty. */
size_t hv_xs_outq_peek(const struct hv_xs_outq *q, const uint8_t **data);
/* Up to max contiguous pieces of what is queued, in order. */
unsigned hv_xs_outq_spans(const struct hv_xs_outq *q, struct hv_xs_span *v, unsigned max);
/* n bytes (at most hv_xs_outq_pending) have been sent. */
void hv_xs_outq_consume(struct hv_xs_outq *q, size_t n);
size_t hv_xs_outq_pending(const struct hv_xs_outq *q);
/* Drops everything queued and frees all it holds. */
void hv_xs_outq_clear(struct hv_xs_outq *q);
/* Frees the chunks the daemon keeps for the next queues that need one. */
void hv_xs_outq_free_spare(struct hv_xs *xs);
/* Keeps as many as it ever keeps (none when out of memory). */
void hv_xs_outq_fill_spare(struct hv_xs *xs);


/* ---- xs_errors.c ---- */
const char *hv_xs_error_name(int neg_errno);

#endif /* HV_XS_INTERNAL_H */
