/* SPDX-License-Identifier: BSD-2-Clause */
/* blkfront's private state, shared by the data path (blkfront.c: rings,
 * grants, requests and responses) and the negotiation (blkfront_xs.c:
 * xenstore keys and the xenbus state dance). Nothing in here is read from
 * a shared page without a local copy first. */
#ifndef GUEST_DEV_BLKFRONT_H
#define GUEST_DEV_BLKFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/blkif.h>

#include "gxen/blk.h"
#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/xenbus.h"

/* Our limits: whatever the backend advertises beyond them is clamped (and
 * logged). Ring pages are a power of two up to 1 << MAX_RING_ORDER. */
#define BLKFRONT_MAX_RING_ORDER   2u
#define BLKFRONT_MAX_RING_PAGES   (1u << BLKFRONT_MAX_RING_ORDER)
#define BLKFRONT_MAX_QUEUES       2u
/* Requests in flight per queue (the ids 0..depth-1), whatever the ring
 * holds: each has its bounce pages granted at connect time. */
#define BLKFRONT_MAX_DEPTH        32u
/* Segments per indirect request: one indirect page holds them. Linux
 * ignores an advertised maximum of 11 or less (the direct request does). */
#define BLKFRONT_MAX_INDIRECT_SEGS 16u
#define BLKFRONT_MAX_SEGS \
	(BLKFRONT_MAX_INDIRECT_SEGS > BLKIF_MAX_SEGMENTS_PER_REQUEST ? \
	 BLKFRONT_MAX_INDIRECT_SEGS : BLKIF_MAX_SEGMENTS_PER_REQUEST)
#define BLKFRONT_SECTOR           512u  /* blkif's unit on the ring */
/* Reconnects in a row, each closed by the backend before it answered a
 * request, before the device is given up on (-XEN_EIO). */
#define BLKFRONT_MAX_RECONNECTS   8u
/* Registered buffers (blkfront_buf.c): how many, and pages in each. */
#define BLKFRONT_MAX_BUFFERS      4u
#define BLKFRONT_MAX_BUFFER_PAGES 4096u

/* One request id: its bounce pages and grants live from connect to
 * disconnect (feature-persistent), so the I/O path never allocates. */
struct blkfront_slot {
	bool direct;                  /* data in a registered buffer */
	uint64_t seq;                 /* submission order, for a resubmit */
	uint8_t operation;            /* what the response must echo */
	uint8_t indirect_op;          /* an indirect request's inner one,
				       * which Linux's blkback echoes */
	struct blk_request *req;
	unsigned char *pages;         /* max_segments contiguous pages */
	grant_ref_t gref[BLKFRONT_MAX_SEGS];
	struct blkif_request_segment *indirect; /* one page, or NULL */
	grant_ref_t indirect_gref;
};

/* Caller pages granted for as long as the device is open: requests whose
 * data lies inside use these grants instead of a bounce copy. */
struct blkfront_buffer {
	unsigned char *base;          /* page-aligned */
	unsigned pages;
	grant_ref_t *gref;            /* one a page */
};

struct blkfront;

struct blkfront_queue {
	struct blkfront *dev;
	unsigned index;
	blkif_front_ring_t ring;
	RING_IDX pushed;              /* req_prod as we last wrote it */
	blkif_sring_t *sring;
	unsigned ring_pages;
	grant_ref_t ring_ref[BLKFRONT_MAX_RING_PAGES];
	evtchn_port_t port;
	unsigned events;              /* notifications received */
	unsigned spurious;            /* ... that brought no response */
	unsigned depth;               /* ids in use: 0..depth-1 */
	unsigned in_flight;
	/* A bit per id whose request is pending (depth <= 32): finding a
	 * free id or the pending ones takes a bit scan, not a look at
	 * every slot. */
	uint32_t pending;
	struct gnttab_batch batch;    /* references claimed, not yet granted */
	struct blkfront_slot slot[BLKFRONT_MAX_DEPTH];
};

/* The backend's keys as read, before and after our clamping. */
struct blkfront_backend_caps {
	unsigned long max_ring_order, max_queues, max_indirect;
	unsigned long sectors, sector_size, physical_sector_size, info;
	bool flush, barrier, discard, secure_discard, persistent;
	unsigned long discard_granularity, discard_alignment;
};

