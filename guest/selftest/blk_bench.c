/* SPDX-License-Identifier: BSD-2-Clause */
/* The block benchmark's guest half (bootarg "blk-bench"): fixed workloads
 * on the first vbd, each between a "blk-bench: begin NAME" and a
 * "blk-bench: end NAME OPS BYTES" line. The guest has only virtual time;
 * the host times the lines as they arrive (bench/blk-bench.sh), so
 * bootarg "blk-bench-scale=N" multiplies every workload's request count
 * to make each run long enough to time. It overwrites the disk. */
#include <xen/errno.h>

#include "gxen/blk.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define DEPTH_MAX 32u
#define SEQ_BYTES (64u * 1024)

struct blk_bench {
	struct blk_dev *dev;
	const struct blk_info *info;
	unsigned char *pool;          /* DEPTH_MAX slots of SEQ_BYTES */
	uint64_t rng;
	unsigned errors;
};

static uint64_t next_random(struct blk_bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return b->rng;
}

static void on_done(struct blk_request *req, void *arg)
{
	if (req->status)
		((struct blk_bench *)arg)->errors++;
}

/* ops requests of `bytes` each, `depth` in flight, at random 4 KiB-aligned
 * offsets (random) or one after the other (sequential, wrapping). */
static void workload(struct blk_bench *b, const char *name, enum blk_op op,
		     uint32_t bytes, unsigned depth, unsigned ops, bool random)
{
	static struct blk_request req[DEPTH_MAX];
	uint32_t count = bytes / b->info->sector_size;
	uint64_t slots = b->info->sectors / count, next = 0;
	unsigned issued = 0;

	kprintf("blk-bench: begin %s\n", name);
	for (unsigned i = 0; i < depth; i++)
		req[i].completed = true;
	while (b->errors == 0 && (issued < ops || blk_in_flight(b->dev))) {
		blk_poll(b->dev);
		/* Refill every free slot, then publish them in one push. */
		blk_plug(b->dev);
		for (unsigned i = 0; i < depth && issued < ops; i++) {
			uint64_t slot;

			if (!req[i].completed)
				continue;
			slot = random ? next_random(b) % slots : next++ % slots;
			req[i] = (struct blk_request){
				.op = op, .sector = slot * count, .count = count,
				.buf = b->pool + (size_t)i * SEQ_BYTES,
				.done = on_done, .arg = b,
			};
			if (blk_submit(b->dev, &req[i])) {
				b->errors++;
				break;
			}
			issued++;
		}
		blk_unplug(b->dev);
		if (issued == ops) {
			blk_drain(b->dev, BLK_TIMEOUT_NS);
			continue;
		}
		/* Full: wait for one, then refill its slot at once. */
		for (unsigned i = 0; i < depth; i++) {
			if (!req[i].completed) {
				blk_wait(b->dev, &req[i], BLK_TIMEOUT_NS);
				break;
			}
		}
	}
	kprintf("blk-bench: end %s %u %llu%s\n", name, issued,
		(unsigned long long)issued * bytes,
		b->errors ? " errors" : "");
}

unsigned blk_bench_run(void)
{
	static struct blk_bench b;
	unsigned depth, scale = bootarg_uint("blk-bench-scale", 1, 1000);
	int rc;

	memset(&b, 0, sizeof(b));
	b.rng = 0x9e3779b97f4a7c15ull;
	b.pool = page_alloc(DEPTH_MAX * SEQ_BYTES / PAGE_SIZE);
	rc = b.pool ? blk_open(0, &b.dev) : -XEN_ENOMEM;
	if (rc) {
		kprintf("blk-bench: cannot open the first vbd: %d\n", rc);
		return 1;
	}
	/* The pool is registered: requests move the caller's pages, as an
	 * application that owns its I/O buffers would. */
	rc = blk_register_buffer(b.dev, b.pool, DEPTH_MAX * SEQ_BYTES);
	if (rc) {
		kprintf("blk-bench: cannot register the buffers: %d\n", rc);
		blk_close(b.dev);
		return 1;
	}
	b.info = blk_info(b.dev);
	depth = b.info->depth * b.info->nr_queues;
	if (depth > DEPTH_MAX)
		depth = DEPTH_MAX;
	workload(&b, "seqwrite-64k", BLK_WRITE, SEQ_BYTES, 4, 512 * scale,
		 false);
	workload(&b, "seqread-64k", BLK_READ, SEQ_BYTES, 4, 512 * scale, false);
	workload(&b, "randread-4k-qd1", BLK_READ, 4096, 1, 4000 * scale, true);
	workload(&b, "randwrite-4k-qd1", BLK_WRITE, 4096, 1, 4000 * scale,
		 true);
	workload(&b, "randread-4k-qd32", BLK_READ, 4096, depth, 8000 * scale,
		 true);
	workload(&b, "randwrite-4k-qd32", BLK_WRITE, 4096, depth, 8000 * scale,
		 true);
	blk_close(b.dev);
	page_free(b.pool, DEPTH_MAX * SEQ_BYTES / PAGE_SIZE);
	return b.errors;
}
