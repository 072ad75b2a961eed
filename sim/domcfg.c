/* SPDX-License-Identifier: BSD-2-Clause */
/* From parsed xl.cfg settings to a domain config: one handler per key in a
 * table; a key not in the table is an error, never ignored. Paths are
 * taken as written (relative to the working directory, as xl does). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "sim.h"

struct key_ctx {
	const struct xlcfg *file;
	const struct xlcfg_setting *set;
	struct sim_domcfg *cfg;
	char *err;
	size_t errlen;
	const char *root, *extra, *cmdline;
};

static int key_error(struct key_ctx *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int key_error(struct key_ctx *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(k->err, k->errlen, "%s:%u: %s: ", k->file->path,
		     k->set->line, k->set->key);
	if (n >= 0 && (size_t)n < k->errlen) {
		va_start(ap, fmt);
		vsnprintf(k->err + n, k->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The setting as one string (a quoted string or a number). */
static const char *scalar(struct key_ctx *k)
{
	if (k->set->kind == XLCFG_LIST) {
		key_error(k, "wants a single value, not a list");
		return NULL;
	}
	return k->set->atom.str;
}

static int number_in(struct key_ctx *k, uint64_t min, uint64_t max,
		     uint64_t *out)
{
	const char *s = scalar(k);
	char *end;

	if (!s)
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || *out < min ||
	    *out > max)
		return key_error(k, "wants a number from %" PRIu64 " to %"
				 PRIu64 ", not \"%s\"", min, max, s);
	return 0;
}

static int copy_string(struct key_ctx *k, char *dst, size_t len)
{
	const char *s = scalar(k);

	if (!s)
		return -1;
	if (strlen(s) >= len)
		return key_error(k, "longer than %zu bytes", len - 1);
	strcpy(dst, s);
	return 0;
}

static int key_name(struct key_ctx *k)
{
	if (copy_string(k, k->cfg->name, sizeof(k->cfg->name)))
		return -1;
	if (!k->cfg->name[0])
		return key_error(k, "empty");
	for (const char *c = k->cfg->name; *c; c++)
		if (*c == '/' || *c < 0x21 || *c > 0x7e)
			return key_error(k, "printable characters without "
					 "'/' or blanks only");
	k->cfg->set |= SIM_DOMCFG_NAME;
	return 0;
}

static int key_type(struct key_ctx *k)
{
	const char *s = scalar(k);

	if (!s)
		return -1;
	/* ARM guests are all of one kind, which xl calls pvh. */
	if (strcmp(s, "pvh") != 0)
		return key_error(k, "\"%s\": ARM domains are type \"pvh\"", s);
	return 0;
}

static int key_memory(struct key_ctx *k)
{
	k->cfg->set |= SIM_DOMCFG_MEMORY;
	return number_in(k, 16, SIM_MEMORY_MAX_MIB, &k->cfg->memory_mib);
}

static int key_vcpus(struct key_ctx *k)
{
	uint64_t n;

	if (number_in(k, 1, HV_MAX_VCPUS, &n))
		return -1;
	k->cfg->vcpus = (unsigned)n;
	k->cfg->set |= SIM_DOMCFG_VCPUS;
	return 0;
}

static int key_kernel(struct key_ctx *k)
{
	k->cfg->set |= SIM_DOMCFG_KERNEL;
	if (copy_string(k, k->cfg->kernel, sizeof(k->cfg->kernel)))
		return -1;
	return k->cfg->kernel[0] ? 0 : key_error(k, "empty");
}

static int key_ramdisk(struct key_ctx *k)
{
	k->cfg->set |= SIM_DOMCFG_RAMDISK;
	if (copy_string(k, k->cfg->ramdisk, sizeof(k->cfg->ramdisk)))
		return -1;
	return k->cfg->ramdisk[0] ? 0 : key_error(k, "empty");
}

/* cmdline, root and extra are combined once all are read. */
static int key_cmdline(struct key_ctx *k)
{
	return (k->cmdline = scalar(k)) ? 0 : -1;
}

static int key_root(struct key_ctx *k)
{
	return (k->root = scalar(k)) ? 0 : -1;
}

