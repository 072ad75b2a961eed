/* SPDX-License-Identifier: BSD-2-Clause */
/* One battery, three runtimes: the guest's self-check battery booted
 * natively, under Unicorn as the arm64 Image and as the arm32 zImage (ARM
 * and Thumb-2), with GICv2 and GICv3, must leave the same transcript after
 * tests/transcript/normalise.sh. What the normaliser hides, and why that is
 * legitimate, is listed in fixtures/transcripts/README.md. The transcripts
 * stay under build/transcripts/ (tests/transcript/compare-real-xen.sh holds
 * the real-Xen runs of tests/interop to the same rule, against xensim runs
 * of its own made like the "-noxs" ones). Every runtime
 * boots twice: with xenstore and bootarg debug-hvc (the whole battery
 * runs, nothing skips) and without either, as the interop runs' dom0less
 * domU on Debian's release Xen (the "-noxs" transcripts). Each run's
 * checks are judged by tests/results/battery.sh against
 * tests/expected-skips, and the debug hypercalls against what the model
 * recorded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "sim.h"

#ifndef XENSIM_BUILD
#define XENSIM_BUILD "build"
#endif
#ifndef XENSIM_SRC
#define XENSIM_SRC "."
#endif

#define MAX_LINES 512      /* a battery with debug-hvc and its vCPU dump */
#define LINE_LEN  320

struct transcript {
	char line[MAX_LINES][LINE_LEN];
	unsigned n;
};

struct runtime_case {
	const char *name;
	enum sim_runtime runtime;
	const char *image;             /* under XENSIM_BUILD */
	enum hv_gic_version gic;
	bool no_xenstore;
	struct transcript raw;
	struct sim_result res;
	int code;
};

#define CASE(n, rt, img, g, noxs) \
	{ .name = n, .runtime = rt, .image = img, .gic = g, .no_xenstore = noxs }
#define CASES(suffix, noxs) \
	CASE("native" suffix, SIM_NATIVE, NULL, HV_GIC_V2, noxs), \
	CASE("arm64-gicv2" suffix, SIM_ARM64, "arm64/Image", HV_GIC_V2, noxs), \
	CASE("arm64-gicv3" suffix, SIM_ARM64, "arm64/Image", HV_GIC_V3, noxs), \
	CASE("arm32-gicv2" suffix, SIM_ARM32, "arm32/zImage", HV_GIC_V2, noxs), \
	CASE("arm32-gicv3" suffix, SIM_ARM32, "arm32/zImage", HV_GIC_V3, noxs), \
	CASE("thumb-gicv2" suffix, SIM_ARM32, "arm32/zImage-thumb", HV_GIC_V2, noxs), \
	CASE("thumb-gicv3" suffix, SIM_ARM32, "arm32/zImage-thumb", HV_GIC_V3, noxs)

