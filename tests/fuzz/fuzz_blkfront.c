/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's blkfront facing a malicious block backend. The
 * guest runs natively on the real model (xenstore, grants, event
 * channels); dom0's end of both rings is this program, and the input is
 * what it does: take requests, answer them well or with any id, operation
 * and status, move rsp_prod anywhere, rewrite a response after publishing
 * it, send events with no response behind them; between its moves the
 * guest submits, polls and waits. The guest must never crash, complete a
 * request twice, give a status other than 0, -EIO or -EOPNOTSUPP, lose
 * count of what is in flight, put a malformed request on the ring, or
 * carry on after it found the backend broken.
 * The device is connected once per process; each input starts from a
 * snapshot of the connected device and its rings, and the events it left
 * pending are delivered before it ends, so that an input does the same
 * whatever ran before it (tests/fuzz/fuzz-reset.sh, and AFL++'s
 * stability). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/io/blkif.h>

#include "../../guest/dev/blkfront.h"   /* its size, its queues' counts */
#include "blk_world.h"
#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_blk_backend.h"
#include "fuzz_rewind.h"
#include "fuzz_ring_restore.h"
#include "gxen/blk.h"
#include "hv/evtchn.h"
#include "port.h"

#define QUEUES      2
#define RING_PAGES  2
#define DEPTH       32                 /* requests per queue in flight */
#define NREQ        (QUEUES * DEPTH + 8)
#define DISK_BYTES  (1u << 20)

enum {
	CMD_SUBMIT,      /* op, sector, count: the guest submits */
	CMD_TAKE,        /* n: dom0 reads up to n requests and checks them */
	CMD_ANSWER,      /* how: dom0 answers the oldest request taken */
	CMD_RAW,         /* id, op, status: any response */
	CMD_PUSH,        /* publish rsp_prod and notify */
	CMD_RSP_PROD,    /* delta: rsp_prod = ours + (int8)delta */
	CMD_STORM,       /* n: n (< 64) events and no response */
	CMD_POLL,        /* the guest polls */
	CMD_REWRITE,     /* back, id, status: change a published response */
	CMD_WAIT,        /* which: the guest waits for a request, briefly */
	CMD_QUEUE,       /* which queue dom0 works on */
	CMD_COUNT
};

struct fuzz_req {
	struct blk_request req;
	bool submitted;
	unsigned done_calls;
};

static struct blk_world w;
static struct blk_dev *dev;
static unsigned char dev_snapshot[sizeof(struct blkfront)];
static unsigned char ring_snapshot[QUEUES][RING_PAGES * 4096];
static struct fuzz_req reqs[NREQ];
/* Which of reqs are submitted and not completed: a bit each, so that a
 * submission finds the lowest free one without looking at them all. */
static uint64_t busy[(NREQ + 63) / 64];
/* What an input dirtied, for reset to put back and no more: the reqs it
 * used, each queue's slots it filled, and on each ring the entries from
 * ring_lo[q] (at most 8 below 0, where CMD_REWRITE reaches back) up to
 * the highest index written. */
static uint64_t reqs_used[(NREQ + 63) / 64];
static uint32_t slots_used[QUEUES];
static int32_t ring_lo[QUEUES];
static struct fuzz_blk_backend bq[QUEUES];
static unsigned char data[NREQ][BLKFRONT_MAX_SEGS * 4096];
static unsigned cur;                   /* the queue dom0 works on */
static unsigned open_reqs;             /* submitted, not yet completed */

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_blkfront: %s\n", what);
	abort();
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static void done(struct blk_request *req, void *arg)
{
	struct fuzz_req *fr = arg;

	if (++fr->done_calls > 1)
		fail("a request completed twice");
	if (!req->completed || !fr->submitted)
		fail("a completion without the completed flag");
	open_reqs--;
	busy[(fr - reqs) / 64] &= ~(1ull << (fr - reqs) % 64);
	if (req->status != 0 && req->status != -XEN_EIO &&
	    req->status != -XEN_EOPNOTSUPP)
		fail("a completion status other than 0, -EIO, -EOPNOTSUPP");
}

