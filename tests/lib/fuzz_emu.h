/* SPDX-License-Identifier: BSD-2-Clause */
/* What the emulated fuzz targets (tests/fuzz/fuzz_emu_*.c: the arm64 Image
 * under Unicorn, booted once, reset from a snapshot for every input)
 * share: finding the Image, booting until the workload is ready, the
 * guest's edges in libFuzzer's extra counters, the snapshot, the reset
 * checked against the snapshot's digest (FUZZ_DIGEST), the run moves,
 * and a finding that names the guest's last console line. The target
 * says when its workload is up (fuzz_emu_boot's predicate) and plays the
 * peer. Header-only: each fuzz target includes it once. */
#ifndef TESTS_FUZZ_EMU_H
#define TESTS_FUZZ_EMU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "fuzz_digest.h"
#include "sim.h"

#define FUZZ_EMU_BOOT_SLICES 10000
#define FUZZ_EMU_SLICE_INSNS 20000u    /* a run move's budget, at most */
#define FUZZ_EMU_FINAL_INSNS 50000u    /* after the last move */
#define FUZZ_EMU_IDLE_STEPS  8u

struct fuzz_emu {
	const char *name;             /* the target's, for its messages */
	const char *ready_line;       /* the workload says it is up */
	/* Called as it says so (from inside the run: dom0 hands the line
	 * over when the guest writes it): the target may change dom0 then. */
	void (*on_ready)(void);
	/* Called with each line the guest writes, when set. */
	void (*on_line)(const char *line);
	struct sim_emu *emu;
	bool ready;
	char last_line[256];          /* the guest's, for a finding */
	uint64_t snapshot_digest;
};

static struct fuzz_emu fuzz_emu;

/* Guest edges, as libFuzzer counts them beside the host's. */
#define FUZZ_EMU_EDGES (1u << 14)
__attribute__((section("__libfuzzer_extra_counters")))
static uint8_t fuzz_emu_edges[FUZZ_EMU_EDGES];

static inline _Noreturn void fuzz_emu_fail(const char *what)
{
	fprintf(stderr, "%s: %s (last guest line: %s)\n", fuzz_emu.name, what,
		fuzz_emu.last_line);
	abort();
}

static inline void fuzz_emu_console(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(fuzz_emu.last_line, sizeof(fuzz_emu.last_line), "%s", line);
	/* To see why a device broke while replaying an input. */
	if (getenv("FUZZ_SHOW_CONSOLE"))
		fprintf(stderr, "guest: %s\n", line);
	if (fuzz_emu.on_line)
		fuzz_emu.on_line(line);
	if (fuzz_emu.ready || !strstr(line, fuzz_emu.ready_line))
		return;
	fuzz_emu.ready = true;
	if (fuzz_emu.on_ready)
		fuzz_emu.on_ready();
}

/* The Image: named by the environment ($XENSIM_FUZZ_IMAGE), beside this
 * program (arm64-Image, an OSS-Fuzz build), where the build put it beside
 * build/fuzz, or in build/. */
static inline const char *fuzz_emu_image(const char *argv0)
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

/* The configuration every emulated target starts from: the arm64 Image
 * argv0 finds booted with bootargs in 16 MiB, the model's errors only.
 * The target adds dom0's part (dom0_extra). */
static inline void fuzz_emu_config(struct sim_config *cfg, const char *argv0,
				   const char *bootargs)
{
	sim_config_init(cfg);
	cfg->runtime = SIM_ARM64;
	cfg->kernel = fuzz_emu_image(argv0);
	cfg->memory_mib = 16;
	cfg->bootargs = bootargs;
	cfg->log_level = HV_LOG_ERR;
}

/* The machine for cfg (its console goes to fuzz_emu_console), not run
 * yet; the target attaches its peer before fuzz_emu_boot. */
static inline struct sim_emu *fuzz_emu_start(const char *name,
					     const char *ready_line,
					     struct sim_config *cfg)
{
	struct sim_result res;

	fuzz_emu.name = name;
	fuzz_emu.ready_line = ready_line;
	cfg->console_sink = fuzz_emu_console;
	fuzz_emu.emu = sim_emu_start(cfg, &res);
	if (!fuzz_emu.emu) {
		fprintf(stderr, "%s: %s: %s\n", name, cfg->kernel,
			res.message);
		exit(1);
	}
	return fuzz_emu.emu;
}

