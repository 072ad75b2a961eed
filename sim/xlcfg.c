/* SPDX-License-Identifier: BSD-2-Clause */
/* The xl.cfg reader: a small tokenizer and a recursive-descent parser over
 * untrusted text. Strict where xl is vague: a key set twice, a nested
 * list, an unknown escape or a nul byte is an error, not a guess. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "xlcfg.h"

struct parser {
	const char *path;
	const char *p, *end;
	unsigned line;
	char *err;
	size_t errlen;
	bool failed;
};

static bool fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->failed)
		return false;
	ps->failed = true;
	n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->path, ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

/* Skip blanks and comments; newlines too when in_list (a list may span
 * lines, a setting may not). */
static void skip_space(struct parser *ps, bool newlines)
{
	while (!at_end(ps)) {
		char c = *ps->p;

		if (c == '#') {
			while (!at_end(ps) && *ps->p != '\n')
				ps->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
		} else if (c == '\n' && newlines) {
			ps->line++;
			ps->p++;
		} else {
			return;
		}
	}
}

static bool is_key_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9');
}

static char *copy_text(struct parser *ps, const char *s, size_t n)
{
	char *out = malloc(n + 1);

	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static char escaped(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case '\\': return '\\';
	case '\'': return '\'';
	case '"': return '"';
	default: return 0;
	}
}

/* A quoted string; ps->p is at the opening quote. */
static bool parse_string(struct parser *ps, struct xlcfg_atom *atom)
{
	char quote = *ps->p++, buf[XLCFG_MAX_STRING + 1];
	size_t n = 0;

	atom->kind = XLCFG_STRING;
	atom->line = ps->line;
	for (;;) {
		char c;

		if (at_end(ps) || *ps->p == '\n')
			return fail(ps, "string not closed by %c", quote);
		c = *ps->p++;
		if (c == quote)
			break;
		if (c == '\\') {
			if (at_end(ps) || !(c = escaped(*ps->p)))
				return fail(ps, "unknown escape in a string "
					    "(known: \\n \\t \\\\ \\' \\\")");
			ps->p++;
		}
		if (c == '\0')
			return fail(ps, "nul byte in a string");
		if (n == XLCFG_MAX_STRING)
			return fail(ps, "string longer than %u bytes",
				    XLCFG_MAX_STRING);
		buf[n++] = c;
	}
	atom->str = copy_text(ps, buf, n);
	return atom->str != NULL;
}

static bool parse_number(struct parser *ps, struct xlcfg_atom *atom)
{
	const char *start = ps->p;

	atom->kind = XLCFG_NUMBER;
	atom->line = ps->line;
	while (!at_end(ps) && is_key_char(*ps->p))
		ps->p++;
	for (const char *q = start; q < ps->p; q++)
		if (*q < '0' || *q > '9')
			return fail(ps, "\"%.*s\" is not a number (quote "
				    "strings)", (int)(ps->p - start), start);
	if (ps->p - start > 20)
		return fail(ps, "number too long");
	atom->str = copy_text(ps, start, (size_t)(ps->p - start));
	return atom->str != NULL;
}

static bool parse_atom(struct parser *ps, struct xlcfg_atom *atom)
{
	if (at_end(ps))
		return fail(ps, "value missing at end of file");
	if (*ps->p == '"' || *ps->p == '\'')
		return parse_string(ps, atom);
	if (*ps->p >= '0' && *ps->p <= '9')
		return parse_number(ps, atom);
	if (*ps->p == '[')
		return fail(ps, "a list inside a list");
	if (*ps->p == '\n' || *ps->p == ';')
		return fail(ps, "value missing");
	if (is_key_start(*ps->p))
		return fail(ps, "unquoted word: strings need quotes");
	return fail(ps, "unexpected character '%c'", *ps->p);
}

static void free_atom(struct xlcfg_atom *atom)
{
	free(atom->str);
	atom->str = NULL;
}

/* [ atom, atom, ... ] with an optional trailing comma; ps->p at '['. */
static bool parse_list(struct parser *ps, struct xlcfg_setting *set)
{
	struct xlcfg_atom *items;

	items = calloc(XLCFG_MAX_ITEMS, sizeof(*items));
	if (!items)
		return fail(ps, "out of memory");
	set->items = items;
	ps->p++;
	for (;;) {
		skip_space(ps, true);
		if (!at_end(ps) && *ps->p == ']') {
			ps->p++;
			return true;
		}
		if (set->n_items == XLCFG_MAX_ITEMS)
			return fail(ps, "list longer than %u items",
				    XLCFG_MAX_ITEMS);
		if (!parse_atom(ps, &items[set->n_items]))
			return false;
		set->n_items++;
		skip_space(ps, true);
		if (at_end(ps))
			return fail(ps, "list not closed by ]");
		if (*ps->p == ',')
			ps->p++;
		else if (*ps->p != ']')
			return fail(ps, "expected , or ] in a list");
	}
}

