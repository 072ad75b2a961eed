/* SPDX-License-Identifier: BSD-2-Clause */
/* Device specs inside an xl.cfg: DISKSPEC strings (xl-disk-configuration)
 * and VIFSPEC strings (xl-network-configuration). A DISKSPEC is comma-
 * separated keys, flags and positional parameters; `target=` takes the
 * rest of the string, commas included. Each parameter at most once. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domcfg.h"

enum { POS_TARGET, POS_FORMAT, POS_VDEV, POS_ACCESS, POS_COUNT };

static const char *const positional_names[POS_COUNT] = {
	"target", "format", "vdev", "access",
};

struct disk_parse {
	struct sim_disk *disk;
	bool given[POS_COUNT];
	char value[POS_COUNT][SIM_PATH_MAX];
	bool devtype_given, discard_given, direct_io_given, backend_given;
	bool backendtype_given;
	char *err;
	size_t errlen;
};

static int disk_error(struct disk_parse *dp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int disk_error(struct disk_parse *dp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dp->err, dp->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* s[0..n) without leading and trailing blanks, into out. */
static int trimmed(const char *s, size_t n, char *out, size_t outlen)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= outlen)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* The deprecated "raw:", "phy:" and "file:" prefixes of a target: the
 * spec is then TARGET,VDEV,ACCESS, so the format counts as given. */
static int target_prefix(struct disk_parse *dp, const char *value)
{
	static const char *const prefixes[] = { "raw:", "phy:", "file:" };

	for (unsigned i = 0; i < 3; i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(value, prefixes[i], n) != 0)
			continue;
		if (dp->given[POS_FORMAT])
			return disk_error(dp, "format given twice");
		dp->given[POS_FORMAT] = true;
		strcpy(dp->value[POS_FORMAT], "raw");
		snprintf(dp->value[POS_TARGET], sizeof(dp->value[POS_TARGET]),
			 "%s", value + n);
		return 0;
	}
	snprintf(dp->value[POS_TARGET], sizeof(dp->value[POS_TARGET]), "%s",
		 value);
	return 0;
}

static int set_positional(struct disk_parse *dp, unsigned pos,
			  const char *value)
{
	if (dp->given[pos])
		return disk_error(dp, "%s given twice", positional_names[pos]);
	dp->given[pos] = true;
	if (pos == POS_TARGET)
		return target_prefix(dp, value);
	snprintf(dp->value[pos], sizeof(dp->value[pos]), "%s", value);
	return 0;
}

static int once(struct disk_parse *dp, bool *given, const char *what)
{
	if (*given)
		return disk_error(dp, "%s given twice", what);
	*given = true;
	return 0;
}

static int disk_flag(struct disk_parse *dp, const char *tok)
{
	if (strcmp(tok, "cdrom") == 0) {
		dp->disk->cdrom = true;
		return once(dp, &dp->devtype_given, "devtype");
	}
	if (strcmp(tok, "discard") == 0 || strcmp(tok, "no-discard") == 0) {
		dp->disk->discard = tok[0] == 'd';
		return once(dp, &dp->discard_given, "discard");
	}
	if (strcmp(tok, "direct-io-safe") == 0) {
		dp->disk->direct_io_safe = true;
		return once(dp, &dp->direct_io_given, "direct-io-safe");
	}
	return 1; /* not a flag */
}

static int disk_key(struct disk_parse *dp, const char *key, const char *value)
{
	for (unsigned pos = 0; pos < POS_COUNT; pos++)
		if (strcmp(key, positional_names[pos]) == 0)
			return set_positional(dp, pos, value);
	if (strcmp(key, "devtype") == 0) {
		if (strcmp(value, "cdrom") != 0)
			return disk_error(dp, "devtype=%s: only cdrom exists",
					  value);
		dp->disk->cdrom = true;
		return once(dp, &dp->devtype_given, "devtype");
	}
	if (strcmp(key, "backendtype") == 0) {
		/* Every type is served by the model's block backend. */
		if (strcmp(value, "phy") && strcmp(value, "qdisk") &&
		    strcmp(value, "tap"))
			return disk_error(dp, "backendtype=%s: want phy, "
					  "qdisk or tap", value);
		strcpy(dp->disk->backend_type, value); /* one of the three */
		return once(dp, &dp->backendtype_given, "backendtype");
	}
	if (strcmp(key, "backend") == 0) {
		if (strcmp(value, "0") && strcmp(value, "Domain-0"))
			return disk_error(dp, "backend=%s: the backend is "
					  "dom0 (0 or Domain-0)", value);
		return once(dp, &dp->backend_given, "backend");
	}
	if (strcmp(key, "script") == 0)
		return disk_error(dp, "script=%s: hotplug scripts do not run "
				  "in xensim", value);
	return disk_error(dp, "unknown key \"%s\"", key);
}

