/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paths and numbers from requests. Paths are checked against the
 * documented rules (xenstore.txt): absolute or relative to the caller's
 * /local/domain/<domid>, characters [A-Za-z0-9-/_@], no empty component,
 * no trailing slash, length limits. Numbers are plain decimal, nothing
 * else: no sign, no spaces, no hex.
 */
#include <xen/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

#define LOCAL_DOMAIN "/local/domain/"

static bool path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

/* Length of a leading "/local/domain/<digits>/", 0 if there is none. */
static size_t local_prefix_len(const char *path)
{
	size_t off = sizeof(LOCAL_DOMAIN) - 1;
	size_t digits = 0;

	if (strncmp(path, LOCAL_DOMAIN, off) != 0)
		return 0;
	while (path[off + digits] >= '0' && path[off + digits] <= '9' && digits < 5)
		digits++;
	if (!digits || path[off + digits] != '/')
		return 0;
	return off + digits + 1;
}

static int check_abs(const struct hv_xs *xs, const struct hv_xs_who *who, const char *path)
{
	size_t len = strlen(path);
	const struct hv_xs_config *cfg = &xs->cfg;

	if (path[0] != '/')
		return -XEN_EINVAL;
	if (len > 1 && path[len - 1] == '/')
		return -XEN_EINVAL;
	if (strstr(path, "//"))
		return -XEN_EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!path_char_ok(path[i]))
			return -XEN_EINVAL;
	if (cfg->max_abs_path && len > cfg->max_abs_path)
		return -XEN_EINVAL;
	if (!who->priv && cfg->max_rel_path &&
	    len - local_prefix_len(path) > cfg->max_rel_path)
		return -XEN_EINVAL;
	return 0;
}

int hv_xs_path_domain_base(uint16_t domid, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "/local/domain/%u", (unsigned)domid);

	return (n < 0 || (size_t)n >= cap) ? -XEN_EINVAL : 0;
}

int hv_xs_path_canon(const struct hv_xs *xs, const struct hv_xs_who *who,
		  const char *in, bool allow_special, char **out)
{
	char base[32];
	char *abs;
	int rc;

	*out = NULL;
	if (!in[0])
		return -XEN_EINVAL;
	if (in[0] == '@') {
		if (!allow_special || strlen(in) > XENSTORE_ABS_PATH_MAX)
			return -XEN_EINVAL;
		abs = strdup(in);
		if (!abs)
			return -XEN_ENOMEM;
		*out = abs;
		return 0;
	}
	if (in[0] == '/') {
		abs = strdup(in);
	} else {
		size_t blen, ilen = strlen(in);

		hv_xs_path_domain_base(who->domid, base, sizeof(base));
		blen = strlen(base);
		abs = malloc(blen + 1 + ilen + 1);
		if (abs) {
			memcpy(abs, base, blen);
			abs[blen] = '/';
			memcpy(abs + blen + 1, in, ilen + 1);
		}
	}
	if (!abs)
		return -XEN_ENOMEM;
	rc = check_abs(xs, who, abs);
	if (rc) {
		free(abs);
		return rc;
	}
	*out = abs;
	return 0;
}

bool hv_xs_path_is_under(const char *path, const char *base)
{
	size_t bl = strlen(base);

	if (bl == 1 && base[0] == '/')
		return path[0] == '/';
	return strncmp(path, base, bl) == 0 && (path[bl] == '\0' || path[bl] == '/');
}

size_t hv_xs_path_parent_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || !path[1])
		return 0;
	return slash == path ? 1 : (size_t)(slash - path);
}

static int parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -XEN_EINVAL;
	for (; *s; s++) {
		uint64_t digit = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9')
			return -XEN_EINVAL;
		if (v > (max - digit) / 10)
			return -XEN_EINVAL; /* v * 10 + digit would exceed max */
		v = v * 10 + digit;
	}
	*out = v;
	return 0;
}

int hv_xs_parse_domid(const char *s, uint16_t *out)
{
	uint64_t v;
	int rc = parse_decimal(s, UINT16_MAX, &v);

	if (!rc)
		*out = (uint16_t)v;
	return rc;
}

int hv_xs_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int rc = parse_decimal(s, UINT32_MAX, &v);

	if (!rc)
		*out = (uint32_t)v;
	return rc;
}

int hv_xs_parse_u64(const char *s, uint64_t *out)
{
	return parse_decimal(s, UINT64_MAX, out);
}