static void free_setting(struct xlcfg_setting *set)
{
	free(set->key);
	free_atom(&set->atom);
	for (size_t i = 0; i < set->n_items; i++)
		free_atom(&set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}

static const struct xlcfg_setting *find(const struct xlcfg *cfg,
					const char *key)
{
	for (size_t i = 0; i < cfg->n_settings; i++)
		if (strcmp(cfg->settings[i].key, key) == 0)
			return &cfg->settings[i];
	return NULL;
}

/* KEY = VALUE, then the end of the statement. */
static bool parse_setting(struct parser *ps, struct xlcfg *cfg,
			  struct xlcfg_setting *set)
{
	const char *start = ps->p;
	const struct xlcfg_setting *prev;

	set->line = ps->line;
	while (!at_end(ps) && is_key_char(*ps->p))
		ps->p++;
	if ((size_t)(ps->p - start) > XLCFG_MAX_KEY)
		return fail(ps, "key longer than %u characters", XLCFG_MAX_KEY);
	set->key = copy_text(ps, start, (size_t)(ps->p - start));
	if (!set->key)
		return false;
	prev = find(cfg, set->key);
	if (prev)
		return fail(ps, "%s set twice (first on line %u)", set->key,
			    prev->line);
	skip_space(ps, false);
	if (at_end(ps) || *ps->p != '=')
		return fail(ps, "expected = after %s", set->key);
	ps->p++;
	skip_space(ps, false);
	if (!at_end(ps) && *ps->p == '[') {
		set->kind = XLCFG_LIST;
		if (!parse_list(ps, set))
			return false;
	} else {
		if (!parse_atom(ps, &set->atom))
			return false;
		set->kind = set->atom.kind;
	}
	skip_space(ps, false);
	if (at_end(ps) || *ps->p == '\n' || *ps->p == ';')
		return true;
	return fail(ps, "text after the value of %s", set->key);
}

static bool grow(struct parser *ps, struct xlcfg *cfg, size_t *cap)
{
	struct xlcfg_setting *s;

	if (cfg->n_settings < *cap)
		return true;
	*cap = *cap ? *cap * 2 : 16;
	s = realloc(cfg->settings, *cap * sizeof(*s));
	if (!s)
		return fail(ps, "out of memory");
	cfg->settings = s;
	return true;
}

int xlcfg_parse(const char *path, const char *text, size_t len,
		struct xlcfg *out, char *err, size_t errlen)
{
	struct parser ps = { path, text, text + len, 1, err, errlen, false };
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (len > XLCFG_MAX_FILE)
		fail(&ps, "file larger than %u bytes", XLCFG_MAX_FILE);
	if (!ps.failed && memchr(text, '\0', len))
		fail(&ps, "nul byte: not a text file");
	while (!ps.failed) {
		skip_space(&ps, true);
		if (!at_end(&ps) && *ps.p == ';') {
			ps.p++;
			continue;
		}
		if (at_end(&ps))
			break;
		if (!is_key_start(*ps.p)) {
			fail(&ps, "expected KEY = VALUE");
			break;
		}
		if (!grow(&ps, out, &cap))
			break;
		memset(&out->settings[out->n_settings], 0,
		       sizeof(out->settings[0]));
		if (!parse_setting(&ps, out, &out->settings[out->n_settings])) {
			free_setting(&out->settings[out->n_settings]);
			break;
		}
		out->n_settings++;
	}
	if (!ps.failed) {
		out->path = copy_text(&ps, path, strlen(path));
	}
	if (ps.failed) {
		xlcfg_free(out);
		return -1;
	}
	return 0;
}

int xlcfg_load(const char *path, struct xlcfg *out, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	ssize_t got;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK: a FIFO must not hang the run before it is refused. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > (off_t)XLCFG_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %u bytes", path,
			 XLCFG_MAX_FILE);
		close(fd);
		return -1;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	got = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (got != (ssize_t)st.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		free(text);
		return -1;
	}
	rc = xlcfg_parse(path, text, (size_t)got, out, err, errlen);
	free(text);
	return rc;
}

void xlcfg_free(struct xlcfg *cfg)
{
	for (size_t i = 0; i < cfg->n_settings; i++)
		free_setting(&cfg->settings[i]);
	free(cfg->settings);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
