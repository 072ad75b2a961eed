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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicorn/unicorn.h>
#include <xen/io/blkif.h>

#include "../../guest/dev/blkfront.h"   /* its limits only */
#include "blk_world.h"
#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_blk_backend.h"
#include "hv/evtchn.h"
#include "sim.h"

#define DISK_BYTES   (1u << 20)
#define SETUP_SLICES 10000
#define SLICE_INSNS  20000u           /* a CMD_RUN's budget, at most */
#define FINAL_INSNS  50000u           /* after the last move */
#define IDLE_STEPS   8u

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

static struct sim_emu *emu;
static struct blk_world w;
static struct blk_world saved_w;
static struct fuzz_blk_backend be;     /* its fifo: within an input */
static uint64_t snapshot_digest;
static bool ready;                    /* "blk-peer: ready" was said */
static char last_line[256];           /* the guest's, for a finding */

/* Guest edges, as libFuzzer counts them beside the host's. */
#define GUEST_EDGES (1u << 14)
__attribute__((section("__libfuzzer_extra_counters")))
static uint8_t guest_edges[GUEST_EDGES];
static uint64_t prev_block;

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_emu_blkfront: %s (last guest line: %s)\n", what,
		last_line);
	abort();
}

static void console_line(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(last_line, sizeof(last_line), "%s", line);
	if (strstr(line, "blk-peer: ready"))
		ready = true;
}

/* Per guest block: no coverage of its own. */
__attribute__((no_sanitize("coverage")))
static void on_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	uint64_t edge = (addr >> 2) ^ prev_block;

	(void)uc, (void)size, (void)ctx;
	guest_edges[(edge ^ edge >> 16) % GUEST_EDGES]++;
	prev_block = addr >> 3;
}

/* The Image: named by the environment, beside this program (an OSS-Fuzz
 * build), where the build put it beside build/fuzz, or in build/. */
static const char *image_path(const char *argv0)
{
	static char beside[4096], built[4096];
	const char *env = getenv("XENSIM_FUZZ_IMAGE");
	const char *slash = strrchr(argv0, '/');
	int dir = slash ? (int)(slash - argv0 + 1) : 0;

	if (env)
		return env;
	snprintf(beside, sizeof(beside), "%.*sarm64-Image", dir, argv0);
	snprintf(built, sizeof(built), "%.*s../arm64/Image", dir, argv0);
	if (access(beside, R_OK) == 0)
		return beside;
	return access(built, R_OK) == 0 ? built : "build/arm64/Image";
}

static void setup(const char *argv0)
{
	static const char *const keys[] = { "max-ring-page-order", "0", NULL };
	struct sim_config cfg;
	struct sim_result res;
	uc_hook h;
	unsigned i;

	sim_config_init(&cfg);
	cfg.runtime = SIM_ARM64;
	cfg.kernel = image_path(argv0);
	cfg.memory_mib = 16;
	cfg.bootargs = "console=hvc0 blk-peer";
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = console_line;
	cfg.dom0_extra = blk_world_dom0_work;
	cfg.dom0_extra_ctx = &w;
	w.manual = true;          /* the inputs answer, never blk_world */
	emu = sim_emu_start(&cfg, &res);
	if (!emu) {
		fprintf(stderr, "fuzz_emu_blkfront: %s: %s\n", cfg.kernel,
			res.message);
		exit(1);
	}
	if (blk_world_attach(&w, sim_emu_dom0(emu), sim_emu_xs(emu),
			     DISK_BYTES, keys))
		fail("cannot create the backend");
	/* Boot until the guest has its requests out and waits for them. */
	for (i = 0; i < SETUP_SLICES; i++) {
		enum sim_emu_slice end = sim_emu_run(emu, 1000000);

		if (end == SIM_EMU_STOPPED) {
			sim_emu_result(emu, &res);
			fprintf(stderr, "fuzz_emu_blkfront: the guest stopped "
				"booting: %s\n", res.message);
			exit(1);
		}
		if (end == SIM_EMU_WAITING && ready && w.connects &&
		    w.queue[0].ring.sring &&
		    w.queue[0].ring.sring->req_prod != 0)
			break;
		if (end == SIM_EMU_WAITING && !sim_emu_idle(emu, 100))
			fail("the guest waits for nothing while booting");
	}
	if (i == SETUP_SLICES || w.nr_queues != 1)
		fail("the guest never got its requests out");
	if (uc_hook_add(sim_emu_engine(emu), &h, UC_HOOK_BLOCK, on_block, NULL,
			1, 0) != UC_ERR_OK || sim_emu_snapshot(emu))
		fail("cannot snapshot the machine");
	saved_w = w;
	be.ring = &w.queue[0].ring;
	be.depth = w.queue[0].ring.nr_ents;
	be.max_indirect = BLKFRONT_MAX_INDIRECT_SEGS;
	be.fail = fail;
	if (fuzz_digest_on())
		snapshot_digest = sim_emu_digest(emu);
}

static void reset(void)
{
	const char *why;

	if (sim_emu_restore(emu, &why))
		fail(why);
	w = saved_w;
	be.head = be.tail = 0;
	prev_block = 0;
	last_line[0] = '\0';
	if (fuzz_digest_on() && sim_emu_digest(emu) != snapshot_digest)
		fail("the machine after a restore differs from the snapshot");
}

/* The guest ran: a stop is the finding. */
static void ran(enum sim_emu_slice end)
{
	struct sim_result res;
	char msg[800];

	if (end != SIM_EMU_STOPPED)
		return;
	sim_emu_result(emu, &res);
	snprintf(msg, sizeof(msg), "the guest stopped: %s: %s",
		 sim_outcome_name(res.outcome), res.message);
	fail(msg);
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

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	setup((*argv)[0]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };
	uint8_t n;

	reset();
	fuzz_digest_start();
	while (in.left) {
		switch (fuzz_byte(&in) % CMD_COUNT) {
		case CMD_RUN:
			n = fuzz_byte(&in);
			ran(sim_emu_run(emu, (n + 1u) * 256u > SLICE_INSNS ?
					SLICE_INSNS : (n + 1u) * 256u));
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
			sim_emu_idle(emu, IDLE_STEPS);
			break;
		}
	}
	ran(sim_emu_run(emu, FINAL_INSNS));
	if (fuzz_digest_on()) {
		uint64_t after = sim_emu_guest_digest(emu);

		fuzz_digest_add(&after, sizeof(after));
		fuzz_digest_add(&be.ring->req_cons, sizeof(be.ring->req_cons));
		fuzz_digest_report();
	}
	return 0;
}
