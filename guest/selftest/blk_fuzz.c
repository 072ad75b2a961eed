/* SPDX-License-Identifier: BSD-2-Clause */
/* The block workload of a fault run (bootarg "blk-fuzz=SEED", driven by
 * `xensim sim`): on the first vbd, a seeded mix of writes, reads, flushes
 * and discards at a seeded queue depth deeper than small rings hold, with
 * batching on and off, each write carrying a pattern of its own
 * generation. Every read is checked against the generation last written
 * to each sector and acknowledged; at the end the whole disk is read back
 * and checked the same way. Overlapping requests are never in flight
 * together (blkif leaves their order undefined). The backend may restart,
 * run slow or run short: the device must carry on, never lose or corrupt
 * an acknowledged write. One "blk-fuzz: ok|FAIL|skip NAME: ..." line per
 * step, then "blk-fuzz: N passed, N failed, N skipped". */
#include <stdarg.h>

#include <xen/errno.h>

#include "gxen/blk.h"
#include "gxen/blk_pattern.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define FUZZ_DEPTH       48u        /* more than one small ring holds */
#define FUZZ_MAX_COUNT   16u        /* sectors per request, at most */
#define FUZZ_MAX_SECTORS 1024u      /* the part of the disk used */
#define FUZZ_SLOT_BYTES  (FUZZ_MAX_COUNT * 4096u)
#define GEN_ANY          0xffffu    /* discarded: may read as anything */

struct fuzz_slot {
	struct blk_request req;
	bool busy;
	uint16_t gen;                 /* a write's generation */
	uint64_t order;               /* submission order, oldest first */
	unsigned char *buf;
};

struct fuzz {
	struct blk_dev *dev;
	const struct blk_info *info;
	uint64_t rng;
	unsigned seed;
	uint32_t nsect, max_count, size;
	unsigned depth;
	bool registered;
	uint16_t gen[FUZZ_MAX_SECTORS];     /* last acknowledged write's */
	uint8_t writing[FUZZ_MAX_SECTORS];  /* writes/discards in flight */
	uint8_t reading[FUZZ_MAX_SECTORS];
	struct fuzz_slot slot[FUZZ_DEPTH];
	unsigned char *pool;
	uint16_t next_gen;
	uint64_t next_order;
	unsigned passed, failed;
	/* What the workload did and met. */
	unsigned writes, reads, flushes, discards, ring_full, overlap_waits;
	unsigned errors, mismatches, reopens;
	uint64_t first_bad;           /* sector, or ~0 */
	uint16_t bad_want;
};

static struct fuzz fz;

static void verdict(struct fuzz *f, bool ok, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void verdict(struct fuzz *f, bool ok, const char *name,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	selftest_step("blk-fuzz", &f->passed, &f->failed, ok, name, fmt, ap);
	va_end(ap);
}

static uint32_t next_random(struct fuzz *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return (uint32_t)(f->rng >> 16);
}

static uint64_t pattern_seed(const struct fuzz *f, uint16_t gen)
{
	return BLK_PATTERN_SEED ^ ((uint64_t)f->seed << 24) ^
	       ((uint64_t)gen * 0x9e3779b97f4a7c15ull);
}

/* ---- completions ---- */

static void check_sector(struct fuzz *f, uint64_t sector,
			 const unsigned char *p)
{
	uint16_t gen = f->gen[sector];
	size_t at = f->size;

	if (gen == GEN_ANY)
		return;
	if (gen == 0) {
		for (at = 0; at < f->size && !p[at]; at++)
			;
	} else {
		at = blk_pattern_check(pattern_seed(f, gen), sector * f->size,
				       p, f->size);
	}
	if (at == f->size)
		return;
	if (f->mismatches++ == 0) {
		f->first_bad = sector;
		f->bad_want = gen;
	}
}

static void slot_done(struct blk_request *req, void *arg)
{
	struct fuzz_slot *slot = arg;
	struct fuzz *f = &fz;

	slot->busy = false;
	for (uint32_t i = 0; i < req->count; i++) {
		uint64_t s = req->sector + i;

		switch (req->op) {
		case BLK_WRITE:
			/* A failed write may or may not have landed. */
			f->gen[s] = req->status ? GEN_ANY : slot->gen;
			f->writing[s]--;
			break;
		case BLK_DISCARD:
			f->gen[s] = GEN_ANY;
			f->writing[s]--;
			break;
		case BLK_READ:
			if (!req->status)
				check_sector(f, s, (const unsigned char *)
					     req->buf + (size_t)i * f->size);
			f->reading[s]--;
			break;
		default:
			break;
		}
	}
	if (req->status && req->status != -XEN_EOPNOTSUPP)
		f->errors++;
}

/* ---- waiting ---- */

static struct fuzz_slot *oldest_busy(struct fuzz *f)
{
	struct fuzz_slot *oldest = NULL;

	for (unsigned i = 0; i < FUZZ_DEPTH; i++)
		if (f->slot[i].busy &&
		    (!oldest || f->slot[i].order < oldest->order))
			oldest = &f->slot[i];
	return oldest;
}

/* Wait for the oldest request; false when the device gave up. */
static bool wait_oldest(struct fuzz *f)
{
	struct fuzz_slot *slot = oldest_busy(f);
	int rc;

	if (!slot)
		return true;
	rc = blk_wait(f->dev, &slot->req, BLK_TIMEOUT_NS);
	if (rc == -XEN_ETIMEDOUT || blk_broken(f->dev)) {
		verdict(f, false, "progress", "request at sector %llu never "
			"completed: %s", (unsigned long long)slot->req.sector,
			blk_broken_reason(f->dev));
		return false;
	}
	return true;
}

static bool drain(struct fuzz *f)
{
	while (oldest_busy(f))
		if (!wait_oldest(f))
			return false;
	return true;
}

static struct fuzz_slot *free_slot(struct fuzz *f)
{
	unsigned busy = 0;

	for (unsigned i = 0; i < FUZZ_DEPTH; i++)
		busy += f->slot[i].busy;
	if (busy >= f->depth)
		return NULL;
	for (unsigned i = 0; i < FUZZ_DEPTH; i++)
		if (!f->slot[i].busy)
			return &f->slot[i];
	return NULL;
}

/* Whether [first, first + count) may take a request of op now. */
static bool overlaps(const struct fuzz *f, enum blk_op op, uint64_t first,
		     uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		uint64_t s = first + i;

		if (f->writing[s] || (op != BLK_READ && f->reading[s]))
			return true;
	}
	return false;
}