/* One comma-separated token. */
static int disk_token(struct disk_parse *dp, const char *tok)
{
	const char *eq = strchr(tok, '=');
	char key[32], value[SIM_PATH_MAX];
	int rc;

	if (eq) {
		if (trimmed(tok, (size_t)(eq - tok), key, sizeof(key)))
			return disk_error(dp, "key too long");
		trimmed(eq + 1, strlen(eq + 1), value, sizeof(value));
		return disk_key(dp, key, value);
	}
	if ((rc = disk_flag(dp, tok)) <= 0)
		return rc;
	for (unsigned pos = 0; pos < POS_COUNT; pos++)
		if (!dp->given[pos])
			return set_positional(dp, pos, tok);
	return disk_error(dp, "\"%s\": every positional parameter is "
			  "already given", tok);
}

static int disk_finish(struct disk_parse *dp)
{
	struct sim_disk *d = dp->disk;
	const char *format = dp->value[POS_FORMAT];
	const char *access = dp->value[POS_ACCESS];
	const char *vdev = dp->value[POS_VDEV];

	if (format[0] && strcmp(format, "raw") != 0)
		return disk_error(dp, "format=%s: xensim serves raw images "
				  "only", format);
	if (!vdev[0])
		return disk_error(dp, "no vdev (e.g. vdev=xvda)");
	if (strlen(vdev) >= sizeof(d->vdev) ||
	    sim_vdev_number(vdev, &d->virtual_device))
		return disk_error(dp, "vdev=%s: not a disk name Xen knows "
				  "(xvdN, hdN, sdN)", vdev);
	strcpy(d->vdev, vdev);
	if (!access[0])
		d->readonly = d->cdrom;
	else if (strcmp(access, "rw") == 0 || strcmp(access, "w") == 0)
		d->readonly = false;
	else if (strcmp(access, "ro") == 0 || strcmp(access, "r") == 0)
		d->readonly = true;
	else
		return disk_error(dp, "access=%s: want ro, r, rw or w", access);
	if (d->cdrom && !d->readonly)
		return disk_error(dp, "a cdrom is read-only (access=ro)");
	if (!dp->value[POS_TARGET][0] && !d->cdrom)
		return disk_error(dp, "no target (the image file)");
	snprintf(d->target, sizeof(d->target), "%s", dp->value[POS_TARGET]);
	return 0;
}

/* Whether tok is "target = ..." (blanks allowed around the '='). */
static bool is_target_key(const char *tok)
{
	const char *eq = strchr(tok, '=');
	char key[8];

	return eq && trimmed(tok, (size_t)(eq - tok), key, sizeof(key)) == 0 &&
	       strcmp(key, "target") == 0;
}