struct blkfront {
	struct xenbus_device xb;
	unsigned domid;               /* ours, for the log */
	unsigned vdev;
	struct blk_info info;
	uint8_t flush_op;             /* FLUSH_DISKCACHE or WRITE_BARRIER */
	bool connected;
	bool backend_closing;         /* the backend started to close */
	bool gone;                    /* the toolstack removed the device */
	/* What the removal met: requests in flight, of which answered and
	 * failed with -XEN_EIO. */
	unsigned removal_in_flight, removal_answered, removal_failed;
	bool broken;
	char broken_reason[96];
	unsigned nr_queues;
	struct blkfront_queue queue[BLKFRONT_MAX_QUEUES];
	unsigned next_queue;          /* round robin */
	bool plugged;                 /* requests wait for blkfront_unplug */
	uint64_t next_seq;            /* of the next request enqueued */
	unsigned reconnects;          /* after the backend closed on us */
	/* Reconnects since a response last came: bounds a backend that
	 * closes again and again before it answers anything. */
	unsigned unanswered_reconnects;
	unsigned nr_buffers;
	struct blkfront_buffer buffer[BLKFRONT_MAX_BUFFERS];
};

/* Data path (blkfront.c). */
int blkfront_queues_alloc(struct blkfront *dev, unsigned nr_queues,
			  unsigned ring_pages);
/* Grant the data pages (after the segment count is known). */
int blkfront_slots_setup(struct blkfront *dev);
void blkfront_queues_free(struct blkfront *dev);
/* After a resume in a new domain: free the queues without closing their
 * ports (the old domain's) or waiting on their grants (gone with the old
 * grant table). */
void blkfront_queues_forget(struct blkfront *dev);
int blkfront_enqueue(struct blkfront *dev, struct blk_request *req);
unsigned blkfront_collect(struct blkfront *dev);
/* While plugged, requests are written to the ring but not pushed; unplug
 * pushes every queue's, one notification each at most. */
void blkfront_plug(struct blkfront *dev);
void blkfront_unplug(struct blkfront *dev);
/* Mark the device broken (logged once, with domain and device) and fail
 * every pending request with -XEN_EIO. */
void blkfront_mark_broken(struct blkfront *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
unsigned blkfront_in_flight(const struct blkfront *dev);
/* Requests the backend was given and never answered, oldest first, taken
 * out of their slots (at most max; the rest stay): for a resubmit after
 * the backend went away. How many. */
unsigned blkfront_take_pending(struct blkfront *dev, struct blk_request **out,
			       unsigned max);
/* End req with status, as a response would. */
void blkfront_complete_request(struct blk_request *req, int status);

/* Registered buffers (blkfront_buf.c). Grant [buf, buf + len) (whole
 * pages) to the backend until blkfront_buffers_free: 0, -XEN_EINVAL,
 * -XEN_ENOSPC, -XEN_ENOMEM, -XEN_ENOTCONN. */
int blkfront_buffer_register(struct blkfront *dev, void *buf, size_t len);
void blkfront_buffers_free(struct blkfront *dev);
/* After a resume: grant every registered page again in the new table. */
int blkfront_buffers_regrant(struct blkfront *dev);
/* The segments (at most max) that carry [buf, buf + bytes) when it lies
 * in a registered buffer on sector boundaries; 0 when it does not (or
 * needs more than max): the request then goes through the bounce pages. */
unsigned blkfront_buffer_segments(const struct blkfront *dev,
				  const void *buf, uint32_t bytes,
				  struct blkif_request_segment *seg,
				  unsigned max);

/* Negotiation (blkfront_xs.c). */
int blkfront_connect(struct blkfront *dev, const char *nodename);
int blkfront_disconnect(struct blkfront *dev);
/* Follow the backend's state (watch events); called from polling. */
void blkfront_poll_xenbus(struct blkfront *dev);
/* The backend closed while we were connected (it restarted): take in
 * what it answered, close our side, connect again and resubmit every
 * request it never answered, in their order. A backend that closes again
 * while we reconnect or resubmit gets the same again, with what it
 * answered meanwhile taken in, until BLKFRONT_MAX_RECONNECTS reconnects
 * in a row brought no answer. 0, or a negative errno with the device
 * marked broken and those requests failed. */
int blkfront_recover(struct blkfront *dev);
/* The domain was resumed in a new domain (restored, perhaps on another
 * host): take in the answers the old backend left on the old rings, drop
 * the old rings, ports and grants without a word to anyone, read the
 * device afresh from the new tree, connect to the new backend and
 * resubmit, oldest first, every request that was not answered (the
 * shadow in the slots); a new backend that closes meanwhile is met as in
 * blkfront_recover. 0, or a negative errno with the device marked broken
 * and those requests failed. */
int blkfront_resume(struct blkfront *dev);
/* Whether the backend's closing is the toolstack removing the device
 * (xl block-detach: online 0, or the backend's directory gone) rather
 * than a backend restarting. */
bool blkfront_backend_removed(struct blkfront *dev);
/* The device is being removed: go Closed as Linux's blkfront does, wait
 * for the backend to follow, take in what it answered, fail the rest with
 * -XEN_EIO, end every grant and mark the device gone (nothing is written
 * to its directories after that). 0 or a negative errno (the backend did
 * not reach Closed: the grants it still maps stay with it). */
int blkfront_detach(struct blkfront *dev);

#endif
