/* SPDX-License-Identifier: BSD-2-Clause */
/* What the block backend's files share: the device, its queues (one ring
 * and event channel each) and the I/O jobs in flight. */
#ifndef HV_BLKBACK_INTERNAL_H
#define HV_BLKBACK_INTERNAL_H

#include <sys/uio.h>
#include <uv.h>

#include <xen/event_channel.h>
#include <xen/io/blkif.h>

#include "hv/blkback.h"
#include "hv/gnttab.h"
#include "hv/domain.h"
#include "hv/time.h"

#define BB_PAGE 4096u
#define BB_MAX_RING_PAGES (1u << HV_BLKBACK_MAX_RING_PAGE_ORDER)
/* Bytes of file data all jobs in flight may hold: past it, requests wait
 * on the ring, so a frontend cannot make the backend grow. */
#define BB_IO_BUDGET (8u << 20)
/* Grants each queue keeps mapped when feature-persistent is negotiated,
 * as Linux's blkback default: past it, grants are mapped per request. */
#define BB_MAX_PERSISTENT 1056u
#define BB_PGRANT_SLOTS (2u * BB_MAX_PERSISTENT)   /* open addressing */
/* Pool jobs (each a batch of requests) in flight at once. */
#define BB_MAX_BATCHES 2u

enum bb_kind { BB_READ, BB_WRITE, BB_FLUSH, BB_DISCARD };

/* One granted piece of a request's data, checked. */
struct bb_seg {
	grant_ref_t gref;
	uint16_t offset;              /* in the granted page */
	uint16_t len;
	uint8_t *page;                /* mapped, or NULL */
	grant_handle_t handle;        /* this request's own mapping */
	bool mapped_here;             /* ... to unmap when done */
};

/* A grant kept mapped for the queue's lifetime (feature-persistent). */
struct bb_pgrant {
	grant_ref_t gref;
	bool used;
	bool writable;
	grant_handle_t handle;
	uint8_t *page;
};

struct bb_queue;

/* A request on its way: taken from the ring, checked, its file I/O done
 * at once when the page cache allows, else on the thread pool, its
 * response delivered on virtual time. Jobs are recycled, never freed on
 * the I/O path: there are never more than the rings' slots. */
struct bb_job {
	struct bb_queue *q;
	uint64_t id;                  /* the request's, echoed */
	uint8_t operation;            /* the request's, echoed */
	enum bb_kind kind;
	bool barrier;                 /* ordered after and before all others */
	bool sync;                    /* fdatasync after the write */
	bool secure;                  /* discard: overwrite with zeros */
	uint64_t offset, len;         /* in the image, bytes */
	unsigned nr_segs, seg_cap;
	struct bb_seg *segs;          /* seg_cap of them */
	struct iovec *iov;            /* the bytes: guest pages or buf */
	unsigned nr_iov;
	bool in_place;                /* iov is the guest's pages */
	uint8_t *buf;                 /* when the I/O cannot be in place */
	size_t buf_cap;
	uint64_t held;                /* bytes of buf in the budget */
	int io_err;                   /* errno from the I/O, 0 if fine */
	bool started, finished;
	bool nowait_tried;            /* the page cache could not serve it */
	uint64_t seq;                 /* order taken */
	struct hv_timer timer;
	struct bb_job *next;          /* the backend's list, in seq order */
	struct bb_job *batch_next;    /* the pool batch it rides in */
};

/* Requests handed to the thread pool as one job. */
struct bb_batch {
	struct hv_blkback *bb;
	uv_work_t work;
	struct bb_job *first;
	bool busy;
};

struct bb_queue {
	struct hv_blkback *bb;
	unsigned index;
	unsigned nr_pages;
	struct hv_gnttab_mapping ring[BB_MAX_RING_PAGES];
	unsigned nr_mapped;
	uint32_t nr_ents;
	RING_IDX req_cons, rsp_prod_pvt;
	evtchn_port_t port;           /* dom0's end, 0 when unbound */
	bool kicked;                  /* the frontend notified */
	bool notify_later;            /* fault runs: a notification held back */
	bool broken;
	unsigned in_flight;
	struct bb_pgrant *pgrants;    /* hash on gref, 2 * BB_MAX_PERSISTENT */
	unsigned nr_pgrants;
};

struct hv_blkback {
	struct hv_xenbus_device dev;
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_blkback_features f;
	char target[4096];
	char vdev[16];
	char type[8];                   /* the backend type libxl names */
	uint32_t devid;
	bool readonly, cdrom;
	int fd;
	uint64_t bytes;
	uint64_t rng;
	uint64_t seed;
	bool inline_io;

