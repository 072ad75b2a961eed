/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_xen_version: each sub-op with a good buffer,
 * the ones that take none with and without one, and the unknown ones. */
#include <xen/errno.h>
#include <xen/version.h>

#include "conf.h"
#include "gxen/hypercall.h"

void check_conf_xen_version(struct selftest_ctx *ctx)
{
	xen_extraversion_t extra;
	xen_capabilities_info_t caps;
	xen_feature_info_t fi = { .submap_idx = 7 };

	conf_expect_hex(ctx, "XENVER_version",
			(unsigned long)HYPERVISOR_xen_version(XENVER_version,
							      NULL),
			0x40011);
	conf_expect(ctx, "XENVER_pagesize(NULL)",
		    HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
	conf_expect(ctx, "XENVER_extraversion",
		    HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
	conf_expect(ctx, "XENVER_capabilities",
		    HYPERVISOR_xen_version(XENVER_capabilities, caps), 0);
	conf_expect(ctx, "XENVER_get_features(submap 7)",
		    HYPERVISOR_xen_version(XENVER_get_features, &fi),
		    -XEN_EINVAL);
	conf_expect(ctx, "xen_version(99)",
		    HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
}
