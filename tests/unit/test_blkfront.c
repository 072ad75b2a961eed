/* SPDX-License-Identifier: BSD-2-Clause */
/* blkfront against a scripted block backend in dom0: the negotiation
 * (keys written, values clamped or refused), the data path, and a backend
 * that breaks the protocol: each break marks the device broken, fails what
 * was pending and keeps what had completed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "blk_world.h"
#include "gxen/blk.h"
#include "gxen/blk_pattern.h"
#include "gxen/gnttab.h"
#include "gxen/time.h"
#include "kern/page.h"
#include "selftest.h"

#define DISK (2048u * 1024)

static struct blk_world w;
static unsigned char buf[128 * 1024], back[128 * 1024];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed * 7 + (i >> 9));
}

static struct blk_dev *open_with(const char *const *keys)
{
	struct blk_dev *dev = NULL;

	assert_int_equal(blk_world_start(&w, DISK, keys), 0);
	assert_int_equal(blk_count(), 1);
	assert_int_equal(blk_open(0, &dev), 0);
	return dev;
}

static int teardown(void **state)
{
	(void)state;
	return blk_world_stop(&w) ? 0 : -1;
}

/* ---- negotiation ---- */

static void test_blkfront_writes_keys_and_reads_disk(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	const struct blk_info *info = blk_info(dev);
	char v[32];

	(void)state;
	assert_int_equal(info->sectors, DISK / 512);
	assert_int_equal(info->sector_size, 512);
	assert_int_equal(info->physical_sector_size, 512);
	assert_true(info->flush && info->flush_cache && info->barrier &&
		    info->discard && info->secure_discard && info->persistent);
	assert_int_equal(info->discard_granularity, 4096);
	assert_int_equal(info->max_segments, 16);   /* 32 offered, clamped */
	assert_int_equal(info->ring_pages, 4);
	assert_int_equal(info->nr_queues, 1);
	assert_int_equal(info->depth, 32);
	assert_int_equal(w.ring_order, 2);
	assert_false(w.wrote_ring_ref);
	assert_true(blk_world_read_fe(&w, "protocol", v, sizeof(v)) > 0);
	assert_string_equal(v, "arm-abi");
	assert_true(blk_world_read_fe(&w, "feature-persistent", v, sizeof(v)) > 0);
	assert_string_equal(v, "1");
	assert_true(blk_world_read_fe(&w, "state", v, sizeof(v)) > 0);
	assert_string_equal(v, "4");
	assert_true(blk_world_read_fe(&w, "ring-ref", v, sizeof(v)) < 0);
	assert_int_equal(blk_close(dev), 0);
	assert_true(blk_world_read_fe(&w, "state", v, sizeof(v)) > 0);
	assert_string_equal(v, "6");
}

