/* SPDX-License-Identifier: BSD-2-Clause */
/* The block self-check (bootarg "blk-selftest"): on the first vbd, write
 * the seeded pattern over the whole disk in requests of mixed sizes at
 * mixed queue depths, flush, read it all back, discard a range and check
 * the rest survived (discarded sectors may read as anything: blkif makes
 * no promise of zeroes), write the range again, register the request
 * buffers (zero copy) and verify the whole disk through them, close and
 * reconnect. One "blk-selftest: ok|FAIL|skip NAME: ..." line per
 * step, then "blk-selftest: N passed, N failed, N skipped". The image is
 * left holding exactly the pattern, for the host to check. */
#include <stdarg.h>

#include <xen/errno.h>

#include "gxen/blk.h"
#include "gxen/blk_pattern.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define MAX_DEPTH 32u
#define MAX_BYTES (64u * 1024)   /* per request, the pool's slot size */

struct blk_run {
	struct blk_dev *dev;
	const struct blk_info *info;
	unsigned passed, failed, skipped;
	uint64_t rng;
	unsigned char *pool;          /* MAX_DEPTH slots of MAX_BYTES */
	uint32_t max_count;           /* sectors per request */
	unsigned max_depth;
	/* Sectors [skip_first, skip_end) are not verified (discarded). */
	uint64_t skip_first, skip_end;
	/* What a sweep found. */
	unsigned requests, errors;
	uint64_t bad_offset;          /* first mismatch, or ~0 */
};

static void line(struct blk_run *r, const char *verdict, const char *name,
		 const char *fmt, va_list ap)
{
	char msg[200];

	kvsnprintf(msg, sizeof(msg), fmt, ap);
	kprintf("blk-selftest: %s %s: %s\n", verdict, name, msg);
	(void)r;
}

