/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of HYPERVISOR_xen_version: each sub-op with a good buffer,
 * the ones that take none with and without one, and the unknown ones. */
#include <xen/errno.h>
#include <xen/version.h>

#include "conf.h"
#include "gxen/hypercall.h"
#include "gxen/xs.h"
#include "kern/string.h"

static unsigned nonzero_bytes(const uint8_t *p, unsigned len)
{
	unsigned n = 0;

	for (unsigned i = 0; i < len; i++)
		n += p[i] != 0;
	return n;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* True when HANDLE is the UUID the domain's vm key names
 * ("/vm/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"): xl sets both. */
static bool handle_is_vm_uuid(const uint8_t *handle)
{
	char vm[64];
	const char *p = vm + 4;

	if (xs_read(XBT_NIL, "vm", vm, sizeof(vm)) <= 4 ||
	    strncmp(vm, "/vm/", 4) != 0)
		return false;
	for (unsigned i = 0; i < sizeof(xen_domain_handle_t); i++) {
		int hi, lo;

		if (*p == '-')
			p++;
		hi = hex_digit(p[0]);
		lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (lo < 0 || handle[i] != (uint8_t)(hi << 4 | lo))
			return false;
		p += 2;
	}
	return *p == '\0';
}

/* Xen's own builder gives a domain no UUID (zero); xl gives each one and
 * names it in xenstore. */
static void check_handle(struct selftest_ctx *ctx, const uint8_t *handle)
{
	if (selftest_domain_kind() != SELFTEST_XL_DOMU) {
		conf_expect(ctx, "guest_handle: non-zero bytes",
			    nonzero_bytes(handle, sizeof(xen_domain_handle_t)),
			    0);
		return;
	}
	conf_expect(ctx, "guest_handle is the UUID in /vm",
		    handle_is_vm_uuid(handle), 1);
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
	check_handle(ctx, handle);
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
