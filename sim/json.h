/* SPDX-License-Identifier: BSD-2-Clause */
/* A strict JSON reader (RFC 8259) for the traces xensim writes and reads
 * back: the whole text into a tree, or an error naming line and column.
 * No extensions: no comments, trailing commas, NaN or leading zeros. */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type {
	JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING,
	JSON_ARRAY, JSON_OBJECT,
};

struct json {
	enum json_type type;
	double num;             /* JSON_NUMBER */
	const char *str;        /* JSON_STRING, decoded (\u0000 refused) */
	const char *key;        /* as a member of an object, else NULL */
	struct json *child;     /* first element or member */
	struct json *next;      /* next sibling */
	size_t count;           /* elements or members */
};

/* Parse text[0..len); NULL with err set on any departure from the
 * grammar, on nesting deeper than 64 or when memory runs out. Free the
 * result with json_free(). */
struct json *json_parse(const char *text, size_t len, char *err,
			size_t errlen);
void json_free(struct json *root);

/* The member key of object obj, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* The member's string, or def when absent or not a string. */
const char *json_get_str(const struct json *obj, const char *key,
			 const char *def);
/* The member's number, or def when absent or not a number. */
double json_get_num(const struct json *obj, const char *key, double def);

#endif