static bool result(struct blk_run *r, bool ok, const char *name,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool result(struct blk_run *r, bool ok, const char *name,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(r, ok ? "ok" : "FAIL", name, fmt, ap);
	va_end(ap);
	if (ok)
		r->passed++;
	else
		r->failed++;
	return ok;
}

static void skip(struct blk_run *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void skip(struct blk_run *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(r, "skip", name, fmt, ap);
	va_end(ap);
	r->skipped++;
}

static uint32_t next_random(struct blk_run *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return (uint32_t)(r->rng >> 16);
}

/* Check a read chunk sector by sector, leaving out the discarded ones. */
static void verify_chunk(struct blk_run *r, const struct blk_request *req)
{
	uint32_t size = r->info->sector_size;

	for (uint32_t s = 0; s < req->count; s++) {
		uint64_t sector = req->sector + s;
		const unsigned char *p = (const unsigned char *)req->buf +
					 (size_t)s * size;
		size_t at;

		if (sector >= r->skip_first && sector < r->skip_end)
			continue;
		at = blk_pattern_check(BLK_PATTERN_SEED, sector * size, p, size);
		if (at != size && r->bad_offset == ~0ull)
			r->bad_offset = sector * size + at;
	}
}

static void chunk_done(struct blk_request *req, void *arg)
{
	struct blk_run *r = arg;

	if (req->status)
		r->errors++;
	else if (req->op == BLK_READ)
		verify_chunk(r, req);
}

/* Write (pattern) or read (and verify) sectors [first, end): batches of up
 * to `depth` requests of random sizes, each batch drained before the next,
 * the depth cycling through 1, 4 and the maximum. */
static bool sweep(struct blk_run *r, enum blk_op op, uint64_t first,
		  uint64_t end)
{
	static struct blk_request req[MAX_DEPTH];
	static const unsigned depths[] = { 1, 4, MAX_DEPTH };
	uint64_t sector = first;
	unsigned batch = 0;

	r->requests = r->errors = 0;
	r->bad_offset = ~0ull;
	while (sector < end && r->errors == 0) {
		unsigned depth = depths[batch++ % 3], n = 0;

		if (depth > r->max_depth)
			depth = r->max_depth;
		for (; n < depth && sector < end; n++) {
			uint32_t count = 1 + next_random(r) % r->max_count;
			unsigned char *buf = r->pool + (size_t)n * MAX_BYTES;
			int rc;

			if (count > end - sector)
				count = (uint32_t)(end - sector);
			if (op == BLK_WRITE)
				blk_pattern_fill(BLK_PATTERN_SEED,
						 sector * r->info->sector_size,
						 buf, (size_t)count *
						 r->info->sector_size);
			req[n] = (struct blk_request){
				.op = op, .sector = sector, .count = count,
				.buf = buf, .done = chunk_done, .arg = r,
			};
			rc = blk_submit(r->dev, &req[n]);
			if (rc) {
				kprintf("blk-selftest: submit at sector %llu "
					"failed: %d\n",
					(unsigned long long)sector, rc);
				r->errors++;
				break;
			}
			r->requests++;
			sector += count;
		}
		if (blk_drain(r->dev, BLK_TIMEOUT_NS))
			r->errors++;
	}
	return r->errors == 0 && r->bad_offset == ~0ull;
}

static void report_sweep(struct blk_run *r, bool ok, const char *name,
			 uint64_t first, uint64_t end)
{
	if (r->bad_offset != ~0ull)
		result(r, false, name, "byte %llu differs from the pattern",
		       (unsigned long long)r->bad_offset);
	else
		result(r, ok, name, "sectors %llu..%llu in %u requests%s",
		       (unsigned long long)first, (unsigned long long)end - 1,
		       r->requests, r->errors ? ", with errors" : "");
}

static void describe(const struct blk_info *info)
{
	kprintf("blk-selftest: %s: %llu sectors of %u bytes (physical %u), "
		"%u queue(s) of %u ring page(s), depth %u, %u segments,"
		"%s%s%s%s%s%s\n", info->nodename,
		(unsigned long long)info->sectors, info->sector_size,
		info->physical_sector_size, info->nr_queues, info->ring_pages,
		info->depth, info->max_segments,
		info->readonly ? " read-only" : "",
		!info->flush ? "" : info->flush_cache ? " flush" :
		" flush-by-barrier", info->barrier ? " barrier" : "",
		info->discard ? " discard" : "",
		info->secure_discard ? " secure-discard" : "",
		info->persistent ? " persistent" : "");
}

static void flush_step(struct blk_run *r, const char *name)
{
	int rc;

	if (!r->info->flush) {
		skip(r, name, "the backend offers no flush");
		return;
	}
	rc = blk_flush(r->dev);
	result(r, rc == 0, name, "status %d", rc);
}

/* A middle quarter of the disk, on discard-granularity boundaries. */
static void discard_step(struct blk_run *r)
{
	const struct blk_info *info = r->info;
	uint64_t gran = info->discard_granularity / info->sector_size;
	uint64_t first = (info->sectors / 4 + gran - 1) / gran * gran;
	uint64_t count = info->sectors / 4 / gran * gran;
	int rc = 0;

	if (!info->discard) {
		skip(r, "discard", "the backend offers no discard");
		return;
	}
	if (count == 0) {
		skip(r, "discard", "disk smaller than 4 discard granules");
		return;
	}
	/* The first granule securely when the backend offers it. */
	if (info->secure_discard)
		rc = blk_discard(r->dev, first, (uint32_t)gran, true);
	if (rc == 0)
		rc = blk_discard(r->dev, first, (uint32_t)count, false);
	if (!result(r, rc == 0, "discard", "sectors %llu..%llu%s: status %d",
		    (unsigned long long)first,
		    (unsigned long long)(first + count - 1),
		    info->secure_discard ? " (first granule secure)" : "", rc))
		return;
	r->skip_first = first;
	r->skip_end = first + count;
	report_sweep(r, sweep(r, BLK_READ, 0, info->sectors),
		     "verify-around-discard", 0, info->sectors);
	r->skip_first = r->skip_end = 0;
	report_sweep(r, sweep(r, BLK_WRITE, first, first + count),
		     "rewrite-discarded", first, first + count);
}

/* Register the pool: requests in it then use its own grants, no copy.
 * Bad registrations are refused first; then one write and read back at a
 * sector offset inside a page, whose segments start mid-page and span a
 * page boundary. The write rewrites pattern data, so the disk keeps it. */
static void register_step(struct blk_run *r)
{
	uint32_t size = r->info->sector_size;
	uint32_t count = (2 * PAGE_SIZE) / size;
	unsigned char *buf = r->pool + size;
	size_t len = MAX_DEPTH * MAX_BYTES;
	int bad = blk_register_buffer(r->dev, r->pool + 512, PAGE_SIZE);
	int rc;

	if (!result(r, bad == -XEN_EINVAL, "register-unaligned",
		    "a buffer off a page boundary: %d", bad))
		return;
	rc = blk_register_buffer(r->dev, r->pool, len);
	bad = blk_register_buffer(r->dev, r->pool + PAGE_SIZE, PAGE_SIZE);
	if (!result(r, rc == 0 && bad == -XEN_EINVAL, "register",
		    "%u KiB: %d; inside it again: %d", (unsigned)(len / 1024), rc, bad))
		return;
	if (count > r->max_count)
		count = r->max_count;
	blk_pattern_fill(BLK_PATTERN_SEED, 0, buf, (size_t)count * size);
	rc = blk_write(r->dev, 0, count, buf);
	memset(buf, 0, (size_t)count * size);
	if (rc == 0)
		rc = blk_read(r->dev, 0, count, buf);
	result(r, rc == 0 && blk_pattern_check(BLK_PATTERN_SEED, 0, buf,
					       (size_t)count * size) ==
		   (size_t)count * size, "registered-mid-page",
	       "%u sectors from pool + %u: %d", count, size, rc);
}

static void reconnect_step(struct blk_run *r)
{
	uint64_t end;
	int rc = blk_close(r->dev);

	r->dev = NULL;
	if (rc == 0)
		rc = blk_open(0, &r->dev);
	if (!result(r, rc == 0, "reconnect", "close and open again: %d", rc))
		return;
	r->info = blk_info(r->dev);
	end = r->info->sectors < 256 ? r->info->sectors : 256;
	report_sweep(r, sweep(r, BLK_READ, 0, end), "verify-after-reconnect",
		     0, end);
}

static void run_steps(struct blk_run *r)
{
	const struct blk_info *info = r->info;

	describe(info);
	r->max_count = (info->max_segments * 4096u < MAX_BYTES ?
			info->max_segments * 4096u : MAX_BYTES) /
		       info->sector_size;
	r->max_depth = info->depth * info->nr_queues;
	if (info->readonly) {
		skip(r, "write", "the device is read-only");
		report_sweep(r, sweep(r, BLK_READ, 0, info->sectors), "read",
			     0, info->sectors);
		return;
	}
	report_sweep(r, sweep(r, BLK_WRITE, 0, info->sectors), "write", 0,
		     info->sectors);
	flush_step(r, "flush");
	report_sweep(r, sweep(r, BLK_READ, 0, info->sectors), "verify", 0,
		     info->sectors);
	discard_step(r);
	flush_step(r, "flush-again");
	register_step(r);
	report_sweep(r, sweep(r, BLK_READ, 0, info->sectors), "final-verify",
		     0, info->sectors);
	reconnect_step(r);
}

unsigned blk_selftest_run(void)
{
	static struct blk_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.rng = BLK_PATTERN_SEED;
	r.pool = page_alloc(MAX_DEPTH * MAX_BYTES / PAGE_SIZE);
	rc = r.pool ? blk_open(0, &r.dev) : -XEN_ENOMEM;
	if (result(&r, rc == 0, "open", "first vbd of %d: %d", blk_count(),
		   rc)) {
		r.info = blk_info(r.dev);
		run_steps(&r);
	}
	if (r.dev)
		blk_close(r.dev);
	if (r.pool)
		page_free(r.pool, MAX_DEPTH * MAX_BYTES / PAGE_SIZE);
	kprintf("blk-selftest: %u passed, %u failed, %u skipped\n", r.passed,
		r.failed, r.skipped);
	return r.failed;
}
