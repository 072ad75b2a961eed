/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_xen_version: what the model says it is (Xen 4.17 on arm64).
 * Sub-ops any guest may use answer everyone; the command line and build id
 * need privilege, as with Xen's default security policy. */
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

#define HV_XEN_VIRT_START 0x200000u

static int put(struct hv_vcpu *v, uint64_t gva, const void *src, size_t len)
{
	return hv_copy_to_guest(v, gva, src, len);
}

/* Copy a string into a fixed-size guest buffer, nul-padded. */
static int put_string(struct hv_vcpu *v, uint64_t gva, size_t size,
		      const char *s)
{
	char buf[1024] = { 0 };

	if (size > sizeof(buf))
		return -XEN_EINVAL;
	snprintf(buf, size, "%s", s);
	return put(v, gva, buf, size);
}

static uint32_t feature_submap(const struct hv_domain *d, uint32_t idx)
{
	uint32_t map;

	if (idx != 0)
		return 0;
	map = 1u << XENFEAT_memory_op_vnode_supported |
	      1u << XENFEAT_writable_page_tables |
	      1u << XENFEAT_auto_translated_physmap |
	      1u << XENFEAT_ARM_SMCCC_supported;
	if (d->privileged)
		map |= 1u << XENFEAT_dom0 | 1u << XENFEAT_direct_mapped;
	else
		map |= 1u << XENFEAT_not_direct_mapped;
	return map;
}

static long get_features(struct hv_vcpu *v, uint64_t gva)
{
	xen_feature_info_t fi;
	int rc;

	rc = hv_copy_from_guest(v, &fi, gva, sizeof(fi));
	if (rc)
		return rc;
	if (fi.submap_idx != 0)
		return -XEN_EINVAL;   /* Xen knows only submap 0 */
	fi.submap = feature_submap(v->domain, fi.submap_idx);
	return put(v, gva, &fi, sizeof(fi));
}

static long compile_info(struct hv_vcpu *v, uint64_t gva)
{
	xen_compile_info_t info;

	memset(&info, 0, sizeof(info));
	snprintf(info.compiler, sizeof(info.compiler), "xensim model");
	snprintf(info.compile_by, sizeof(info.compile_by), "xensim");
	snprintf(info.compile_domain, sizeof(info.compile_domain), "local");
	snprintf(info.compile_date, sizeof(info.compile_date), "(virtual)");
	return put(v, gva, &info, sizeof(info));
}

long hv_do_xen_version(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	uint64_t gva = arg[1];
	bool priv = d->privileged;

	switch ((uint32_t)arg[0]) {
	case XENVER_version:
		return HV_XEN_MAJOR << 16 | HV_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(v, gva, sizeof(xen_extraversion_t),
				  HV_XEN_EXTRAVERSION);
	case XENVER_compile_info:
		return compile_info(v, gva);
	case XENVER_capabilities:
		return put_string(v, gva, sizeof(xen_capabilities_info_t),
				  "xen-3.0-aarch64 xen-3.0-armv7l ");
	case XENVER_changeset:
		return put_string(v, gva, sizeof(xen_changeset_info_t),
				  "xensim model");
	case XENVER_platform_parameters: {
		/* Where Xen's own mappings start: arm64 Xen's XEN_VIRT_START,
		 * which 32-bit guests see too. */
		xen_platform_parameters_t p = { .virt_start = HV_XEN_VIRT_START };

		return put(v, gva, &p, sizeof(p));
	}
	case XENVER_get_features:
		return get_features(v, gva);
	case XENVER_pagesize:
		/* The size is the result; a buffer is an error. */
		return gva ? -XEN_EINVAL : (long)HV_PAGE_SIZE;
	case XENVER_guest_handle: {
		/* The domain's UUID: xl's, or zero for a domain Xen built
		 * itself (dom0less, dom0). */
		return put(v, gva, d->handle, sizeof(d->handle));
	}
	case XENVER_commandline:
		/* Refused without privilege, but as a string, not an error. */
		return put_string(v, gva, sizeof(xen_commandline_t),
				  priv ? d->machine->cmdline : "<denied>");
	case XENVER_build_id:
		return priv ? -XEN_ENODATA : -XEN_EPERM;
	default:
		return -XEN_ENOSYS;
	}
}
