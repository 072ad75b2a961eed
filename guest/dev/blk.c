/* SPDX-License-Identifier: BSD-2-Clause */
/* The block API on top of blkfront: finding a vbd, checking each request
 * against what the device offers before it reaches the ring, polling and
 * waiting in virtual time. A backend that leaves a request unanswered past
 * the caller's timeout is treated as broken. */
#include <xen/errno.h>

#include "blkfront.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"

#define DEV_PAGES ((sizeof(struct blkfront) + PAGE_SIZE - 1) / PAGE_SIZE)

struct blk_dev {
	struct blkfront front;
};

struct find {
	unsigned index, seen;
	bool by_vdev;
	unsigned vdev;
	char nodename[XENBUS_PATH_MAX];
};

static unsigned last_number(const char *nodename)
{
	const char *p = strrchr(nodename, '/');
	unsigned v = 0;

	for (p = p ? p + 1 : nodename; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned)(*p - '0');
	return v;
}

static void found(const char *nodename, void *arg)
{
	struct find *f = arg;
	bool match = f->by_vdev ? last_number(nodename) == f->vdev :
				  f->seen == f->index;

	if (match && !f->nodename[0] && strlen(nodename) < sizeof(f->nodename))
		memcpy(f->nodename, nodename, strlen(nodename) + 1);
	f->seen++;
}

int blk_count(void)
{
	struct find f = { .index = ~0u };

	if (!xs_connected())
		return 0;
	return xenbus_enumerate("vbd", found, &f);
}

static int open_found(struct find *f, struct blk_dev **out)
{
	struct blk_dev *dev;
	int rc;

	if (!xs_connected())
		return -XEN_ENODEV;
	rc = xenbus_enumerate("vbd", found, f);
	if (rc < 0)
		return rc;
	if (!f->nodename[0])
		return -XEN_ENODEV;
	dev = page_alloc(DEV_PAGES);
	if (!dev)
		return -XEN_ENOMEM;
	rc = blkfront_connect(&dev->front, f->nodename);
	if (rc) {
		page_free(dev, DEV_PAGES);
		return rc;
	}
	*out = dev;
	return 0;
}

int blk_open(unsigned index, struct blk_dev **dev)
{
	struct find f = { .index = index };

	return open_found(&f, dev);
}

int blk_open_vdev(unsigned vdev, struct blk_dev **dev)
{
	struct find f = { .by_vdev = true, .vdev = vdev };

	return open_found(&f, dev);
}

static void vbd_changed(const char *path, const char *token, void *arg)
{
	(void)path;
	(void)token;
	*(bool *)arg = true;
}

static void count_fresh(const char *nodename, void *arg)
{
	/* What the toolstack writes for a new device starts Initialising;
	 * one we closed stays Closed until it removes it. */
	if (xenbus_read_state(nodename) == XenbusStateInitialising)
		++*(unsigned *)arg;
}

int blk_wait_attached(void)
{
	bool changed = true;          /* look once whatever happens */
	unsigned fresh = 0;
	int rc;

	if (!xs_connected())
		return -XEN_ENODEV;
	rc = xs_watch("device/vbd", "blk-attach", vbd_changed, &changed);
	if (rc)
		return rc;
	for (;;) {
		xs_poll();
		if (changed) {
			changed = false;
			rc = xenbus_enumerate("vbd", count_fresh, &fresh);
			if (rc < 0 || fresh)
				break;
		}
		if (!xs_connected()) {
			rc = -XEN_EIO;
			break;
		}
		/* The watch's event comes on the store's event channel. */
		xs_wait_until(0);
	}
	xs_unwatch("device/vbd", "blk-attach");
	return rc < 0 ? rc : 0;
}

int blk_close(struct blk_dev *dev)
{
	int rc = blkfront_disconnect(&dev->front);

	page_free(dev, DEV_PAGES);
	return rc;
}

const struct blk_info *blk_info(const struct blk_dev *dev)
{
	return &dev->front.info;
}

bool blk_gone(const struct blk_dev *dev)
{
	return dev->front.gone;
}

void blk_removal(const struct blk_dev *dev, struct blk_removal *out)
{
	out->in_flight = dev->front.removal_in_flight;
	out->answered = dev->front.removal_answered;
	out->failed = dev->front.removal_failed;
}

bool blk_broken(const struct blk_dev *dev)
{
	return dev->front.broken;
}

const char *blk_broken_reason(const struct blk_dev *dev)
{
	return dev->front.broken ? dev->front.broken_reason : "";
}

unsigned blk_in_flight(const struct blk_dev *dev)
{
	return blkfront_in_flight(&dev->front);
}

int blk_register_buffer(struct blk_dev *dev, void *buf, size_t len)
{
	return blkfront_buffer_register(&dev->front, buf, len);
}

static bool has_data(enum blk_op op)
{
	return op == BLK_READ || op == BLK_WRITE || op == BLK_WRITE_BARRIER;
}

