/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's block backend ("vbd"): serves a raw image file to a guest's
 * blkfront. The xenbus negotiation (blkback_xenbus.c) is apart from the
 * data path (blkback_ring.c: requests; blkback_grants.c: the segments'
 * grants, kept mapped with feature-persistent; blkback_io.c: file I/O at
 * once from the page cache or on libuv's thread pool, completions on
 * virtual time).
 *
 * Units. Request quantities (sector_number, first_sect/last_sect, a
 * discard's nr_sectors) are always 512-byte units, as Linux's blkfront
 * and blkback use them and as Xen's blkif.h says after 4.17; with a
 * 4096-byte sector-size they must be 4096-aligned. The "sectors" node is
 * in units of "sector-size", as Xen 4.17's blkif.h defines it (QEMU,
 * FreeBSD and OpenBSD read it so; Linux's blkback writes 512-byte units).
 *
 * Nothing the frontend writes is trusted: each request is copied once
 * from the ring and checked; a bad one gets BLKIF_RSP_ERROR and touches
 * nothing; a producer index beyond the ring marks the ring broken. */
#ifndef HV_BLKBACK_H
#define HV_BLKBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/xenbus_backend.h"

#define HV_BLKBACK_TYPE "vbd"

/* What the backend can offer at most. */
#define HV_BLKBACK_MAX_RING_PAGE_ORDER 4u     /* 16 pages, 512 slots */
#define HV_BLKBACK_MAX_QUEUES          4u
#define HV_BLKBACK_MAX_INDIRECT_SEGS   256u   /* Linux blkback's */

struct hv_machine;
struct hv_domain;
struct hv_xs;
struct hv_blkback;

/* The features one device offers; each can be switched off for a test. */
struct hv_blkback_features {
	bool flush;                     /* feature-flush-cache */
	bool barrier;                   /* feature-barrier */
	bool discard;                   /* feature-discard (+ granularity..) */
	bool discard_secure;            /* discard-secure */
	bool persistent;                /* feature-persistent */
	unsigned max_indirect_segments; /* 0: no indirect requests */
	unsigned sector_size;           /* 512 or 4096 */
	unsigned physical_sector_size;  /* 0: same as sector_size */
	unsigned max_ring_page_order;   /* 0..HV_BLKBACK_MAX_RING_PAGE_ORDER */
	unsigned max_queues;            /* 1..HV_BLKBACK_MAX_QUEUES */
};

/* Everything on, 512-byte sectors, order 4, 4 queues, 256 indirect. */
void hv_blkback_features_default(struct hv_blkback_features *f);

/* Apply a comma-separated option list to f: no-flush, no-barrier,
 * no-discard, no-discard-secure, no-persistent, no-indirect,
 * sector-size=512|4096, physical-sector-size=512|4096,
 * max-ring-page-order=0..4, max-queues=1..4, max-indirect-segments=0|12..256.
 * 0, or -1 with the reason in err. */
int hv_blkback_features_parse(const char *opts, struct hv_blkback_features *f,
			      char *err, size_t errlen);

struct hv_blkback_config {
	const char *target;             /* the raw image file */
	const char *vdev;               /* as the config named it: xvda */
	const char *backend_type;       /* xl.cfg's backendtype; NULL: phy */
	uint32_t virtual_device;        /* the vbd number: the devid */
	bool readonly;
	bool cdrom;
	struct hv_blkback_features features;
	/* Completion order on virtual time: 0 gives every request the same
	 * latency (completions in request order); another seed gives each
	 * a latency it decides (the same for the same seed). */
	uint64_t seed;
	/* Do each job's file I/O on the calling thread when it may start,
	 * not on the thread pool (a fuzzer's thousands of short runs). The
	 * responses are the same; only the simulator may wait on the disk. */
	bool inline_io;
	/* Log every write taken and acknowledged here (a fault run checks
	 * the image against it at the end); NULL: none. Not owned. */
	struct hv_blk_audit *audit;
};

/* The image as the backend sees it, checked: a regular file, readable
 * (and writable unless readonly), its size a whole number of sectors.
 * 0, or a negative Xen errno with the reason in err. */
int hv_blkback_check_image(const char *target, bool readonly,
			   unsigned sector_size, uint64_t *bytes, char *err,
			   size_t errlen);

/* Create device cfg->virtual_device for guest: open the image, write the
 * toolstack's and the backend's nodes, watch the frontend. 0, or a
 * negative Xen errno with the reason in err. *out is freed by destroy. */
int hv_blkback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_blkback_config *cfg,
		      struct hv_blkback **out, char *err, size_t errlen);