/* The first of each half is the native run the others are held to. */
static struct runtime_case cases[] = {
	CASES("", false),
	CASES("-noxs", true),
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static void capture(void *ctx, const char *line)
{
	struct transcript *t = ctx;

	if (t->n < MAX_LINES)
		snprintf(t->line[t->n++], LINE_LEN, "%s", line);
}

static void path_of(char *buf, size_t len, const char *dir, const char *name,
		    const char *suffix)
{
	snprintf(buf, len, "%s/%s/%s%s", XENSIM_BUILD, dir, name, suffix);
}

static int save(const struct transcript *t, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (unsigned i = 0; i < t->n; i++)
		fprintf(f, "%s\n", t->line[i]);
	return fclose(f);
}

/* The one normalisation: the script, shared with the interop scripts. */
static int normalise(const char *in, const char *out)
{
	char cmd[2048];
	int n = snprintf(cmd, sizeof(cmd), "sh '%s/tests/transcript/"
			 "normalise.sh' '%s' > '%s'", XENSIM_SRC, in, out);

	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

static int load(struct transcript *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[LINE_LEN];

	memset(t, 0, sizeof(*t));
	if (!f)
		return -1;
	while (t->n < MAX_LINES && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(t->line[t->n++], LINE_LEN, "%s", line);
	}
	fclose(f);
	return 0;
}

/* Boot every runtime once, keep raw and normalised transcripts. */
static int boot_all(void **state)
{
	char dir[512], raw[600], norm[600];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/transcripts", XENSIM_BUILD);
	mkdir(dir, 0755);
	for (size_t i = 0; i < NR_CASES; i++) {
		struct runtime_case *c = &cases[i];
		char image[512];
		struct sim_config cfg;

		sim_config_init(&cfg);
		cfg.runtime = c->runtime;
		cfg.memory_mib = 64;     /* as the interop runs' dom0less domU */
		cfg.gic = c->gic;
		cfg.no_xenstore = c->no_xenstore;
		cfg.bootargs = c->no_xenstore ? NULL : "debug-hvc";
		cfg.xen_debug = !c->no_xenstore;   /* what debug-hvc says */
		cfg.console_sink = capture;
		cfg.console_ctx = &c->raw;
		if (c->image) {
			snprintf(image, sizeof(image), "%s/%s", XENSIM_BUILD,
				 c->image);
			cfg.kernel = image;
		}
		c->code = sim_run(&cfg, &c->res);
		path_of(raw, sizeof(raw), "transcripts", c->name, ".log");
		path_of(norm, sizeof(norm), "transcripts", c->name, ".norm.log");
		if (save(&c->raw, raw) || normalise(raw, norm))
			return -1;
	}
	return 0;
}

static void test_every_runtime_passes_the_battery(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_CASES; i++) {
		const struct runtime_case *c = &cases[i];
		bool totals = false;

		print_message("%-12s %s: %s (%u lines)\n", c->name,
			      sim_outcome_name(c->res.outcome), c->res.message,
			      c->raw.n);
		assert_int_equal(c->code, 0);
		assert_int_equal(c->res.outcome, SIM_POWEROFF);
		assert_true(c->raw.n > 2);
		assert_string_equal(c->raw.line[c->raw.n - 1],
				    "(d1) xensim guest: powering off");
		for (unsigned j = 0; j < c->raw.n; j++) {
			assert_null(strstr(c->raw.line[j], "FAIL"));
			if (strstr(c->raw.line[j], "(d1) selftest: ") &&
			    strstr(c->raw.line[j], " passed, 0 failed, "))
				totals = true;
		}
		assert_true(totals);
	}
}

/* Every check of every run ended as tests/expected-skips says it must:
 * the shared judge, as for the real-Xen runs, shows each line. */
static void test_every_check_ends_as_expected(void **state)
{
	char cmd[2048], raw[600], verdict[600], line[LINE_LEN];
	bool all_ok = true;

	(void)state;
	for (size_t i = 0; i < NR_CASES; i++) {
		FILE *f;
		int n;

		path_of(raw, sizeof(raw), "transcripts", cases[i].name, ".log");
		path_of(verdict, sizeof(verdict), "transcripts", cases[i].name,
			".verdict");
		n = snprintf(cmd, sizeof(cmd), "sh '%s/tests/results/battery.sh' "
			     "'%s' '%s' > '%s'", XENSIM_SRC, cases[i].name, raw,
			     verdict);
		assert_true(n > 0 && (size_t)n < sizeof(cmd));
		if (system(cmd) != 0)
			all_ok = false;
		f = fopen(verdict, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f))
			print_message("    %s", line);
		fclose(f);
	}
	assert_true(all_ok);
}

/* The debug hypercalls reached the model with the values the guest put in
 * them (check_debug_hypercalls): R1 = 0x1234, a PC, "ok\n", a state dump.
 * Without debug-hvc the guest makes none. */
