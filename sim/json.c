/* SPDX-License-Identifier: BSD-2-Clause */
/* A strict JSON reader (json.h). The text is untrusted: every byte is
 * checked against the grammar, nesting is bounded, and nodes and strings
 * come from one arena freed at once. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define MAX_DEPTH  64
#define CHUNK_SIZE (256 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct parser {
	const char *p, *start, *end;
	struct chunk *arena;
	char *err;
	size_t errlen;
	bool failed;
};

/* The root node sits at the start of the first chunk, so json_free can
 * find the arena from it. */
struct json_root {
	struct json node;
	struct chunk *arena;
};

static void *alloc(struct parser *ps, size_t n)
{
	struct chunk *c = ps->arena;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = ps->arena;
		c->used = 0;
		c->size = size;
		ps->arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void fail(struct parser *ps, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	char why[160];
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	for (const char *q = ps->start; q < ps->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "line %u, column %u: %s", line, col, why);
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n)) {
		fail(ps, "unexpected character '%c'", *ps->p);
		return false;
	}
	ps->p += n;
	return true;
}

static bool is_digit(const struct parser *ps)
{
	return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool number(struct parser *ps, struct json *j)
{
	const char *s = ps->p;
	char buf[64];

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (!is_digit(ps))
		return fail(ps, "a number wants a digit"), false;
	if (*ps->p++ == '0' && is_digit(ps))
		return fail(ps, "a number with a leading zero"), false;
	while (is_digit(ps))
		ps->p++;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (!is_digit(ps))
			return fail(ps, "a fraction wants a digit"), false;
		while (is_digit(ps))
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!is_digit(ps))
			return fail(ps, "an exponent wants a digit"), false;
		while (is_digit(ps))
			ps->p++;
	}
	if ((size_t)(ps->p - s) >= sizeof(buf))
		return fail(ps, "a number longer than %zu characters",
			    sizeof(buf) - 1), false;
	memcpy(buf, s, (size_t)(ps->p - s));
	buf[ps->p - s] = '\0';
	j->type = JSON_NUMBER;
	j->num = strtod(buf, NULL);
	return true;
}

static int hex4(struct parser *ps)
{
	int v = 0;

	if (ps->end - ps->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* One \u escape (a surrogate pair takes two); the code point or -1. */
static long unicode_escape(struct parser *ps)
{
	int hi = hex4(ps), lo;

	if (hi < 0)
		return -1;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return -1;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
		return -1;
	ps->p += 2;
	lo = hex4(ps);
	if (lo < 0xdc00 || lo > 0xdfff)
		return -1;
	return 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string after its opening quote; decoded into the arena. */
static const char *string(struct parser *ps)
{
	const char *q = ps->p;
	char *out, *o;

	/* The decoded text is never longer than the raw one. */
	while (q < ps->end && *q != '"')
		q += *q == '\\' && q + 1 < ps->end ? 2 : 1;
	out = o = alloc(ps, (size_t)(q - ps->p) + 1);
	if (!out)
		return fail(ps, "out of memory"), NULL;
	for (;;) {
		unsigned char c;
		long cp;

		if (ps->p == ps->end)
			return fail(ps, "a string without its closing quote"),
			       NULL;
		c = (unsigned char)*ps->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(ps, "a control character in a string"), NULL;
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		if (ps->p == ps->end)
			return fail(ps, "a string ends in a backslash"), NULL;
		switch (*ps->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			cp = unicode_escape(ps);
			if (cp <= 0)
				return fail(ps, "a bad \\u escape"), NULL;
			o = put_utf8(o, (unsigned)cp);
			break;
		default:
			return fail(ps, "an unknown escape \\%c", ps->p[-1]),
			       NULL;
		}
	}
	*o = '\0';
	return out;
}

static bool value(struct parser *ps, struct json *j, unsigned depth);

/* The elements or members up to the closing bracket. */
static bool container(struct parser *ps, struct json *j, unsigned depth,
		      bool object)
{
	struct json **tail = &j->child;
	char close = object ? '}' : ']';

	j->type = object ? JSON_OBJECT : JSON_ARRAY;
	if (depth == MAX_DEPTH)
		return fail(ps, "nested deeper than %d", MAX_DEPTH), false;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		struct json *e = alloc(ps, sizeof(*e));
		const char *key = NULL;

		if (!e)
			return fail(ps, "out of memory"), false;
		memset(e, 0, sizeof(*e));
		skip_space(ps);
		if (object) {
			if (ps->p == ps->end || *ps->p != '"')
				return fail(ps, "a member wants a quoted "
					    "name"), false;
			ps->p++;
			if (!(key = string(ps)))
				return false;
			skip_space(ps);
			if (ps->p == ps->end || *ps->p++ != ':')
				return fail(ps, "a member wants ':'"), false;
		}
		if (!value(ps, e, depth + 1))
			return false;
		e->key = key;
		*tail = e;
		tail = &e->next;
		j->count++;
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return true;
		}
		return fail(ps, "',' or '%c' wanted", close), false;
	}
}

static bool value(struct parser *ps, struct json *j, unsigned depth)
{
	skip_space(ps);
	if (ps->p == ps->end)
		return fail(ps, "a value wanted, the text ended"), false;
	switch (*ps->p) {
	case '{':
	case '[':
		return container(ps, j, depth, *ps->p++ == '{');
	case '"':
		ps->p++;
		j->type = JSON_STRING;
		return (j->str = string(ps)) != NULL;
	case 't':
		j->type = JSON_TRUE;
		return literal(ps, "true");
	case 'f':
		j->type = JSON_FALSE;
		return literal(ps, "false");
	case 'n':
		j->type = JSON_NULL;
		return literal(ps, "null");
	default:
		return number(ps, j);
	}
}

static void free_arena(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

struct json *json_parse(const char *text, size_t len, char *err,
			size_t errlen)
{
	struct parser ps = { .p = text, .start = text, .end = text + len,
			     .err = err, .errlen = errlen };
	struct json_root *root = malloc(sizeof(*root));

	if (!root) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memset(root, 0, sizeof(*root));
	if (value(&ps, &root->node, 0)) {
		skip_space(&ps);
		if (ps.p != ps.end)
			fail(&ps, "text after the value");
	}
	root->arena = ps.arena;
	if (ps.failed) {
		json_free(&root->node);
		return NULL;
	}
	return &root->node;
}

void json_free(struct json *j)
{
	struct json_root *root = (struct json_root *)j;

	if (!j)
		return;
	free_arena(root->arena);
	free(root);
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (const struct json *m = obj->child; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *json_get_str(const struct json *obj, const char *key,
			 const char *def)
{
	const struct json *m = json_get(obj, key);

	return m && m->type == JSON_STRING ? m->str : def;
}

double json_get_num(const struct json *obj, const char *key, double def)
{
	const struct json *m = json_get(obj, key);

	return m && m->type == JSON_NUMBER ? m->num : def;
}
