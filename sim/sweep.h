/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim run --seeds A-B: many boots in one process (sim/sweep.c). */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

struct sim_sweep {
	uint64_t first, last;        /* the seeds, both included */
	const char *transcripts;     /* write DIR/SEED.log, or NULL */
};

/* Run cfg once per seed on one kept emulator (a seed's domain restarted
 * as its on_* actions say, under a new domid, as xensim run does), printing a line per seed
 * and a summary on stdout; the console is captured, not shown. Returns 0
 * when every run exited 0, else the first non-zero exit status. */
int sim_sweep_run(const struct sim_config *cfg, const struct sim_sweep *sw);

/* "A-B" (decimal, A <= B): 0, or -1 for anything else. */
int sim_sweep_parse(const char *text, uint64_t *first, uint64_t *last);

#endif
