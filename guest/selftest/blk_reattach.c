/* SPDX-License-Identifier: BSD-2-Clause */
/* The block reattach check (bootarg "blk-reattach"): with the first vbd
 * open and reads kept in flight without a pause, wait for the toolstack
 * to take the disk away (xl block-detach), check that it met requests in
 * flight, that every request ended (answered, or failed with -XEN_EIO)
 * and that the gone device takes nothing new; then
 * wait, watching the device directory, for a disk to come back (xl
 * block-attach) and run the block self-check on it. One
 * "blk-reattach: ok|FAIL NAME: ..." line per step, then
 * "blk-reattach: N passed, N failed, N skipped". */
#include <stdarg.h>

#include <xen/errno.h>

#include "gxen/blk.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define DEPTH      4u
#define READ_BYTES 8192u

struct reattach {
	unsigned passed, failed;
	unsigned submitted, answered, eio, other;
};

static bool result(struct reattach *r, bool ok, const char *name,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool result(struct reattach *r, bool ok, const char *name,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = selftest_step("blk-reattach", &r->passed, &r->failed, ok, name,
			   fmt, ap);
	va_end(ap);
	return ok;
}

static void read_done(struct blk_request *req, void *arg)
{
	struct reattach *r = arg;

	if (req->status == 0)
		r->answered++;
	else if (req->status == -XEN_EIO)
		r->eio++;
	else
		r->other++;
}

/* DEPTH reads over the start of the disk kept in flight until the device
 * goes away (or breaks): we wait for the oldest and send it again at
 * once, so the others are in flight whenever the layer takes in the
 * toolstack's removal, which it does only while we wait or submit. */
static int read_until_gone(struct reattach *r, struct blk_dev *dev,
			   unsigned char *buf)
{
	static struct blk_request req[DEPTH];
	const struct blk_info *info = blk_info(dev);
	uint32_t count = READ_BYTES / info->sector_size;
	uint64_t span = info->sectors / count * count, sector = 0;
	unsigned oldest = 0;
	int rc = 0;

	if (span == 0)
		return -XEN_EINVAL;
	for (unsigned n = 0; n < DEPTH; n++)
		req[n].completed = true;        /* a free slot */
	while (!blk_gone(dev) && !blk_broken(dev)) {
		for (unsigned n = 0; n < DEPTH && !rc; n++) {
			if (!req[n].completed)
				continue;
			req[n] = (struct blk_request){
				.op = BLK_READ, .sector = sector,
				.count = count, .buf = buf + n * READ_BYTES,
				.done = read_done, .arg = r,
			};
			rc = blk_submit(dev, &req[n]);
			if (rc) {
				req[n].completed = true;
				break;
			}
			r->submitted++;
			sector = (sector + count) % span;
		}
		if (rc == -XEN_ENODEV)
			break;
		if (rc)
			return rc;
		/* An answer or an EIO: either way the slot is free again. */
		rc = blk_wait(dev, &req[oldest], BLK_TIMEOUT_NS);
		if (rc && rc != -XEN_EIO && rc != -XEN_ENODEV)
			return rc;
		rc = 0;
		oldest = (oldest + 1) % DEPTH;
	}
	return blk_gone(dev) ? 0 : -XEN_EIO;
}

static void detach_steps(struct reattach *r, struct blk_dev *dev,
			 unsigned char *buf)
{
	struct blk_request late = { .op = BLK_READ, .count = 1, .buf = buf };
	struct blk_removal met;
	int rc;

	kprintf("blk-reattach: %s connected: reading until the toolstack "
		"takes it away\n", blk_info(dev)->nodename);
	rc = read_until_gone(r, dev, buf);
	if (!result(r, rc == 0, "detach", "%u read(s) in all: %d",
		    r->submitted, rc))
		return;
	blk_removal(dev, &met);
	result(r, met.in_flight > 0 &&
	       met.answered + met.failed == met.in_flight, "detach-met-reads",
	       "%u read(s) in flight when the toolstack took the disk: %u "
	       "answered, %u failed with EIO", met.in_flight, met.answered,
	       met.failed);
	result(r, r->answered + r->eio == r->submitted && r->other == 0,
	       "detach-ended-all", "%u answered + %u EIO of %u, %u other",
	       r->answered, r->eio, r->submitted, r->other);
	rc = blk_submit(dev, &late);
	result(r, rc == -XEN_ENODEV, "detach-refuses-new",
	       "a read after the removal: %d", rc);
}

unsigned blk_reattach_run(void)
{
	static struct reattach r;
	struct blk_dev *dev = NULL;
	unsigned char *buf = page_alloc(DEPTH * READ_BYTES / PAGE_SIZE);
	unsigned failed;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = buf ? blk_open(0, &dev) : -XEN_ENOMEM;
	if (result(&r, rc == 0, "open", "first vbd of %d: %d", blk_count(),
		   rc))
		detach_steps(&r, dev, buf);
	if (dev) {
		rc = blk_close(dev);
		result(&r, rc == 0, "close-after-detach", "%d", rc);
	}
	if (buf)
		page_free(buf, DEPTH * READ_BYTES / PAGE_SIZE);
	if (r.failed == 0) {
		kprintf("blk-reattach: detached; waiting for a disk to be "
			"attached\n");
		rc = blk_wait_attached();
		if (result(&r, rc == 0, "attach", "a new vbd: %d", rc)) {
			failed = blk_selftest_run();
			result(&r, failed == 0, "selftest-after-attach",
			       "%u step(s) failed", failed);
		}
	}
	kprintf("blk-reattach: %u passed, %u failed, 0 skipped\n", r.passed,
		r.failed);
	return r.failed;
}
