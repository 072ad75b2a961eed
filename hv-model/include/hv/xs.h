/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hv_xs: the model's xenstored. One struct hv_xs is one daemon: its store,
 * its connections, watches and transactions. It knows nothing of transports:
 * a transport (unix socket, guest ring) frames messages and hands whole
 * requests to hv_xs_conn_request(); replies and watch events come back
 * through the connection's send callback. Every request is hostile input.
 * Errors are Xen's negative errno values (-XEN_E*, xen/errno.h).
 */
#ifndef HV_XS_H
#define HV_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>
#include <xen/io/xs_wire.h>

struct hv_xs;
struct hv_xs_conn;

/* Permission bits of one entry; "b" is READ|WRITE, "n" is NONE. */
#define HV_XS_PERM_NONE  0u
#define HV_XS_PERM_READ  1u
#define HV_XS_PERM_WRITE 2u
#define HV_XS_PERM_BOTH  (HV_XS_PERM_READ | HV_XS_PERM_WRITE)

/*
 * A node's permission list: entry 0 names the owner, and its bits are what
 * every domain not listed later gets. The owner and dom0 always have full
 * access.
 */
struct hv_xs_perm {
	uint16_t domid;
	uint8_t perms;
};

enum hv_xs_log_level {
	HV_XS_LOG_ERROR,
	HV_XS_LOG_WARN,
	HV_XS_LOG_INFO,
	HV_XS_LOG_DEBUG,
};

/*
 * Limits apply to unprivileged domains only (dom0 is exempt), as in Xen's
 * C xenstored; 0 means "no limit". Fill with hv_xs_config_default() first.
 */
struct hv_xs_config {
	uint32_t max_nodes_per_domain; /* nodes a domain may own (1000) */
	uint32_t max_watches;          /* watches per connection (128) */
	uint32_t max_outstanding;      /* replies queued but not yet taken (20) */
	uint32_t max_transactions;     /* open transactions per connection (10) */
	uint32_t max_node_data;        /* bytes in one node's value (2048) */
	uint32_t max_perms;            /* entries in one permission list (5) */
	uint32_t max_rel_path;         /* path below /local/domain/N/ (2048) */
	uint32_t max_abs_path;         /* whole path, everyone (3072) */
	uint32_t max_guest_out_bytes;  /* memory a guest's queued output may take; events
					  beyond it are dropped, as C's hard quota (2.5 MiB) */
	uint32_t max_txn_ops;          /* changes one transaction may make (1024) */
	uint32_t max_txn_reads;        /* nodes one transaction may look at (16384) */

	/*
	 * Ours, for dom0 too (C xenstored queues a dom0 client's output without
	 * bound): memory one dom0 client's queued output may take (64 MiB) and
	 * all connections' together (256 MiB). A socket client past either is
	 * disconnected, the largest first; a ring's events are dropped. The
	 * memory is what the queue allocated, not just the payload.
	 */
	uint32_t max_dom0_out_bytes;
	uint64_t max_total_out_bytes;

	/* Optional log sink; quiet when NULL. Messages carry a "(dN)" prefix. */
	void (*log)(void *opaque, enum hv_xs_log_level level, const char *msg);
	void *log_opaque;
	enum hv_xs_log_level log_level; /* messages above this are dropped */

	/*
	 * Optional hooks for the wire INTRODUCE / RELEASE ops: the machine
	 * model maps the domain's ring page and binds its event channel here
	 * (hv_xs_ring_new). Without them INTRODUCE only records the domain.
	 */
	int (*introduce)(void *opaque, uint16_t domid, uint64_t gfn, uint32_t evtchn);
	void (*release)(void *opaque, uint16_t domid);
	void *hook_opaque;

	/*
	 * Optional fault point: asked at each commit ("T") a guest (domid
	 * other than 0) sends; true makes the transaction fail with EAGAIN,
	 * as a conflict would, and nothing of it lands.
	 */
	bool (*txn_end_fault)(void *opaque, uint16_t domid);
	void *fault_opaque;

	/*
	 * Optional: told of every wire request once it is answered, for
	 * traces: who, the XS_* type, the transaction, the first argument
	 * (the path, mostly; NULL when the payload has none; valid only
	 * during the call) and 0 or the negative Xen errno it got.
	 */
	void (*request_done)(void *opaque, uint16_t domid, uint32_t type,
			     uint32_t tx_id, const char *arg, int rc);
	void *request_opaque;
};

void hv_xs_config_default(struct hv_xs_config *cfg);

/* A daemon with "/" only. NULL when out of memory. */
struct hv_xs *hv_xs_new(const struct hv_xs_config *cfg);
/*
 * Frees the store and every connection still attached (without sending).
 * Free the transports first (hv_xs_ring_free, hv_xs_uv_close): they hold
 * connections.
 */
void hv_xs_free(struct hv_xs *xs);

/* Nodes allocated by this daemon, in the store and in open transactions. */
size_t hv_xs_live_nodes(const struct hv_xs *xs);
/* Nodes currently owned by a domain in the committed store. */
uint32_t hv_xs_domain_nodes(const struct hv_xs *xs, uint16_t domid);
/* Memory every connection's queued output holds now (see max_total_out_bytes). */
size_t hv_xs_out_memory(const struct hv_xs *xs);

/* ---- connections (used by transports) ---- */

enum hv_xs_msg_kind {
	HV_XS_MSG_REPLY, /* answers a request; counts as outstanding */
	HV_XS_MSG_EVENT, /* unsolicited watch event */
};