static void setup_once(void)
{
	static const char *const keys[] = {
		"multi-queue-max-queues", "2", "max-ring-page-order", "1",
		NULL,
	};

	if (blk_world_start_with(&w, DISK_BYTES, keys, drop_line, NULL) ||
	    blk_open(0, &dev))
		fail("cannot connect the device");
	if (blk_info(dev)->nr_queues != QUEUES ||
	    blk_info(dev)->ring_pages != RING_PAGES ||
	    blk_info(dev)->depth != DEPTH)
		fail("the device is not the shape this target expects");
	w.manual = true;
	/* Snapshot the device as every input leaves what the snapshot does
	 * not hold (the guest's and the model's own state): polled, with
	 * nothing pending. Else the first input alone would start apart. */
	blk_poll(dev);
	arch_irq_enable();
	memcpy(dev_snapshot, dev, sizeof(dev_snapshot));
	/* reset puts back the ring entries from index 0 on. */
	for (unsigned q = 0; q < QUEUES; q++) {
		const struct blkfront_queue *fq =
			&((const struct blkfront *)dev)->queue[q];

		if (fq->ring.req_prod_pvt || fq->ring.rsp_cons || fq->pending)
			fail("the device did I/O before the snapshot");
	}
	for (unsigned q = 0; q < QUEUES; q++) {
		memcpy(ring_snapshot[q], w.queue[q].ring.sring,
		       sizeof(ring_snapshot[q]));
		bq[q].ring = &w.queue[q].ring;
		bq[q].depth = DEPTH;
		bq[q].max_indirect = BLKFRONT_MAX_INDIRECT_SEGS;
		bq[q].fail = fail;
	}
}

/* The ring's indexes and entries [lo, hi) back from the snapshot. */
static void restore_ring(unsigned q, RING_IDX lo, RING_IDX hi)
{
	blkif_back_ring_t *ring = &w.queue[q].ring;
	const size_t head = offsetof(blkif_sring_t, ring);

	memcpy(ring->sring, ring_snapshot[q], head);
	fuzz_ring_restore(ring->sring, ring_snapshot[q], head,
			  sizeof(ring->sring->ring[0]), ring->nr_ents, lo, hi);
}

/* The device outside its slots, and the slots the input filled. */
static void restore_dev(void)
{
	struct blkfront *f = (struct blkfront *)dev;
	const struct blkfront *s = (const struct blkfront *)dev_snapshot;
	size_t at = 0;

	for (unsigned q = 0; q < QUEUES; q++) {
		size_t slots = (size_t)((char *)f->queue[q].slot - (char *)f);

		memcpy((char *)f + at, (const char *)s + at, slots - at);
		at = slots + sizeof(f->queue[q].slot);
		for (uint32_t u = slots_used[q]; u; u &= u - 1) {
			unsigned id = (unsigned)__builtin_ctz(u);

			f->queue[q].slot[id] = s->queue[q].slot[id];
		}
		slots_used[q] = 0;
	}
	memcpy((char *)f + at, (const char *)s + at, sizeof(*f) - at);
}

/* Back to the device as it was just after connecting. */
static void reset(void)
{
	/* Nothing is pending (each input takes its own events). */
	arch_irq_enable();
	fuzz_rewind_guest(w.sn);
	for (unsigned q = 0; q < QUEUES; q++) {
		blkif_back_ring_t *ring = &w.queue[q].ring;
		/* The guest wrote requests below its req_prod_pvt, dom0
		 * responses below its rsp_prod_pvt (which trails req_cons,
		 * which trails what the guest published). */
		RING_IDX hi = ((struct blkfront *)dev)->queue[q].ring.req_prod_pvt;

		if ((int32_t)(ring->req_cons - hi) > 0)
			hi = ring->req_cons;
		if ((int32_t)(ring->rsp_prod_pvt - hi) > 0)
			hi = ring->rsp_prod_pvt;
		restore_ring(q, (RING_IDX)ring_lo[q], hi);
		ring_lo[q] = 0;
		ring->req_cons = 0;
		ring->rsp_prod_pvt = 0;
		bq[q].head = bq[q].tail = 0;
	}
	restore_dev();
	for (unsigned i = 0; i < sizeof(reqs_used) / sizeof(reqs_used[0]); i++) {
		for (uint64_t u = reqs_used[i]; u; u &= u - 1)
			memset(&reqs[i * 64 + (unsigned)__builtin_ctzll(u)], 0,
			       sizeof(reqs[0]));
		reqs_used[i] = 0;
	}
	memset(busy, 0, sizeof(busy));
	if (NREQ % 64)          /* the bits past reqs[] are never free */
		busy[NREQ / 64] = ~0ull << NREQ % 64;
	cur = 0;
	open_reqs = 0;
}