/* ---- submitting ---- */

static bool submit(struct fuzz *f, enum blk_op op, uint64_t sector,
		   uint32_t count)
{
	struct fuzz_slot *slot;
	int rc;

	while (overlaps(f, op, sector, count)) {
		f->overlap_waits++;
		if (!wait_oldest(f))
			return false;
	}
	while (!(slot = free_slot(f)))
		if (!wait_oldest(f))
			return false;
	slot->req = (struct blk_request){
		.op = op, .sector = sector, .count = count, .buf = slot->buf,
		.done = slot_done, .arg = slot,
	};
	if (op == BLK_WRITE) {
		slot->gen = ++f->next_gen == GEN_ANY ? ++f->next_gen :
			    f->next_gen;
		blk_pattern_fill(pattern_seed(f, slot->gen), sector * f->size,
				 slot->buf, (size_t)count * f->size);
	}
	/* A full ring frees up as responses come in: the frontend waits,
	 * the request is never dropped. */
	while ((rc = blk_submit(f->dev, &slot->req)) == -XEN_EBUSY) {
		f->ring_full++;
		if (!oldest_busy(f)) {
			blk_unplug(f->dev);
			blk_poll(f->dev);
		} else if (!wait_oldest(f)) {
			return false;
		}
	}
	if (rc) {
		verdict(f, false, "submit", "%s of %u sector(s) at %llu "
			"refused: %d", op == BLK_READ ? "read" : "request",
			count, (unsigned long long)sector, rc);
		return false;
	}
	slot->busy = true;
	slot->order = f->next_order++;
	for (uint32_t i = 0; i < count; i++) {
		if (op == BLK_READ)
			f->reading[sector + i]++;
		else if (op != BLK_FLUSH)
			f->writing[sector + i]++;
	}
	return true;
}

/* A random extent: up to max_count sectors inside the part used. */
static void extent(struct fuzz *f, uint64_t *sector, uint32_t *count)
{
	*count = 1 + next_random(f) % f->max_count;
	if (*count > f->nsect)
		*count = f->nsect;
	*sector = next_random(f) % (f->nsect - *count + 1);
}

/* A streaming burst: up to FUZZ_DEPTH small writes or reads one after
 * the other, none waited for, more than a small ring holds. */
static bool burst(struct fuzz *f)
{
	enum blk_op op = next_random(f) % 2 ? BLK_WRITE : BLK_READ;
	unsigned n = 1 + next_random(f) % FUZZ_DEPTH;
	uint32_t count = 1 + next_random(f) % 4;
	uint64_t sector = next_random(f) % f->nsect;

	if (count > f->nsect)
		count = f->nsect;
	for (unsigned i = 0; i < n; i++) {
		if (sector + count > f->nsect)
			sector = 0;
		if (op == BLK_WRITE)
			f->writes++;
		else
			f->reads++;
		if (!submit(f, op, sector, count))
			return false;
		sector += count;
	}
	return true;
}

static bool one_op(struct fuzz *f)
{
	unsigned roll = next_random(f) % 100;
	uint64_t sector;
	uint32_t count;

	extent(f, &sector, &count);
	if (roll < 6)
		return burst(f);
	if (roll < 8) {
		/* Batching on or off: a plugged burst goes out in one push. */
		if (roll < 4)
			blk_plug(f->dev);
		else
			blk_unplug(f->dev);
		return true;
	}
	if (roll < 55) {
		f->writes++;
		return submit(f, BLK_WRITE, sector, count);
	}
	if (roll < 88) {
		f->reads++;
		return submit(f, BLK_READ, sector, count);
	}
	if (roll < 93) {
		if (!f->info->flush)
			return true;
		f->flushes++;
		return submit(f, BLK_FLUSH, 0, 0);
	}
	if (roll < 97) {
		if (!f->info->discard)
			return true;
		f->discards++;
		return submit(f, BLK_DISCARD, sector, count);
	}
	/* Wait for everything once in a while, as a file system's sync. */
	return drain(f);
}

