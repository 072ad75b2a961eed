/* SPDX-License-Identifier: BSD-2-Clause */
/* A scripted blkfront for the block backend's tests: a machine with dom0,
 * xenstored and a guest whose grant table, ring pages and data pages the
 * test writes directly, as a guest would (or as a hostile one would: any
 * value anywhere). The image is a temporary file checked byte for byte.
 * Header-only: each test program includes it once. */
#ifndef TEST_BLKFRONT_FAKE_H
#define TEST_BLKFRONT_FAKE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/blkif.h>

#include "hv/blkback.h"
#include "hv/gnttab.h"
#include "hv/time.h"
#include "hv/xs.h"
#include "test_gnttab_util.h"

#define FK_DEVID      51712u                 /* xvda */
#define FK_FE         "/local/domain/1/device/vbd/51712"
#define FK_BE         "/local/domain/0/backend/vbd/1/51712"
#define FK_RING_PAGE  16u                    /* + 16 per queue */
#define FK_DATA_PAGE  128u                   /* data page k: gref 512+k */
#define FK_IND_PAGE   1024u                  /* indirect page k: 1536+k */
#define FK_RING_REF   8u                     /* + 16 * queue + page */
#define FK_DATA_REF   512u
#define FK_IND_REF    1536u
#define FK_IMAGE_BYTES (1u << 20)

struct fk_queue {
	uint8_t *ring;                       /* host view, contiguous */
	uint32_t nr_ents;
	RING_IDX req_prod_pvt, rsp_cons;
	evtchn_port_t port;                  /* the guest's end */
};

struct fake {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_blkback *bb;
	struct hv_blkback_config cfg;
	char image[64];
	unsigned nr_queues, order;
	struct fk_queue q[HV_BLKBACK_MAX_QUEUES];
	char err[512];
};

static inline uint8_t fk_pattern(uint64_t off)
{
	return (uint8_t)(off * 7 + (off >> 9) * 13 + 1);
}

/* A fresh image of FK_IMAGE_BYTES filled with fk_pattern at path (a
 * mkstemp template). 0 or -1. */
static inline int fk_image_create(char *path)
{
	static uint8_t buf[FK_IMAGE_BYTES];
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	for (uint64_t i = 0; i < sizeof(buf); i++)
		buf[i] = fk_pattern(i);
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A machine, dom0, xenstored and guest 1 with four grant frames mapped;
 * the backend's config aimed at image (NULL: a fresh one of its own). */
static inline int fk_machine_for(struct fake *f, const char *image)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_xs_domain_info info = { .domid = 1, .name = "guest",
					   .memory_kb = 16384, .vcpus = 1 };

	memset(f, 0, sizeof(*f));
	f->m = hv_machine_new(NULL, NULL);
	if (!f->m)
		return -1;
	f->m->log_level = HV_LOG_ERR;
	f->xs = hv_xs_new(NULL);
	if (!f->xs || hv_domain_create(f->m, &d0, &f->dom0) ||
	    hv_domain_create(f->m, &d1, &f->guest) ||
	    hv_xs_toolstack_create_domain(f->xs, &info))
		return -1;
	for (unsigned i = 0; i < 4; i++)
		if (ut_map_frame(f->guest, i))
			return -1;
	hv_blkback_features_default(&f->cfg.features);
	f->cfg.vdev = "xvda";
	f->cfg.virtual_device = FK_DEVID;
	if (image) {
		f->cfg.target = image;
		return 0;
	}
	snprintf(f->image, sizeof(f->image), "/tmp/xensim-blkback-XXXXXX");
	if (fk_image_create(f->image)) {
		f->image[0] = '\0';
		return -1;
	}
	f->cfg.target = f->image;
	return 0;
}

static inline int fk_machine(struct fake *f)
{
	return fk_machine_for(f, NULL);
}

/* The backend for f->cfg (after the test changed what it wanted). */
static inline int fk_backend(struct fake *f)
{
	return hv_blkback_create(f->m, f->xs, f->dom0, f->guest, &f->cfg,
				 &f->bb, f->err, sizeof(f->err));
}