/* dom0's turn: follow the frontend's state, take requests from the
 * rings, start I/O, collect finished I/O. Whether anything was done. */
bool hv_blkback_run(struct hv_blkback *bb);
/* Waits for I/O in flight, disconnects, removes the nodes, frees. */
void hv_blkback_destroy(struct hv_blkback *bb);

/* For a process that runs case after case on one connected backend (a
 * fuzzer): a copy of the backend as it is now (its device state, queues,
 * kept grants and counts), and the backend put back to it. Neither takes
 * the machine, the store or guest memory: the caller puts those back too
 * (hv/state.h, hv_xs_snapshot), to the same moment. Both refuse while a
 * request is in flight (NULL, -XEN_EBUSY). */
struct hv_blkback_mark;
struct hv_blkback_mark *hv_blkback_mark(const struct hv_blkback *bb);
int hv_blkback_rewind(struct hv_blkback *bb,
		      const struct hv_blkback_mark *mark);
void hv_blkback_mark_free(struct hv_blkback_mark *mark);
/* Whether two marks hold the same backend, as far as a rewind puts it
 * back (not what it keeps of the live one: its I/O loop, recycled jobs
 * and store connection). For tests. */
bool hv_blkback_mark_same(const struct hv_blkback_mark *a,
			  const struct hv_blkback_mark *b);
/* For such a process that keeps several connected backends of one device,
 * the machine put back under each in turn: a backend asleep watches the
 * store no more (its connection dropped), so that the others' writes to
 * the same nodes do not reach it; awake, it watches again (the watch's
 * first event may mark a change: rewind it after). Forget frees a backend
 * asleep and idle whose machine was put back from under it: it unmaps,
 * closes and removes nothing, as the machine and the store hold none of
 * it now. Sleep refuses while a request is in flight (-XEN_EBUSY). */
int hv_blkback_sleep(struct hv_blkback *bb);
int hv_blkback_wake(struct hv_blkback *bb);
void hv_blkback_forget(struct hv_blkback *bb);

/* xl block-detach, as libxl and Linux's blkback do it together: the
 * toolstack writes the backend's online 0 and state Closing; the frontend
 * closes; the backend finishes what it took, unmaps and follows to
 * Closed; the toolstack then removes both directories (the caller, with
 * hv_blkback_destroy, once hv_blkback_removed says so). The requests the
 * backend took are answered on the ring before it unmaps, as Linux's
 * blkback answers them. A frontend that is not connected (Initialising,
 * Closed) cannot follow: libxl waits HV_BLKBACK_REMOVE_TIMEOUT_NS of
 * virtual time for the backend's Closed and then removes the device all
 * the same. Returns the requests the backend had taken and not yet
 * answered. */
/* libxl's wait for a removed device's backend (LIBXL_DESTROY_TIMEOUT). */
#define HV_BLKBACK_REMOVE_TIMEOUT_NS (10ull * 1000000000ull)
unsigned hv_blkback_detach(struct hv_blkback *bb);
/* The detach reached the point where the toolstack removes the device. */
bool hv_blkback_removed(const struct hv_blkback *bb);
/* The vbd number (the devid) and the name the config gave it. */
uint32_t hv_blkback_devid(const struct hv_blkback *bb);
const char *hv_blkback_vdev(const struct hv_blkback *bb);

/* For tests and the log. */
struct hv_blkback_stats {
	uint64_t requests;              /* taken from the rings */
	uint64_t responses;             /* written back */
	uint64_t errors;                /* BLKIF_RSP_ERROR responses */
	uint64_t unsupported;           /* BLKIF_RSP_EOPNOTSUPP responses */
	unsigned in_flight;             /* taken, not yet answered */
	unsigned max_in_flight;         /* the most at any time */
	unsigned broken_rings;          /* rings given up on */
	unsigned nr_queues;             /* negotiated */
	unsigned ring_page_order;       /* negotiated */
	bool persistent;                /* negotiated */
	unsigned persistent_grants;     /* kept mapped now, all queues */
	unsigned restarts;              /* fault runs: restarts mid-I/O */
	uint64_t image_writes;          /* writes and discards sent to the image */
};
void hv_blkback_get_stats(const struct hv_blkback *bb,
			  struct hv_blkback_stats *st);
struct hv_xenbus_device *hv_blkback_device(struct hv_blkback *bb);
/* One line on where the device stands (states, each queue's indexes and
 * requests in flight), for a run that ends waiting on it. */
void hv_blkback_describe(const struct hv_blkback *bb, char *buf, size_t len);

#endif