static void submit(struct fuzz_input *in)
{
	static const enum blk_op ops[] = {
		BLK_READ, BLK_READ, BLK_WRITE, BLK_WRITE, BLK_WRITE_BARRIER,
		BLK_FLUSH, BLK_DISCARD, BLK_DISCARD_SECURE,
	};
	uint8_t opb = fuzz_byte(in), sec = fuzz_byte(in), cnt = fuzz_byte(in);
	struct fuzz_req *fr = NULL;
	bool broken = blk_broken(dev);
	unsigned i;
	int rc;

	for (i = 0; i < sizeof(busy) / sizeof(busy[0]) && !fr; i++)
		if (~busy[i])
			fr = &reqs[i * 64 + (unsigned)__builtin_ctzll(~busy[i])];
	if (!fr)
		return;
	i = (unsigned)(fr - reqs);
	memset(fr, 0, sizeof(*fr));
	reqs_used[i / 64] |= 1ull << i % 64;
	fr->req.op = ops[opb % 8];
	fr->req.sector = (uint64_t)sec * 8 + (opb >> 3);
	/* Mostly a few sectors; now and then a whole indirect request. */
	fr->req.count = cnt & 0x80 ? (cnt & 0x7f) + 1u : (cnt & 7) + 1u;
	fr->req.buf = data[i];
	fr->req.done = done;
	fr->req.arg = fr;
	rc = blk_submit(dev, &fr->req);
	if (broken && rc != -XEN_EIO)
		fail("a broken device took a request");
	if (rc == 0) {
		fr->submitted = true;
		busy[i / 64] |= 1ull << i % 64;
		slots_used[fr->req.queue] |= 1u << fr->req.id;
		open_reqs++;
	} else if (fr->done_calls) {
		fail("a refused request completed");
	}
}

static void notify(void)
{
	hv_evtchn_send_from(w.dom0, w.queue[cur].port);
}

static void push(void)
{
	fuzz_blk_publish(&bq[cur]);
	notify();
}

/* A published response changed: it may reach 8 entries back, below
 * index 0. */
static void rewrite(struct fuzz_input *in)
{
	int32_t lo = (int32_t)(bq[cur].ring->rsp_prod_pvt - 8);

	if (lo < ring_lo[cur])
		ring_lo[cur] = lo;
	fuzz_blk_rewrite(&bq[cur], in);
}

static void wait_for(struct fuzz_input *in)
{
	struct fuzz_req *fr = &reqs[fuzz_byte(in) % NREQ];

	if (fr->submitted && !fr->req.completed)
		blk_wait(dev, &fr->req, 1000000);   /* 1 ms of virtual time */
}

/* What the guest's own counts must agree with after every move that
 * ran guest code (dom0's others only write the shared rings). */
static void check_accounts(void)
{
	if (blk_in_flight(dev) != open_reqs)
		fail("the device's in-flight count is wrong");
	if (blk_broken(dev) && open_reqs)
		fail("a broken device left requests pending");
}

/* What the input made the guest do, for FUZZ_DIGEST: its requests'
 * ends, its counts and the rings as it left them. */
static void digest(void)
{
	if (!fuzz_digest_on())
		return;
	for (unsigned i = 0; i < NREQ; i++) {
		const uint64_t r[] = { reqs[i].submitted, reqs[i].done_calls,
				       reqs[i].req.completed,
				       (uint64_t)(int64_t)reqs[i].req.status };

		fuzz_digest_add(r, sizeof(r));
	}
	for (unsigned q = 0; q < QUEUES; q++) {
		/* The device is its blkfront (the snapshot copies it so). */
		const struct blkfront_queue *fq =
			&((const struct blkfront *)dev)->queue[q];
		const uint64_t c[] = { fq->events, fq->spurious, fq->in_flight,
				       fq->ring.req_prod_pvt, fq->ring.rsp_cons };

		fuzz_digest_add(c, sizeof(c));
		fuzz_digest_add(w.queue[q].ring.sring, RING_PAGES * 4096);
	}
	fuzz_digest_add(&(uint64_t){ blk_broken(dev) }, sizeof(uint64_t));
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };
	static bool ready;

	if (!ready) {
		setup_once();
		ready = true;
	}
	reset();
	fuzz_digest_start();
	while (in.left) {
		uint8_t n;

		switch (fuzz_byte(&in) % CMD_COUNT) {
		case CMD_SUBMIT:
			submit(&in);
			check_accounts();
			break;
		case CMD_TAKE:
			fuzz_blk_take(&bq[cur], &in);
			break;
		case CMD_ANSWER:
			fuzz_blk_answer(&bq[cur], &in);
			break;
		case CMD_RAW:
			fuzz_blk_raw(&bq[cur], &in);
			break;
		case CMD_PUSH:
			push();
			check_accounts();
			break;
		case CMD_RSP_PROD:
			fuzz_blk_rsp_prod(&bq[cur], &in);
			break;
		case CMD_STORM:
			n = fuzz_byte(&in) & 63;
			for (unsigned i = 0; i < n; i++)
				notify();
			blk_poll(dev);
			check_accounts();
			break;
		case CMD_POLL:
			blk_poll(dev);
			check_accounts();
			break;
		case CMD_REWRITE:
			rewrite(&in);
			break;
		case CMD_WAIT:
			wait_for(&in);
			check_accounts();
			break;
		case CMD_QUEUE:
			cur = fuzz_byte(&in) % QUEUES;
			break;
		}
	}
	blk_poll(dev);
	check_accounts();
	/* The events this input sent land in it, not in the next one. */
	arch_irq_enable();
	check_accounts();
	digest();
	fuzz_digest_report();
	return 0;
}
