/* SPDX-License-Identifier: BSD-2-Clause */
/* The block backend's device: its image, the features it offers and the
 * nodes the toolstack and the backend write before the frontend looks
 * (see hv/blkback.h). The negotiation is in blkback_xenbus.c, requests in
 * blkback_ring.c, file I/O in blkback_io.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <xen/errno.h>

#include "blkback_internal.h"
#include "hv/log.h"
#include "hv/machine.h"

void hv_blkback_features_default(struct hv_blkback_features *f)
{
	memset(f, 0, sizeof(*f));
	f->flush = true;
	f->barrier = true;
	f->discard = true;
	f->discard_secure = true;
	f->persistent = true;
	f->max_indirect_segments = HV_BLKBACK_MAX_INDIRECT_SEGS;
	f->sector_size = 512;
	f->max_ring_page_order = HV_BLKBACK_MAX_RING_PAGE_ORDER;
	f->max_queues = HV_BLKBACK_MAX_QUEUES;
}

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A whole decimal number in [min, max]. */
static bool number_in(const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool sector_size_ok(unsigned v)
{
	return v == 512 || v == 4096;
}

/* One option of the list; false when it is unknown or its value bad. */
static bool apply_option(const char *opt, struct hv_blkback_features *f,
			 char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} flags[] = {
		{ "no-flush", offsetof(struct hv_blkback_features, flush) },
		{ "no-barrier", offsetof(struct hv_blkback_features, barrier) },
		{ "no-discard", offsetof(struct hv_blkback_features, discard) },
		{ "no-discard-secure",
		  offsetof(struct hv_blkback_features, discard_secure) },
		{ "no-persistent",
		  offsetof(struct hv_blkback_features, persistent) },
	};
	const char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *val = eq ? eq + 1 : NULL;
	unsigned v;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!val && !strcmp(opt, flags[i].name)) {
			*(bool *)((char *)f + flags[i].off) = false;
			return true;
		}
	if (!val && !strcmp(opt, "no-indirect")) {
		f->max_indirect_segments = 0;
		return true;
	}
#define KEY(k) (klen == strlen(k) && !strncmp(opt, k, klen))
	if (val && (KEY("sector-size") || KEY("physical-sector-size"))) {
		if (!number_in(val, 512, 4096, &v) || !sector_size_ok(v)) {
			say(err, errlen, "--blkback: %.*s must be 512 or 4096, "
			    "not \"%s\"", (int)klen, opt, val);
			return false;
		}
		if (KEY("sector-size"))
			f->sector_size = v;
		else
			f->physical_sector_size = v;
		return true;
	}
	if (val && KEY("max-ring-page-order")) {
		if (!number_in(val, 0, HV_BLKBACK_MAX_RING_PAGE_ORDER, &v)) {
			say(err, errlen, "--blkback: max-ring-page-order must "
			    "be 0 to %u, not \"%s\"",
			    HV_BLKBACK_MAX_RING_PAGE_ORDER, val);
			return false;
		}
		f->max_ring_page_order = v;
		return true;
	}
	if (val && KEY("max-queues")) {
		if (!number_in(val, 1, HV_BLKBACK_MAX_QUEUES, &v)) {
			say(err, errlen, "--blkback: max-queues must be 1 to "
			    "%u, not \"%s\"", HV_BLKBACK_MAX_QUEUES, val);
			return false;
		}
		f->max_queues = v;
		return true;
	}
	if (val && KEY("max-indirect-segments")) {
		/* At most 11 would be no more than a direct request. */
		if (!number_in(val, 0, HV_BLKBACK_MAX_INDIRECT_SEGS, &v) ||
		    (v && v <= BLKIF_MAX_SEGMENTS_PER_REQUEST)) {
			say(err, errlen, "--blkback: max-indirect-segments must "
			    "be 0 or 12 to %u, not \"%s\"",
			    HV_BLKBACK_MAX_INDIRECT_SEGS, val);
			return false;
		}
		f->max_indirect_segments = v;
		return true;
	}
#undef KEY
	say(err, errlen, "--blkback: unknown option \"%s\" (known: no-flush, "
	    "no-barrier, no-discard, no-discard-secure, no-persistent, "
	    "no-indirect, sector-size=, physical-sector-size=, "
	    "max-ring-page-order=, max-queues=, max-indirect-segments=)", opt);
	return false;
}

int hv_blkback_features_parse(const char *opts, struct hv_blkback_features *f,
			      char *err, size_t errlen)
{
	char opt[64];
	const char *p = opts;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof(opt)) {
			say(err, errlen, "--blkback: %s option in \"%s\"",
			    n ? "overlong" : "empty", opts);
			return -1;
		}
		memcpy(opt, p, n);
		opt[n] = '\0';
		if (!apply_option(opt, f, err, errlen))
			return -1;
		p += n;
		if (*p == ',' && !*++p) {
			say(err, errlen, "--blkback: empty option in \"%s\"",
			    opts);
			return -1;
		}
	}
	if (f->physical_sector_size && f->physical_sector_size <
	    f->sector_size) {
		say(err, errlen, "--blkback: physical-sector-size %u is below "
		    "sector-size %u", f->physical_sector_size, f->sector_size);
		return -1;
	}
	return 0;
}

