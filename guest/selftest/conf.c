/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance battery's reporting: every answer is printed, so that
 * the transcripts of two hypervisors can be compared line for line, and
 * checked, so that a wrong one fails where it is seen. */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/version.h>

#include "conf.h"
#include "gxen/hypercall.h"
#include "kern/printf.h"
#include "kern/string.h"

/* The area's name: the check's, less its "conf_" prefix. */
static const char *conf_area(const struct selftest_ctx *ctx)
{
	return strncmp(ctx->name, "conf_", 5) == 0 ? ctx->name + 5 : ctx->name;
}

bool conf_expect(struct selftest_ctx *ctx, const char *what, long got,
		 long want)
{
	kprintf("conf: %s: %s = %ld\n", conf_area(ctx), what, got);
	return check_that(ctx, got == want, "%s = %ld, want %ld", what, got,
			  want);
}

bool conf_expect_hex(struct selftest_ctx *ctx, const char *what,
		     unsigned long got, unsigned long want)
{
	kprintf("conf: %s: %s = %#lx\n", conf_area(ctx), what, got);
	return check_that(ctx, got == want, "%s = %#lx, want %#lx", what, got,
			  want);
}

bool conf_expect_name(struct selftest_ctx *ctx, const char *what,
		      const char *got, const char *want)
{
	kprintf("conf: %s: %s = %s\n", conf_area(ctx), what, got);
	return check_that(ctx, strcmp(got, want) == 0, "%s = %s, want %s",
			  what, got, want);
}

bool conf_expect_role(struct selftest_ctx *ctx, const char *what, long got,
		      long want_dom0, long want_domu)
{
	bool dom0 = conf_is_dom0();
	long want = dom0 ? want_dom0 : want_domu;

	kprintf("conf: %s: %s = %ld (as %s)\n", conf_area(ctx), what, got,
		dom0 ? "dom0" : "domU");
	return check_that(ctx, got == want, "%s = %ld, want %ld as %s", what,
			  got, want, dom0 ? "dom0" : "domU");
}

bool conf_is_dom0(void)
{
	xen_feature_info_t fi = { .submap_idx = 0 };

	if (HYPERVISOR_xen_version(XENVER_get_features, &fi) != 0)
		return false;
	return fi.submap & (1u << XENFEAT_dom0);
}

/* Xen looks the remote domain up before anything else (-ESRCH), then
 * finds remote port 0 reserved (-EINVAL): nothing is bound either way. */
static bool domid_is_absent(domid_t domid)
{
	struct evtchn_bind_interdomain probe = { .remote_dom = domid,
						 .remote_port = 0 };

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain,
					   &probe) == -XEN_ESRCH;
}

domid_t conf_absent_domid(struct selftest_ctx *ctx)
{
	/* From the highest id Xen hands out, downwards: the ids xl and
	 * xensim give are the small ones. */
	domid_t domid = DOMID_FIRST_RESERVED - 1;

	for (unsigned tries = 0; tries < 16; tries++, domid--)
		if (domid_is_absent(domid))
			return domid;
	check_that(ctx, false, "no absent domid among %u..%u", domid + 1u,
		   DOMID_FIRST_RESERVED - 1u);
	return domid;
}
