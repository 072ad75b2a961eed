/* SPDX-License-Identifier: BSD-2-Clause */
/* Block I/O across suspends (bootarg "blk-suspend", with xensim run
 * --suspend-resume): rounds of writes and reads on the first vbd, and the
 * toolstack's suspend taken in the middle of a round, requests in flight.
 * Each 4 KiB chunk of the disk holds, once a write of it is acknowledged,
 * the pattern of that write's generation; a read expects the generation
 * acknowledged last, so an acknowledged write that was lost, a write
 * repeated from an older round or a read answered with stale data shows.
 * At poweroff every chunk written is read back, then the whole disk gets
 * the block self-check's pattern for the host to check (blkpattern).
 * One "blk-suspend: ok|FAIL NAME: ..." line per step, then
 * "blk-suspend: N passed, N failed, N skipped". */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "gxen/blk.h"
#include "gxen/blk_pattern.h"
#include "gxen/control.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define CHUNK_BYTES  4096u
#define ROUND_WRITES 3u
#define ROUND_READS  3u
#define ROUND_OPS    (ROUND_WRITES + ROUND_READS)
#define FINAL_BATCH  ROUND_OPS
#define MAX_CHUNKS   4096u         /* a 16 MiB disk */
#define GEN_FINAL    0xffffffffu   /* the self-check's own pattern */
/* Long enough for some answers to come (the model's blkback takes 20 to
 * 220 us), too short for all. */
#define SLOW_QUIESCE_NS 80000ull
#define GEN_PAGES    (MAX_CHUNKS * sizeof(uint32_t) / PAGE_SIZE)
#define BUF_PAGES    (ROUND_OPS * CHUNK_BYTES / PAGE_SIZE)

struct op {
	struct blk_request req;
	struct suspend_run *run;
	unsigned chunk;
	uint32_t gen;                 /* written, or expected by a read */
	bool write, across;           /* in flight at a suspend */
};

struct suspend_run {
	struct blk_dev *dev;
	unsigned passed, failed;
	unsigned nr_chunks, count;    /* chunks; sectors a chunk */
	uint32_t *gen;                /* acknowledged generation, 0: none */
	unsigned char *buf;           /* ROUND_OPS chunks */
	struct op op[ROUND_OPS];
	unsigned pending;             /* ops of this round not yet done */
	unsigned next_write;
	uint32_t pass;
	int shutdown_fired;
	/* What the rounds saw. */
	unsigned writes, reads, errors, stale_reads, suspends;
	unsigned in_flight_total, across_reads, across_writes;
	unsigned across_done;
	char first_error[96];
};