int hv_blkback_check_image(const char *target, bool readonly,
			   unsigned sector_size, uint64_t *bytes, char *err,
			   size_t errlen)
{
	struct stat sb;

	if (!target || !*target) {
		say(err, errlen, "disk has no target image (an empty cdrom "
		    "drive is not supported)");
		return -XEN_EINVAL;
	}
	if (stat(target, &sb)) {
		say(err, errlen, "disk image %s: %s", target, strerror(errno));
		return -XEN_ENOENT;
	}
	if (!S_ISREG(sb.st_mode)) {
		say(err, errlen, "disk image %s is not a regular file", target);
		return -XEN_EINVAL;
	}
	if (access(target, readonly ? R_OK : R_OK | W_OK)) {
		say(err, errlen, "disk image %s is not %s: %s", target,
		    readonly ? "readable" : "readable and writable (give "
		    "access=ro for a read-only disk)", strerror(errno));
		return -XEN_EACCES;
	}
	if (sb.st_size == 0 || (uint64_t)sb.st_size % sector_size) {
		say(err, errlen, "disk image %s: size %lld is not a whole, "
		    "non-zero number of %u-byte sectors", target,
		    (long long)sb.st_size, sector_size);
		return -XEN_EINVAL;
	}
	*bytes = (uint64_t)sb.st_size;
	return 0;
}

bool bb_offers_flush(const struct hv_blkback *bb)
{
	return bb->f.flush && !bb->readonly;
}

bool bb_offers_barrier(const struct hv_blkback *bb)
{
	return bb->f.barrier && !bb->readonly;
}

bool bb_offers_discard(const struct hv_blkback *bb)
{
	return bb->f.discard && !bb->readonly;
}

bool bb_offers_indirect(const struct hv_blkback *bb)
{
	return bb->f.max_indirect_segments > 0;
}

static int open_image(struct hv_blkback *bb, char *err, size_t errlen)
{
	int rc = hv_blkback_check_image(bb->target, bb->readonly,
					bb->f.sector_size, &bb->bytes, err,
					errlen);

	if (rc)
		return rc;
	bb->fd = open(bb->target, (bb->readonly ? O_RDONLY : O_RDWR) |
		      O_CLOEXEC);
	if (bb->fd < 0) {
		say(err, errlen, "disk image %s: %s", bb->target,
		    strerror(errno));
		return -XEN_EACCES;
	}
	return 0;
}

/* libxl's wait for Closed ran out: it removes the device regardless. */
static void remove_timeout(struct hv_timer *t, void *ctx)
{
	struct hv_blkback *bb = ctx;

	(void)t;
	bb->remove_due = true;
	hv_log(bb->m, HV_LOG_INFO, "(d%u) vbd %u: no Closed from the backend "
	       "after %llu s: removed regardless", bb->guest->domid, bb->devid,
	       HV_BLKBACK_REMOVE_TIMEOUT_NS / 1000000000ull);
}

int hv_blkback_create(struct hv_machine *m, struct hv_xs *xs,
		      struct hv_domain *dom0, struct hv_domain *guest,
		      const struct hv_blkback_config *cfg,
		      struct hv_blkback **out, char *err, size_t errlen)
{
	struct hv_blkback *bb = calloc(1, sizeof(*bb));
	int rc;

	*out = NULL;
	if (!bb) {
		say(err, errlen, "out of memory");
		return -XEN_ENOMEM;
	}
	bb->fd = -1;
	bb->m = m;
	bb->dom0 = dom0;
	bb->guest = guest;
	bb->f = cfg->features;
	bb->readonly = cfg->readonly || cfg->cdrom;
	bb->cdrom = cfg->cdrom;
	bb->devid = cfg->virtual_device;
	bb->seed = bb->rng = cfg->seed;
	bb->inline_io = cfg->inline_io;
	bb->audit = cfg->audit;
	hv_timer_init(&bb->remove_timer, remove_timeout, bb);
	snprintf(bb->vdev, sizeof(bb->vdev), "%s", cfg->vdev ? cfg->vdev : "");
	snprintf(bb->type, sizeof(bb->type), "%s",
		 cfg->backend_type ? cfg->backend_type : "phy");
	if (!cfg->target || strlen(cfg->target) >= sizeof(bb->target)) {
		say(err, errlen, "disk image path missing or too long");
		free(bb);
		return -XEN_EINVAL;
	}
	strcpy(bb->target, cfg->target);
	if (!sector_size_ok(bb->f.sector_size) ||
	    bb->f.max_queues < 1 || bb->f.max_queues > HV_BLKBACK_MAX_QUEUES ||
	    bb->f.max_ring_page_order > HV_BLKBACK_MAX_RING_PAGE_ORDER ||
	    bb->f.max_indirect_segments > HV_BLKBACK_MAX_INDIRECT_SEGS) {
		say(err, errlen, "bad block backend features");
		free(bb);
		return -XEN_EINVAL;
	}
	rc = open_image(bb, err, errlen);
	if (!rc)
		rc = bb_io_init(bb);
	if (!rc) {
		rc = hv_xenbus_device_create(&bb->dev, xs, m, guest->domid,
					     HV_BLKBACK_TYPE, bb->devid,
					     &bb_xenbus_ops, bb);
		if (rc)
			say(err, errlen, "cannot create vbd %u in xenstore: %d",
			    bb->devid, rc);
	}
	if (rc) {
		hv_blkback_destroy(bb);
		return rc;
	}
	*out = bb;
	return 0;
}