static void test_debug_hypercalls_reach_the_model(void **state)
{
	static const struct { uint16_t imm; uint64_t value; } want[] = {
		{ 0xffe1, 0x1234 }, { 0xfffd, 0 }, { 0xfffe, 'o' },
		{ 0xfffe, 'k' }, { 0xfffe, '\n' }, { 0xffff, 0 },
	};
	const size_t nr = sizeof(want) / sizeof(want[0]);

	(void)state;
	for (size_t i = 0; i < NR_CASES; i++) {
		const struct runtime_case *c = &cases[i];
		const struct hv_debug_record *r = &c->res.debug;

		if (c->no_xenstore) {
			if (r->nr != 0)
				fail_msg("%s: %u debug traps without debug-hvc",
					 c->name, r->nr);
			continue;
		}
		if (r->nr != nr)
			fail_msg("%s: %u debug traps, want %zu", c->name, r->nr,
				 nr);
		for (size_t j = 0; j < nr; j++) {
			bool pc = want[j].imm == 0xfffd;

			if (r->trap[j].imm != want[j].imm ||
			    (pc ? r->trap[j].value == 0 :
				  r->trap[j].value != want[j].value))
				fail_msg("%s: debug trap %zu is %#x value %#llx, "
					 "want %#x value %s%#llx", c->name, j,
					 r->trap[j].imm,
					 (unsigned long long)r->trap[j].value,
					 want[j].imm, pc ? "a PC, not " : "",
					 (unsigned long long)want[j].value);
		}
	}
}

/* Compare two normalised transcripts line by line; print the first
 * difference. */
static bool same(const char *name_a, const struct transcript *a,
		 const char *name_b, const struct transcript *b)
{
	unsigned n = a->n > b->n ? a->n : b->n;

	for (unsigned i = 0; i < n; i++) {
		const char *la = i < a->n ? a->line[i] : "(end)";
		const char *lb = i < b->n ? b->line[i] : "(end)";

		if (strcmp(la, lb) != 0) {
			print_message("line %u differs:\n  %-12s %s\n  %-12s %s\n",
				      i + 1, name_a, la, name_b, lb);
			return false;
		}
	}
	return true;
}

static void load_norm(struct transcript *t, const char *name)
{
	char path[600];

	path_of(path, sizeof(path), "transcripts", name, ".norm.log");
	assert_int_equal(load(t, path), 0);
}

static void test_emulated_transcripts_match_native(void **state)
{
	static struct transcript native, other;
	const struct runtime_case *ref = NULL;

	(void)state;
	for (size_t i = 0; i < NR_CASES; i++) {
		if (cases[i].runtime == SIM_NATIVE) {
			ref = &cases[i];
			load_norm(&native, ref->name);
			assert_true(native.n > 2);
			continue;
		}
		assert_non_null(ref);
		assert_int_equal(ref->no_xenstore, cases[i].no_xenstore);
		load_norm(&other, cases[i].name);
		assert_true(same(ref->name, &native, cases[i].name, &other));
	}
}

static bool has_line(const struct transcript *t, const char *line)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->line[i], line) == 0)
			return true;
	return false;
}

/* The xenstore client really ran over the ring in every runtime. */
static void test_xenstore_checks_ran_where_xenstore_exists(void **state)
{
	static const char *const checks[] = {
		"xenstore_layout", "xenstore_read_write",
		"xenstore_transaction", "xenstore_watch",
	};
	char want[96];

	(void)state;
	for (size_t i = 0; i < NR_CASES; i++) {
		const struct runtime_case *c = &cases[i];

		assert_true(has_line(&c->raw, c->no_xenstore ?
			"(d1) xensim guest: no xenstore for this domain" :
			"(d1) xensim guest: xenstore connected"));
		for (size_t j = 0; j < sizeof(checks) / sizeof(checks[0]); j++) {
			if (c->no_xenstore)
				snprintf(want, sizeof(want), "(d1) selftest: skip "
					 "%s: this domain has no xenstore",
					 checks[j]);
			else
				snprintf(want, sizeof(want), "(d1) selftest: ok %s",
					 checks[j]);
			if (!has_line(&c->raw, want))
				fail_msg("%s: no \"%s\"", c->name, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_runtime_passes_the_battery),
		cmocka_unit_test(test_emulated_transcripts_match_native),
		cmocka_unit_test(test_xenstore_checks_ran_where_xenstore_exists),
		cmocka_unit_test(test_every_check_ends_as_expected),
		cmocka_unit_test(test_debug_hypercalls_reach_the_model),
	};

	return cmocka_run_group_tests(tests, boot_all, NULL);
}
