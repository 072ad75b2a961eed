/* SPDX-License-Identifier: BSD-2-Clause */
/* A native guest booted again in the same process starts from clean state.
 * Each config (2-level or FIFO events, with or without xenstore; always
 * the debug hypercalls, and with xenstore dom0's test device) is first
 * booted in a child forked before any boot, so its transcript is that of
 * a freshly loaded guest; then this process boots the configs one after
 * another, each after a different one, through sim_run as
 * `xensim run --native` does, and each transcript must equal the fresh
 * one. A guest layer that kept state from a previous boot (kern/reset.c
 * forgot it) shows up as a different line or different figures: the
 * transcript is every console line (guest and model, at xensim's default
 * log level) followed by one line of the run's figures (outcome,
 * hypercalls, idles, virtual time), which a stale clock reading, timeout
 * or binding moves even when every check still passes. Nothing is
 * normalised: the same program runs the same code at the same addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim.h"

#define MAX_LINES 480   /* the battery with its conformance lines, and room */

struct transcript {
	char line[MAX_LINES][200];
	unsigned n;
	bool overflow;
	int exit_code;
};

struct boot_config {
	const char *bootargs;
	bool no_xenstore;
};

static const struct boot_config configs[] = {
	{ "debug-hvc", false },
	{ "debug-hvc evtchn-fifo", false },
	{ "debug-hvc", true },
	{ "debug-hvc evtchn-fifo", true },
};
#define NR_CONFIGS (sizeof(configs) / sizeof(configs[0]))

/* Each config follows another one at least once, and every other one
 * follows it. */
static const unsigned order[] = { 0, 1, 2, 3, 0, 2, 1, 3, 2, 0, 3, 1, 0 };

static void capture(void *ctx, const char *line)
{
	struct transcript *t = ctx;

	if (t->n == MAX_LINES) {
		t->overflow = true;
		return;
	}
	snprintf(t->line[t->n++], sizeof(t->line[0]), "%s", line);
}

/* One boot into t: no assertion here, it also runs in a child. */
static void boot(const struct boot_config *bc, struct transcript *t)
{
	struct sim_config cfg;
	struct sim_result res;

	memset(t, 0, sizeof(*t));
	sim_config_init(&cfg);
	cfg.bootargs = bc->bootargs;
	cfg.xen_debug = true;        /* bootarg debug-hvc: a debug Xen */
	cfg.no_xenstore = bc->no_xenstore;
	cfg.console_sink = capture;
	cfg.console_ctx = t;
	t->exit_code = sim_run(&cfg, &res);
	capture(t, "");
	if (!t->overflow)
		snprintf(t->line[t->n - 1], sizeof(t->line[0]), "run: %s after "
			 "%llu hypercalls, %llu idles, %llu ns of virtual time",
			 sim_outcome_name(res.outcome),
			 (unsigned long long)res.hypercalls,
			 (unsigned long long)res.idles,
			 (unsigned long long)res.virtual_ns);
}

/* The battery ran and passed: every check with xenstore; without, the
 * xenstore and test-device checks skip. */
static void check_boot(const struct boot_config *bc, const struct transcript *t)
{
	unsigned passed = 0, failed = 1, skipped = 99;

	assert_false(t->overflow);
	assert_int_equal(t->exit_code, 0);
	for (unsigned i = 0; i < t->n; i++)
		if (sscanf(t->line[i], "(d1) selftest: %u passed, %u failed, "
			   "%u skipped", &passed, &failed, &skipped) == 3)
			break;
	if (passed == 0 || failed != 0 || (skipped == 0) != !bc->no_xenstore)
		fail_msg("%s%s: %u passed, %u failed, %u skipped", bc->bootargs,
			 bc->no_xenstore ? " (no xenstore)" : "", passed, failed,
			 skipped);
}

/* The config booted by a child forked from this process before it booted
 * anything: the guest exactly as loaded. */
static void boot_fresh(const struct boot_config *bc, struct transcript *t)
{
	struct transcript *shared = mmap(NULL, sizeof(*shared),
					 PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	assert_true(shared != MAP_FAILED);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		boot(bc, shared);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*t = *shared;
	munmap(shared, sizeof(*shared));
}

static void assert_same(const struct transcript *fresh,
			const struct transcript *again, unsigned step)
{
	unsigned n = fresh->n < again->n ? fresh->n : again->n;

	for (unsigned i = 0; i < n; i++)
		if (strcmp(fresh->line[i], again->line[i]) != 0)
			fail_msg("boot %u, line %u differs from a fresh guest's:"
				 "\n  fresh: %s\n  again: %s", step + 1, i + 1,
				 fresh->line[i], again->line[i]);
	if (fresh->n != again->n)
		fail_msg("boot %u: %u lines, a fresh guest gives %u", step + 1,
			 again->n, fresh->n);
}

static void test_each_boot_in_one_process_matches_a_fresh_guest(void **state)
{
	static struct transcript fresh[NR_CONFIGS], again;

	(void)state;
	for (unsigned c = 0; c < NR_CONFIGS; c++) {
		boot_fresh(&configs[c], &fresh[c]);
		check_boot(&configs[c], &fresh[c]);
	}
	/* The configs differ in what they print, so each comparison below
	 * says something about its own config. */
	for (unsigned c = 1; c < NR_CONFIGS; c++)
		assert_true(fresh[c].n != fresh[c - 1].n ||
			    memcmp(fresh[c].line, fresh[c - 1].line,
				   sizeof(fresh[c].line)) != 0);
	for (unsigned step = 0; step < sizeof(order) / sizeof(order[0]); step++) {
		boot(&configs[order[step]], &again);
		check_boot(&configs[order[step]], &again);
		assert_same(&fresh[order[step]], &again, step);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_boot_in_one_process_matches_a_fresh_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
