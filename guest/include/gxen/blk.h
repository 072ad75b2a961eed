/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's block API over PV block devices (blkfront): open a vbd by
 * index or virtual device number, submit reads, writes, flushes and
 * discards with a completion callback, poll or wait for them. Addresses
 * and counts are in the device's sectors (blk_info.sector_size bytes).
 * Errors are negative Xen errno values; a device whose backend broke the
 * protocol answers -XEN_EIO from then on. */
#ifndef GXEN_BLK_H
#define GXEN_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blk_dev;

/* What the backend offered, after our clamping. */
struct blk_info {
	char nodename[32];           /* "device/vbd/51712" */
	uint64_t sectors;            /* capacity, in sector_size units */
	uint32_t sector_size;        /* logical block size: 512..4096 */
	uint32_t physical_sector_size;
	bool readonly, removable, cdrom;
	bool flush;                  /* blk_flush works (flush or barrier op) */
	bool flush_cache;            /* blk_flush sends FLUSH_DISKCACHE, not
				      * a barrier */
	bool barrier;                /* BLK_WRITE_BARRIER works */
	bool discard, secure_discard;
	uint32_t discard_granularity; /* bytes; sector_size when not given */
	uint32_t discard_alignment;   /* bytes */
	bool persistent;             /* both ends keep grants mapped */
	unsigned max_segments;       /* 4 KiB pages one request may carry */
	unsigned nr_queues, ring_pages, depth; /* depth: requests per queue */
};

enum blk_op {
	BLK_READ,
	BLK_WRITE,
	BLK_WRITE_BARRIER,           /* a write ordered after all before it */
	BLK_FLUSH,                   /* no data: make prior writes durable */
	BLK_DISCARD,                 /* no data */
	BLK_DISCARD_SECURE,
};

struct blk_request;
typedef void blk_done_fn(struct blk_request *req, void *arg);

/* Owned by the caller until done runs (or blk_wait returns it done). At
 * most blk_info.max_segments * 4096 bytes of data per request. */
struct blk_request {
	enum blk_op op;
	uint64_t sector;             /* device sectors */
	uint32_t count;              /* device sectors (0 for a flush) */
	void *buf;                   /* count * sector_size bytes */
	blk_done_fn *done;           /* may be NULL */
	void *arg;
	/* Set by the layer: */
	bool completed;
	int status;                  /* 0, -XEN_EIO, -XEN_EOPNOTSUPP, ... */
	unsigned queue, id;          /* where it went, for the log */
};

/* The index-th vbd in device/vbd (0 = the first). 0 and *dev, or a
 * negative errno (-XEN_ENODEV: no such device). */
int blk_open(unsigned index, struct blk_dev **dev);
/* The vbd whose virtual device number (its directory name) is vdev. */
int blk_open_vdev(unsigned vdev, struct blk_dev **dev);
/* Tear down with the xenbus close dance; requests still pending fail. */
int blk_close(struct blk_dev *dev);
/* How many vbds the store lists. */
int blk_count(void);

const struct blk_info *blk_info(const struct blk_dev *dev);

/* Grant the pages of [buf, buf + len) (page-aligned, whole pages, guest
 * RAM) to the backend until blk_close: a request whose data lies inside
 * then goes straight to and from them, with no copy through the device's
 * own pages. The backend may read and write them at any time until then,
 * so they must hold nothing but I/O data. 0, -XEN_EINVAL (alignment, not
 * RAM, overlaps one registered before), -XEN_ENOSPC (no room for more
 * buffers or grants), -XEN_ENOMEM, -XEN_ENOTCONN. */
int blk_register_buffer(struct blk_dev *dev, void *buf, size_t len);

/* Queue req (checked against the device first): 0, -XEN_EBUSY when every
 * slot is in flight (poll and retry), -XEN_EINVAL, -XEN_E2BIG,
 * -XEN_EROFS, -XEN_EOPNOTSUPP (the feature is off), -XEN_EIO (broken). */
int blk_submit(struct blk_dev *dev, struct blk_request *req);
/* Batching: after blk_plug, submitted requests are written to the ring
 * but the backend is not told until blk_unplug, which publishes them all
 * with at most one notification per queue (one trap into the hypervisor
 * instead of one a request). blk_wait and blk_drain unplug first. */
void blk_plug(struct blk_dev *dev);
void blk_unplug(struct blk_dev *dev);
/* Take in what the backend answered; runs callbacks. The number of
 * requests completed. */
unsigned blk_poll(struct blk_dev *dev);
/* Poll and idle until req completed: its status, or -XEN_ETIMEDOUT after
 * timeout_ns of virtual time (the device is then marked broken and every
 * pending request fails). */
int blk_wait(struct blk_dev *dev, struct blk_request *req,
	     uint64_t timeout_ns);
/* Wait until nothing is in flight; 0 or the first error seen. */
int blk_drain(struct blk_dev *dev, uint64_t timeout_ns);
unsigned blk_in_flight(const struct blk_dev *dev);

/* Synchronous helpers (submit, then wait). */
int blk_read(struct blk_dev *dev, uint64_t sector, uint32_t count,
	     void *buf);
int blk_write(struct blk_dev *dev, uint64_t sector, uint32_t count,
	      const void *buf);
int blk_flush(struct blk_dev *dev);
int blk_discard(struct blk_dev *dev, uint64_t sector, uint32_t count,
		bool secure);

/* After the domain was resumed in a new one (kern_suspend returned 0):
 * connect to the new backend; requests the old one answered stay
 * answered, the rest are resubmitted in their order and complete as
 * usual. 0, or a negative errno (the device is then broken). */
int blk_resume(struct blk_dev *dev);

/* Whether the device was marked broken, and why. */
bool blk_broken(const struct blk_dev *dev);
/* The toolstack removed the device (xl block-detach): requests in flight
 * then were answered or failed with -XEN_EIO, new ones get -XEN_ENODEV;
 * only blk_close is left to do. */
bool blk_gone(const struct blk_dev *dev);
/* What the removal met, once blk_gone: the requests in flight when the
 * layer took it in, of which the backend answered and failed. */
struct blk_removal {
	unsigned in_flight, answered, failed;
};
void blk_removal(const struct blk_dev *dev, struct blk_removal *out);
/* Wait, without a deadline, until the toolstack adds a vbd (one whose
 * frontend state is Initialising), watching the device directory. 0, or
 * a negative errno when xenstore is gone. */
int blk_wait_attached(void);
const char *blk_broken_reason(const struct blk_dev *dev);

/* How long the synchronous helpers wait for the backend. */
#define BLK_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)

#endif
