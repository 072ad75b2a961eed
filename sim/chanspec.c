/* SPDX-License-Identifier: BSD-2-Clause */
/* CHANNEL_SPEC_STRINGs (xl.cfg(5) `channel`, xen-pv-channel(7)), from a
 * config file or --channel: comma-separated KEY=VALUE pairs, name and
 * connection required, path with (and only with) connection=socket. Each
 * key at most once; anything else is an error that says what. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domcfg.h"

struct chan_parse {
	struct sim_channel *ch;
	bool name, connection, path, backend;   /* given */
	char *err;
	size_t errlen;
};

static int chan_error(struct chan_parse *cp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int chan_error(struct chan_parse *cp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cp->err, cp->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* s[0..n) without leading and trailing blanks, into out[cap]. */
static int trim_into(const char *s, size_t n, char *out, size_t cap)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int once(struct chan_parse *cp, bool *given, const char *key)
{
	if (*given)
		return chan_error(cp, "%s given twice", key);
	*given = true;
	return 0;
}

static int set_name(struct chan_parse *cp, const char *value)
{
	if (!value[0])
		return chan_error(cp, "name is empty");
	if (strlen(value) >= sizeof(cp->ch->name))
		return chan_error(cp, "name longer than %zu bytes",
				  sizeof(cp->ch->name) - 1);
	/* It goes into xenstore and is how the guest finds the channel. */
	for (const char *c = value; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			return chan_error(cp, "name \"%s\": printable characters "
					  "without blanks only", value);
	strcpy(cp->ch->name, value);
	return once(cp, &cp->name, "name");
}

static int set_connection(struct chan_parse *cp, const char *value)
{
	if (strcmp(value, "pty") == 0)
		cp->ch->connection = SIM_CHANNEL_PTY;
	else if (strcmp(value, "socket") == 0)
		cp->ch->connection = SIM_CHANNEL_SOCKET;
	else
		return chan_error(cp, "connection=%s: want pty or socket (lower "
				  "case, as xl reads it)", value);
	return once(cp, &cp->connection, "connection");
}

static int set_path(struct chan_parse *cp, const char *value)
{
	if (!value[0])
		return chan_error(cp, "path is empty");
	if (strlen(value) >= sizeof(cp->ch->path))
		return chan_error(cp, "path longer than %zu bytes (a unix "
				  "socket's limit)", sizeof(cp->ch->path) - 1);
	strcpy(cp->ch->path, value);
	return once(cp, &cp->path, "path");
}

static int chan_token(struct chan_parse *cp, const char *tok, size_t n)
{
	const char *eq = memchr(tok, '=', n);
	char key[32], value[SIM_CHANNEL_NAME_MAX + SIM_SOCKET_PATH_MAX];

	if (trim_into(tok, eq ? (size_t)(eq - tok) : n, key, sizeof(key)))
		return chan_error(cp, "key too long");
	if (!eq)
		return chan_error(cp, "\"%s\" is not KEY=VALUE", key);
	if (trim_into(eq + 1, n - (size_t)(eq + 1 - tok), value,
		      sizeof(value)))
		return chan_error(cp, "%s: value too long", key);
	if (strcmp(key, "name") == 0)
		return set_name(cp, value);
	if (strcmp(key, "connection") == 0)
		return set_connection(cp, value);
	if (strcmp(key, "path") == 0)
		return set_path(cp, value);
	if (strcmp(key, "backend") == 0) {
		if (strcmp(value, "0") && strcmp(value, "Domain-0"))
			return chan_error(cp, "backend=%s: the backend is dom0 "
					  "(0 or Domain-0)", value);
		return once(cp, &cp->backend, "backend");
	}
	return chan_error(cp, "unknown key \"%s\" (known: name connection "
			  "path backend)", key);
}

int sim_channel_parse(const char *spec, struct sim_channel *out, char *err,
		      size_t errlen)
{
	struct chan_parse cp = { .ch = out, .err = err, .errlen = errlen };
	const char *p = spec;

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (chan_token(&cp, p, n))
			return -1;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!cp.name)
		return chan_error(&cp, "no name (name=NAME): a channel is known "
				  "by its name");
	if (!cp.connection)
		return chan_error(&cp, "no connection (connection=pty or "
				  "connection=socket)");
	if (out->connection == SIM_CHANNEL_SOCKET && !cp.path)
		return chan_error(&cp, "connection=socket needs path=PATH");
	if (out->connection == SIM_CHANNEL_PTY && cp.path)
		return chan_error(&cp, "path= is for connection=socket");
	return 0;
}

int sim_channels_check(const struct sim_channel *ch, unsigned n, char *err,
		       size_t errlen)
{
	if (n > SIM_MAX_CHANNELS) {
		snprintf(err, errlen, "more than %u channels", SIM_MAX_CHANNELS);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++) {
			if (strcmp(ch[i].name, ch[j].name) == 0) {
				snprintf(err, errlen, "channel name %s used "
					 "twice", ch[i].name);
				return -1;
			}
			if (ch[i].connection == SIM_CHANNEL_SOCKET &&
			    ch[j].connection == SIM_CHANNEL_SOCKET &&
			    strcmp(ch[i].path, ch[j].path) == 0) {
				snprintf(err, errlen, "socket path %s used "
					 "twice", ch[i].path);
				return -1;
			}
		}
	return 0;
}
