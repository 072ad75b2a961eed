/* SPDX-License-Identifier: BSD-2-Clause */
/* The native guest booted end to end through sim_run: its transcript, its
 * exit status, and how bad configurations and device trees end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim.h"

#define MAX_LINES 256

struct transcript {
	char line[MAX_LINES][320];
	unsigned n;
};

static void capture(void *ctx, const char *line)
{
	struct transcript *t = ctx;

	if (t->n < MAX_LINES)
		snprintf(t->line[t->n++], sizeof(t->line[0]), "%s", line);
	if (getenv("TEST_VERBOSE"))
		printf("| %s\n", line);
}

static int find(const struct transcript *t, const char *text)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strstr(t->line[i], text))
			return (int)i;
	return -1;
}

/* A scratch file name private to this process. */
static const char *tmp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "/tmp/xensim-%ld-%s", (long)getpid(), name);
	return buf;
}

static int boot(struct sim_config *cfg, struct transcript *t,
		struct sim_result *res)
{
	memset(t, 0, sizeof(*t));
	cfg->console_sink = capture;
	cfg->console_ctx = t;
	return sim_run(cfg, res);
}

static void test_native_boot_powers_off_cleanly(void **state)
{
	static struct transcript t;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	assert_int_equal(boot(&cfg, &t, &res), 0);
	assert_int_equal(res.outcome, SIM_POWEROFF);
	assert_string_equal(res.message, "d1 shut down: poweroff");
	assert_true(find(&t, "(d1) xensim guest: running on Xen 4.17") == 0);
	assert_true(find(&t, "(d1) xensim guest: RAM 128 MiB at 0x40000000") > 0);
	assert_true(find(&t, "/hypervisor xen,xen-4.17 grant table "
			     "0x38000000+0x1000000 event channel INTID 31") > 0);
	assert_true(find(&t, "shared_info mapped, wc_version 2") > 0);
	assert_true(find(&t, "selftest: ok bad_pointer_efault") > 0);
	assert_true(find(&t, " 0 failed") > 0);
	assert_int_equal(find(&t, "FAIL"), -1);
	assert_true(find(&t, "(d1) xensim guest: powering off") ==
		    (int)t.n - 1);
}

static void test_native_boot_memory_size_follows_config(void **state)
{
	static struct transcript t;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	cfg.memory_mib = 64;
	cfg.domid = 3;
	assert_int_equal(boot(&cfg, &t, &res), 0);
	assert_true(find(&t, "(d3) xensim guest: RAM 64 MiB") > 0);
}

static void test_native_boot_debug_hypercalls_on_request(void **state)
{
	static struct transcript t;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	cfg.bootargs = "debug-hvc";
	cfg.xen_debug = true;
	assert_int_equal(boot(&cfg, &t, &res), 0);
	assert_true(find(&t, "(XEN) DOM1: R1 = 0x0000000000001234 at 0x") >= 0);
	assert_true(find(&t, "(XEN) DOM1: Reached ") >= 0);
	assert_true(find(&t, "(XEN) ok") >= 0);
	assert_true(find(&t, "(XEN) DOM1: DEBUG") >= 0);
	assert_true(find(&t, "selftest: ok debug_hypercalls") >= 0);
}

/* On a release Xen (the default) the debug hypercalls are undefined: the
 * guest reports the exception and crashes, as the ARM ports do. */
static void test_native_boot_debug_hypercalls_on_release_xen_crash(void **state)
{
	static struct transcript t;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	cfg.bootargs = "debug-hvc";
	assert_int_equal(boot(&cfg, &t, &res), 2);
	assert_int_equal(res.outcome, SIM_CRASH);
	assert_true(find(&t, "(XEN) d1v0 Invalid HVC imm 0xffe1") >= 0);
	assert_true(find(&t, "(d1) host: unexpected undefined instruction: "
			 "hvc 0xffe1") >= 0);
	assert_true(find(&t, "(XEN) DOM1: ") < 0);
}

