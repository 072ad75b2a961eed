/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The toolstack's part of building a domain in xenstore, as libxl lays it
 * out (docs/misc/xenstore-paths): /local/domain/N with its name, domid,
 * memory target, vCPUs and the empty directories drivers fill in later.
 * As libxl does, the home directory and what describes the domain (name,
 * domid, memory, cpu, device, control) are dom0's and read-only to N; the
 * directories N fills in (data, drivers, feature, attr, error and
 * control/shutdown) are N's own. Other guests get nothing. Written as dom0,
 * in one go, then the domain is introduced.
 */
#include <xen/errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "xs_internal.h"

static const char *const empty_dirs[] = {
	"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
	"control/feature-suspend", "control/sysrq", "device", "data", "drivers",
	"feature", "attr", "error",
};

/* The entries the domain itself writes. */
static const char *const guest_writable[] = {
	"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
	"control/feature-suspend", "control/sysrq", "data", "drivers", "feature",
	"attr", "error",
};

static int write_key(struct hv_xs *xs, const char *base, const char *key, const char *value)
{
	char path[128];

	if (snprintf(path, sizeof(path), "%s/%s", base, key) >= (int)sizeof(path))
		return -XEN_EINVAL;
	return hv_xs_write_str(xs, path, value);
}

static int write_layout(struct hv_xs *xs, const struct hv_xs_domain_info *info, const char *base)
{
	char num[32], key[64];
	int rc;

	snprintf(num, sizeof(num), "%u", (unsigned)info->domid);
	rc = write_key(xs, base, "name", info->name);
	if (!rc)
		rc = write_key(xs, base, "domid", num);
	snprintf(num, sizeof(num), "%" PRIu64, info->memory_kb);
	if (!rc)
		rc = write_key(xs, base, "memory/target", num);
	if (!rc)
		rc = write_key(xs, base, "memory/static-max", num);
	for (unsigned i = 0; !rc && i < info->vcpus; i++) {
		snprintf(key, sizeof(key), "cpu/%u/availability", i);
		rc = write_key(xs, base, key, "online");
	}
	for (size_t i = 0; !rc && i < sizeof(empty_dirs) / sizeof(empty_dirs[0]); i++)
		rc = write_key(xs, base, empty_dirs[i], "");
	return rc;
}

int hv_xs_toolstack_create_domain(struct hv_xs *xs, const struct hv_xs_domain_info *info)
{
	const struct hv_xs_perm read_only[] = {
		{ .domid = 0, .perms = HV_XS_PERM_NONE },
		{ .domid = info->domid, .perms = HV_XS_PERM_READ },
	};
	const struct hv_xs_perm owned = { .domid = info->domid, .perms = HV_XS_PERM_NONE };
	char base[32];
	char probe[1];
	int rc;

	if (info->domid == 0 || info->domid >= 0x7ff0 || !info->name ||
	    strlen(info->name) > 256)
		return -XEN_EINVAL;
	if (hv_xs_domain_introduced(xs, info->domid))
		return -XEN_EEXIST;
	hv_xs_path_domain_base(info->domid, base, sizeof(base));
	if (hv_xs_read(xs, base, probe, 0) >= 0)
		return -XEN_EEXIST;
	/* The home directory first: children inherit its permissions. */
	rc = hv_xs_mkdir(xs, base);
	if (!rc)
		rc = hv_xs_set_perms(xs, base, read_only, 2);
	if (!rc)
		rc = write_layout(xs, info, base);
	for (size_t i = 0; !rc && i < sizeof(guest_writable) / sizeof(guest_writable[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", base, guest_writable[i]);
		rc = hv_xs_set_perms(xs, path, &owned, 1);
	}
	if (rc) {
		hv_xs_rm(xs, base);
		return rc;
	}
	return hv_xs_domain_introduce(xs, info->domid);
}

int hv_xs_toolstack_destroy_domain(struct hv_xs *xs, uint16_t domid)
{
	char base[32];
	int rc;

	if (domid == 0)
		return -XEN_EINVAL;
	hv_xs_path_domain_base(domid, base, sizeof(base));
	rc = hv_xs_rm(xs, base);
	if (rc && rc != -XEN_ENOENT)
		return rc;
	return hv_xs_domain_release(xs, domid);
}