static bool result(struct suspend_run *r, bool ok, const char *name,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool result(struct suspend_run *r, bool ok, const char *name,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = selftest_step("blk-suspend", &r->passed, &r->failed, ok, name,
			   fmt, ap);
	va_end(ap);
	return ok;
}

static uint64_t seed_of(uint32_t gen)
{
	return gen == GEN_FINAL ? BLK_PATTERN_SEED : BLK_PATTERN_SEED + gen;
}

static void fill_chunk(unsigned char *buf, unsigned chunk, uint32_t gen)
{
	blk_pattern_fill(seed_of(gen), (uint64_t)chunk * CHUNK_BYTES, buf,
			 CHUNK_BYTES);
}

static bool chunk_holds(const unsigned char *buf, unsigned chunk,
			uint32_t gen)
{
	return blk_pattern_check(seed_of(gen), (uint64_t)chunk * CHUNK_BYTES,
				 buf, CHUNK_BYTES) == CHUNK_BYTES;
}

static void note_error(struct suspend_run *r, const char *what,
		       const struct op *op)
{
	if (!r->first_error[0])
		ksnprintf(r->first_error, sizeof(r->first_error),
			  "%s of chunk %u (generation %u): status %d", what,
			  op->chunk, op->gen, op->req.status);
}

static void op_done(struct blk_request *req, void *arg)
{
	struct op *op = arg;
	struct suspend_run *r = op->run;

	r->pending--;
	if (op->across)
		r->across_done++;
	if (req->status) {
		r->errors++;
		note_error(r, op->write ? "write" : "read", op);
		return;
	}
	if (op->write) {
		r->gen[op->chunk] = op->gen;
	} else if (!chunk_holds(req->buf, op->chunk, op->gen)) {
		r->stale_reads++;
		note_error(r, "stale read", op);
	}
}

static int submit(struct suspend_run *r, unsigned slot, bool write,
		  unsigned chunk, uint32_t gen)
{
	struct op *op = &r->op[slot];
	unsigned char *buf = r->buf + slot * CHUNK_BYTES;
	int rc;

	if (write)
		fill_chunk(buf, chunk, gen);
	*op = (struct op){
		.req = { .op = write ? BLK_WRITE : BLK_READ,
			 .sector = (uint64_t)chunk * r->count,
			 .count = r->count, .buf = buf,
			 .done = op_done, .arg = op },
		.run = r, .chunk = chunk, .gen = gen, .write = write,
	};
	r->pending++;
	rc = blk_submit(r->dev, &op->req);

	if (rc)
		r->pending--;
	return rc;
}

/* A round: the next ROUND_WRITES chunks written with this pass's
 * generation, and reads of chunks earlier rounds wrote (never one this
 * round writes), each expecting what was acknowledged last. */
static int start_round(struct suspend_run *r)
{
	unsigned slot = 0;
	int rc = 0;

	blk_plug(r->dev);
	for (unsigned i = 0; i < ROUND_WRITES && !rc; i++) {
		rc = submit(r, slot++, true, r->next_write, r->pass);
		r->writes++;
		if (++r->next_write == r->nr_chunks) {
			r->next_write = 0;
			r->pass++;
		}
	}
	for (unsigned i = 0; i < ROUND_READS && !rc; i++) {
		unsigned back = ROUND_WRITES * (i + 2) + i;
		unsigned chunk = (r->next_write + r->nr_chunks * 2 - back) %
				 r->nr_chunks;

		if (!r->gen[chunk])
			continue;
		rc = submit(r, slot++, false, chunk, r->gen[chunk]);
		r->reads++;
	}
	blk_unplug(r->dev);
	return rc;
}

static bool round_done_or_asked(void *arg)
{
	struct suspend_run *r = arg;

	blk_poll(r->dev);
	xs_poll();
	return r->pending == 0 || r->shutdown_fired || blk_broken(r->dev);
}

/* The toolstack asked for a suspend: take it with the round in flight,
 * then connect the disk to its new backend. */
static void suspend_now(struct suspend_run *r)
{
	unsigned reads = 0, writes = 0;
	long rc;
	int brc;

	for (unsigned i = 0; i < ROUND_OPS; i++) {
		struct op *op = &r->op[i];

		if (op->run && !op->req.completed && !op->across) {
			op->across = true;
			if (op->write)
				writes++;
			else
				reads++;
		}
	}
	r->suspends++;
	r->in_flight_total += blk_in_flight(r->dev);
	r->across_reads += reads;
	r->across_writes += writes;
	kprintf("blk-suspend: suspend %u with %u request(s) in flight (%u "
		"write(s), %u read(s))\n", r->suspends, blk_in_flight(r->dev),
		writes, reads);
	/* Every second suspend comes after a pause in which responses are
	 * left on the ring, as a guest slow to quiesce leaves them: the
	 * resume takes those in as answers, never resubmitted. */
	if (r->suspends % 2 == 0)
		time_sleep(SLOW_QUIESCE_NS);
	rc = kern_suspend();
	if (rc != 0)
		return;
	/* The new domain's store has no watch of ours. */
	control_unwatch();
	control_watch(&r->shutdown_fired);
	brc = blk_resume(r->dev);
	result(r, brc == 0, "resume", "suspend %u: the disk reconnected with "
	       "%u request(s) outstanding: %d", r->suspends,
	       blk_in_flight(r->dev), brc);
}

/* Rounds until the toolstack asks for something other than a suspend:
 * that request, or SHUTDOWN_crash when the disk failed. */
static unsigned run_rounds(struct suspend_run *r)
{
	unsigned reason;
	int rc;

	for (;;) {
		if (r->pending == 0 && start_round(r))
			return SHUTDOWN_crash;
		if (!time_wait(round_done_or_asked, r, BLK_TIMEOUT_NS) ||
		    blk_broken(r->dev))
			return SHUTDOWN_crash;
		if (!r->shutdown_fired)
			continue;
		r->shutdown_fired = 0;
		rc = control_take_request(&reason);

		if (rc < 0)
			return SHUTDOWN_crash;
		if (rc == 0)
			continue;
		if (reason != SHUTDOWN_suspend)
			return reason;
		suspend_now(r);
	}
}

static bool drained(void *arg)
{
	struct suspend_run *r = arg;

	blk_poll(r->dev);
	return r->pending == 0 || blk_broken(r->dev);
}

/* Every chunk written reads back as its last acknowledged write. */
static void verify_all(struct suspend_run *r)
{
	unsigned checked = 0, bad = 0;
	unsigned char *buf = r->buf;
	int rc = 0;

	for (unsigned c = 0; c < r->nr_chunks && !rc; c++) {
		if (!r->gen[c])
			continue;
		rc = blk_read(r->dev, (uint64_t)c * r->count, r->count, buf);
		checked++;
		bad += !rc && !chunk_holds(buf, c, r->gen[c]);
	}
	result(r, rc == 0 && bad == 0 && checked > 0, "acknowledged-writes",
	       "%u chunk(s) read back, %u differ from their last "
	       "acknowledged write: %d", checked, bad, rc);
}

/* The whole disk gets the self-check's pattern, for the host. */
static void write_final(struct suspend_run *r)
{
	int rc = 0;

	for (unsigned c = 0; c < r->nr_chunks && !rc; c += FINAL_BATCH) {
		for (unsigned i = 0; i < FINAL_BATCH &&
		     c + i < r->nr_chunks && !rc; i++)
			rc = submit(r, i, true, c + i, GEN_FINAL);
		if (!time_wait(drained, r, BLK_TIMEOUT_NS) ||
		    blk_broken(r->dev))
			rc = rc ? rc : -XEN_EIO;
	}
	result(r, rc == 0 && r->errors == 0, "final-pattern",
	       "%u chunk(s) of the self-check's pattern: %d", r->nr_chunks,
	       rc);
}

static void report_rounds(struct suspend_run *r, unsigned reason)
{
	result(r, reason == SHUTDOWN_poweroff && r->errors == 0 &&
	       r->stale_reads == 0, "rounds",
	       "%u write(s), %u read(s), %u error(s), %u stale read(s)%s%s",
	       r->writes, r->reads, r->errors, r->stale_reads,
	       r->first_error[0] ? "; first: " : "", r->first_error);
	result(r, r->across_done == r->across_reads + r->across_writes,
	       "across-suspend", "%u suspend(s), %u request(s) in flight at "
	       "them in all (%u write(s), %u read(s)), %u of those completed",
	       r->suspends, r->in_flight_total, r->across_writes,
	       r->across_reads, r->across_done);
}

static unsigned disk_steps(struct suspend_run *r)
{
	const struct blk_info *info = blk_info(r->dev);
	uint64_t chunks = info->sectors * info->sector_size / CHUNK_BYTES;
	unsigned reason;

	r->count = CHUNK_BYTES / info->sector_size;
	if (!result(r, chunks >= 4 * ROUND_OPS && chunks <= MAX_CHUNKS &&
		    info->sectors * info->sector_size % CHUNK_BYTES == 0 &&
		    !info->readonly, "disk", "%llu chunk(s) of 4 KiB, %s",
		    (unsigned long long)chunks, info->readonly ? "read-only" :
		    "writable"))
		return SHUTDOWN_crash;
	r->nr_chunks = (unsigned)chunks;
	r->gen = page_alloc(GEN_PAGES);
	r->buf = page_alloc(BUF_PAGES);
	if (!r->gen || !r->buf) {
		result(r, false, "memory", "no pages for the workload");
		return SHUTDOWN_crash;
	}
	memset(r->gen, 0, r->nr_chunks * sizeof(uint32_t));
	r->pass = 1;
	if (control_watch(&r->shutdown_fired)) {
		result(r, false, "watch", "cannot watch control/shutdown");
		return SHUTDOWN_crash;
	}
	kprintf("blk-suspend: %s: writing and reading until the toolstack "
		"asks for a poweroff\n", info->nodename);
	reason = run_rounds(r);
	control_unwatch();
	if (!time_wait(drained, r, BLK_TIMEOUT_NS))
		r->errors++;
	report_rounds(r, reason);
	verify_all(r);
	write_final(r);
	return reason;
}

unsigned blk_suspend_run(unsigned *reason)
{
	static struct suspend_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	*reason = SHUTDOWN_crash;
	rc = blk_open(0, &r.dev);
	if (result(&r, rc == 0, "open", "first vbd of %d: %d", blk_count(),
		   rc)) {
		*reason = disk_steps(&r);
		rc = blk_close(r.dev);
		result(&r, rc == 0, "close", "%d", rc);
	}
	if (r.gen)
		page_free(r.gen, GEN_PAGES);
	if (r.buf)
		page_free(r.buf, BUF_PAGES);
	kprintf("blk-suspend: %u passed, %u failed, 0 skipped\n", r.passed,
		r.failed);
	return r.failed;
}
