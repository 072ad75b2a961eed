/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim run --seeds A-B: one boot per seed in one process, on one kept
 * emulator (struct sim_engine), each run's console captured instead of
 * shown: a line per seed with its outcome and a digest of its transcript,
 * the transcript itself written to a directory on request, and a summary
 * with the rate. Each run is the run `xensim run --seed N` makes, and its
 * transcript the bytes that run prints on stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv/fault.h"
#include "hv/mem.h"
#include "sim.h"
#include "sweep.h"

/* One seed's console, as the separate run would print it. */
static void capture(void *ctx, const char *line)
{
	FILE *f = ctx;

	fputs(line, f);
	fputc('\n', f);
}

/* FNV-1a, 64 bits: tells transcripts apart at a glance. */
static uint64_t digest(const char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)buf[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int save_transcript(const char *dir, uint64_t seed, const char *buf,
			   size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%llu.log", dir,
		 (unsigned long long)seed);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "xensim: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	ok = fwrite(buf, 1, len, f) == len;
	ok &= fclose(f) == 0;
	if (!ok)
		fprintf(stderr, "xensim: cannot write %s\n", path);
	return ok ? 0 : -1;
}

/* One seed, restarted as the config's on_* actions say. -1 when the
 * console could not be captured. */
static int run_seed(struct sim_config *cfg, uint64_t seed,
		    struct sim_result *res, char **buf, size_t *len, int *code)
{
	FILE *f = open_memstream(buf, len);
	uint16_t domid = cfg->domid;

	if (!f) {
		fprintf(stderr, "xensim: out of memory\n");
		return -1;
	}
	cfg->seed = seed;
	cfg->console_sink = capture;
	cfg->console_ctx = f;
	for (unsigned restarts = 0;; restarts++) {
		*code = sim_run(cfg, res);
		if (restarts == cfg->max_restarts ||
		    sim_action_for(cfg, res) != SIM_ACTION_RESTART)
			break;
		cfg->domid = sim_next_domid(cfg->domid, NULL, NULL);
	}
	cfg->domid = domid;
	if (fclose(f) != 0) {
		fprintf(stderr, "xensim: out of memory\n");
		return -1;
	}
	return 0;
}

int sim_sweep_run(const struct sim_config *base, const struct sim_sweep *sw)
{
	struct sim_config cfg = *base;
	unsigned long long counts[SIM_INTERRUPTED + 1] = { 0 };
	uint64_t runs = 0;
	int worst = 0;
	double t0;

	cfg.engine = sim_engine_new();
	if (!cfg.engine) {
		fprintf(stderr, "xensim: out of memory\n");
		return 1;
	}
	/* Each run's machine gets the last one's guest memory back, zeroed:
	 * no page faults, and the emulator's translations stay where the
	 * code is. */
	hv_mem_recycle(true);
	t0 = now_s();
	for (uint64_t seed = sw->first;; seed++) {
		struct sim_result res;
		char *buf = NULL;
		size_t len = 0;
		int code;

		if (run_seed(&cfg, seed, &res, &buf, &len, &code)) {
			worst = worst ? worst : 1;
			break;
		}
		runs++;
		counts[res.outcome <= SIM_INTERRUPTED ? res.outcome :
		       SIM_FAULT]++;
		printf("seed %llu: %s (%s), exit %d, %llu hypercalls, %llu "
		       "idles, %llu ns virtual, transcript %zu bytes fnv1a "
		       "%016llx", (unsigned long long)seed,
		       sim_outcome_name(res.outcome), res.message, code,
		       (unsigned long long)res.hypercalls,
		       (unsigned long long)res.idles,
		       (unsigned long long)res.virtual_ns, len,
		       (unsigned long long)digest(buf, len));
		/* What the seed injected (--faults), so a sweep shows it hit. */
		for (unsigned k = 0; k < HV_FAULT_COUNT; k++)
			if (res.faults_injected[k])
				printf(", %s %llu", hv_fault_name((enum hv_fault_kind)k),
				       (unsigned long long)res.faults_injected[k]);
		putchar('\n');
		if (sw->transcripts &&
		    save_transcript(sw->transcripts, seed, buf, len))
			code = code ? code : 1;
		free(buf);
		if (code && !worst)
			worst = code;
		if (res.outcome == SIM_INTERRUPTED || seed == sw->last)
			break;
	}
	{
		double secs = now_s() - t0;

		printf("seeds %llu-%llu: %llu runs:",
		       (unsigned long long)sw->first,
		       (unsigned long long)sw->last,
		       (unsigned long long)runs);
		for (int o = 0; o <= SIM_INTERRUPTED; o++)
			if (counts[o])
				printf(" %llu %s", counts[o],
				       sim_outcome_name((enum sim_outcome)o));
		printf("; %.3f s, %.1f runs/s on one thread, %u reused the "
		       "engine's translations\n", secs,
		       secs > 0 ? (double)runs / secs : 0.0,
		       sim_engine_warm_runs(cfg.engine));
	}
	sim_engine_free(cfg.engine);
	hv_mem_recycle(false);
	return worst;
}

int sim_sweep_parse(const char *text, uint64_t *first, uint64_t *last)
{
	char *end;
	unsigned long long a, b;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	a = strtoull(text, &end, 10);
	if (errno || *end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoull(end + 1, &end, 10);
	if (errno || *end || b < a)
		return -1;
	*first = a;
	*last = b;
	return 0;
}