/* ---- the run ---- */

static int open_device(struct fuzz *f)
{
	int rc = blk_open(0, &f->dev);

	if (rc)
		return rc;
	f->info = blk_info(f->dev);
	f->registered = false;
	/* Registered buffers or bounce pages, as the seed says; a grant
	 * table that runs short refuses the registration (-XEN_ENOSPC)
	 * and the bounce pages carry the data. */
	if (f->seed & 1)
		f->registered = blk_register_buffer(f->dev, f->pool,
			FUZZ_DEPTH * FUZZ_SLOT_BYTES) == 0;
	return 0;
}

static bool setup(struct fuzz *f)
{
	int rc;

	f->pool = page_alloc(FUZZ_DEPTH * FUZZ_SLOT_BYTES / PAGE_SIZE);
	if (!f->pool) {
		verdict(f, false, "open", "no memory for the buffers");
		return false;
	}
	for (unsigned i = 0; i < FUZZ_DEPTH; i++)
		f->slot[i].buf = f->pool + (size_t)i * FUZZ_SLOT_BYTES;
	rc = open_device(f);
	if (rc) {
		verdict(f, false, "open", "first vbd: %d", rc);
		return false;
	}
	f->size = f->info->sector_size;
	f->nsect = f->info->sectors < FUZZ_MAX_SECTORS ?
		   (uint32_t)f->info->sectors : FUZZ_MAX_SECTORS;
	f->max_count = f->info->max_segments * PAGE_SIZE / f->size;
	if (f->max_count > FUZZ_MAX_COUNT)
		f->max_count = FUZZ_MAX_COUNT;
	f->depth = 1 + next_random(f) % FUZZ_DEPTH;
	verdict(f, true, "open", "%s: %u sectors of %u bytes used, %u "
		"queue(s) of %u ring page(s), ring depth %u, %u segments, "
		"workload depth %u, %s", f->info->nodename, f->nsect, f->size,
		f->info->nr_queues, f->info->ring_pages, f->info->depth,
		f->info->max_segments, f->depth,
		f->registered ? "registered buffers" : "bounce pages");
	return true;
}

static bool workload(struct fuzz *f)
{
	unsigned ops = 120 + next_random(f) % 80;
	unsigned reopen_at = next_random(f) % 3 ? ~0u : next_random(f) % ops;

	for (unsigned i = 0; i < ops; i++) {
		if (i == reopen_at) {
			/* The guest's own close and open in the middle. */
			if (!drain(f))
				return false;
			blk_close(f->dev);
			if (open_device(f)) {
				verdict(f, false, "reopen", "cannot open again");
				return false;
			}
			f->reopens++;
		}
		if (!one_op(f))
			return false;
	}
	if (!drain(f))
		return false;
	verdict(f, f->errors == 0 && f->mismatches == 0, "workload",
		"%u writes, %u reads, %u flushes, %u discards, %u reopen(s); "
		"waited %u time(s) on a full ring, %u on overlaps; %u error(s), "
		"%u mismatch(es)%s", f->writes, f->reads, f->flushes,
		f->discards, f->reopens, f->ring_full, f->overlap_waits,
		f->errors, f->mismatches, f->mismatches ? " (first below)" :
		"");
	return true;
}

static void final_verify(struct fuzz *f)
{
	unsigned before = f->mismatches;

	for (uint64_t s = 0; s < f->nsect; s += f->max_count) {
		uint32_t count = f->nsect - s < f->max_count ?
				 (uint32_t)(f->nsect - s) : f->max_count;

		if (!submit(f, BLK_READ, s, count))
			return;
	}
	if (!drain(f))
		return;
	verdict(f, f->mismatches == before && f->errors == 0, "verify",
		"sectors 0..%u read back: %u mismatch(es)", f->nsect - 1,
		f->mismatches - before);
}

unsigned blk_fuzz_run(void)
{
	struct fuzz *f = &fz;

	memset(f, 0, sizeof(*f));
	f->seed = bootarg_uint("blk-fuzz", 1, 0xffffffffu);
	f->rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)f->seed << 1) ^ 1;
	f->first_bad = ~0ull;
	kprintf("blk-fuzz: seed %u\n", f->seed);
	if (setup(f) && workload(f))
		final_verify(f);
	if (f->mismatches)
		kprintf("blk-fuzz: first mismatch at sector %llu: want "
			"generation %u\n", (unsigned long long)f->first_bad,
			f->bad_want);
	if (f->dev && !blk_broken(f->dev))
		blk_close(f->dev);
	kprintf("blk-fuzz: %u passed, %u failed, 0 skipped\n", f->passed,
		f->failed);
	return f->failed;
}