/* Boot until the workload said it is ready and up(ctx) holds at a wait:
 * the point every input starts from. */
static inline void fuzz_emu_boot(bool (*up)(void *ctx), void *ctx)
{
	struct sim_result res;

	for (unsigned i = 0; i < FUZZ_EMU_BOOT_SLICES; i++) {
		enum sim_emu_slice end = sim_emu_run(fuzz_emu.emu, 1000000);

		if (end == SIM_EMU_STOPPED) {
			sim_emu_result(fuzz_emu.emu, &res);
			fprintf(stderr, "%s: the guest stopped booting: %s\n",
				fuzz_emu.name, res.message);
			exit(1);
		}
		if (end == SIM_EMU_WAITING && fuzz_emu.ready && up(ctx))
			return;
		if (end == SIM_EMU_WAITING && !sim_emu_idle(fuzz_emu.emu, 100))
			fuzz_emu_fail("the guest waits for nothing while "
				      "booting");
	}
	fuzz_emu_fail("the guest's workload never got going");
}

/* The guest's edges counted from here on; the machine as every input
 * finds it. */
static inline void fuzz_emu_snapshot(void)
{
	if (sim_emu_count_edges(fuzz_emu.emu, fuzz_emu_edges, FUZZ_EMU_EDGES) ||
	    sim_emu_snapshot(fuzz_emu.emu))
		fuzz_emu_fail("cannot snapshot the machine");
	if (fuzz_digest_on())
		fuzz_emu.snapshot_digest = sim_emu_digest(fuzz_emu.emu);
}

/* Back to the snapshot; with FUZZ_DIGEST, checked against it. */
static inline void fuzz_emu_reset(void)
{
	const char *why;

	if (sim_emu_restore(fuzz_emu.emu, &why))
		fuzz_emu_fail(why);
	fuzz_emu.last_line[0] = '\0';
	if (fuzz_digest_on() &&
	    sim_emu_digest(fuzz_emu.emu) != fuzz_emu.snapshot_digest)
		fuzz_emu_fail("the machine after a restore differs from the "
			      "snapshot");
}

/* The guest ran: a stop is the finding. */
static inline void fuzz_emu_ran(enum sim_emu_slice end)
{
	struct sim_result res;
	char msg[800];

	if (end != SIM_EMU_STOPPED)
		return;
	sim_emu_result(fuzz_emu.emu, &res);
	snprintf(msg, sizeof(msg), "the guest stopped: %s: %s",
		 sim_outcome_name(res.outcome), res.message);
	fuzz_emu_fail(msg);
}

/* A run move: the guest runs (n + 1) * 256 instructions, at most a
 * slice's budget. */
static inline void fuzz_emu_run(uint8_t n)
{
	uint32_t insns = (n + 1u) * 256u;

	fuzz_emu_ran(sim_emu_run(fuzz_emu.emu, insns > FUZZ_EMU_SLICE_INSNS ?
				 FUZZ_EMU_SLICE_INSNS : insns));
}

/* Virtual time passes while the guest waits (its timeouts). */
static inline void fuzz_emu_idle(void)
{
	sim_emu_idle(fuzz_emu.emu, FUZZ_EMU_IDLE_STEPS);
}

/* After the last move: the guest's last run, then the digest (the guest's
 * end state first; the target adds its peer's before reporting). */
static inline void fuzz_emu_finish(void)
{
	fuzz_emu_ran(sim_emu_run(fuzz_emu.emu, FUZZ_EMU_FINAL_INSNS));
	if (fuzz_digest_on()) {
		uint64_t after = sim_emu_guest_digest(fuzz_emu.emu);

		fuzz_digest_add(&after, sizeof(after));
	}
}

/* The target's own: its machine built (fuzz_emu_config,
 * fuzz_emu_start), its peer attached, booted (fuzz_emu_boot) and
 * snapshotted (fuzz_emu_snapshot), once per process. */
static void fuzz_emu_setup(const char *argv0);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	fuzz_emu_setup((*argv)[0]);
	return 0;
}

#endif