static inline void fk_free(struct fake *f)
{
	hv_blkback_destroy(f->bb);
	f->bb = NULL;
	if (f->xs)
		hv_xs_free(f->xs);
	if (f->m)
		hv_machine_free(f->m);
	if (f->image[0])
		unlink(f->image);
	memset(f, 0, sizeof(*f));
}

static inline void fk_write(struct fake *f, const char *node, const char *v)
{
	char path[160];

	snprintf(path, sizeof(path), FK_FE "/%s", node);
	hv_xs_write_str(f->xs, path, v);
}

static inline void fk_writef(struct fake *f, const char *node, unsigned v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	fk_write(f, node, s);
}

/* <backend>/<node> as a string ("" when absent). */
static inline const char *fk_be_read(struct fake *f, const char *node)
{
	static char buf[256];
	char path[160];
	int n;

	snprintf(path, sizeof(path), FK_BE "/%s", node);
	n = hv_xs_read(f->xs, path, buf, sizeof(buf) - 1);
	buf[n > 0 && n < (int)sizeof(buf) ? n : 0] = '\0';
	return buf;
}

static inline enum xenbus_state fk_be_state(struct fake *f)
{
	return hv_blkback_device(f->bb)->xb.be_state;
}

/* Let dom0 and virtual time run until nothing more happens. */
static inline void fk_settle(struct fake *f)
{
	for (unsigned i = 0; i < 100000; i++) {
		bool did = hv_blkback_run(f->bb);
		uint64_t ns;

		if (hv_time_next_deadline(f->m, &ns)) {
			hv_time_advance_to(f->m, ns);
			continue;
		}
		if (!did)
			return;
	}
}

/* Grant page `page` of guest RAM as ref. */
static inline void fk_grant(struct fake *f, grant_ref_t ref, unsigned page,
			    bool readonly)
{
	ut_grant(f->guest, ref, 0, ut_ram_gfn(f->guest, page), readonly);
}

/* Share the rings and event channels (order < 0: single "ring-ref"),
 * write the frontend's nodes without switching state. */
static inline void fk_share_rings(struct fake *f, unsigned nr_queues,
				  int order)
{
	unsigned pages = order < 0 ? 1u : 1u << order;
	char node[48], prefix[24] = "";

	f->nr_queues = nr_queues;
	f->order = order < 0 ? 0 : (unsigned)order;
	if (order >= 0)
		fk_writef(f, "ring-page-order", (unsigned)order);
	if (nr_queues > 1)
		fk_writef(f, "multi-queue-num-queues", nr_queues);
	for (unsigned qi = 0; qi < nr_queues; qi++) {
		struct fk_queue *q = &f->q[qi];
		unsigned first = FK_RING_PAGE + 16 * qi;

		if (nr_queues > 1)
			snprintf(prefix, sizeof(prefix), "queue-%u/", qi);
		q->ring = ut_ram_page(f->guest, first);
		memset(q->ring, 0, pages * 4096);
		q->nr_ents = XEN_RING_SIZE(pages * 4096,
					   sizeof(union blkif_sring_entry));
		q->req_prod_pvt = q->rsp_cons = 0;
		((struct blkif_sring *)q->ring)->req_event = 1;
		((struct blkif_sring *)q->ring)->rsp_event = 1;
		for (unsigned p = 0; p < pages; p++) {
			grant_ref_t ref = FK_RING_REF + 16 * qi + p;

			fk_grant(f, ref, first + p, false);
			if (order < 0)
				snprintf(node, sizeof(node), "%sring-ref",
					 prefix);
			else
				snprintf(node, sizeof(node), "%sring-ref%u",
					 prefix, p);
			fk_writef(f, node, ref);
		}
		q->port = (evtchn_port_t)ut_alloc(f->guest, DOMID_SELF, 0);
		snprintf(node, sizeof(node), "%sevent-channel", prefix);
		fk_writef(f, node, q->port);
	}
	fk_write(f, "protocol", "arm-abi");
}

/* The whole handshake; whether the backend reached Connected. */
static inline bool fk_connect(struct fake *f, unsigned nr_queues, int order)
{
	fk_share_rings(f, nr_queues, order);
	fk_write(f, "state", "3");
	fk_settle(f);
	return fk_be_state(f) == XenbusStateConnected;
}