/*
 * Queue one whole message (header + payload, len bytes) for the peer.
 * The buffer is only valid during the call. Return 0, or a negative Xen errno
 * if the transport could not take it (the message is then lost and logged).
 */
typedef int (*hv_xs_send_fn)(void *opaque, const void *msg, size_t len,
			     enum hv_xs_msg_kind kind);

/*
 * A connection speaking for domid; domid 0 is privileged (every unix-socket
 * connection is dom0). NULL when out of memory.
 */
struct hv_xs_conn *hv_xs_conn_new(struct hv_xs *xs, uint16_t domid,
				  hv_xs_send_fn send, void *opaque);
/* Drops its watches and transactions and detaches it. */
void hv_xs_conn_free(struct hv_xs_conn *conn);
/* Drops watches and transactions but keeps the connection (ring reset). */
void hv_xs_conn_reset(struct hv_xs_conn *conn);

/*
 * Handle one request whose header the transport has already checked
 * (hdr->len <= XENSTORE_PAYLOAD_MAX and payload holds hdr->len bytes).
 * The reply (or XS_ERROR) and any watch events go out through send
 * callbacks before this returns.
 */
void hv_xs_conn_request(struct hv_xs_conn *conn, const struct xsd_sockmsg *hdr,
			const void *payload);

uint16_t hv_xs_conn_domid(const struct hv_xs_conn *conn);
const struct hv_xs_config *hv_xs_config_of(const struct hv_xs *xs);
/* Logs through the daemon's config; level filtering as configured. */
void hv_xs_logf(const struct hv_xs *xs, enum hv_xs_log_level level, int domid,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- direct access as dom0 (toolstack, tests); fires watches ---- */

int hv_xs_write(struct hv_xs *xs, const char *path, const void *value, size_t len);
int hv_xs_write_str(struct hv_xs *xs, const char *path, const char *value);
int hv_xs_mkdir(struct hv_xs *xs, const char *path);
int hv_xs_rm(struct hv_xs *xs, const char *path);
int hv_xs_set_perms(struct hv_xs *xs, const char *path,
		    const struct hv_xs_perm *perms, unsigned nperms);
/*
 * Copies at most cap bytes of the value into buf and returns the value's
 * length (which may exceed cap), or a negative Xen errno.
 */
int hv_xs_read(struct hv_xs *xs, const char *path, void *buf, size_t cap);

/* ---- snapshots of the committed store (a fuzzer's reset) ---- */

struct hv_xs_snapshot;
/* The store as it is now: its tree (shared, not copied), ownership counts,
 * generation counter, the domains it knows (introduced, released, their
 * targets) and who may watch @introduceDomain and @releaseDomain. NULL
 * when out of memory. */
struct hv_xs_snapshot *hv_xs_snapshot_take(struct hv_xs *xs);
/*
 * Puts the store back as snap holds it, firing no watch and calling no
 * introduce or release hook. Connections, their watches and queued output
 * are not part of it. The daemon's own memory is left as the next case
 * should find it (its domain table as large as at the snapshot, the
 * scratch and output chunks it keeps for reuse all there), so a case runs
 * the same code whatever ran before it. -XEN_EBUSY while a transaction is
 * open, -XEN_ENOMEM.
 */
int hv_xs_snapshot_restore(struct hv_xs *xs, const struct hv_xs_snapshot *snap);
void hv_xs_snapshot_free(struct hv_xs *xs, struct hv_xs_snapshot *snap);

/* ---- domains ---- */

/* Marks domid introduced and fires @introduceDomain. -XEN_EINVAL for dom0. */
int hv_xs_domain_introduce(struct hv_xs *xs, uint16_t domid);
/*
 * Marks domid gone and fires @releaseDomain; -XEN_ENOENT if not introduced.
 * Neither call runs the config's introduce/release hooks: those are for
 * the wire ops.
 */
int hv_xs_domain_release(struct hv_xs *xs, uint16_t domid);
bool hv_xs_domain_introduced(const struct hv_xs *xs, uint16_t domid);

/* ---- toolstack ---- */

struct hv_xs_domain_info {
	uint16_t domid;
	const char *name;
	uint64_t memory_kb; /* memory/target, KiB */
	unsigned vcpus;
	uint64_t store_gfn;   /* store/ring-ref (0: no store/ keys) */
	uint32_t store_port;  /* store/port: the guest's end */
};

/*
 * Writes /local/domain/N/{name,domid,vm,memory/target,memory/static-max,
 * cpu/I/availability,store/port,store/ring-ref,control/...,device,data,
 * drivers,feature,attr,error} and /vm/UUID/{uuid,name}, read-only to N
 * where libxl makes them so and owned by N where N writes (others: none;
 * dom0: full), introduces N and fires @introduceDomain. -XEN_EEXIST if
 * /local/domain/N exists or N is introduced. Destroy removes /vm/UUID too.
 */
int hv_xs_toolstack_create_domain(struct hv_xs *xs, const struct hv_xs_domain_info *info);

/* The UUID of a domain named NAME (its /vm/UUID; xl's handle), as 16
 * bytes in the order of its text form: from the name, unique among live
 * domains as xl requires, so the same every run and across a restart. */
void hv_xs_domain_uuid(const char *name, uint8_t uuid[16]);

/* Removes /local/domain/N and releases N (fires @releaseDomain). */
int hv_xs_toolstack_destroy_domain(struct hv_xs *xs, uint16_t domid);

#endif /* HV_XS_H */
