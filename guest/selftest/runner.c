/* SPDX-License-Identifier: BSD-2-Clause */
/* The battery's runner: every check in the table, one transcript line each
 * (ok, FAIL, skip, or ERROR when it asserted nothing), then the count.
 * tests/results/battery.sh reads this table to know every check. */
#include "kern/boot.h"
#include "kern/printf.h"
#include "selftest.h"
#include "selftest_checks.h"
#include "conf.h"

static const struct selftest battery[] = {
	{ "xen_version", check_xen_version },
	{ "xen_version_strings", check_xen_version_strings },
	{ "xen_features", check_xen_features },
	{ "console_io", check_console_io },
	{ "shared_info", check_shared_info },
	{ "shared_info_remap_busy", check_shared_info_remap_busy },
	{ "device_tree", check_device_tree },
	{ "hvm_params", check_hvm_params },
	{ "bad_pointer_efault", check_bad_pointer },
	{ "unknown_hypercall_enosys", check_unknown_hypercall },
	{ "evtchn_upcall_irq", check_evtchn_upcall_irq },
	{ "timer_sleep", check_timer_sleep },
	{ "timer_timeouts", check_timer_timeouts },
	{ "timer_busy_wait", check_timer_busy_wait },
	{ "evtchn_loopback", check_evtchn_loopback },
	{ "evtchn_mask", check_evtchn_mask },
	{ "evtchn_ipi", check_evtchn_ipi },
	{ "evtchn_errors", check_evtchn_errors },
	{ "virq_timer", check_virq_timer },
	{ "gnttab_setup", check_gnttab_setup },
	{ "gnttab_self_copy", check_gnttab_self_copy },
	{ "gnttab_batch", check_gnttab_batch },
	{ "ram_banks", check_ram_banks },
	{ "xenstore_layout", check_xenstore_layout },
	{ "xenstore_read_write", check_xenstore_read_write },
	{ "xenstore_transaction", check_xenstore_transaction },
	{ "xenstore_watch", check_xenstore_watch },
	{ "backend_grant_copy", check_backend_grant_copy },
#define CONF_AREA(area) { "conf_" #area, check_conf_##area },
#include "conf_areas.h"
#undef CONF_AREA
	{ "debug_hypercalls", check_debug_hypercalls },
};

bool check_that(struct selftest_ctx *ctx, bool cond, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	ctx->assertions++;
	if (cond)
		return true;
	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	kprintf("selftest: FAIL %s: %s\n", ctx->name, what);
	ctx->failures++;
	return false;
}

void selftest_skip(struct selftest_ctx *ctx, const char *why)
{
	ctx->skipped = why;
}

struct tally {
	unsigned passed, failed, skipped;
};

static void run_table(const struct selftest *t, unsigned n, struct tally *sum)
{
	for (unsigned i = 0; i < n; i++) {
		struct selftest_ctx ctx = { .name = t[i].name };

		t[i].run(&ctx);
		if (ctx.failures) {
			sum->failed++;
		} else if (ctx.skipped) {
			sum->skipped++;
			kprintf("selftest: skip %s: %s\n", ctx.name, ctx.skipped);
		} else if (!ctx.assertions) {
			/* A check that checked nothing proves nothing. */
			sum->failed++;
			kprintf("selftest: ERROR %s: ran no assertion\n",
				ctx.name);
		} else {
			sum->passed++;
			kprintf("selftest: ok %s\n", ctx.name);
		}
	}
}

unsigned selftest_run(void)
{
	struct tally sum = { 0, 0, 0 };

	run_table(battery, sizeof(battery) / sizeof(battery[0]), &sum);
	/* The checks of secondary CPUs (checks_smp.c) only when the device
	 * tree lists more than one, so that a run of one CPU prints what it
	 * always has; tests/cli/test-smp.sh judges them. */
	if (boot_dt.nr_cpus > 1)
		run_table(smp_checks, nr_smp_checks, &sum);
	kprintf("selftest: %u passed, %u failed, %u skipped\n", sum.passed,
		sum.failed, sum.skipped);
	return sum.failed;
}
