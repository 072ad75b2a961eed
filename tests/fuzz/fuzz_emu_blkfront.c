/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the arm64 guest Image's blkfront, run under Unicorn,
 * facing a malicious block backend. The guest boots once per process with
 * bootarg blk-peer (guest/selftest/blk_peer.c: every slot of the first vbd
 * kept busy forever), dom0's end of the device being the scripted backend
 * of tests/lib/blk_world.c, which does the xenbus handshake and then
 * leaves the ring to this program. Once the guest has its first requests
 * out and waits, the whole machine is snapshotted (sim_emu: CPU, guest
 * memory, the model, the runtime); each input starts from it and plays
 * the backend: take requests, answer them well or with any id, operation
 * and status, move rsp_prod anywhere, rewrite a published response, send
 * events with nothing behind them, let virtual time pass (a timeout), and
 * run the guest a budget of instructions between moves.
 * Findings: the guest stops. blk-peer panics on a broken promise (a
 * status other than 0, -EIO, -EOPNOTSUPP, a request completed twice, the
 * in-flight count wrong, a broken device with requests pending), the
 * guest's own code panics only on what it cannot go on from, and the
 * model stops a guest that faults (an abort, an undefined instruction):
 * none of that is a right answer to bad data from a peer, which must
 * only mark the device broken. A malformed request on the ring is a
 * finding too. Guest coverage: a block hook counts the guest's edges in
 * libFuzzer's extra counters, so inputs that make the guest's code go
 * somewhere new are kept.
 * The Image: $XENSIM_FUZZ_IMAGE, else arm64-Image beside this program
 * (an OSS-Fuzz build), else arm64/Image beside its directory (the build
 * tree), else build/arm64/Image.
 * With FUZZ_DIGEST set, each restore is checked against the snapshot's
 * digest and each input's end state is printed (tests/fuzz/fuzz-reset.sh). */
#include <stdbool.h>
#include <stdint.h>

#include <xen/io/blkif.h>

#include "../../guest/dev/blkfront.h"   /* its limits only */
#include "blk_world.h"
#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_blk_backend.h"
#include "fuzz_emu.h"
#include "hv/evtchn.h"
#include "sim.h"

#define DISK_BYTES   (1u << 20)

enum {
	CMD_RUN,         /* n: the guest runs (n + 1) * 256 instructions */
	CMD_TAKE,        /* n: dom0 reads up to n requests and checks them */
	CMD_ANSWER,      /* how: dom0 answers the oldest request taken */
	CMD_RAW,         /* id, op, status: any response */
	CMD_PUSH,        /* publish rsp_prod and notify */
	CMD_RSP_PROD,    /* delta: rsp_prod = ours + (int8)delta */
	CMD_STORM,       /* n: n (< 16) events and no response */
	CMD_REWRITE,     /* back, id, status: change a published response */
	CMD_IDLE,        /* virtual time passes while the guest waits */
	CMD_COUNT
};

static struct blk_world w;
static struct blk_world saved_w;
static struct fuzz_blk_backend be;     /* its fifo: within an input */

/* The guest has its first requests out. */
static bool requests_out(void *ctx)
{
	(void)ctx;
	return w.connects && w.queue[0].ring.sring &&
	       w.queue[0].ring.sring->req_prod != 0;
}

static void fuzz_emu_setup(const char *argv0)
{
	static const char *const keys[] = { "max-ring-page-order", "0", NULL };
	struct sim_config cfg;
	struct sim_emu *emu;

	fuzz_emu_config(&cfg, argv0, "console=hvc0 blk-peer");
	cfg.dom0_extra = blk_world_dom0_work;
	cfg.dom0_extra_ctx = &w;
	w.manual = true;          /* the inputs answer, never blk_world */
	emu = fuzz_emu_start("fuzz_emu_blkfront", "blk-peer: ready", &cfg);
	if (blk_world_attach(&w, sim_emu_dom0(emu), sim_emu_xs(emu),
			     DISK_BYTES, keys))
		fuzz_emu_fail("cannot create the backend");
	/* Boot until the guest has its requests out and waits for them. */
	fuzz_emu_boot(requests_out, NULL);
	if (w.nr_queues != 1)
		fuzz_emu_fail("the guest connected more than one queue");
	fuzz_emu_snapshot();
	saved_w = w;
	be.ring = &w.queue[0].ring;
	be.depth = w.queue[0].ring.nr_ents;
	be.max_indirect = BLKFRONT_MAX_INDIRECT_SEGS;
	be.fail = fuzz_emu_fail;
}

static void reset(void)
{
	fuzz_emu_reset();
	w = saved_w;
	be.head = be.tail = 0;
}

static void notify(void)
{
	hv_evtchn_send_from(w.dom0, w.queue[0].port);
}

static void push(void)
{
	fuzz_blk_publish(&be);
	notify();
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };
	uint8_t n;

	reset();
	fuzz_digest_start();
	while (in.left) {
		switch (fuzz_byte(&in) % CMD_COUNT) {
		case CMD_RUN:
			fuzz_emu_run(fuzz_byte(&in));
			break;
		case CMD_TAKE:
			fuzz_blk_take(&be, &in);
			break;
		case CMD_ANSWER:
			fuzz_blk_answer(&be, &in);
			break;
		case CMD_RAW:
			fuzz_blk_raw(&be, &in);
			break;
		case CMD_PUSH:
			push();
			break;
		case CMD_RSP_PROD:
			fuzz_blk_rsp_prod(&be, &in);
			break;
		case CMD_STORM:
			n = fuzz_byte(&in) & 15;
			for (unsigned i = 0; i < n; i++)
				notify();
			break;
		case CMD_REWRITE:
			fuzz_blk_rewrite(&be, &in);
			break;
		case CMD_IDLE:
			fuzz_emu_idle();
			break;
		}
	}
	fuzz_emu_finish();
	fuzz_digest_add(&be.ring->req_cons, sizeof(be.ring->req_cons));
	fuzz_digest_report();
	return 0;
}