/* Slot idx of queue q's ring (the requests' and responses' union). */
static inline union blkif_sring_entry *fk_slot(struct fake *f, unsigned qi,
					       RING_IDX idx)
{
	struct fk_queue *q = &f->q[qi];

	return (union blkif_sring_entry *)(q->ring + 64) +
	       (idx & (q->nr_ents - 1));
}

/* Queue one raw request (any of the union's forms). */
static inline void fk_put(struct fake *f, unsigned qi, const void *req,
			  size_t len)
{
	struct fk_queue *q = &f->q[qi];
	union blkif_sring_entry *e = fk_slot(f, qi, q->req_prod_pvt++);

	memset(e, 0, sizeof(*e));
	memcpy(e, req, len);
}

/* Publish the queued requests and notify. */
static inline void fk_push(struct fake *f, unsigned qi)
{
	struct fk_queue *q = &f->q[qi];

	__atomic_store_n(&((struct blkif_sring *)q->ring)->req_prod,
			 q->req_prod_pvt, __ATOMIC_RELEASE);
	ut_send(f->guest, q->port);
}

/* A direct request over data pages first_page.. (granted here) with
 * whole pages unless the test patches the segments after. */
static inline struct blkif_request fk_rw(struct fake *f, uint8_t op,
					 uint64_t id, uint64_t sector,
					 unsigned nseg, unsigned first_page)
{
	struct blkif_request r;

	memset(&r, 0, sizeof(r));
	r.operation = op;
	r.nr_segments = (uint8_t)nseg;
	r.handle = (blkif_vdev_t)FK_DEVID;
	r.id = id;
	r.sector_number = sector;
	for (unsigned i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST;
	     i++) {
		r.seg[i].gref = FK_DATA_REF + first_page + i;
		r.seg[i].first_sect = 0;
		r.seg[i].last_sect = 7;
		fk_grant(f, FK_DATA_REF + first_page + i,
			 FK_DATA_PAGE + first_page + i, false);
	}
	return r;
}

static inline uint8_t *fk_data(struct fake *f, unsigned k)
{
	return ut_ram_page(f->guest, FK_DATA_PAGE + k);
}

/* Responses waiting on queue qi, up to max, consumed in ring order. */
static inline unsigned fk_responses(struct fake *f, unsigned qi,
				    struct blkif_response *rsp, unsigned max)
{
	struct fk_queue *q = &f->q[qi];
	RING_IDX prod = __atomic_load_n(&((struct blkif_sring *)q->ring)->
					rsp_prod, __ATOMIC_ACQUIRE);
	unsigned n = 0;

	while (q->rsp_cons != prod && n < max)
		rsp[n++] = fk_slot(f, qi, q->rsp_cons++)->rsp;
	((struct blkif_sring *)q->ring)->rsp_event = q->rsp_cons + 1;
	return n;
}

/* One request, run to completion: its single response's status. */
static inline int fk_one(struct fake *f, const void *req, size_t len)
{
	struct blkif_response rsp[4];

	fk_put(f, 0, req, len);
	fk_push(f, 0);
	fk_settle(f);
	if (fk_responses(f, 0, rsp, 4) != 1)
		return 99;
	return rsp[0].status;
}

/* The image's bytes now. */
static inline void fk_image(struct fake *f, void *buf, uint64_t off,
			    size_t len)
{
	int fd = open(f->image, O_RDONLY);

	if (fd < 0 || pread(fd, buf, len, (off_t)off) != (ssize_t)len)
		memset(buf, 0xEE, len);
	if (fd >= 0)
		close(fd);
}

/* Whether the image still holds the pattern over [off, off + len). */
static inline bool fk_image_untouched(struct fake *f, uint64_t off,
				      uint64_t len)
{
	static uint8_t buf[FK_IMAGE_BYTES];

	fk_image(f, buf, off, len);
	for (uint64_t i = 0; i < len; i++)
		if (buf[i] != fk_pattern(off + i))
			return false;
	return true;
}

#endif