	/* negotiated at connect */
	unsigned nr_queues;
	unsigned ring_order;
	bool persistent;
	struct bb_queue q[HV_BLKBACK_MAX_QUEUES];

	uv_loop_t loop;               /* the thread pool's completions */
	bool loop_ready;
	struct bb_job *jobs, *jobs_tail;
	struct bb_job *free_jobs;     /* recycled, linked by next */
	struct bb_job *pending, *pending_tail; /* for the next batch */
	struct bb_batch batch[BB_MAX_BATCHES];
	unsigned batches_busy;
	uint64_t batches_done;        /* by the pool threads (atomic) */
	uint64_t batches_collected;   /* ... and seen here */
	bool may_start;               /* something changed since start_ready */
	bool no_nowait[2];            /* reads, writes: RWF_NOWAIT refused */
	uint64_t next_seq;
	uint64_t finished_count;      /* jobs whose I/O is done */
	uint64_t budget_used;         /* bytes of bufs of jobs in flight */
	uint64_t bufs_total;          /* bytes of every job's buf */
	struct hv_blkback_stats st;
	struct hv_blk_audit *audit;   /* NULL unless a fault run asked */
	bool restart_due;             /* fault runs: restart at the next turn */
	bool restarted;               /* fault runs: since the last connect */
	bool reclose_armed;           /* fault runs: close again after ... */
	unsigned reclose_after;       /* ... this many more requests taken */
	unsigned recloses;            /* closes of that kind so far */
	bool drop_in_flight;          /* a restart or the end: no responses */
	bool remove_due;              /* libxl's wait for Closed ran out */
	struct hv_timer remove_timer; /* that wait, on virtual time */
};

/* blkback_ring.c */
/* Take what requests the ring holds and room allows. */
bool bb_ring_take(struct bb_queue *q);
/* Write one response and notify as the frontend asked. */
void bb_ring_respond(struct bb_queue *q, uint64_t id, uint8_t op,
		     int16_t status);
void bb_ring_mark_broken(struct bb_queue *q, const char *why);

/* blkback_grants.c */
/* Map every segment of job for its operation (kept mappings first), and
 * point job->iov at them; BLKIF_RSP_ERROR when a grant is bad. */
int16_t bb_grants_map(struct bb_queue *q, struct bb_job *job);
/* Drop the mappings made for this request alone. */
void bb_grants_release(struct bb_queue *q, struct bb_job *job);
/* Unmap every kept grant of q: the ring is going away. */
void bb_grants_forget(struct bb_queue *q);

/* blkback_io.c */
/* A recycled job, all fields cleared, or NULL when memory is out. */
struct bb_job *bb_job_get(struct hv_blkback *bb);
/* Room for n segments in job; -1 when memory is out. */
int bb_job_reserve(struct bb_job *job, unsigned n);
void bb_job_put(struct hv_blkback *bb, struct bb_job *job);
int bb_io_init(struct hv_blkback *bb);
void bb_io_fini(struct hv_blkback *bb);
/* Queue a checked job: it starts when nothing before it conflicts. */
void bb_io_submit(struct hv_blkback *bb, struct bb_job *job);
/* Start what may start, collect what finished; whether anything did. */
bool bb_io_poll(struct hv_blkback *bb);
/* Wait for every job of q (all queues when q is NULL), dropping their
 * responses: the ring is going away. */
void bb_io_drain(struct hv_blkback *bb, struct bb_queue *q);
/* Finish every request taken and answer it on its ring, in the order
 * taken (the frontend closed: Linux's blkback answers what it took). */
void bb_io_answer_all(struct hv_blkback *bb);

/* blkback.c: what this device offers now */
bool bb_offers_flush(const struct hv_blkback *bb);
bool bb_offers_barrier(const struct hv_blkback *bb);
bool bb_offers_discard(const struct hv_blkback *bb);
bool bb_offers_indirect(const struct hv_blkback *bb);

/* blkback_faults.c: a fault run's injections (hv/fault.h); nothing
 * happens with faults off. */
/* Latency of a job taken now. */
uint64_t bb_fault_latency(struct hv_blkback *bb, uint64_t normal_ns);
/* Whether a notification due now is held back to a later turn. */
bool bb_fault_hold_notify(struct bb_queue *q);
/* A request was taken: perhaps a restart at the next turn. */
void bb_fault_request_taken(struct hv_blkback *bb);
/* The frontend connected (again): perhaps close again while it
 * resubmits. */
void bb_fault_connected(struct hv_blkback *bb);
/* dom0's turn: held notifications go out, spurious ones, restarts. */
bool bb_fault_run(struct hv_blkback *bb);

/* blkback_xenbus.c */
extern const struct hv_xenbus_device_ops bb_xenbus_ops;

#endif