static void test_native_boot_dtb_without_hypervisor_crashes_guest(void **state)
{
	static struct transcript t;
	char dts_path[128];
	struct sim_config cfg;
	struct sim_result res;
	char cmd[512];

	(void)state;
	tmp_path(dts_path, sizeof(dts_path), "nohv.dtb");
	/* A valid tree with memory but no /hypervisor node. */
	snprintf(cmd, sizeof(cmd), "printf '/dts-v1/; / { #address-cells = <2>; "
		 "#size-cells = <2>; memory@40000000 { device_type = \"memory\"; "
		 "reg = <0 0x40000000 0 0x8000000>; }; };' | dtc -q -I dts -O dtb "
		 "-o %s -", dts_path);
	assert_int_equal(system(cmd), 0);
	sim_config_init(&cfg);
	cfg.dtb_file = dts_path;
	assert_int_equal(boot(&cfg, &t, &res), 2);
	unlink(dts_path);
	assert_int_equal(res.outcome, SIM_CRASH);
	assert_true(find(&t, "(d1) panic: device tree: no /hypervisor node") >= 0);
}

static void test_native_boot_garbage_dtb_is_setup_error(void **state)
{
	static struct transcript t;
	char path[128];
	struct sim_config cfg;
	struct sim_result res;
	FILE *f = fopen(tmp_path(path, sizeof(path), "garbage.dtb"), "wb");

	(void)state;
	assert_non_null(f);
	fputs("this is not a device tree", f);
	fclose(f);
	sim_config_init(&cfg);
	cfg.dtb_file = path;
	assert_int_equal(boot(&cfg, &t, &res), 1);
	unlink(path);
	assert_int_equal(res.outcome, SIM_SETUP_ERROR);
	assert_non_null(strstr(res.message, "not a valid flattened device tree"));
	cfg.dtb_file = "/nonexistent/x.dtb";
	assert_int_equal(boot(&cfg, &t, &res), 1);
	assert_non_null(strstr(res.message, "cannot read device tree"));
}

static void test_native_boot_bad_config_is_setup_error(void **state)
{
	static struct transcript t;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	cfg.memory_mib = 4;
	assert_int_equal(boot(&cfg, &t, &res), 1);
	assert_int_equal(res.outcome, SIM_SETUP_ERROR);
	sim_config_init(&cfg);
	cfg.domid = 0;
	assert_int_equal(boot(&cfg, &t, &res), 1);
	assert_int_equal(t.n, 0);
}

static void test_native_boot_dump_dtb_writes_the_tree(void **state)
{
	static struct transcript t;
	char path[128];
	struct sim_config cfg;
	struct sim_result res;
	unsigned char magic[4] = { 0 };
	FILE *f;

	(void)state;
	tmp_path(path, sizeof(path), "dump.dtb");
	sim_config_init(&cfg);
	cfg.dump_dtb = path;
	assert_int_equal(boot(&cfg, &t, &res), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	unlink(path);
	assert_memory_equal(magic, "\xd0\x0d\xfe\xed", 4);
}

static void test_native_exit_codes_follow_outcomes(void **state)
{
	static const struct { enum sim_outcome o; int code; } table[] = {
		{ SIM_POWEROFF, 0 }, { SIM_SETUP_ERROR, 1 }, { SIM_CRASH, 2 },
		{ SIM_FAULT, 2 }, { SIM_REBOOT, 3 }, { SIM_OTHER_SHUTDOWN, 4 },
		{ SIM_HALTED, 5 }, { SIM_DEADLOCK, 5 }, { SIM_LIMIT, 6 },
		{ SIM_SUSPEND, 7 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct sim_result res = { .outcome = table[i].o };

		assert_int_equal(sim_exit_code(&res), table[i].code);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native_boot_powers_off_cleanly),
		cmocka_unit_test(test_native_boot_memory_size_follows_config),
		cmocka_unit_test(test_native_boot_debug_hypercalls_on_request),
		cmocka_unit_test(test_native_boot_debug_hypercalls_on_release_xen_crash),
		cmocka_unit_test(test_native_boot_dtb_without_hypervisor_crashes_guest),
		cmocka_unit_test(test_native_boot_garbage_dtb_is_setup_error),
		cmocka_unit_test(test_native_boot_bad_config_is_setup_error),
		cmocka_unit_test(test_native_boot_dump_dtb_writes_the_tree),
		cmocka_unit_test(test_native_exit_codes_follow_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
