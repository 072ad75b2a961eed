/* SPDX-License-Identifier: BSD-2-Clause */
/* The block reattach check (bootarg "blk-reattach"): with the first vbd
 * open and reads kept in flight, wait for the toolstack to take the disk
 * away (xl block-detach), check that every request ended (answered, or
 * failed with -XEN_EIO) and that the gone device takes nothing new; then
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
	unsigned round_answered, round_eio; /* the round the detach ended */
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

	if (req->status == 0) {
		r->answered++;
		r->round_answered++;
	} else if (req->status == -XEN_EIO) {
		r->eio++;
		r->round_eio++;
	} else {
		r->other++;
	}
}

/* Rounds of DEPTH reads over the start of the disk, each drained before
 * the next, until the device goes away (or breaks). The drain's wait is
 * where the toolstack's removal comes in: requests are in flight then. */
static int read_until_gone(struct reattach *r, struct blk_dev *dev,
			   unsigned char *buf)
{
	static struct blk_request req[DEPTH];
	const struct blk_info *info = blk_info(dev);
	uint32_t count = READ_BYTES / info->sector_size;
	uint64_t span = info->sectors / count * count, sector = 0;
	int rc = 0;

	if (span == 0)
		return -XEN_EINVAL;
	while (!blk_gone(dev) && !blk_broken(dev)) {
		r->round_answered = r->round_eio = 0;
		for (unsigned n = 0; n < DEPTH; n++) {
			req[n] = (struct blk_request){
				.op = BLK_READ, .sector = sector,
				.count = count, .buf = buf + n * READ_BYTES,
				.done = read_done, .arg = r,
			};
			rc = blk_submit(dev, &req[n]);
			if (rc)
				break;
			r->submitted++;
			sector = (sector + count) % span;
		}
		if (rc && rc != -XEN_ENODEV)
			return rc;
		rc = blk_drain(dev, BLK_TIMEOUT_NS);
		if (rc && rc != -XEN_ENODEV)
			return rc;
	}
	return blk_gone(dev) ? 0 : -XEN_EIO;
}

static void detach_steps(struct reattach *r, struct blk_dev *dev,
			 unsigned char *buf)
{
	struct blk_request late = { .op = BLK_READ, .count = 1, .buf = buf };
	int rc;

	kprintf("blk-reattach: %s connected: reading until the toolstack "
		"takes it away\n", blk_info(dev)->nodename);
	rc = read_until_gone(r, dev, buf);
	if (!result(r, rc == 0, "detach", "%u read(s) in all; the last "
		    "round: %u answered, %u failed with EIO: %d", r->submitted,
		    r->round_answered, r->round_eio, rc))
		return;
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
