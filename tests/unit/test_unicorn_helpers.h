/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the Unicorn runtime tests: boot one of the tiny guests that
 * mk/sim.mk assembles from tests/unit/unicorn_guests into UCG_DIR, through
 * sim_run, with its console captured line by line. */
#ifndef TEST_UNICORN_HELPERS_H
#define TEST_UNICORN_HELPERS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#ifndef UCG_DIR
#define UCG_DIR "build/unicorn-guests"
#endif

#define UC_MAX_LINES 512

struct uc_run {
	char line[UC_MAX_LINES][320];
	unsigned n;
	struct sim_result res;
	int code;
};

static inline void uc_capture(void *ctx, const char *line)
{
	struct uc_run *r = ctx;

	if (r->n < UC_MAX_LINES)
		snprintf(r->line[r->n++], sizeof(r->line[0]), "%s", line);
	if (getenv("TEST_VERBOSE"))
		printf("| %s\n", line);
}

/* The config to boot UCG_DIR/guest (.Image: arm64, .zImage: arm32), its
 * console captured into r. */
static inline void uc_config(struct uc_run *r, struct sim_config *cfg,
			     const char *guest)
{
	static char path[512];

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s", UCG_DIR, guest);
	sim_config_init(cfg);
	/* The tiny guests print through a debug Xen's debug hypercalls. */
	cfg->xen_debug = true;
	cfg->runtime = strstr(guest, ".zImage") ? SIM_ARM32 : SIM_ARM64;
	cfg->kernel = path;
	cfg->console_sink = uc_capture;
	cfg->console_ctx = r;
}

static inline void uc_run_config(struct uc_run *r, const struct sim_config *cfg)
{
	r->code = sim_run(cfg, &r->res);
	if (getenv("TEST_VERBOSE"))
		printf("= %s: %s\n", sim_outcome_name(r->res.outcome),
		       r->res.message);
}

/* Boot with limits (--timeout, --max-insns; 0: none) instead of the
 * default ones. */
static inline void uc_boot_limited(struct uc_run *r, const char *guest,
				   uint64_t timeout_ns, uint64_t max_insns)
{
	struct sim_config cfg;

	uc_config(r, &cfg, guest);
	cfg.timeout_ns = timeout_ns;
	cfg.max_insns = max_insns;
	uc_run_config(r, &cfg);
}

/* Boot UCG_DIR/guest with the given GIC. */
static inline void uc_boot_with(struct uc_run *r, const char *guest,
			 enum hv_gic_version gic, const char *bootargs)
{
	struct sim_config cfg;

	uc_config(r, &cfg, guest);
	cfg.gic = gic;
	cfg.bootargs = bootargs;
	r->code = sim_run(&cfg, &r->res);
	if (getenv("TEST_VERBOSE"))
		printf("= %s: %s\n", sim_outcome_name(r->res.outcome),
		       r->res.message);
}

static inline void uc_boot(struct uc_run *r, const char *guest)
{
	uc_boot_with(r, guest, HV_GIC_V2, NULL);
}

/* Whether some console line contains text. */
static inline bool uc_has(const struct uc_run *r, const char *text)
{
	for (unsigned i = 0; i < r->n; i++)
		if (strstr(r->line[i], text))
			return true;
	return false;
}

/* The line "(XEN) DOM1: R<n> = 0x<16 hex digits>" is there for value v. */
static inline bool uc_printed(const struct uc_run *r, unsigned n, unsigned long long v)
{
	char want[64];

	snprintf(want, sizeof(want), "(XEN) DOM1: R%u = 0x%016llx at ", n, v);
	return uc_has(r, want);
}

#endif
