/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of `hvc` immediates Xen does not take: on Xen 4.17 every
 * immediate but 0 (SMCCC) and 0xEA1 (hypercalls) is answered with an
 * undefined-instruction exception, the debug ones (0xFFxx) too on a
 * release build, which is what Debian ships. The port's vectors catch the
 * exception and say whether it came as Xen injects it (arch_hvc_probe).
 * Under bootarg debug-hvc (a debug Xen) the debug immediates act instead:
 * they are not probed, and the others must still be undefined. */
#include "conf.h"
#include "kern/boot.h"
#include "kern/printf.h"
#include "port.h"

static const char *const outcome_name[] = {
	[ARCH_HVC_RETURNED] = "returned",
	[ARCH_HVC_UNDEFINED] = "undefined instruction",
	[ARCH_HVC_OTHER_EXCEPTION] = "another exception",
	[ARCH_HVC_NOT_PROBED] = "not probed",
};

static void probe(struct selftest_ctx *ctx, unsigned imm, bool debug_xen)
{
	char what[32];
	enum arch_hvc_outcome got;

	if (debug_xen && (imm & 0xff00) == 0xff00)
		return;
	ksnprintf(what, sizeof(what), "hvc #%#x", imm);
	got = arch_hvc_probe(imm);
	conf_expect_name(ctx, what, outcome_name[got],
			 outcome_name[ARCH_HVC_UNDEFINED]);
}

#define PROBE(imm) probe(ctx, imm, debug_xen);

void check_conf_hvc_imm(struct selftest_ctx *ctx)
{
	bool debug_xen = bootarg_present("debug-hvc");

	if (debug_xen)
		kprintf("conf: hvc_imm: debug immediates not probed (bootarg "
			"debug-hvc: a debug Xen)\n");
	ARCH_HVC_PROBE_IMMS(PROBE)
}
