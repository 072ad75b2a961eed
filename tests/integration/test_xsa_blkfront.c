/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE           /* REG_ERR, REG_EFL: the fault's details */
/* One regression test per class of Xen Security Advisory that concerns a
 * frontend, against the guest's blkfront running natively with a
 * scripted backend in dom0 (tests/lib/blk_world.h). Each test plays the
 * malicious or slow backend of its advisory and expects a clear error or
 * recovery, memory that stays bounded and comes back, and no crash. The
 * network advisories (155 on both net rings, XSA-392's netback side, 423,
 * 432, 448) are in test_xsa_net.c; xenstored's (115, 326, 349) in
 * test_xsa_xenstored.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/io/blkif.h>
#include <xen/version.h>

#include "../../guest/dev/blkfront.h"   /* the spurious-event counter */
#include "blk_world.h"
#include "gxen/blk.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "kern/page.h"
#include "ring_watch.h"

#define DISK (1024u * 1024)
#define CANARY 0x5afec0de5afec0deull

static struct blk_world w;
static unsigned char buf[64 * 1024];

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static struct blk_dev *open_with(const char *const *keys)
{
	struct blk_dev *dev = NULL;

	assert_int_equal(blk_world_start_with(&w, DISK, keys, drop_line, NULL),
			 0);
	assert_int_equal(blk_open(0, &dev), 0);
	return dev;
}

static int teardown(void **state)
{
	(void)state;
	return blk_world_stop(&w) ? 0 : -1;
}

static struct blkfront *front_of(struct blk_dev *dev)
{
	return (struct blkfront *)dev;    /* blk_dev's only member */
}

static size_t grants_in_use(void)
{
	return (size_t)gnttab_nr_frames() * (4096 / sizeof(grant_entry_v1_t)) -
	       gnttab_free_count();
}

/* A hypercall: dom0 gets a turn (and rewrites what the test says). */
static void give_dom0_a_turn(void)
{
	HYPERVISOR_xen_version(XENVER_version, NULL);
}

/* ---- XSA-155: each response is read once ---- */

/* Once the frontend completed a request, it has copied its response:
 * dom0 then overwrites that response slot with values that would break
 * the device, as a backend racing a second read would, and takes a turn.
 * A frontend that looked at the slot again would see them. */
static void poison_own_response(struct blk_request *req, void *arg)
{
	struct blk_world_queue *queue = &w.queue[req->queue];
	RING_IDX prod = queue->ring.sring->rsp_prod;

	(*(unsigned *)arg)++;
	for (RING_IDX i = prod - 1; i != prod - 1 - queue->ring.nr_ents; i--) {
		struct blkif_response *rsp = XEN_RING_RSP(&queue->ring, i);

		if (rsp->id == req->id && rsp->operation != 0xff) {
			rsp->id = 0xdeadbeefdeadbeefull;
			rsp->operation = 0xff;
			rsp->status = 7;
			break;
		}
	}
	give_dom0_a_turn();
}

static void test_xsa155_a_response_rewritten_after_its_copy_is_ignored(
	void **state)
{
	struct blk_dev *dev = open_with(NULL);
	struct blk_request req[8];
	unsigned done = 0;

	(void)state;
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 8; i++) {
			req[i] = (struct blk_request){
				.op = i & 1 ? BLK_WRITE : BLK_READ,
				.sector = i * 8, .count = 8,
				.buf = buf + i * 4096,
				.done = poison_own_response, .arg = &done };
			assert_int_equal(blk_submit(dev, &req[i]), 0);
		}
		assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
		for (unsigned i = 0; i < 8; i++)
			assert_int_equal(req[i].status, 0);
	}
	assert_int_equal(done, 32);
	assert_false(blk_broken(dev));
	assert_int_equal(blk_close(dev), 0);
}

/* The same, counted (ring_watch.h): each response slot may be read
 * once. */