int sim_disk_parse(const char *spec, struct sim_disk *out, char *err,
		   size_t errlen)
{
	static struct disk_parse dp;  /* large; parsing is not reentrant */
	const char *p = spec;
	char tok[SIM_PATH_MAX];

	memset(&dp, 0, sizeof(dp));
	memset(out, 0, sizeof(*out));
	out->discard = true;
	dp.disk = out;
	dp.err = err;
	dp.errlen = errlen;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (trimmed(p, n, tok, sizeof(tok)))
			return disk_error(&dp, "parameter too long");
		/* target= takes the rest, commas and all. */
		if (is_target_key(tok)) {
			const char *rest = strchr(p, '=') + 1;

			if (trimmed(rest, strlen(rest), tok, sizeof(tok)))
				return disk_error(&dp, "target too long");
			/* Taken literally: no deprecated prefix here. */
			if (dp.given[POS_TARGET])
				return disk_error(&dp, "target given twice");
			dp.given[POS_TARGET] = true;
			strcpy(dp.value[POS_TARGET], tok);
			break;
		}
		if (tok[0] == '\0') {
			/* An empty parameter still takes its position. */
			unsigned pos = 0;

			while (pos < POS_COUNT && dp.given[pos])
				pos++;
			if (pos < POS_COUNT)
				dp.given[pos] = true;
		} else if (disk_token(&dp, tok)) {
			return -1;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return disk_finish(&dp);
}

/* Letters a..z, aa.. as a disk index (bijective base 26), then digits as
 * the partition. */
static int vdev_parts(const char *s, unsigned long *disk, unsigned long *part)
{
	unsigned long d = 0, pt = 0;
	unsigned letters = 0, digits = 0;

	for (; *s >= 'a' && *s <= 'z'; s++, letters++) {
		if (letters == 4)
			return -1;
		d = d * 26 + (unsigned long)(*s - 'a' + 1);
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits == 3 || (digits == 0 && *s == '0'))
			return -1;
		pt = pt * 10 + (unsigned long)(*s - '0');
	}
	if (*s || !letters)
		return -1;
	*disk = d - 1;
	*part = pt;
	return 0;
}

int sim_vdev_number(const char *vdev, uint32_t *number)
{
	unsigned long disk, part;

	if (strncmp(vdev, "xvd", 3) == 0) {
		if (vdev_parts(vdev + 3, &disk, &part))
			return -1;
		if (disk < 16 && part < 16) {
			*number = (202u << 8) | (uint32_t)(disk << 4) |
				  (uint32_t)part;
			return 0;
		}
		if (disk >= (1ul << 20) || part > 255)
			return -1;
		*number = (1u << 28) | (uint32_t)(disk << 8) | (uint32_t)part;
		return 0;
	}
	if (strncmp(vdev, "sd", 2) == 0) {
		if (vdev_parts(vdev + 2, &disk, &part) || disk > 15 || part > 15)
			return -1;
		*number = (8u << 8) | (uint32_t)(disk << 4) | (uint32_t)part;
		return 0;
	}
	if (strncmp(vdev, "hd", 2) == 0) {
		/* hda, hdb on major 3; hdc, hdd on major 22. */
		if (vdev_parts(vdev + 2, &disk, &part) || disk > 3 || part > 63)
			return -1;
		*number = ((disk < 2 ? 3u : 22u) << 8) |
			  (uint32_t)((disk & 1) << 6) | (uint32_t)part;
		return 0;
	}
	return -1;
}

int sim_vif_check(const char *spec, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"mac", "bridge", "type", "vifname", "script", "ip", "backend",
		"rate", "model", "gatewaydev", "devid", "mtu",
		/* xensim's own: what the backend offers (sim/vifs.c) */
		"queues", "split-evtchn", "sg", "gso", "gso-tcpv4", "gso-tcpv6",
		"csum", "ipv6-csum", "mcast",
	};
	const char *p = spec;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char tok[256], key[32];
		const char *eq;
		bool known = false;

		if (trimmed(p, n, tok, sizeof(tok))) {
			snprintf(err, errlen, "parameter too long");
			return -1;
		}
		if (tok[0]) {
			eq = strchr(tok, '=');
			if (!eq && (strcmp(tok, "trusted") == 0 ||
				    strcmp(tok, "untrusted") == 0)) {
				known = true;
			} else if (!eq || trimmed(tok, (size_t)(eq - tok), key,
						  sizeof(key))) {
				snprintf(err, errlen, "\"%s\" is not KEY=VALUE",
					 tok);
				return -1;
			} else {
				for (unsigned i = 0;
				     i < sizeof(keys) / sizeof(keys[0]); i++)
					known |= strcmp(key, keys[i]) == 0;
			}
			if (!known) {
				snprintf(err, errlen, "unknown key \"%s\"",
					 eq ? key : tok);
				return -1;
			}
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}
