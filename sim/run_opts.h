/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim run's command line (sim/run_opts.c): what the options say beyond
 * the sim_config they fill. */
#ifndef SIM_RUN_OPTS_H
#define SIM_RUN_OPTS_H

#include <stdbool.h>

#include "domcfg.h"
#include "sim.h"
#include "sweep.h"

struct sim_run_opts {
	bool sweeping;                /* --seeds: many runs, not one */
	bool seed_given;              /* --seed */
	struct sim_sweep sweep;       /* --seeds, --transcripts */
	const char *trace_path;       /* --trace */
	const char *gdb_spec;         /* --gdb */
	bool gdb_wait;                /* --gdb-wait */
	/* The first option given that describes one domain (--memory, ...),
	 * which a run of several domains refuses; NULL if none. */
	const char *one_domain_opt;
	/* --channel and --pcap in order; cfg->pcaps points here. */
	struct sim_channel channels[SIM_MAX_CHANNELS];
	unsigned n_channels;
	struct sim_pcap_spec pcaps[SIM_MAX_PCAPS];
	unsigned n_pcaps;
};

extern const char sim_run_usage[];

/* Fill cfg and opts from argv (argv[0] is "run"); the lists of --channel
 * and --pcap start over at each call, as the options are read again
 * after a config file. Prints the help and exits 0 on -h; exits 1 with a
 * message on a bad option. Returns whether --native was given. */
bool sim_run_parse(int argc, char **argv, struct sim_config *cfg,
		   struct sim_run_opts *opts);

#endif