/* What the device would refuse, refused here. */
static int check_request(const struct blkfront *front,
			 const struct blk_request *req)
{
	const struct blk_info *info = &front->info;

	if (front->gone)
		return -XEN_ENODEV;
	if (front->broken)
		return -XEN_EIO;
	if (!front->connected || front->backend_closing)
		return -XEN_ENOTCONN;
	switch (req->op) {
	case BLK_READ:
		break;
	case BLK_WRITE:
		break;
	case BLK_WRITE_BARRIER:
		if (!info->barrier)
			return -XEN_EOPNOTSUPP;
		break;
	case BLK_FLUSH:
		return info->flush ? 0 : -XEN_EOPNOTSUPP;
	case BLK_DISCARD:
		if (!info->discard)
			return -XEN_EOPNOTSUPP;
		break;
	case BLK_DISCARD_SECURE:
		if (!info->secure_discard)
			return -XEN_EOPNOTSUPP;
		break;
	default:
		return -XEN_EINVAL;
	}
	if (req->op != BLK_READ && info->readonly)
		return -XEN_EROFS;
	if (req->count == 0 || req->sector > info->sectors ||
	    req->count > info->sectors - req->sector)
		return -XEN_EINVAL;
	if (has_data(req->op)) {
		if (!req->buf)
			return -XEN_EINVAL;
		if ((uint64_t)req->count * info->sector_size >
		    (uint64_t)info->max_segments * PAGE_SIZE)
			return -XEN_E2BIG;
	}
	return 0;
}

/* A backend that closed on us while connected (it restarted) gets our
 * side reconnected and every unanswered request resubmitted before
 * anything else goes on. */
static void recover_if_closed(struct blkfront *front)
{
	if (!front->backend_closing || !front->connected || front->broken)
		return;
	/* Unless the toolstack is taking the device away: then it closes
	 * for good, and what was in flight fails. */
	if (blkfront_backend_removed(front))
		blkfront_detach(front);
	else
		blkfront_recover(front);
}

int blk_submit(struct blk_dev *dev, struct blk_request *req)
{
	int rc;

	recover_if_closed(&dev->front);
	rc = check_request(&dev->front, req);

	if (rc)
		return rc;
	return blkfront_enqueue(&dev->front, req);
}

int blk_resume(struct blk_dev *dev)
{
	return blkfront_resume(&dev->front);
}

void blk_plug(struct blk_dev *dev)
{
	blkfront_plug(&dev->front);
}

void blk_unplug(struct blk_dev *dev)
{
	blkfront_unplug(&dev->front);
}

unsigned blk_poll(struct blk_dev *dev)
{
	unsigned done;

	blkfront_poll_xenbus(&dev->front);
	/* A removal or a restart first: what the backend answered is taken
	 * in there, so a removal counts every request it met, answered or
	 * not, as in flight. */
	recover_if_closed(&dev->front);
	done = blkfront_collect(&dev->front);
	return done;
}

struct waiting {
	struct blk_dev *dev;
	struct blk_request *req;      /* NULL: wait for the device to drain */
};

static bool finished(void *arg)
{
	struct waiting *w = arg;

	blk_poll(w->dev);
	if (w->dev->front.broken || w->dev->front.gone)
		return true;
	return w->req ? w->req->completed :
			blkfront_in_flight(&w->dev->front) == 0;
}

static int wait_for(struct blk_dev *dev, struct blk_request *req,
		    uint64_t timeout_ns)
{
	struct waiting w = { dev, req };

	/* Nothing held back may wait on its own completion. */
	blkfront_unplug(&dev->front);
	if (time_wait(finished, &w, timeout_ns))
		return 0;
	blkfront_mark_broken(&dev->front, "no response within %llu ms",
			     (unsigned long long)(timeout_ns / NSEC_PER_MSEC));
	return -XEN_ETIMEDOUT;
}

int blk_wait(struct blk_dev *dev, struct blk_request *req,
	     uint64_t timeout_ns)
{
	int rc;

	if (req->completed)
		return req->status;
	rc = wait_for(dev, req, timeout_ns);
	if (rc)
		return rc;
	return req->completed ? req->status : -XEN_EIO;
}

int blk_drain(struct blk_dev *dev, uint64_t timeout_ns)
{
	int rc = wait_for(dev, NULL, timeout_ns);

	if (rc)
		return rc;
	if (dev->front.gone)
		return -XEN_ENODEV;
	return dev->front.broken ? -XEN_EIO : 0;
}

static int sync_request(struct blk_dev *dev, struct blk_request *req)
{
	int rc;

	/* Room first: a full ring frees up as responses come in. */
	while ((rc = blk_submit(dev, req)) == -XEN_EBUSY) {
		rc = blk_drain(dev, BLK_TIMEOUT_NS);
		if (rc)
			return rc;
	}
	return rc ? rc : blk_wait(dev, req, BLK_TIMEOUT_NS);
}

int blk_read(struct blk_dev *dev, uint64_t sector, uint32_t count, void *buf)
{
	struct blk_request req = { .op = BLK_READ, .sector = sector,
				   .count = count, .buf = buf };

	return sync_request(dev, &req);
}

int blk_write(struct blk_dev *dev, uint64_t sector, uint32_t count,
	      const void *buf)
{
	struct blk_request req = { .op = BLK_WRITE, .sector = sector,
				   .count = count, .buf = (void *)buf };

	return sync_request(dev, &req);
}

int blk_flush(struct blk_dev *dev)
{
	struct blk_request req = { .op = BLK_FLUSH };

	return sync_request(dev, &req);
}

int blk_discard(struct blk_dev *dev, uint64_t sector, uint32_t count,
		bool secure)
{
	struct blk_request req = {
		.op = secure ? BLK_DISCARD_SECURE : BLK_DISCARD,
		.sector = sector, .count = count,
	};

	return sync_request(dev, &req);
}
