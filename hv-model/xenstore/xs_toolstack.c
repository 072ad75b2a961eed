/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The toolstack's part of building a domain in xenstore, as libxl lays it
 * out (docs/misc/xenstore-paths): /local/domain/N with its name, domid,
 * vm (its /vm/UUID, holding uuid and name), memory target and video
 * memory, vCPUs, store ring, the control/platform-feature-* libxl sets
 * and the empty directories drivers fill in later.
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
	"control/feature-suspend", "control/sysrq", "device",
	"device/suspend/event-channel", "data", "drivers", "feature", "attr",
	"error",
};

/* What libxl tells every guest it may rely on. */
static const char *const platform_features[] = {
	"control/platform-feature-multiprocessor-suspend",
	"control/platform-feature-xs_reset_watches",
};

/* The entries the domain itself writes. */
static const char *const guest_writable[] = {
	"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
	"control/feature-suspend", "control/sysrq", "device/suspend/event-channel",
	"data", "drivers", "feature", "attr", "error",
};

void hv_xs_domain_uuid(const char *name, uint8_t uuid[16])
{
	/* Two FNV-1a hashes make the 128 bits; the version (4) and variant
	 * bits are RFC 4122's. */
	uint64_t h[2] = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };

	for (unsigned k = 0; k < 2; k++)
		for (const char *p = name; *p; p++)
			h[k] = (h[k] ^ (unsigned char)*p) * 0x100000001b3ull;
	h[0] = (h[0] & ~0xf000ull) | 0x4000ull;
	h[1] = (h[1] & ~(3ull << 62)) | (2ull << 62);
	for (unsigned i = 0; i < 16; i++)
		uuid[i] = (uint8_t)(h[i / 8] >> (56 - 8 * (i % 8)));
}

/* The domain's uuid in its text form. */
static void domain_uuid(const char *name, char *out, size_t cap)
{
	uint8_t u[16];

	hv_xs_domain_uuid(name, u);
	snprintf(out, cap, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		 u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}

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
	/* libxl's video memory: none for a PV domain. */
	if (!rc)
		rc = write_key(xs, base, "memory/videoram", "0");
	for (unsigned i = 0; !rc && i < info->vcpus; i++) {
		snprintf(key, sizeof(key), "cpu/%u/availability", i);
		rc = write_key(xs, base, key, "online");
	}
	if (!rc && info->store_gfn) {
		snprintf(num, sizeof(num), "%u", info->store_port);
		rc = write_key(xs, base, "store/port", num);
		snprintf(num, sizeof(num), "%" PRIu64, info->store_gfn);
		if (!rc)
			rc = write_key(xs, base, "store/ring-ref", num);
	}
	for (size_t i = 0; !rc && i < sizeof(empty_dirs) / sizeof(empty_dirs[0]); i++)
		rc = write_key(xs, base, empty_dirs[i], "");
	for (size_t i = 0; !rc && i < sizeof(platform_features) / sizeof(platform_features[0]); i++)
		rc = write_key(xs, base, platform_features[i], "1");
	return rc;
}

/* /vm/UUID with the uuid and name, read-only to the domain, and the
 * domain's vm key naming it. */
static int write_vm(struct hv_xs *xs, const struct hv_xs_domain_info *info, const char *base,
		    const struct hv_xs_perm *read_only)
{
	char uuid[40], vm[48];
	int rc;

	domain_uuid(info->name, uuid, sizeof(uuid));
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);
	hv_xs_rm(xs, vm);
	rc = hv_xs_mkdir(xs, vm);
	if (!rc)
		rc = hv_xs_set_perms(xs, vm, read_only, 2);
	if (!rc)
		rc = write_key(xs, vm, "uuid", uuid);
	if (!rc)
		rc = write_key(xs, vm, "name", info->name);
	if (!rc)
		rc = write_key(xs, base, "vm", vm);
	return rc;
}

/* The domain's /vm/UUID, as its vm key names it (a path under /vm/ only:
 * the key is dom0's, but check before removing anything). */
static void remove_vm(struct hv_xs *xs, const char *base)
{
	char key[48], vm[64];
	int len;

	snprintf(key, sizeof(key), "%s/vm", base);
	len = hv_xs_read(xs, key, vm, sizeof(vm) - 1);
	if (len <= 4 || len >= (int)sizeof(vm) - 1)
		return;
	vm[len] = '\0';
	if (strncmp(vm, "/vm/", 4) == 0 && !strchr(vm + 4, '/'))
		hv_xs_rm(xs, vm);
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
		rc = write_vm(xs, info, base, read_only);
	if (!rc)
		rc = write_layout(xs, info, base);
	for (size_t i = 0; !rc && i < sizeof(guest_writable) / sizeof(guest_writable[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", base, guest_writable[i]);
		rc = hv_xs_set_perms(xs, path, &owned, 1);
	}
	if (rc) {
		remove_vm(xs, base);
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
	remove_vm(xs, base);
	rc = hv_xs_rm(xs, base);
	if (rc && rc != -XEN_ENOENT)
		return rc;
	return hv_xs_domain_release(xs, domid);
}
