/* SPDX-License-Identifier: BSD-2-Clause */
/* blkfront's negotiation with its backend through xenstore: the ring
 * parameters it offers at InitWait, the keys we write back (rings, event
 * channels, protocol, persistent grants, queues), the disk it describes
 * at Connected, and the close dance. Every key is the backend's word:
 * parsed strictly, checked, and clamped to our limits with a log line
 * saying what was clamped. Closing is a step of the dance, not an error. */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/io/protocols.h>

#include "blkfront.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/printf.h"
#include "kern/string.h"

#define S(x) XENBUS_STATE_BIT(XenbusState##x)

static void note(const struct blkfront *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(const struct blkfront *dev, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("blkfront: d%u %s: %s\n", dev->domid, dev->xb.nodename, msg);
}

/* ---- reading the backend's keys ---- */

/* A strict decimal number (a 64-bit quantity on every target). 0, or
 * -XEN_ENOENT when absent, -XEN_EINVAL when not a number. */
static int read_u64(const struct blkfront *dev, const char *node,
		    uint64_t *out)
{
	char path[XENBUS_PATH_MAX + 40], value[32];
	uint64_t v = 0;
	int n;

	ksnprintf(path, sizeof(path), "%s/%s", dev->xb.otherend, node);
	n = xs_read(XBT_NIL, path, value, sizeof(value));
	if (n < 0)
		return n == -XEN_E2BIG ? -XEN_EINVAL : n;
	if (n == 0)
		return -XEN_EINVAL;
	for (int i = 0; i < n; i++) {
		unsigned d = (unsigned)(value[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -XEN_EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* An optional key: def when absent; a value that is not a number is
 * logged and read as def too. */
static uint64_t read_opt(const struct blkfront *dev, const char *node,
			 uint64_t def)
{
	uint64_t v;
	int rc = read_u64(dev, node, &v);

	if (rc == 0)
		return v;
	if (rc != -XEN_ENOENT)
		note(dev, "ignoring backend's %s: not a number", node);
	return def;
}

/* Backend value v for node, at most max: clamped and logged. */
static uint64_t clamp(const struct blkfront *dev, const char *node,
		      uint64_t v, uint64_t max)
{
	if (v <= max)
		return v;
	note(dev, "backend offers %s %llu, clamped to %llu", node,
	     (unsigned long long)v, (unsigned long long)max);
	return max;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* ---- the state dance ---- */

/* Wait until the backend's state is in `want`; -XEN_ENOTCONN when it
 * reaches a state in `fail`, -XEN_ETIMEDOUT after timeout_ns. */
static int wait_backend(struct blkfront *dev, unsigned want, unsigned fail,
			uint64_t timeout_ns)
{
	return xenbus_wait_for_states(&dev->xb, want, fail, timeout_ns);
}

static void log_backend_error(struct blkfront *dev)
{
	char path[XENBUS_PATH_MAX + 16], value[128];

	ksnprintf(path, sizeof(path), "%s/error", dev->xb.otherend);
	if (xs_read(XBT_NIL, path, value, sizeof(value)) > 0)
		note(dev, "backend says: %s", value);
}

/* ---- InitWait: rings and queues ---- */

struct ring_keys {
	struct blkfront *dev;
	bool multi_page;              /* ring-page-order and ring-ref%u */
	unsigned order;
};

static int write_queue_keys(xs_transaction_t t, const struct ring_keys *k,
			    const char *dir, const struct blkfront_queue *queue)
{
	char node[16];
	int rc;

	if (!k->multi_page) {
		rc = xenbus_printf(t, dir, "ring-ref", "%u", queue->ring_ref[0]);
		if (rc)
			return rc;
	} else {
		for (unsigned i = 0; i < queue->ring_pages; i++) {
			ksnprintf(node, sizeof(node), "ring-ref%u", i);
			rc = xenbus_printf(t, dir, node, "%u",
					   queue->ring_ref[i]);
			if (rc)
				return rc;
		}
	}
	return xenbus_printf(t, dir, "event-channel", "%u", queue->port);
}

static int write_ring_keys(xs_transaction_t t, void *arg)
{
	const struct ring_keys *k = arg;
	struct blkfront *dev = k->dev;
	const char *fe = dev->xb.nodename;
	char dir[XENBUS_PATH_MAX + 16];
	int rc;

	if (k->multi_page &&
	    (rc = xenbus_printf(t, fe, "ring-page-order", "%u", k->order)))
		return rc;
	if (dev->nr_queues == 1) {
		rc = write_queue_keys(t, k, fe, &dev->queue[0]);
	} else {
		rc = xenbus_printf(t, fe, "multi-queue-num-queues", "%u",
				   dev->nr_queues);
		for (unsigned q = 0; rc == 0 && q < dev->nr_queues; q++) {
			ksnprintf(dir, sizeof(dir), "%s/queue-%u", fe, q);
			rc = write_queue_keys(t, k, dir, &dev->queue[q]);
		}
	}
	if (rc == 0)
		rc = xenbus_printf(t, fe, "protocol", "%s",
				   XEN_IO_PROTO_ABI_ARM);
	if (rc == 0)
		rc = xenbus_printf(t, fe, "feature-persistent", "%u", 1);
	return rc;
}

static int talk_to_backend(struct blkfront *dev)
{
	struct ring_keys k = { .dev = dev };
	uint64_t order, queues;
	int rc;

	order = read_opt(dev, "max-ring-page-order", 0);
	k.order = (unsigned)clamp(dev, "max-ring-page-order", order,
				  BLKFRONT_MAX_RING_ORDER);
	/* One page goes by the original key, as Linux writes it. */
	k.multi_page = k.order > 0;
	queues = read_opt(dev, "multi-queue-max-queues", 1);
	if (queues == 0) {
		note(dev, "backend offers multi-queue-max-queues 0, using 1");
		queues = 1;
	}
	queues = clamp(dev, "multi-queue-max-queues", queues,
		       BLKFRONT_MAX_QUEUES);
	rc = blkfront_queues_alloc(dev, (unsigned)queues, 1u << k.order);
	if (rc)
		return rc;
	dev->info.nr_queues = (unsigned)queues;
	dev->info.ring_pages = 1u << k.order;
	dev->info.depth = dev->queue[0].depth;
	rc = xs_transact(write_ring_keys, &k);
	if (rc)
		note(dev, "cannot write the ring keys: error %d (%s)", rc,
		     xs_last_error());
	return rc;
}

/* ---- Connected: the disk ---- */

static int read_disk(struct blkfront *dev)
{
	struct blk_info *info = &dev->info;
	uint64_t sectors, size, phys, infobits, indirect;

	if (read_u64(dev, "sectors", &sectors) ||
	    read_u64(dev, "sector-size", &size)) {
		note(dev, "backend gives no usable sectors/sector-size");
		return -XEN_EINVAL;
	}
	if (!is_pow2(size) || size < BLKFRONT_SECTOR || size > PAGE_SIZE) {
		note(dev, "backend's sector-size %llu is not a power of two "
		     "in 512..4096", (unsigned long long)size);
		return -XEN_EINVAL;
	}
	/* Xen 4.17's blkif.h: sectors counts sector-size units. */
	if (sectors == 0 || sectors > UINT64_MAX / size) {
		note(dev, "backend's sectors %llu is not a usable capacity",
		     (unsigned long long)sectors);
		return -XEN_EINVAL;
	}
	info->sectors = sectors;
	info->sector_size = (uint32_t)size;
	phys = read_opt(dev, "physical-sector-size", size);
	if (!is_pow2(phys) || phys < size || phys > (1u << 20)) {
		note(dev, "ignoring backend's physical-sector-size %llu",
		     (unsigned long long)phys);
		phys = size;
	}
	info->physical_sector_size = (uint32_t)phys;
	infobits = read_opt(dev, "info", 0);
	if (infobits & ~(uint64_t)(VDISK_CDROM | VDISK_REMOVABLE |
				   VDISK_READONLY))
		note(dev, "ignoring unknown info bits %#llx",
		     (unsigned long long)infobits);
	info->cdrom = infobits & VDISK_CDROM;
	info->removable = infobits & VDISK_REMOVABLE;
	info->readonly = infobits & VDISK_READONLY;

	info->barrier = read_opt(dev, "feature-barrier", 0) != 0;
	info->flush_cache = read_opt(dev, "feature-flush-cache", 0) != 0;
	/* Linux's choice: a cache flush when offered, else a barrier. */
	dev->flush_op = info->flush_cache ? BLKIF_OP_FLUSH_DISKCACHE :
					    BLKIF_OP_WRITE_BARRIER;
	info->flush = info->flush_cache || info->barrier;
	info->discard = read_opt(dev, "feature-discard", 0) != 0;
	info->secure_discard = info->discard &&
			       read_opt(dev, "discard-secure", 0) != 0;
	info->discard_granularity = (uint32_t)clamp(dev, "discard-granularity",
		read_opt(dev, "discard-granularity", size), 1u << 30);
	if (info->discard_granularity < size)
		info->discard_granularity = (uint32_t)size;
	info->discard_alignment = (uint32_t)clamp(dev, "discard-alignment",
		read_opt(dev, "discard-alignment", 0), 1u << 30);
	info->persistent = read_opt(dev, "feature-persistent", 0) != 0;

	indirect = read_opt(dev, "feature-max-indirect-segments", 0);
	info->max_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	if (indirect > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		info->max_segments = (unsigned)clamp(dev,
			"feature-max-indirect-segments", indirect,
			BLKFRONT_MAX_INDIRECT_SEGS);
	return 0;
}

/* ---- following the backend while connected ---- */

static void otherend_changed(struct xenbus_device *xb, enum xenbus_state st)
{
	struct blkfront *dev = xb->drvdata;

	if ((st == XenbusStateClosing || st == XenbusStateClosed) &&
	    !dev->backend_closing) {
		note(dev, "backend is %s: no new requests",
		     xenbus_state_name(st));
		dev->backend_closing = true;
	}
}

void blkfront_poll_xenbus(struct blkfront *dev)
{
	if (dev->connected)
		xs_poll();
}

/* ---- connect and disconnect ---- */

static unsigned vdev_of(const char *nodename)
{
	const char *last = strrchr(nodename, '/');
	unsigned v = 0;

	for (last = last ? last + 1 : nodename; *last >= '0' && *last <= '9';
	     last++)
		v = v * 10 + (unsigned)(*last - '0');
	return v;
}

static unsigned own_domid(void)
{
	char value[16];
	unsigned v = 0;

	if (xs_read(XBT_NIL, "domid", value, sizeof(value)) <= 0)
		return 0;
	for (const char *p = value; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned)(*p - '0');
	return v;
}

/* Back to Closed after a failed connect. */
static void give_up(struct blkfront *dev)
{
	xenbus_switch_state(&dev->xb, XenbusStateClosing);
	wait_backend(dev, S(Closing) | S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
	xenbus_switch_state(&dev->xb, XenbusStateClosed);
	wait_backend(dev, S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
	blkfront_queues_free(dev);
}

static int start_over(struct blkfront *dev)
{
	/* A device we (or an earlier boot) closed starts again from
	 * Initialising; the backend answers with InitWait. */
	if (dev->xb.state != XenbusStateInitialising)
		return xenbus_switch_state(&dev->xb, XenbusStateInitialising);
	return 0;
}

/* From Initialising to Connected: the rings, the keys, the disk, the
 * buffers' grants, and the watch that follows the backend from then on.
 * Nothing is undone here on failure: the caller gives up. */
static int negotiate(struct blkfront *dev)
{
	int rc;

	if ((rc = start_over(dev)))
		return rc;
	rc = wait_backend(dev, S(InitWait) | S(Initialised) | S(Connected),
			  0, XENBUS_STATE_TIMEOUT_NS);
	if (rc) {
		note(dev, "backend stays %s, not InitWait",
		     xenbus_state_name(dev->xb.otherend_state));
		return rc;
	}
	rc = talk_to_backend(dev);
	if (rc == 0)
		rc = xenbus_switch_state(&dev->xb, XenbusStateInitialised);
	if (rc == 0) {
		rc = wait_backend(dev, S(Connected), S(Closing) | S(Closed),
				  XENBUS_STATE_TIMEOUT_NS);
		if (rc) {
			note(dev, "backend went %s instead of Connected",
			     xenbus_state_name(dev->xb.otherend_state));
			log_backend_error(dev);
		}
	}
	if (rc == 0)
		rc = read_disk(dev);
	if (rc == 0)
		rc = blkfront_slots_setup(dev);
	if (rc == 0)
		rc = xenbus_switch_state(&dev->xb, XenbusStateConnected);
	if (rc == 0)
		rc = xenbus_watch_otherend(&dev->xb, otherend_changed);
	if (rc == 0)
		dev->connected = true;
	return rc;
}

int blkfront_connect(struct blkfront *dev, const char *nodename)
{
	int rc;

	rc = xenbus_probe(&dev->xb, nodename);
	if (rc)
		return rc;
	dev->xb.drvdata = dev;
	dev->domid = own_domid();
	dev->vdev = vdev_of(nodename);
	dev->unanswered_reconnects = 0;
	ksnprintf(dev->info.nodename, sizeof(dev->info.nodename), "%s",
		  nodename);
	rc = negotiate(dev);
	if (rc)
		give_up(dev);
	return rc;
}

/* ---- a backend that closed on us: reconnect and resubmit ---- */

#define MAX_PENDING (BLKFRONT_MAX_QUEUES * BLKFRONT_MAX_DEPTH)

struct resubmit {
	struct blkfront *dev;
	struct blk_request *req[MAX_PENDING];
	unsigned n, done;             /* taken, resubmitted so far */
};

/* Our side of the close: Closing, then Closed once the backend follows;
 * its grants on our rings and pages are gone when it reaches Closed. */
static void close_our_side(struct blkfront *dev)
{
	xenbus_unwatch_otherend(&dev->xb);
	dev->connected = false;
	xenbus_switch_state(&dev->xb, XenbusStateClosing);
	wait_backend(dev, S(Closing) | S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
	xenbus_switch_state(&dev->xb, XenbusStateClosed);
	wait_backend(dev, S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
	blkfront_queues_free(dev);
}

/* The disk must be the one we had: requests are in its sectors. */
static bool same_disk(const struct blk_info *was, const struct blk_info *now)
{
	return was->sectors == now->sectors &&
	       was->sector_size == now->sector_size;
}

static bool slot_free_or_closing(void *arg)
{
	struct blkfront *dev = arg;

	/* The store's events too: the backend may close again meanwhile. */
	blkfront_poll_xenbus(dev);
	blkfront_collect(dev);
	return dev->broken || dev->backend_closing ||
	       blkfront_in_flight(dev) < dev->nr_queues * dev->info.depth;
}

/* Put the taken requests back on the new rings, oldest first; a full
 * ring (a shallower queue now) waits for responses. False when the
 * backend closed again meanwhile (the rest wait for the next round). */
static bool resubmit(struct resubmit *r)
{
	struct blkfront *dev = r->dev;

	while (r->done < r->n && !dev->broken && !dev->backend_closing) {
		int rc = blkfront_enqueue(dev, r->req[r->done]);

		if (rc == 0) {
			r->done++;
			continue;
		}
		if (rc != -XEN_EBUSY ||
		    !time_wait(slot_free_or_closing, dev, BLK_TIMEOUT_NS))
			blkfront_mark_broken(dev, "cannot resubmit after a "
					     "reconnect: error %d", rc);
	}
	blkfront_unplug(dev);
	return r->done == r->n;
}

/* Take what was never answered out of the slots, after the rest of the
 * list from an earlier round that the backend closed on. */
static void take_pending(struct resubmit *r)
{
	struct blk_request *older[MAX_PENDING];
	unsigned left = r->n - r->done, taken;

	memcpy(older, r->req + r->done, left * sizeof(older[0]));
	taken = blkfront_take_pending(r->dev, r->req, MAX_PENDING);
	/* What was resubmitted went out before what still waited. */
	if (left + taken > MAX_PENDING)
		left = MAX_PENDING - taken;
	memcpy(r->req + taken, older, left * sizeof(older[0]));
	r->n = taken + left;
	r->done = 0;
}

/* One list serves a recover and a resume: neither runs inside the other. */
static struct resubmit resubmit_list;

/* Requests that never reached a ring fail with the device. */
static void fail_the_rest(struct resubmit *r)
{
	for (; r->done < r->n; r->done++)
		blkfront_complete_request(r->req[r->done], -XEN_EIO);
}

/* The backend closed again before we were through: what it answered is
 * taken in, what it did not joins the list (in order, ahead of what was
 * not resubmitted yet), and our side closes for the next attempt. */
static void closed_again(struct resubmit *r, const char *after)
{
	struct blkfront *dev = r->dev;

	blkfront_collect(dev);
	take_pending(r);
	note(dev, "backend closed again while we reconnected after %s: "
	     "%u reconnect(s) without an answer, %u request(s) to resubmit",
	     after, dev->unanswered_reconnects, r->n);
	if (dev->connected)
		close_our_side(dev);
	else
		give_up(dev);
	dev->backend_closing = false;
}

/* Connect again and put r back on the new rings, oldest first, as often
 * as the backend closes on us meanwhile (it goes Closing instead of
 * Connected, or while we resubmit): each time, until
 * BLKFRONT_MAX_RECONNECTS reconnects in a row got no answer. Any other
 * failure, or a different disk, ends it at once. 0, or a negative errno
 * with the device marked broken. */
static int reconnect(struct resubmit *r, const struct blk_info *was,
		     const char *after)
{
	struct blkfront *dev = r->dev;
	int rc;

	for (;;) {
		if (dev->unanswered_reconnects >= BLKFRONT_MAX_RECONNECTS) {
			blkfront_mark_broken(dev, "the backend closed %u "
					     "times in a row without an "
					     "answer: giving up",
					     BLKFRONT_MAX_RECONNECTS);
			return -XEN_EIO;
		}
		dev->unanswered_reconnects++;
		dev->reconnects++;
		rc = negotiate(dev);
		if (rc == 0 && !same_disk(was, &dev->info)) {
			note(dev, "the disk changed across %s", after);
			rc = -XEN_EIO;
		} else if (rc == 0) {
			if (resubmit(r) && !dev->backend_closing)
				return 0;
			if (dev->broken)
				return -XEN_EIO;
		}
		if (rc && rc != -XEN_ENOTCONN)
			break;
		closed_again(r, after);
	}
	if (dev->connected)
		close_our_side(dev);
	else
		give_up(dev);
	blkfront_mark_broken(dev, "cannot reconnect after %s: error %d",
			     after, rc);
	return rc;
}

int blkfront_recover(struct blkfront *dev)
{
	struct resubmit *r = &resubmit_list;
	struct blk_info was = dev->info;
	int rc;

	memset(r, 0, sizeof(*r));
	r->dev = dev;
	/* Responses it wrote before closing are answers all the same: the
	 * writes they acknowledge are on the disk. */
	blkfront_collect(dev);
	take_pending(r);
	note(dev, "backend closed while connected: reconnecting, %u "
	     "request(s) to resubmit", r->n);
	close_our_side(dev);
	dev->backend_closing = false;
	rc = dev->broken ? -XEN_EIO : reconnect(r, &was, "the backend closed");
	fail_the_rest(r);
	return rc;
}

/* ---- resumed in a new domain ---- */

int blkfront_resume(struct blkfront *dev)
{
	struct resubmit *r = &resubmit_list;
	struct blk_info was = dev->info;
	char nodename[XENBUS_PATH_MAX];
	unsigned answered;
	int rc;

	if (dev->gone || dev->broken || !dev->connected)
		return dev->broken ? -XEN_EIO : 0;
	/* The old backend's answers are still on the old rings, in our
	 * memory: each is an answer (a write it acknowledges is on the
	 * disk) and is not sent again. */
	answered = blkfront_collect(dev);
	memset(r, 0, sizeof(*r));
	r->dev = dev;
	take_pending(r);
	note(dev, "resumed: %u answer(s) taken from the old ring, %u "
	     "request(s) to resubmit", answered, r->n);
	/* Nothing of the old connection exists in this domain: no port to
	 * close, no grant the backend holds. The store's watch, if the
	 * client registered it again, goes; the device is read afresh
	 * from the tree the toolstack wrote for the new domain. */
	xenbus_unwatch_otherend(&dev->xb);
	blkfront_queues_forget(dev);
	if ((rc = blkfront_buffers_regrant(dev)))
		note(dev, "cannot grant the registered buffers again: error %d",
		     rc);
	dev->connected = false;
	dev->backend_closing = false;
	memcpy(nodename, dev->xb.nodename, sizeof(nodename));
	if (rc == 0)
		rc = xenbus_probe(&dev->xb, nodename);
	dev->xb.drvdata = dev;
	if (rc)
		blkfront_mark_broken(dev, "cannot reconnect after the resume: "
				     "error %d", rc);
	else
		rc = reconnect(r, &was, "the resume");
	fail_the_rest(r);
	return dev->broken ? (rc ? rc : -XEN_EIO) : 0;
}

/* ---- the toolstack removing the device ---- */

/* libxl's removal gives the frontend this long (LIBXL_DESTROY_TIMEOUT). */
#define REMOVE_TIMEOUT_NS (10000ull * NSEC_PER_MSEC)

bool blkfront_backend_removed(struct blkfront *dev)
{
	uint64_t online;

	/* libxl writes online 0 before it moves the backend to Closing; a
	 * restarting backend leaves it 1. */
	if (read_u64(dev, "online", &online) == 0 && online == 0)
		return true;
	return xenbus_read_state(dev->xb.otherend) == XenbusStateUnknown;
}

int blkfront_detach(struct blkfront *dev)
{
	struct blk_request *req[MAX_PENDING];
	unsigned answered, failed;
	int rc;

	dev->removal_in_flight = blkfront_in_flight(dev);
	note(dev, "the toolstack removes the device: %u request(s) in "
	     "flight", dev->removal_in_flight);
	if (dev->connected)
		xenbus_unwatch_otherend(&dev->xb);
	dev->connected = false;
	/* Straight to Closed, as Linux's blkfront does for a disk nobody
	 * holds: the backend finishes what it took, unmaps, follows to
	 * Closed, and the toolstack then removes both directories. */
	xenbus_switch_state(&dev->xb, XenbusStateClosed);
	rc = wait_backend(dev, S(Closed) | S(Unknown), 0, REMOVE_TIMEOUT_NS);
	if (rc)
		note(dev, "backend did not reach Closed (%s)",
		     xenbus_state_name(dev->xb.otherend_state));
	/* What it answered before it closed is an answer all the same. */
	answered = blkfront_collect(dev);
	failed = blkfront_take_pending(dev, req, MAX_PENDING);
	for (unsigned i = 0; i < failed; i++)
		blkfront_complete_request(req[i], -XEN_EIO);
	blkfront_queues_free(dev);
	blkfront_buffers_free(dev);
	dev->backend_closing = false;
	dev->removal_answered = answered;
	dev->removal_failed = failed;
	dev->gone = true;
	note(dev, "closed: %u request(s) answered, %u failed", answered,
	     failed);
	return rc;
}

int blkfront_disconnect(struct blkfront *dev)
{
	int rc;

	/* A removed device has nothing left to close, nor a directory. */
	if (dev->gone)
		return 0;
	if (dev->connected)
		xenbus_unwatch_otherend(&dev->xb);
	dev->connected = false;
	if (blkfront_in_flight(dev))
		blkfront_mark_broken(dev, "closed with requests in flight");
	/* Closing is a step: the backend follows to Closing (or straight
	 * to Closed), then we close, then it does. */
	xenbus_switch_state(&dev->xb, XenbusStateClosing);
	rc = wait_backend(dev, S(Closing) | S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
	if (rc)
		note(dev, "backend did not follow to Closing (%s)",
		     xenbus_state_name(dev->xb.otherend_state));
	xenbus_switch_state(&dev->xb, XenbusStateClosed);
	if (rc == 0) {
		rc = wait_backend(dev, S(Closed), 0, XENBUS_STATE_TIMEOUT_NS);
		if (rc)
			note(dev, "backend did not reach Closed (%s)",
			     xenbus_state_name(dev->xb.otherend_state));
	}
	blkfront_queues_free(dev);
	blkfront_buffers_free(dev);
	return rc;
}
