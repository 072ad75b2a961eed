/* SPDX-License-Identifier: BSD-2-Clause */
/* Which kind of domain the battery runs in, from what Xen and the
 * toolstack give it: dom0 (XENFEAT_dom0), a domU built by xl (libxl's
 * device tree), or one Xen built itself (dom0less). Xen 4.17 treats them
 * differently in a few places the checks must expect. */
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>

#include "gxen/hypercall.h"
#include "kern/boot.h"
#include "selftest_checks.h"

enum selftest_domain_kind selftest_domain_kind(void)
{
	xen_feature_info_t fi = { .submap_idx = 0 };

	if (HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0 &&
	    (fi.submap & (1u << XENFEAT_dom0)))
		return SELFTEST_DOM0;
	return boot_dt.xl_built ? SELFTEST_XL_DOMU : SELFTEST_DOM0LESS_DOMU;
}

/* Xen's dummy XSM hook lets the hardware domain and the domains marked
 * is_console (every dom0less domU) use console_io; it refuses any other
 * domain -EPERM before it looks at the command or the buffer. */
long selftest_console_io_want(long want)
{
	return selftest_domain_kind() == SELFTEST_XL_DOMU ? -XEN_EPERM : want;
}
