/* SPDX-License-Identifier: BSD-2-Clause */
/* What the block backend's files share: the device, its queues (one ring
 * and event channel each) and the I/O jobs in flight. */
#ifndef HV_BLKBACK_INTERNAL_H
#define HV_BLKBACK_INTERNAL_H

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

enum bb_kind { BB_READ, BB_WRITE, BB_FLUSH, BB_DISCARD };

/* One granted piece of a request's data, checked. */
struct bb_seg {
	grant_ref_t gref;
	uint16_t offset;              /* in the granted page */
	uint16_t len;
};

struct bb_queue;

/* A request on its way: taken from the ring, checked, its file I/O done
 * on the thread pool, its response delivered on virtual time. */
struct bb_job {
	struct bb_queue *q;
	uint64_t id;                  /* the request's, echoed */
	uint8_t operation;            /* the request's, echoed */
	enum bb_kind kind;
	bool barrier;                 /* ordered after and before all others */
	bool sync;                    /* fdatasync after the write */
	bool secure;                  /* discard: overwrite with zeros */
	uint64_t offset, len;         /* in the image, bytes */
	unsigned nr_segs;
	struct bb_seg *segs;
	uint8_t *buf;
	int io_err;                   /* errno from the thread, 0 if fine */
	bool started, finished, due;
	uint64_t seq;                 /* order taken */
	uv_work_t work;
	struct hv_timer timer;
	struct bb_job *next;          /* the backend's list, in seq order */
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
	bool broken;
	unsigned in_flight;
};

struct hv_blkback {
	struct hv_xenbus_device dev;
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_blkback_features f;
	char target[4096];
	char vdev[16];
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
	uint64_t next_seq;
	uint64_t finished_count;      /* jobs whose thread is done */
	uint64_t budget_used;
	struct hv_blkback_stats st;
};

/* blkback_ring.c */
/* Take what requests the ring holds and room allows. */
bool bb_ring_take(struct bb_queue *q);
/* Write one response and notify as the frontend asked. */
void bb_ring_respond(struct bb_queue *q, uint64_t id, uint8_t op,
		     int16_t status);
void bb_ring_mark_broken(struct bb_queue *q, const char *why);

/* blkback_io.c */
int bb_io_init(struct hv_blkback *bb);
void bb_io_fini(struct hv_blkback *bb);
/* Queue a checked job: it starts when nothing before it conflicts. */
void bb_io_submit(struct hv_blkback *bb, struct bb_job *job);
/* Start what may start, collect what finished; whether anything did. */
bool bb_io_poll(struct hv_blkback *bb);
/* Wait for every job of q (all queues when q is NULL), dropping their
 * responses: the ring is going away. */
void bb_io_drain(struct hv_blkback *bb, struct bb_queue *q);
void bb_job_free(struct hv_blkback *bb, struct bb_job *job);

/* blkback.c: what this device offers now */
bool bb_offers_flush(const struct hv_blkback *bb);
bool bb_offers_barrier(const struct hv_blkback *bb);
bool bb_offers_discard(const struct hv_blkback *bb);
bool bb_offers_indirect(const struct hv_blkback *bb);

/* blkback_xenbus.c */
extern const struct hv_xenbus_device_ops bb_xenbus_ops;

#endif
