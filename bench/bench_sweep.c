/* SPDX-License-Identifier: BSD-2-Clause */
/* The sweep rate, printed, never judged: boot + battery + poweroff once
 * per seed in one process, as `xensim run --seeds` runs them (the
 * emulator and its translations kept, guest memory recycled), beside the same runs with a fresh
 * emulator each. Per run: min, median and max wall time; overall: runs per
 * second of wall time and per second of this process's CPU time (the
 * machine is shared: the CPU figure is what one core does). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hv/mem.h"
#include "sim.h"

#ifndef XENSIM_BUILD
#define XENSIM_BUILD "build"
#endif

#define MAX_RUNS 1000

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void discard(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* n runs of seeds 1..n; false (said why) when one did not power off. */
static bool sweep(const char *label, const char *kernel, enum sim_runtime rt,
		  unsigned n, bool keep)
{
	static double t[MAX_RUNS];
	struct sim_config cfg;
	struct sim_result res;
	double wall0, cpu0, wall, cpu;

	sim_config_init(&cfg);
	cfg.runtime = rt;
	cfg.kernel = kernel;
	cfg.console_sink = discard;
	cfg.engine = keep ? sim_engine_new() : NULL;
	if (keep && !cfg.engine)
		return false;
	hv_mem_recycle(keep);         /* as xensim run --seeds does */
	wall0 = clock_s(CLOCK_MONOTONIC);
	cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (unsigned i = 0; i < n; i++) {
		double t0 = clock_s(CLOCK_MONOTONIC);

		cfg.seed = i + 1;
		sim_run(&cfg, &res);
		t[i] = (clock_s(CLOCK_MONOTONIC) - t0) * 1e3;
		if (res.outcome != SIM_POWEROFF) {
			printf("bench_sweep: %s, seed %u did not power off: "
			       "%s\n", label, i + 1, res.message);
			sim_engine_free(cfg.engine);
			hv_mem_recycle(false);
			return false;
		}
	}
	wall = clock_s(CLOCK_MONOTONIC) - wall0;
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	qsort(t, n, sizeof(t[0]), by_value);
	printf("bench_sweep: %s: per run min %.2f ms, median %.2f ms, max "
	       "%.2f ms; %.0f runs/s of wall time, %.0f runs per CPU second "
	       "(%u runs, seeds 1-%u%s)\n", label, t[0], t[n / 2], t[n - 1],
	       n / wall, n / cpu, n, n,
	       keep ? ", translations reused" : "");
	if (keep && sim_engine_warm_runs(cfg.engine) != n - 1)
		printf("bench_sweep: %s: only %u of %u runs reused the "
		       "translations (guest memory moved)\n", label,
		       sim_engine_warm_runs(cfg.engine), n - 1);
	sim_engine_free(cfg.engine);
	hv_mem_recycle(false);
	return true;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 200;
	char image[512], zimage[512];

	if (n < 1 || n > MAX_RUNS) {
		fprintf(stderr, "usage: bench_sweep [RUNS, 1..%d]\n", MAX_RUNS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(image, sizeof(image), "%s/arm64/Image", XENSIM_BUILD);
	snprintf(zimage, sizeof(zimage), "%s/arm32/zImage", XENSIM_BUILD);
	printf("bench_sweep: boot + battery + poweroff per seed in one "
	       "process (xensim run --seeds), -O2 without sanitizers\n");
	sweep("arm64 Image, one emulator kept", image, SIM_ARM64, n, true);
	sweep("arm64 Image, a fresh emulator each", image, SIM_ARM64,
	      n / 4 ? n / 4 : 1, false);
	sweep("arm32 zImage, one emulator kept", zimage, SIM_ARM32, n, true);
	sweep("native guest", NULL, SIM_NATIVE, n, false);
	return 0;
}