static int key_extra(struct key_ctx *k)
{
	return (k->extra = scalar(k)) ? 0 : -1;
}

static int key_gic_version(struct key_ctx *k)
{
	const char *s = scalar(k);

	if (!s)
		return -1;
	if (strcmp(s, "v2") == 0)
		k->cfg->gic = 2;
	else if (strcmp(s, "v3") == 0)
		k->cfg->gic = 3;
	else
		return key_error(k, "\"%s\": want \"v2\" or \"v3\"", s);
	k->cfg->set |= SIM_DOMCFG_GIC;
	return 0;
}

/* The list's items as strings; a bare string counts as a list of one. */
static int each_item(struct key_ctx *k, unsigned max,
		     int (*fn)(struct key_ctx *k, const char *item,
			       unsigned index))
{
	if (k->set->kind != XLCFG_LIST)
		return fn(k, k->set->atom.str, 0);
	if (k->set->n_items > max)
		return key_error(k, "more than %u entries", max);
	for (size_t i = 0; i < k->set->n_items; i++) {
		if (k->set->items[i].kind != XLCFG_STRING)
			return key_error(k, "entry %zu is not a string", i + 1);
		if (fn(k, k->set->items[i].str, (unsigned)i))
			return -1;
	}
	return 0;
}

static int one_disk(struct key_ctx *k, const char *spec, unsigned i)
{
	char why[256];
	struct sim_disk *d = &k->cfg->disks[i];

	if (sim_disk_parse(spec, d, why, sizeof(why)))
		return key_error(k, "'%s': %s", spec, why);
	for (unsigned j = 0; j < i; j++)
		if (k->cfg->disks[j].virtual_device == d->virtual_device)
			return key_error(k, "vdev %s used twice", d->vdev);
	k->cfg->n_disks = i + 1;
	return 0;
}

static int key_disk(struct key_ctx *k)
{
	return each_item(k, SIM_MAX_DISKS, one_disk);
}

static int one_vif(struct key_ctx *k, const char *spec, unsigned i)
{
	char why[256];

	if (sim_vif_check(spec, why, sizeof(why)))
		return key_error(k, "'%s': %s", spec, why);
	if (strlen(spec) >= sizeof(k->cfg->vifs[i]))
		return key_error(k, "'%s': too long", spec);
	strcpy(k->cfg->vifs[i], spec);
	k->cfg->n_vifs = i + 1;
	return 0;
}

static int key_vif(struct key_ctx *k)
{
	return each_item(k, SIM_MAX_VIFS, one_vif);
}

static int one_channel(struct key_ctx *k, const char *spec, unsigned i)
{
	char why[300];

	if (sim_channel_parse(spec, &k->cfg->channels[i], why, sizeof(why)) ||
	    sim_channels_check(k->cfg->channels, i + 1, why, sizeof(why)))
		return key_error(k, "'%s': %s", spec, why);
	k->cfg->n_channels = i + 1;
	return 0;
}

static int key_channel(struct key_ctx *k)
{
	return each_item(k, SIM_MAX_CHANNELS, one_channel);
}

/* xl.cfg(5)'s actions: destroy, restart and preserve are done; the others
 * are refused by name. */
static int action(struct key_ctx *k, enum sim_action *out)
{
	static const struct {
		const char *name;
		enum sim_action action;
	} done[] = {
		{ "destroy", SIM_ACTION_DESTROY },
		{ "restart", SIM_ACTION_RESTART },
		{ "preserve", SIM_ACTION_PRESERVE },
	};
	static const char *const refused[] = {
		"rename-restart", "coredump-destroy", "coredump-restart",
		"soft-reset",
	};
	const char *s = scalar(k);

	if (!s)
		return -1;
	for (unsigned i = 0; i < sizeof(done) / sizeof(done[0]); i++)
		if (strcmp(s, done[i].name) == 0) {
			*out = done[i].action;
			return 0;
		}
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(s, refused[i]) == 0)
			return key_error(k, "\"%s\" is not supported by "
					 "xensim: it does destroy, restart and "
					 "preserve (not rename-restart, "
					 "coredump-destroy, coredump-restart "
					 "or soft-reset)", s);
	return key_error(k, "\"%s\" is not an action", s);
}