static void test_blkfront_single_page_ring_uses_ring_ref(void **state)
{
	static const char *const keys[] = { "max-ring-page-order", "0", NULL };
	struct blk_dev *dev = open_with(keys);
	char v[32];

	(void)state;
	assert_true(w.wrote_ring_ref);
	assert_int_equal(blk_info(dev)->ring_pages, 1);
	assert_true(blk_world_read_fe(&w, "ring-page-order", v, sizeof(v)) < 0);
	assert_true(blk_world_read_fe(&w, "ring-ref", v, sizeof(v)) > 0);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_clamps_ring_order_and_queues(void **state)
{
	static const char *const keys[] = {
		"max-ring-page-order", "20", "multi-queue-max-queues", "1000",
		NULL,
	};
	struct blk_dev *dev = open_with(keys);
	char v[32];

	(void)state;
	assert_int_equal(blk_info(dev)->ring_pages, 4);
	assert_int_equal(blk_info(dev)->nr_queues, 2);
	assert_int_equal(w.nr_queues, 2);
	assert_true(blk_world_read_fe(&w, "ring-page-order", v, sizeof(v)) > 0);
	assert_string_equal(v, "2");
	assert_true(blk_world_read_fe(&w, "multi-queue-num-queues", v,
				      sizeof(v)) > 0);
	assert_string_equal(v, "2");
	assert_true(blk_world_read_fe(&w, "queue-1/ring-ref3", v, sizeof(v)) > 0);
	assert_true(blk_world_read_fe(&w, "queue-1/event-channel", v,
				      sizeof(v)) > 0);
	assert_true(blk_world_read_fe(&w, "event-channel", v, sizeof(v)) < 0);
	/* Both queues carry I/O. */
	fill(buf, 8192, 1);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(blk_write(dev, i * 16, 16, buf), 0);
	assert_int_equal(blk_read(dev, 48, 16, back), 0);
	assert_memory_equal(back, buf, 8192);
	assert_int_equal(blk_close(dev), 0);
}

static void refused(const char *const *keys)
{
	struct blk_dev *dev = NULL;
	char v[8];

	assert_int_equal(blk_world_start(&w, DISK, keys), 0);
	assert_int_equal(blk_open(0, &dev), -XEN_EINVAL);
	assert_null(dev);
	/* The frontend closed properly: Closed, nothing left granted. */
	assert_true(blk_world_read_fe(&w, "state", v, sizeof(v)) > 0);
	assert_string_equal(v, "6");
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
}

static void test_blkfront_refuses_zero_sectors(void **state)
{
	static const char *const keys[] = { "sectors", "0", NULL };

	(void)state;
	refused(keys);
}

static void test_blkfront_refuses_sector_size_3000(void **state)
{
	static const char *const keys[] = { "sector-size", "3000", NULL };

	(void)state;
	refused(keys);
}

static void test_blkfront_refuses_garbage_sectors(void **state)
{
	static const char *const keys[] = { "sectors", "12abc", NULL };

	(void)state;
	refused(keys);
}

static void test_blkfront_4k_sectors(void **state)
{
	static const char *const keys[] = {
		"sector-size", "4096", "physical-sector-size", "512",
		"info", "2", NULL,
	};
	struct blk_dev *dev = open_with(keys);
	const struct blk_info *info = blk_info(dev);

	(void)state;
	assert_int_equal(info->sectors, DISK / 4096);
	assert_int_equal(info->sector_size, 4096);
	assert_int_equal(info->physical_sector_size, 4096); /* ignored */
	assert_true(info->removable);
	assert_false(info->readonly);
	fill(buf, 3 * 4096, 2);
	assert_int_equal(blk_write(dev, 5, 3, buf), 0);
	/* The ring counts 512-byte sectors: device sector 5 is byte 20480. */
	assert_memory_equal(w.disk + 5 * 4096, buf, 3 * 4096);
	assert_int_equal(blk_read(dev, 5, 3, back), 0);
	assert_memory_equal(back, buf, 3 * 4096);
	assert_int_equal(blk_read(dev, DISK / 4096, 1, back), -XEN_EINVAL);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_readonly_refuses_writes(void **state)
{
	static const char *const keys[] = { "info", "4", NULL };
	struct blk_dev *dev = open_with(keys);

	(void)state;
	assert_true(blk_info(dev)->readonly);
	assert_int_equal(blk_write(dev, 0, 1, buf), -XEN_EROFS);
	assert_int_equal(blk_discard(dev, 0, 8, false), -XEN_EROFS);
	assert_int_equal(blk_read(dev, 0, 1, back), 0);
	assert_int_equal(w.requests, 1);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_reconnects_after_close(void **state)
{
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	fill(buf, 4096, 3);
	assert_int_equal(blk_write(dev, 8, 8, buf), 0);
	assert_int_equal(blk_close(dev), 0);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	assert_int_equal(blk_open_vdev(BLK_WORLD_VDEV, &dev), 0);
	assert_int_equal(w.connects, 2);
	assert_int_equal(blk_read(dev, 8, 8, back), 0);
	assert_memory_equal(back, buf, 4096);
	assert_int_equal(blk_close(dev), 0);
}

/* A grant table that cannot hold every request id's references (others
 * hold nearly all of it) gives a shallower queue, not a failed connect:
 * the device works at the depth that fits. */
static void test_blkfront_grant_shortage_halves_the_depth(void **state)
{
	struct gnttab_batch hog;
	struct blk_dev *dev = NULL;

	(void)state;
	assert_int_equal(blk_world_start(&w, DISK, NULL), 0);
	/* 64 frames of 512 references, 8 reserved: leave 300 free, room
	 * for the rings and 16 ids of 17 references, not 32. */
	assert_int_equal(gnttab_batch_claim(64 * 512 - 8 - 300, &hog), 0);
	assert_int_equal(blk_open(0, &dev), 0);
	assert_int_equal(blk_info(dev)->depth, 16);
	fill(buf, 8192, 5);
	assert_int_equal(blk_write(dev, 16, 16, buf), 0);
	assert_int_equal(blk_read(dev, 16, 16, back), 0);
	assert_memory_equal(back, buf, 8192);
	assert_int_equal(blk_close(dev), 0);
	gnttab_batch_release(&hog);
}

/* The backend restarts mid-I/O: it took five writes, answered two, and
 * goes Closing without answering the rest (as a backend process that
 * went away). blkfront closes its side, connects again and resubmits the
 * three, in their order; all five complete OKAY and land on the disk,
 * the device is not broken. */
static void restart_after_five(struct blk_world *bw)
{
	if (bw->connects == 1 && bw->requests >= 5 &&
	    bw->xb.be_state == XenbusStateConnected) {
		bw->mode = BW_GOOD;
		hv_xenbus_backend_switch_state(&bw->xb, XenbusStateClosing);
	}
}

static void test_blkfront_backend_restart_resubmits(void **state)
{
	static struct blk_request req[5];
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	w.mode = BW_SILENT;
	w.after = 2;
	w.on_turn = restart_after_five;
	fill(buf, 5 * 4096, 9);
	blk_plug(dev);
	for (unsigned i = 0; i < 5; i++) {
		req[i] = (struct blk_request){
			.op = BLK_WRITE, .sector = 8 * i, .count = 8,
			.buf = buf + i * 4096,
		};
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	blk_unplug(dev);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(blk_wait(dev, &req[i], BLK_TIMEOUT_NS), 0);
	assert_false(blk_broken(dev));
	assert_int_equal(w.connects, 2);
	assert_memory_equal(w.disk, buf, 5 * 4096);
	/* The device goes on as before. */
	assert_int_equal(blk_read(dev, 8, 8, back), 0);
	assert_memory_equal(back, buf + 4096, 4096);
	assert_int_equal(blk_close(dev), 0);
}

/* Five writes, the last two to one place (their order decides what the
 * disk holds), each counting its completions. */
static struct blk_request five[5];
static unsigned five_done[5];

static void count_done(struct blk_request *req, void *arg)
{
	(void)req;
	five_done[(uintptr_t)arg]++;
}

/* The backend answers `after` requests, then none, and makes the moves
 * of on_turn; the five are submitted at once. */
static void submit_five(struct blk_dev *dev, unsigned after,
			void (*on_turn)(struct blk_world *bw))
{
	w.mode = BW_SILENT;
	w.after = after;
	w.on_turn = on_turn;
	fill(buf, 5 * 4096, 11);
	memset(five_done, 0, sizeof(five_done));
	blk_plug(dev);
	for (unsigned i = 0; i < 5; i++) {
		five[i] = (struct blk_request){
			.op = BLK_WRITE, .sector = 8 * (i < 4 ? i : 3),
			.count = 8, .buf = buf + i * 4096,
			.done = count_done, .arg = (void *)(uintptr_t)i,
		};
		assert_int_equal(blk_submit(dev, &five[i]), 0);
	}
	blk_unplug(dev);
}

/* Each of the five ends with status, once. */
static void wait_five(struct blk_dev *dev, int status)
{
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(blk_wait(dev, &five[i], BLK_TIMEOUT_NS),
				 status);
		assert_int_equal(five_done[i], 1);
	}
}

/* The backend closes again as soon as blkfront has connected for the
 * resubmit (it is still negotiating, or about to resubmit), and once
 * more after it took the resubmitted requests without answering them.
 * blkfront tries again each time: every write completes OKAY once, in
 * order (the disk holds the later of the two writes to one place). */
static void close_during_resubmits(struct blk_world *bw)
{
	if (bw->xb.be_state != XenbusStateConnected)
		return;
	if ((bw->connects == 1 && bw->requests >= 5) || bw->connects == 2 ||
	    (bw->connects == 3 && bw->requests >= 6)) {
		hv_xenbus_backend_switch_state(&bw->xb, XenbusStateClosing);
	} else if (bw->connects == 4) {
		bw->mode = BW_GOOD;
	}
}

static void test_blkfront_backend_closes_again_while_resubmitting(void **state)
{
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	submit_five(dev, 2, close_during_resubmits);
	wait_five(dev, 0);
	assert_false(blk_broken(dev));
	assert_int_equal(w.connects, 4);
	assert_memory_equal(w.disk, buf, 3 * 4096);
	assert_memory_equal(w.disk + 3 * 4096, buf + 4 * 4096, 4096);
	assert_int_equal(blk_close(dev), 0);
}

/* A backend that closes each time blkfront connects again, answering
 * nothing: blkfront gives up after BLKFRONT_MAX_RECONNECTS tries, saying
 * so, and fails what it could not resubmit with EIO (once each). */
static void close_at_every_connect(struct blk_world *bw)
{
	if (bw->xb.be_state == XenbusStateConnected &&
	    (bw->connects > 1 || bw->requests >= 5))
		hv_xenbus_backend_switch_state(&bw->xb, XenbusStateClosing);
}

static void test_blkfront_gives_up_on_a_backend_closing_at_each_connect(
	void **state)
{
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	submit_five(dev, 0, close_at_every_connect);
	wait_five(dev, -XEN_EIO);
	assert_true(blk_broken(dev));
	assert_non_null(strstr(blk_broken_reason(dev),
			       "closed 8 times in a row"));
	assert_int_equal(w.connects, 1 + 8);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- data path ---- */

static void test_blkfront_depth_32_mixed_sizes(void **state)
{
	static struct blk_request req[40];
	struct blk_dev *dev = open_with(NULL);
	unsigned sector = 0, submitted = 0;

	(void)state;
	fill(buf, sizeof(buf), 4);
	/* Sizes from one sector to 64 KiB (indirect), all in flight. */
	for (unsigned i = 0; i < 32; i++) {
		uint32_t count = 1 + (i * 37) % 128;

		if (sector + count > DISK / 512)
			break;
		req[i] = (struct blk_request){ .op = BLK_WRITE, .sector = sector,
					       .count = count,
					       .buf = buf + sector * 512 %
						      (sizeof(buf) - 65536) };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
		sector += count;
		submitted++;
	}
	assert_true(submitted >= 20);
	assert_int_equal(blk_in_flight(dev), submitted);
	assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
	for (unsigned i = 0; i < submitted; i++) {
		assert_true(req[i].completed);
		assert_int_equal(req[i].status, 0);
		assert_memory_equal(w.disk + req[i].sector * 512, req[i].buf,
				    req[i].count * 512);
	}
	assert_int_equal(blk_submit(dev, &(struct blk_request){
		.op = BLK_READ, .sector = 0, .count = 129, .buf = back }),
		-XEN_E2BIG);
	assert_int_equal(blk_close(dev), 0);
}

/* A registered buffer is the request's data itself: a read lands in its
 * pages before the guest even takes the response in, a write leaves from
 * a sector offset inside a page; what is not whole guest-RAM pages, or is
 * registered already, is refused. */
static void test_blkfront_registered_buffer_is_used_in_place(void **state)
{
	static unsigned char outside[4096] __attribute__((aligned(4096)));
	struct blk_dev *dev = open_with(NULL);
	unsigned char *pool = page_alloc(4);
	struct blk_request req = {
		.op = BLK_READ, .sector = 8, .count = 16,
	};

	(void)state;
	assert_non_null(pool);
	memset(pool, 0, 4 * 4096);
	fill(w.disk + 4096, 8192, 9);
	assert_int_equal(blk_register_buffer(dev, pool + 512, 4096),
			 -XEN_EINVAL);
	assert_int_equal(blk_register_buffer(dev, outside, 4096), -XEN_EINVAL);
	assert_int_equal(blk_register_buffer(dev, pool, 4 * 4096), 0);
	assert_int_equal(blk_register_buffer(dev, pool + 4096, 4096),
			 -XEN_EINVAL);
	req.buf = pool + 4096;
	assert_int_equal(blk_submit(dev, &req), 0);
	assert_false(req.completed);
	assert_memory_equal(pool + 4096, w.disk + 4096, 8192);
	assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
	assert_int_equal(req.status, 0);
	fill(pool + 512, 4096, 10);
	assert_int_equal(blk_write(dev, 100, 8, pool + 512), 0);
	assert_memory_equal(w.disk + 100 * 512, pool + 512, 4096);
	assert_int_equal(blk_close(dev), 0);
	assert_int_equal(hv_gnttab_nr_mappings(w.dom0), 0);
	page_free(pool, 4);
}

/* Plugged, requests wait on our side of the ring: the backend sees none
 * until the unplug publishes them all; a drain while plugged unplugs. */
static void test_blkfront_plug_holds_requests_back(void **state)
{
	static struct blk_request req[6];
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	fill(buf, 6 * 4096, 11);
	blk_plug(dev);
	for (unsigned i = 0; i < 4; i++) {
		req[i] = (struct blk_request){ .op = BLK_WRITE, .sector = i * 8,
					       .count = 8, .buf = buf + i * 4096 };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	blk_poll(dev);
	assert_int_equal(w.requests, 0);
	assert_int_equal(blk_in_flight(dev), 4);
	blk_unplug(dev);
	assert_int_equal(w.requests, 4);
	blk_plug(dev);
	for (unsigned i = 4; i < 6; i++) {
		req[i] = (struct blk_request){ .op = BLK_WRITE, .sector = i * 8,
					       .count = 8, .buf = buf + i * 4096 };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
	assert_int_equal(w.requests, 6);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(req[i].status, 0);
	assert_memory_equal(w.disk, buf, 6 * 4096);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_ring_full_is_busy(void **state)
{
	static struct blk_request req[33];
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	for (unsigned i = 0; i < 32; i++) {
		req[i] = (struct blk_request){ .op = BLK_READ, .sector = i,
					       .count = 1, .buf = back };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	req[32] = req[0];
	assert_int_equal(blk_submit(dev, &req[32]), -XEN_EBUSY);
	assert_int_equal(blk_drain(dev, BLK_TIMEOUT_NS), 0);
	assert_int_equal(blk_submit(dev, &req[32]), 0);
	assert_int_equal(blk_wait(dev, &req[32], BLK_TIMEOUT_NS), 0);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_flush_discard_barrier(void **state)
{
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	assert_int_equal(blk_flush(dev), 0);
	assert_int_equal(w.last_op, BLKIF_OP_FLUSH_DISKCACHE);
	assert_int_equal(blk_discard(dev, 16, 16, false), 0);
	assert_int_equal(w.last_op, BLKIF_OP_DISCARD);
	assert_int_equal(w.disk[16 * 512], 0xdd);
	assert_int_equal(blk_discard(dev, 16, 16, true), 0);
	struct blk_request req = { .op = BLK_WRITE_BARRIER, .sector = 2,
				   .count = 2, .buf = buf };
	assert_int_equal(blk_submit(dev, &req), 0);
	assert_int_equal(blk_wait(dev, &req, BLK_TIMEOUT_NS), 0);
	assert_int_equal(w.last_op, BLKIF_OP_WRITE_BARRIER);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_flush_without_flush_cache_is_a_barrier(void **state)
{
	static const char *const keys[] = { "feature-flush-cache", "0", NULL };
	struct blk_dev *dev = open_with(keys);

	(void)state;
	assert_true(blk_info(dev)->flush);
	assert_false(blk_info(dev)->flush_cache);
	assert_int_equal(blk_flush(dev), 0);
	assert_int_equal(w.last_op, BLKIF_OP_WRITE_BARRIER);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_eopnotsupp_turns_flush_off(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	unsigned requests;

	(void)state;
	w.flush_unsupported = true;
	assert_int_equal(blk_flush(dev), -XEN_EOPNOTSUPP);
	assert_false(blk_info(dev)->flush);
	assert_false(blk_info(dev)->barrier);
	requests = w.requests;
	assert_int_equal(blk_flush(dev), -XEN_EOPNOTSUPP);
	assert_int_equal(w.requests, requests);   /* not sent again */
	assert_false(blk_broken(dev));
	assert_int_equal(blk_write(dev, 0, 1, buf), 0);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_error_on_flush_turns_it_off(void **state)
{
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	w.flush_error = true;
	assert_int_equal(blk_flush(dev), -XEN_EOPNOTSUPP);
	assert_false(blk_info(dev)->flush);
	assert_false(blk_broken(dev));
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_eopnotsupp_turns_discard_off(void **state)
{
	struct blk_dev *dev = open_with(NULL);
	unsigned requests;

	(void)state;
	w.discard_unsupported = true;
	assert_int_equal(blk_discard(dev, 0, 8, false), -XEN_EOPNOTSUPP);
	assert_false(blk_info(dev)->discard);
	assert_false(blk_info(dev)->secure_discard);
	requests = w.requests;
	assert_int_equal(blk_discard(dev, 0, 8, true), -XEN_EOPNOTSUPP);
	assert_int_equal(w.requests, requests);
	assert_true(blk_info(dev)->flush);
	assert_int_equal(blk_close(dev), 0);
}

static void test_blkfront_features_off_are_refused_locally(void **state)
{
	static const char *const keys[] = {
		"feature-flush-cache", "0", "feature-barrier", "0",
		"feature-discard", "0", "feature-max-indirect-segments", "8",
		"feature-persistent", "0", NULL,
	};
	struct blk_dev *dev = open_with(keys);

	(void)state;
	assert_false(blk_info(dev)->persistent);
	assert_int_equal(blk_info(dev)->max_segments, 11);
	assert_int_equal(blk_flush(dev), -XEN_EOPNOTSUPP);
	assert_int_equal(blk_discard(dev, 0, 8, false), -XEN_EOPNOTSUPP);
	assert_int_equal(w.requests, 0);
	assert_int_equal(blk_close(dev), 0);
}

/* ---- a backend that breaks the protocol ---- */

/* Two writes complete; then the backend misbehaves on the next two in
 * flight. The completed ones stay completed (and on disk), the others
 * fail, the device refuses everything after. */
static uint64_t breaks(enum blk_world_mode mode, const char *reason)
{
	struct blk_request req[2];
	struct blk_dev *dev = open_with(NULL);
	uint64_t start;

	fill(buf, 8192, 5);
	assert_int_equal(blk_write(dev, 0, 8, buf), 0);
	assert_int_equal(blk_write(dev, 8, 8, buf + 4096), 0);
	w.mode = mode;
	w.after = w.responses;
	for (unsigned i = 0; i < 2; i++) {
		req[i] = (struct blk_request){ .op = BLK_WRITE,
					       .sector = 16 + 8 * i,
					       .count = 8, .buf = buf };
		assert_int_equal(blk_submit(dev, &req[i]), 0);
	}
	start = time_now();
	assert_int_equal(blk_wait(dev, &req[1], 100 * NSEC_PER_MSEC),
			 mode == BW_SILENT ? -XEN_ETIMEDOUT : -XEN_EIO);
	start = time_now() - start;
	assert_true(blk_broken(dev));
	if (!strstr(blk_broken_reason(dev), reason))
		fail_msg("reason \"%s\" lacks \"%s\"", blk_broken_reason(dev),
			 reason);
	assert_true(req[0].completed && req[1].completed);
	assert_int_equal(req[1].status, -XEN_EIO);
	if (mode == BW_DUPLICATE_ID)
		assert_int_equal(req[0].status, 0);
	assert_int_equal(blk_in_flight(dev), 0);
	assert_memory_equal(w.disk, buf, 8192);
	assert_int_equal(blk_read(dev, 0, 1, back), -XEN_EIO);
	blk_close(dev);
	return start;
}

static void test_blkfront_bad_id_breaks(void **state)
{
	(void)state;
	breaks(BW_BAD_ID, "out of range");
}

static void test_blkfront_duplicate_id_breaks(void **state)
{
	(void)state;
	breaks(BW_DUPLICATE_ID, "no request pending");
}

static void test_blkfront_id_not_pending_breaks(void **state)
{
	struct blk_request req = { .op = BLK_READ, .count = 1, .buf = back };
	struct blk_dev *dev = open_with(NULL);

	(void)state;
	/* Only id 0 is in flight; the answer names id 1. */
	w.mode = BW_ID_NOT_PENDING;
	assert_int_equal(blk_submit(dev, &req), 0);
	assert_int_equal(blk_wait(dev, &req, BLK_TIMEOUT_NS), -XEN_EIO);
	assert_true(blk_broken(dev));
	assert_non_null(strstr(blk_broken_reason(dev), "id 1, which has no"));
	blk_close(dev);
}

static void test_blkfront_wrong_op_breaks(void **state)
{
	(void)state;
	breaks(BW_WRONG_OP, "says operation 0");
}

static void test_blkfront_unknown_status_breaks(void **state)
{
	(void)state;
	breaks(BW_UNKNOWN_STATUS, "unknown status 7");
}

static void test_blkfront_rsp_prod_overflow_breaks(void **state)
{
	(void)state;
	breaks(BW_RSP_PROD_OVERFLOW, "rsp_prod");
}

static void test_blkfront_silent_backend_times_out(void **state)
{
	(void)state;
	assert_true(breaks(BW_SILENT, "no response within 100 ms") >=
		    100 * NSEC_PER_MSEC);
}

/* ---- the bootarg self-check ---- */

static void selftest_leaves_the_pattern(const char *const *keys,
					unsigned disk_bytes)
{
	assert_int_equal(blk_world_start(&w, disk_bytes, keys), 0);
	assert_int_equal(blk_selftest_run(), 0);
	assert_int_equal(blk_pattern_check(BLK_PATTERN_SEED, 0, w.disk,
					   disk_bytes), disk_bytes);
	assert_int_equal(w.connects, 2);
}

static void test_blk_selftest_512(void **state)
{
	(void)state;
	selftest_leaves_the_pattern(NULL, 1024 * 1024);
}

static void test_blk_selftest_4096_no_features(void **state)
{
	static const char *const keys[] = {
		"sector-size", "4096", "feature-flush-cache", "0",
		"feature-barrier", "0", "feature-discard", "0",
		"feature-max-indirect-segments", "0", "max-ring-page-order",
		"0", NULL,
	};

	(void)state;
	selftest_leaves_the_pattern(keys, 1024 * 1024);
}

static void test_blk_selftest_fails_on_corruption(void **state)
{
	(void)state;
	assert_int_equal(blk_world_start(&w, 256 * 1024, NULL), 0);
	w.corrupt_reads = true;
	assert_true(blk_selftest_run() > 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blkfront_writes_keys_and_reads_disk),
		T(test_blkfront_single_page_ring_uses_ring_ref),
		T(test_blkfront_clamps_ring_order_and_queues),
		T(test_blkfront_refuses_zero_sectors),
		T(test_blkfront_refuses_sector_size_3000),
		T(test_blkfront_refuses_garbage_sectors),
		T(test_blkfront_4k_sectors),
		T(test_blkfront_readonly_refuses_writes),
		T(test_blkfront_reconnects_after_close),
		T(test_blkfront_grant_shortage_halves_the_depth),
		T(test_blkfront_backend_restart_resubmits),
		T(test_blkfront_backend_closes_again_while_resubmitting),
		T(test_blkfront_gives_up_on_a_backend_closing_at_each_connect),
		T(test_blkfront_depth_32_mixed_sizes),
	T(test_blkfront_registered_buffer_is_used_in_place),
	T(test_blkfront_plug_holds_requests_back),
		T(test_blkfront_ring_full_is_busy),
		T(test_blkfront_flush_discard_barrier),
		T(test_blkfront_flush_without_flush_cache_is_a_barrier),
		T(test_blkfront_eopnotsupp_turns_flush_off),
		T(test_blkfront_error_on_flush_turns_it_off),
		T(test_blkfront_eopnotsupp_turns_discard_off),
		T(test_blkfront_features_off_are_refused_locally),
		T(test_blkfront_bad_id_breaks),
		T(test_blkfront_duplicate_id_breaks),
		T(test_blkfront_id_not_pending_breaks),
		T(test_blkfront_wrong_op_breaks),
		T(test_blkfront_unknown_status_breaks),
		T(test_blkfront_rsp_prod_overflow_breaks),
		T(test_blkfront_silent_backend_times_out),
		T(test_blk_selftest_512),
		T(test_blk_selftest_4096_no_features),
		T(test_blk_selftest_fails_on_corruption),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
