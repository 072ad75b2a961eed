/* SPDX-License-Identifier: BSD-2-Clause */
/* A native guest booted again in the same process starts from clean state:
 * boots the whole battery (xenstore, dom0's test device, debug hypercalls)
 * with the 2-level ABI, then FIFO, then both again, each on a fresh machine
 * through sim_run as `xensim run --native` does, and requires each boot's
 * transcript to equal the first boot's with the same ABI. A guest layer
 * that kept state from a previous boot (kern/reset.c forgot it) shows up
 * as a different line, or as different figures: the transcript is every
 * console line (guest and model, at xensim's default log level) followed
 * by one line of the run's figures (outcome, hypercalls, idles, virtual
 * time), which a stale clock reading, timeout or binding moves even when
 * every check still passes. Nothing is normalised: the same process runs
 * the same code at the same addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"

#define MAX_LINES 160

struct transcript {
	char line[MAX_LINES][200];
	unsigned n;
	bool overflow;
};

static void capture(void *ctx, const char *line)
{
	struct transcript *t = ctx;

	if (t->n == MAX_LINES) {
		t->overflow = true;
		return;
	}
	snprintf(t->line[t->n++], sizeof(t->line[0]), "%s", line);
}

/* The battery's totals: every check passed, none skipped. */
static void check_totals(const struct transcript *t)
{
	unsigned passed = 0, failed = 1, skipped = 1;

	for (unsigned i = 0; i < t->n; i++)
		if (sscanf(t->line[i], "(d1) selftest: %u passed, %u failed, "
			   "%u skipped", &passed, &failed, &skipped) == 3)
			break;
	if (passed == 0 || failed != 0 || skipped != 0)
		fail_msg("battery totals: %u passed, %u failed, %u skipped",
			 passed, failed, skipped);
}

static void boot(const char *bootargs, struct transcript *t)
{
	struct sim_config cfg;
	struct sim_result res;

	memset(t, 0, sizeof(*t));
	sim_config_init(&cfg);
	cfg.bootargs = bootargs;
	cfg.console_sink = capture;
	cfg.console_ctx = t;
	assert_int_equal(sim_run(&cfg, &res), 0);
	assert_false(t->overflow);
	check_totals(t);
	capture(t, "");
	snprintf(t->line[t->n - 1], sizeof(t->line[0]), "run: %s after %llu "
		 "hypercalls, %llu idles, %llu ns of virtual time",
		 sim_outcome_name(res.outcome),
		 (unsigned long long)res.hypercalls,
		 (unsigned long long)res.idles,
		 (unsigned long long)res.virtual_ns);
	assert_true(res.hypercalls > 0 && res.idles > 0 && res.virtual_ns > 0);
}

static void assert_same(const struct transcript *first,
			const struct transcript *again)
{
	unsigned n = first->n < again->n ? first->n : again->n;

	for (unsigned i = 0; i < n; i++)
		if (strcmp(first->line[i], again->line[i]) != 0)
			fail_msg("line %u differs after a reboot:\n  first: %s\n"
				 "  again: %s", i + 1, first->line[i],
				 again->line[i]);
	if (first->n != again->n)
		fail_msg("%u lines on the first boot, %u on the next",
			 first->n, again->n);
}

static void test_reboot_in_process_gives_the_same_transcript(void **state)
{
	static const char *const args[] = { "debug-hvc",
					    "debug-hvc evtchn-fifo" };
	static struct transcript first[2], again;

	(void)state;
	boot(args[0], &first[0]);
	boot(args[1], &first[1]);
	/* The ABIs differ in what they print; the runs must too, or the
	 * comparison below would prove nothing about FIFO. */
	assert_true(first[0].n != first[1].n ||
		    memcmp(first[0].line, first[1].line,
			   sizeof(first[0].line)) != 0);
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned abi = 0; abi < 2; abi++) {
			boot(args[abi], &again);
			assert_same(&first[abi], &again);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reboot_in_process_gives_the_same_transcript),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
