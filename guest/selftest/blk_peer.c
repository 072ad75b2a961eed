/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "blk-peer": the workload the emulated fuzz target snapshots
 * (tests/fuzz/fuzz_emu_blkfront.c). On the first vbd, every slot is kept
 * busy with one-page reads, writes, flushes and discards, each submitted
 * again as it completes, forever; "blk-peer: ready" once the first ones
 * are out. The backend may be anything. The device must hold its
 * promises whatever it does: a status other than 0, -EIO or -EOPNOTSUPP,
 * a request completed twice, an in-flight count that differs from ours,
 * or a broken device with requests still pending ends the run in a panic
 * (the target's findings). A device that found its backend broken is
 * left alone: the guest then waits forever. No state outside the call:
 * nothing for a new boot to reset. */
#include <xen/errno.h>

#include "gxen/blk.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest.h"

#define PEER_SLOTS 8u
/* Long enough that only a backend that answers nothing times out. */
#define PEER_WAIT_NS (1000ull * 1000)

struct peer;

struct peer_slot {
	struct blk_request req;
	struct peer *p;
	bool busy;
	unsigned done_calls;
};

struct peer {
	struct blk_dev *dev;
	const struct blk_info *info;
	struct peer_slot slot[PEER_SLOTS];
	unsigned busy;
	unsigned next;                /* picks the next operation */
	unsigned char *pages;         /* a page of data per slot */
};

static void slot_done(struct blk_request *req, void *arg)
{
	struct peer_slot *slot = arg;

	if (!slot->busy || slot->done_calls++)
		panic("blk-peer: a request completed twice");
	if (!req->completed)
		panic("blk-peer: a completion without the completed flag");
	if (req->status != 0 && req->status != -XEN_EIO &&
	    req->status != -XEN_EOPNOTSUPP)
		panic("blk-peer: a completion with status %d", req->status);
	slot->busy = false;
	slot->p->busy--;
}

/* The next operation the device offers, over the slot's page. */
static void prepare(struct peer *p, unsigned i)
{
	static const enum blk_op ops[] = {
		BLK_READ, BLK_WRITE, BLK_READ, BLK_FLUSH, BLK_WRITE,
		BLK_DISCARD,
	};
	struct peer_slot *slot = &p->slot[i];
	uint32_t per_page = 4096u / p->info->sector_size;
	enum blk_op op;

	do
		op = ops[p->next++ % (sizeof(ops) / sizeof(ops[0]))];
	while ((op == BLK_FLUSH && !p->info->flush) ||
	       (op == BLK_DISCARD && !p->info->discard) ||
	       (op == BLK_WRITE && p->info->readonly));
	memset(&slot->req, 0, sizeof(slot->req));
	slot->req.op = op;
	slot->req.sector = ((uint64_t)i * per_page) %
			   (p->info->sectors ? p->info->sectors : 1);
	slot->req.count = op == BLK_FLUSH ? 0 : per_page;
	slot->req.buf = p->pages + (size_t)i * 4096u;
	slot->req.done = slot_done;
	slot->req.arg = slot;
	slot->done_calls = 0;
}

/* Every idle slot submitted, as far as the ring takes them. */
static void fill(struct peer *p)
{
	for (unsigned i = 0; i < PEER_SLOTS; i++) {
		struct peer_slot *slot = &p->slot[i];
		int rc;

		if (slot->busy)
			continue;
		prepare(p, i);
		slot->busy = true;
		p->busy++;
		rc = blk_submit(p->dev, &slot->req);
		if (rc == 0)
			continue;
		slot->busy = false;
		p->busy--;
		if (slot->done_calls)
			panic("blk-peer: a refused request completed");
		if (rc != -XEN_EBUSY && rc != -XEN_EIO)
			panic("blk-peer: submit refused a request: %d", rc);
		return;
	}
}

static void check_accounts(struct peer *p)
{
	if (blk_in_flight(p->dev) != p->busy)
		panic("blk-peer: the device counts %u requests in flight, "
		      "%u are", blk_in_flight(p->dev), p->busy);
	if (blk_broken(p->dev) && p->busy)
		panic("blk-peer: a broken device left %u requests pending",
		      p->busy);
}

_Noreturn void blk_peer_run(void)
{
	struct peer p;
	int rc;

	memset(&p, 0, sizeof(p));
	for (unsigned i = 0; i < PEER_SLOTS; i++)
		p.slot[i].p = &p;
	rc = blk_open(0, &p.dev);
	if (rc)
		panic("blk-peer: no vbd: error %d", rc);
	p.info = blk_info(p.dev);
	p.pages = page_alloc(PEER_SLOTS);
	if (!p.pages || p.info->sector_size > 4096u)
		panic("blk-peer: no buffers for sectors of %u bytes",
		      p.info->sector_size);
	fill(&p);
	kprintf("blk-peer: ready\n");
	for (;;) {
		struct peer_slot *wait = NULL;

		check_accounts(&p);
		if (blk_broken(p.dev)) {
			kprintf("blk-peer: the device is broken: %s\n",
				blk_broken_reason(p.dev));
			for (;;)
				arch_idle();
		}
		for (unsigned i = 0; i < PEER_SLOTS && !wait; i++)
			if (p.slot[i].busy)
				wait = &p.slot[i];
		if (wait)
			blk_wait(p.dev, &wait->req, PEER_WAIT_NS);
		fill(&p);
	}
}