bool hv_blkback_run(struct hv_blkback *bb)
{
	bool did = hv_xenbus_device_run(&bb->dev);

	did |= bb_fault_run(bb);
	did |= bb_io_poll(bb);
	for (unsigned i = 0; i < bb->nr_queues; i++) {
		struct bb_queue *q = &bb->q[i];

		if (!q->kicked)
			continue;
		q->kicked = false;
		did |= bb_ring_take(q);
	}
	return did;
}

void hv_blkback_destroy(struct hv_blkback *bb)
{
	if (!bb)
		return;
	/* Whatever is still in flight ends with the device, unanswered. */
	bb->drop_in_flight = true;
	hv_timer_cancel(bb->m, &bb->remove_timer);
	hv_xenbus_device_destroy(&bb->dev);
	bb_io_fini(bb);
	if (bb->fd >= 0)
		close(bb->fd);
	free(bb);
}

unsigned hv_blkback_detach(struct hv_blkback *bb)
{
	struct hv_xenbus_backend *xb = &bb->dev.xb;
	enum xenbus_state fe = hv_xenbus_frontend_state(xb);

	if (bb->dev.removing)
		return bb->st.in_flight;
	bb->dev.removing = true;
	/* libxl's order: online first, then the state, both in the backend
	 * directory; the backend itself has not moved yet. */
	hv_xenbus_backend_printf(xb, "online", "0");
	hv_xenbus_backend_switch_state(xb, XenbusStateClosing);
	/* A frontend that is not connected never moves the backend: libxl
	 * gives up waiting for Closed after its timeout. */
	if (fe != XenbusStateInitialised && fe != XenbusStateConnected &&
	    fe != XenbusStateClosing)
		hv_timer_arm(bb->m, &bb->remove_timer, hv_time_now(bb->m) +
			     HV_BLKBACK_REMOVE_TIMEOUT_NS);
	hv_log(bb->m, HV_LOG_INFO, "(d%u) vbd %u: detach with %u request(s) "
	       "in flight, frontend %u", bb->guest->domid, bb->devid,
	       bb->st.in_flight, (unsigned)fe);
	return bb->st.in_flight;
}

bool hv_blkback_removed(const struct hv_blkback *bb)
{
	return bb->dev.removing &&
	       (bb->remove_due || bb->dev.xb.be_state == XenbusStateClosed);
}

uint32_t hv_blkback_devid(const struct hv_blkback *bb)
{
	return bb->devid;
}

const char *hv_blkback_vdev(const struct hv_blkback *bb)
{
	return bb->vdev;
}

void hv_blkback_get_stats(const struct hv_blkback *bb,
			  struct hv_blkback_stats *st)
{
	*st = bb->st;
	st->nr_queues = bb->nr_queues;
	st->ring_page_order = bb->ring_order;
	st->persistent = bb->persistent;
	st->persistent_grants = 0;
	for (unsigned i = 0; i < bb->nr_queues; i++)
		st->persistent_grants += bb->q[i].nr_pgrants;
}

void hv_blkback_describe(const struct hv_blkback *bb, char *buf, size_t len)
{
	size_t at;

	at = (size_t)snprintf(buf, len, "vbd %u: backend state %u, frontend "
			      "state %u, %u request(s) in flight",
			      bb->devid, bb->dev.xb.be_state,
			      bb->dev.xb.fe_state, bb->st.in_flight);
	for (unsigned i = 0; i < bb->nr_queues && at < len; i++) {
		const struct bb_queue *q = &bb->q[i];
		const RING_IDX *hdr = q->nr_mapped ? q->ring[0].page : NULL;

		at += (size_t)snprintf(buf + at, len - at, "; queue %u: "
				       "req_prod %u req_cons %u rsp_prod %u "
				       "rsp_event %u%s", i,
				       hdr ? __atomic_load_n(&hdr[0],
							     __ATOMIC_RELAXED) : 0,
				       q->req_cons, q->rsp_prod_pvt,
				       hdr ? __atomic_load_n(&hdr[3],
							     __ATOMIC_RELAXED) : 0,
				       q->broken ? " (broken)" : "");
	}
}

struct hv_xenbus_device *hv_blkback_device(struct hv_blkback *bb)
{
	return &bb->dev;
}