static int key_on_poweroff(struct key_ctx *k)
{
	return action(k, &k->cfg->on_poweroff);
}

static int key_on_reboot(struct key_ctx *k)
{
	return action(k, &k->cfg->on_reboot);
}

static int key_on_crash(struct key_ctx *k)
{
	return action(k, &k->cfg->on_crash);
}

static int key_on_watchdog(struct key_ctx *k)
{
	return action(k, &k->cfg->on_watchdog);
}

static const struct {
	const char *key;
	int (*set)(struct key_ctx *k);
} keys[] = {
	{ "name", key_name },
	{ "type", key_type },
	{ "memory", key_memory },
	{ "vcpus", key_vcpus },
	{ "kernel", key_kernel },
	{ "ramdisk", key_ramdisk },
	{ "cmdline", key_cmdline },
	{ "root", key_root },
	{ "extra", key_extra },
	{ "gic_version", key_gic_version },
	{ "disk", key_disk },
	{ "vif", key_vif },
	{ "channel", key_channel },
	{ "on_poweroff", key_on_poweroff },
	{ "on_reboot", key_on_reboot },
	{ "on_crash", key_on_crash },
	{ "on_watchdog", key_on_watchdog },
};

static int unknown_key(struct key_ctx *k)
{
	char known[256] = "";
	size_t n = 0;

	for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
		int w = snprintf(known + n, sizeof(known) - n, "%s%s",
				 j ? " " : "", keys[j].key);

		if (w < 0 || (size_t)w >= sizeof(known) - n)
			break;
		n += (size_t)w;
	}
	return key_error(k, "unknown key (known: %s)", known);
}

/* xl's rule: cmdline is the whole command line; otherwise "root=ROOT
 * EXTRA". Giving cmdline with either of the others is ambiguous. */
static int combine_cmdline(struct key_ctx *k, struct sim_domcfg *cfg)
{
	int n;

	if (k->cmdline && (k->root || k->extra)) {
		snprintf(k->err, k->errlen, "%s: cmdline with root or extra: "
			 "give either cmdline alone or root/extra",
			 k->file->path);
		return -1;
	}
	if (!k->cmdline && !k->root && !k->extra)
		return 0;
	if (k->cmdline)
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s",
			     k->cmdline);
	else
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s%s%s%s",
			     k->root ? "root=" : "", k->root ? k->root : "",
			     k->root && k->extra ? " " : "",
			     k->extra ? k->extra : "");
	if (n < 0 || (size_t)n >= sizeof(cfg->cmdline)) {
		snprintf(k->err, k->errlen, "%s: the command line is longer "
			 "than %zu bytes", k->file->path,
			 sizeof(cfg->cmdline) - 1);
		return -1;
	}
	cfg->set |= SIM_DOMCFG_CMDLINE;
	return 0;
}

int sim_domcfg_from_xlcfg(const struct xlcfg *x, struct sim_domcfg *out,
			  char *err, size_t errlen)
{
	struct key_ctx k = { .file = x, .cfg = out, .err = err,
			     .errlen = errlen };

	memset(out, 0, sizeof(*out));
	out->on_poweroff = SIM_ACTION_DESTROY;
	out->on_reboot = SIM_ACTION_RESTART;
	out->on_crash = SIM_ACTION_DESTROY;
	out->on_watchdog = SIM_ACTION_DESTROY;
	for (size_t i = 0; i < x->n_settings; i++) {
		size_t j;

		k.set = &x->settings[i];
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			if (strcmp(k.set->key, keys[j].key) == 0)
				break;
		if (j == sizeof(keys) / sizeof(keys[0]))
			return unknown_key(&k);
		if (keys[j].set(&k))
			return -1;
	}
	return combine_cmdline(&k, out);
}

int sim_domcfg_load(const char *path, struct sim_domcfg *out, char *err,
		    size_t errlen)
{
	struct xlcfg x;
	int rc;

	if (xlcfg_load(path, &x, err, errlen))
		return -1;
	rc = sim_domcfg_from_xlcfg(&x, out, err, errlen);
	xlcfg_free(&x);
	return rc;
}
