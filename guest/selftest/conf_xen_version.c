/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_xen_version: each sub-op with a good buffer,
 * the ones that take none with and without one, and the unknown ones. */
#include <xen/errno.h>
#include <xen/version.h>

#include "conf.h"
#include "gxen/hypercall.h"
#include "kern/string.h"

static unsigned nonzero_bytes(const uint8_t *p, unsigned len)
{
	unsigned n = 0;

	for (unsigned i = 0; i < len; i++)
		n += p[i] != 0;
	return n;
}

/* Sub-ops that take a buffer: platform parameters, the UUID, and the two
 * a domU may not read (the command line as a string, the build id as an
 * error). */
static void buffer_subops(struct selftest_ctx *ctx)
{
	xen_platform_parameters_t params = { .virt_start = 1 };
	xen_domain_handle_t handle;
	static xen_commandline_t cmdline;
	struct { uint32_t len; uint8_t buf[64]; } build_id = { .len = 0 };

	conf_expect(ctx, "XENVER_platform_parameters",
		    HYPERVISOR_xen_version(XENVER_platform_parameters,
					   &params), 0);
	conf_expect_hex(ctx, "platform_parameters.virt_start",
			(unsigned long)params.virt_start, 0x200000);
	memset(handle, 0xff, sizeof(handle));
	conf_expect(ctx, "XENVER_guest_handle",
		    HYPERVISOR_xen_version(XENVER_guest_handle, handle), 0);
	conf_expect(ctx, "guest_handle: non-zero bytes",
		    nonzero_bytes(handle, sizeof(handle)), 0);
	memset(cmdline, 0xff, sizeof(cmdline));
	conf_expect(ctx, "XENVER_commandline",
		    HYPERVISOR_xen_version(XENVER_commandline, cmdline), 0);
	cmdline[sizeof(cmdline) - 1] = '\0';
	conf_expect_role(ctx, "commandline is \"<denied>\"",
			 strcmp(cmdline, "<denied>") == 0, 0, 1);
	conf_expect_role(ctx, "XENVER_build_id(len 0)",
			 HYPERVISOR_xen_version(XENVER_build_id, &build_id),
			 -XEN_EINVAL, -XEN_EPERM);
}

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
	conf_expect(ctx, "XENVER_pagesize(buffer)",
		    HYPERVISOR_xen_version(XENVER_pagesize, extra), -XEN_EINVAL);
	buffer_subops(ctx);
	conf_expect(ctx, "xen_version(99)",
		    HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
}