static void test_xsa155_each_response_slot_is_read_once(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	struct blk_world_queue *queue = &w.queue[0];
	unsigned char *slots = (unsigned char *)queue->ring.sring->ring;
	const size_t slot = sizeof(union blkif_sring_entry);
	struct blk_request req[8];
	unsigned reads[8];
	union blkif_sring_entry taken[8];

	(void)state;
	w.manual = true;
	for (unsigned i = 0; i < 8; i++) {
		req[i] = (struct blk_request){ .op = BLK_READ, .sector = i,
					       .count = 1, .buf = buf };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	/* dom0 takes all eight, answers them out of order, publishes. */
	for (unsigned i = 0; i < 8; i++)
		memcpy(&taken[i], XEN_RING_REQ(&queue->ring, i),
		       sizeof(taken[i]));
	for (unsigned i = 0; i < 8; i++) {
		struct blkif_response *rsp = XEN_RING_RSP(&queue->ring, i);

		memset(rsp, 0, sizeof(*rsp));
		rsp->id = taken[7 - i].req.id;
		rsp->operation = taken[7 - i].req.operation;
	}
	queue->ring.sring->rsp_prod = 8;
	assert_int_equal(ring_watch_start(queue->ring.sring, 4 * 4096), 0);
	assert_int_equal(blk_poll(dev), 8);
	ring_watch_stop();
	ring_watch_count_reads(slots, slot, 8, reads);
	for (unsigned s = 0; s < 8; s++) {
		if (reads[s] != 1)
			print_message("  slot %u read %u times\n", s, reads[s]);
		assert_int_equal(reads[s], 1);
	}
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(req[i].status, 0);
	w.manual = false;
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-216: nothing but the request's fields reaches the ring ---- */

static void poison_ring(void)
{
	struct blk_world_queue *queue = &w.queue[0];

	for (RING_IDX i = 0; i < queue->ring.nr_ents; i++)
		memset(XEN_RING_REQ(&queue->ring, i), 0xa5,
		       sizeof(union blkif_sring_entry));
}

/* The slot as dom0 sees it, against a zeroed copy holding only the
 * fields the frontend means to send. */
static void assert_only_fields(RING_IDX idx)
{
	const union blkif_sring_entry *e =
		(const void *)XEN_RING_REQ(&w.queue[0].ring, idx);
	union blkif_sring_entry want;

	memset(&want, 0, sizeof(want));
	switch (e->req.operation) {
	case BLKIF_OP_INDIRECT: {
		const struct blkif_request_indirect *in = (const void *)e;
		struct blkif_request_indirect *out = (void *)&want;

		out->operation = in->operation;
		out->indirect_op = in->indirect_op;
		out->nr_segments = in->nr_segments;
		out->id = in->id;
		out->sector_number = in->sector_number;
		out->handle = in->handle;
		memcpy(out->indirect_grefs, in->indirect_grefs,
		       sizeof(grant_ref_t) *
		       ((in->nr_segments + 511u) / 512u));
		break;
	}
	case BLKIF_OP_DISCARD: {
		const struct blkif_request_discard *in = (const void *)e;
		struct blkif_request_discard *out = (void *)&want;

		out->operation = in->operation;
		out->flag = in->flag;
		out->handle = in->handle;
		out->id = in->id;
		out->sector_number = in->sector_number;
		out->nr_sectors = in->nr_sectors;
		break;
	}
	default:
		want.req.operation = e->req.operation;
		want.req.nr_segments = e->req.nr_segments;
		want.req.handle = e->req.handle;
		want.req.id = e->req.id;
		want.req.sector_number = e->req.sector_number;
		for (unsigned s = 0; s < e->req.nr_segments &&
				     s < BLKIF_MAX_SEGMENTS_PER_REQUEST; s++) {
			want.req.seg[s].gref = e->req.seg[s].gref;
			want.req.seg[s].first_sect = e->req.seg[s].first_sect;
			want.req.seg[s].last_sect = e->req.seg[s].last_sect;
		}
		break;
	}
	assert_memory_equal(e, &want, sizeof(want));
}

static void test_xsa216_request_slots_carry_no_stale_bytes(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	struct blk_request req[] = {
		{ .op = BLK_READ, .sector = 0, .count = 3, .buf = buf },
		{ .op = BLK_WRITE, .sector = 8, .count = 128, .buf = buf },
		{ .op = BLK_FLUSH },
		{ .op = BLK_DISCARD, .sector = 256, .count = 16 },
		{ .op = BLK_WRITE, .sector = 512, .count = 1, .buf = buf },
	};
	const unsigned n = sizeof(req) / sizeof(req[0]);

	(void)state;
	w.manual = true;
	poison_ring();
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	for (RING_IDX i = 0; i < n; i++)
		assert_only_fields(i);
	w.manual = false;
	assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-331: events while the device closes ---- */

static void events_on_every_port(struct blk_world *world)
{
	for (unsigned q = 0; q < world->nr_queues; q++)
		if (world->queue[q].port)
			hv_evtchn_send_from(world->dom0, world->queue[q].port);
}

static void test_xsa331_events_during_close_reach_no_freed_queue(
	void **state)
{
	static const char *const keys[] = { "multi-queue-max-queues", "2",
					    NULL };
	struct blk_dev *dev;
	size_t pages, grants;

	(void)state;
	assert_int_equal(blk_world_start_with(&w, DISK, keys, drop_line, NULL),
			 0);
	pages = page_free_count();
	grants = grants_in_use();
	for (unsigned round = 0; round < 3; round++) {
		assert_int_equal(blk_open(0, &dev), 0);
		assert_int_equal(blk_read(dev, 0, 8, buf), 0);
		w.on_turn = events_on_every_port;
		assert_int_equal(blk_close(dev), 0);
		/* ...and after: the ports are gone, the handlers with them. */
		for (unsigned i = 0; i < 100; i++)
			give_dom0_a_turn();
		w.on_turn = NULL;
		assert_int_equal(page_free_count(), pages);
		assert_int_equal(grants_in_use(), grants);
	}
}

/* ---- XSA-332 / XSA-391: an event storm without responses ---- */

static void test_xsa391_event_storm_is_counted_and_io_goes_on(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	struct blkfront *front = front_of(dev);
	struct blk_request req = { .op = BLK_READ, .count = 8, .buf = buf };
	unsigned spurious;

	(void)state;
	w.manual = true;
	assert_int_equal(blk_submit(dev, &req), 0);
	for (unsigned i = 0; i < 10000; i++) {
		hv_evtchn_send_from(w.dom0, w.queue[0].port);
		give_dom0_a_turn();         /* the upcall runs */
		if (i % 10 == 9)
			assert_int_equal(blk_poll(dev), 0);
	}
	spurious = front->queue[0].spurious;
	assert_int_equal(spurious, 1000);
	assert_false(req.completed);
	assert_false(blk_broken(dev));
	/* The backend answers at last: the request completes. */
	w.manual = false;
	assert_int_equal(blk_wait(dev, &req, BLK_TIMEOUT_NS), 0);
	assert_int_equal(blk_read(dev, 8, 8, buf), 0);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-350: Connected and Closed in quick succession ---- */

static unsigned flips;

static void flip_state(struct blk_world *world)
{
	if (!flips)
		return;
	flips--;
	hv_xenbus_backend_switch_state(&world->xb, flips & 1 ?
				       XenbusStateConnected :
				       XenbusStateClosed);
}

static void test_xsa350_fast_connected_closed_flips_leak_nothing(
	void **state)
{
	struct blk_dev *dev;
	size_t pages, grants;

	(void)state;
	assert_int_equal(blk_world_start_with(&w, DISK, NULL, drop_line, NULL),
			 0);
	pages = page_free_count();
	grants = grants_in_use();
	for (unsigned len = 1; len < 60; len += 7) {
		int rc;

		flips = len;
		w.on_turn = flip_state;
		rc = blk_open(0, &dev);
		if (rc == 0) {
			blk_read(dev, 0, 1, buf);
			blk_close(dev);
		}
		w.on_turn = NULL;
		/* The backend settles; everything the guest took is back. */
		hv_xenbus_backend_switch_state(&w.xb, XenbusStateClosed);
		hv_xenbus_backend_switch_state(&w.xb, XenbusStateInitWait);
		for (unsigned i = 0; i < 10; i++)
			give_dom0_a_turn();
		assert_int_equal(page_free_count(), pages);
		assert_int_equal(grants_in_use(), grants);
	}
	/* And the device still works with a backend that behaves. */
	assert_int_equal(blk_open(0, &dev), 0);
	assert_int_equal(blk_read(dev, 0, 8, buf), 0);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-392: a backend that never consumes ---- */

static void test_xsa392_unanswered_requests_stay_bounded(void **state)
{
	static const char *const keys[] = { "multi-queue-max-queues", "2",
					    NULL };
	static struct blk_request req[200];
	struct blk_dev *dev = open_with(keys);
	unsigned accepted = 0;
	size_t pages = page_free_count();

	(void)state;
	w.manual = true;
	for (unsigned i = 0; i < 200; i++) {
		req[i] = (struct blk_request){ .op = BLK_WRITE, .sector = i,
					       .count = 1, .buf = buf };
		if (blk_submit(dev, &req[i]) == 0)
			accepted++;
		else
			assert_int_equal(blk_submit(dev, &req[i]), -XEN_EBUSY);
	}
	/* Two queues of 32: no more in flight, and nothing allocated. */
	assert_int_equal(accepted, 64);
	assert_int_equal(blk_in_flight(dev), 64);
	assert_int_equal(page_free_count(), pages);
	/* The caller's timeout ends it: every request fails, none hangs. */
	assert_int_equal(blk_drain(dev, 1000000), -XEN_ETIMEDOUT);
	assert_true(blk_broken(dev));
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(req[i].status, -XEN_EIO);
	assert_int_equal(blk_in_flight(dev), 0);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-396: a grant ended while the backend still maps it ---- */

static void test_xsa396_ring_still_mapped_at_close_is_not_reused(
	void **state)
{
	struct blk_dev *dev;
	unsigned long refs[4];
	size_t pages, grants;
	char v[32];

	(void)state;
	assert_int_equal(blk_world_start_with(&w, DISK, NULL, drop_line, NULL),
			 0);
	pages = page_free_count();
	grants = grants_in_use();
	assert_int_equal(blk_open(0, &dev), 0);
	assert_int_equal(blk_read(dev, 0, 8, buf), 0);
	for (unsigned i = 0; i < 4; i++) {
		char node[16];

		snprintf(node, sizeof(node), "ring-ref%u", i);
		assert_true(blk_world_read_fe(&w, node, v, sizeof(v)) > 0);
		refs[i] = strtoul(v, NULL, 10);
	}
	w.keep_maps = true;
	assert_int_equal(blk_close(dev), 0);
	/* The four ring pages stay granted and out of the allocator;
	 * everything else came back. */
	for (unsigned i = 0; i < 4; i++)
		assert_true(gnttab_in_use((grant_ref_t)refs[i]));
	assert_int_equal(grants_in_use(), grants + 4);
	assert_int_equal(page_free_count(), pages - 4);
	/* Nothing new lands on them: a fresh device uses other pages. */
	w.keep_maps = false;
	assert_int_equal(blk_open(0, &dev), 0);
	assert_int_equal(blk_read(dev, 0, 8, buf), 0);
	assert_int_equal(blk_close(dev), 0);
	assert_int_equal(grants_in_use(), grants + 4);
}

/* ---- XSA-403: granted pages hold no stale guest data ---- */

/* Fill every free page with the canary, as secrets a guest left behind:
 * take all of them (in big runs first), fill, give them back. */
static void canary_free_memory(void)
{
	static struct { void *p; size_t n; } held[4096];
	size_t got = 0;

	for (size_t run = 1024; run; run /= 2) {
		void *p;

		while (got < 4096 && (p = page_alloc(run)) != NULL) {
			uint64_t *words = p;

			for (size_t i = 0; i < run * 512; i++)
				words[i] = CANARY;
			held[got].p = p;
			held[got++].n = run;
		}
	}
	assert_int_equal(page_free_count(), 0);
	while (got) {
		got--;
		page_free(held[got].p, held[got].n);
	}
}

/* Every page the guest grants dom0, mapped as dom0 maps it, holds only
 * what was meant for dom0: no canary word. */
static unsigned scan_granted_pages(void)
{
	unsigned refs = gnttab_nr_frames() * (4096 / sizeof(grant_entry_v1_t));
	unsigned scanned = 0;

	for (grant_ref_t ref = 8; ref < refs; ref++) {
		const struct grant_entry_v1 *e = gnttab_entry(ref);
		struct hv_gnttab_mapping map;

		if (!e || !(e->flags & GTF_permit_access) || e->domid != 0)
			continue;
		assert_int_equal(hv_gnttab_map_ref(w.dom0, 1, ref, true, &map),
				 GNTST_okay);
		for (unsigned i = 0; i < 512; i++)
			assert_true(((const uint64_t *)map.page)[i] != CANARY);
		hv_gnttab_unmap(w.dom0, map.handle);
		scanned++;
	}
	return scanned;
}

static void test_xsa403_granted_pages_hold_no_stale_data(void **state)
{
	static const char *const keys[] = { "multi-queue-max-queues", "2",
					    NULL };
	struct blk_dev *dev;

	(void)state;
	assert_int_equal(blk_world_start_with(&w, DISK, keys, drop_line, NULL),
			 0);
	canary_free_memory();
	assert_int_equal(blk_open(0, &dev), 0);
	memset(buf, 0x11, 512);
	assert_int_equal(blk_write(dev, 0, 1, buf), 0);
	assert_int_equal(blk_read(dev, 0, 3, buf), 0);
	/* Rings, bounce pages, indirect pages: 2 x (4 + 32 x (16 + 1)). */
	assert_int_equal(scan_granted_pages(), 2 * (4 + 32 * 17));
	assert_int_equal(blk_close(dev), 0);
}

/* ---- XSA-405: error paths free nothing twice, touch nothing freed ---- */

static void free_request(struct blk_request *req, void *arg)
{
	(void)arg;
	free(req);       /* ASan sees any later touch */
}

static void submit_heap_requests(struct blk_dev *dev, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct blk_request *req = calloc(1, sizeof(*req));

		assert_non_null(req);
		*req = (struct blk_request){ .op = i & 1 ? BLK_WRITE : BLK_READ,
					     .sector = i, .count = 1,
					     .buf = buf, .done = free_request };
		assert_int_equal(blk_submit(dev, req), 0);
	}
}

static void test_xsa405_errors_complete_each_request_once(void **state)
{
	static const enum blk_world_mode modes[] = {
		BW_BAD_ID, BW_DUPLICATE_ID, BW_ID_NOT_PENDING, BW_WRONG_OP,
		BW_UNKNOWN_STATUS, BW_RSP_PROD_OVERFLOW,
	};
	static const char *const keys[] = { "feature-flush-cache", "1", NULL };

	(void)state;
	for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct blk_dev *dev = open_with(keys);

		w.mode = modes[m];
		w.after = 3;
		submit_heap_requests(dev, 12);
		assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), -XEN_EIO);
		assert_true(blk_broken(dev));
		assert_int_equal(blk_in_flight(dev), 0);
		assert_int_equal(blk_close(dev), 0);
		assert_true(blk_world_stop(&w));
	}
	/* Errors the protocol allows: each request fails once. */
	{
		struct blk_dev *dev = open_with(keys);
		struct blk_request *req = calloc(1, sizeof(*req));

		w.flush_error = true;
		*req = (struct blk_request){ .op = BLK_FLUSH,
					     .done = free_request };
		assert_int_equal(blk_submit(dev, req), 0);
		submit_heap_requests(dev, 4);
		assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
		assert_false(blk_broken(dev));
		assert_int_equal(blk_close(dev), 0);
	}
}

/* ---- the worst value of each checked response field ---- */

struct worst {
	const char *field;
	uint64_t id;                 /* UINT64_MAX - 1: echo the request's */
	int op;                      /* -1: echo */
	int32_t status;
	int32_t prod_skew;           /* added to rsp_prod */
};

#define ECHO_ID (UINT64_MAX - 1)

static const struct worst worst[] = {
	{ "id = UINT64_MAX", UINT64_MAX, -1, 0, 0 },
	{ "id = 1 << 63", 1ull << 63, -1, 0, 0 },
	{ "id = depth", 32, -1, 0, 0 },
	{ "id = 2^32", 1ull << 32, -1, 0, 0 },
	{ "operation = 255", ECHO_ID, 255, 0, 0 },
	{ "operation = indirect", ECHO_ID, BLKIF_OP_INDIRECT, 0, 0 },
	{ "status = INT16_MIN", ECHO_ID, -1, INT16_MIN, 0 },
	{ "status = INT16_MAX", ECHO_ID, -1, INT16_MAX, 0 },
	{ "status = 1", ECHO_ID, -1, 1, 0 },
	{ "rsp_prod = +2^31", ECHO_ID, -1, 0, INT32_MAX },
	{ "rsp_prod = -1", ECHO_ID, -1, 0, -2 },
	{ "rsp_prod = +nr_ents", ECHO_ID, -1, 0, 128 },
};

static void answer_worst(const struct worst *wv)
{
	struct blk_world_queue *queue = &w.queue[0];
	union blkif_sring_entry e;
	struct blkif_response *rsp;

	memcpy(&e, XEN_RING_REQ(&queue->ring, 0), sizeof(e));
	queue->ring.req_cons = 1;
	rsp = XEN_RING_RSP(&queue->ring, 0);
	memset(rsp, 0, sizeof(*rsp));
	rsp->id = wv->id == ECHO_ID ? e.req.id : wv->id;
	rsp->operation = (uint8_t)(wv->op < 0 ? e.req.operation : wv->op);
	rsp->status = (int16_t)wv->status;
	queue->ring.sring->rsp_prod = 1 + (RING_IDX)wv->prod_skew;
	hv_evtchn_send_from(w.dom0, queue->port);
}

static void test_worst_value_of_each_response_field_breaks_cleanly(
	void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(worst) / sizeof(worst[0]); i++) {
		struct blk_dev *dev = open_with(NULL);
		struct blk_request req = { .op = BLK_READ, .count = 8,
					   .buf = buf };

		print_message("  %s\n", worst[i].field);
		w.manual = true;
		assert_int_equal(blk_submit(dev, &req), 0);
		answer_worst(&worst[i]);
		give_dom0_a_turn();
		blk_poll(dev);
		assert_true(blk_broken(dev));
		assert_true(req.completed);
		assert_int_equal(req.status, -XEN_EIO);
		assert_int_equal(blk_submit(dev, &req), -XEN_EIO);
		assert_int_equal(blk_close(dev), 0);
		assert_true(blk_world_stop(&w));
	}
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xsa155_a_response_rewritten_after_its_copy_is_ignored),
		T(test_xsa155_each_response_slot_is_read_once),
		T(test_xsa216_request_slots_carry_no_stale_bytes),
		T(test_xsa331_events_during_close_reach_no_freed_queue),
		T(test_xsa391_event_storm_is_counted_and_io_goes_on),
		T(test_xsa350_fast_connected_closed_flips_leak_nothing),
		T(test_xsa392_unanswered_requests_stay_bounded),
		T(test_xsa396_ring_still_mapped_at_close_is_not_reused),
		T(test_xsa403_granted_pages_hold_no_stale_data),
		T(test_xsa405_errors_complete_each_request_once),
		T(test_worst_value_of_each_response_field_breaks_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
