/* SPDX-License-Identifier: BSD-2-Clause */
/* xl.cfg files, the syntax Xen's `xl create` reads: KEY = VALUE settings,
 * one per line or separated by ';', where VALUE is a quoted string, a
 * number or a [ list ] of those; '#' starts a comment. The file is
 * untrusted text: every error names the file and line, and nothing of a
 * file that fails to parse is kept. */
#ifndef SIM_XLCFG_H
#define SIM_XLCFG_H

#include <stddef.h>

/* Bounds on what one file may hold. */
#define XLCFG_MAX_FILE    (1u << 20)
#define XLCFG_MAX_STRING  4096u
#define XLCFG_MAX_ITEMS   64u
#define XLCFG_MAX_KEY     64u

enum xlcfg_kind {
	XLCFG_STRING,   /* 'text' or "text" */
	XLCFG_NUMBER,   /* digits, kept as written in str */
	XLCFG_LIST,     /* [ atom, atom, ... ] */
};

struct xlcfg_atom {
	enum xlcfg_kind kind;   /* XLCFG_STRING or XLCFG_NUMBER */
	char *str;
	unsigned line;
};

struct xlcfg_setting {
	char *key;
	unsigned line;
	enum xlcfg_kind kind;
	struct xlcfg_atom atom;        /* a string or number */
	struct xlcfg_atom *items;      /* a list */
	size_t n_items;
};

struct xlcfg {
	char *path;
	struct xlcfg_setting *settings;
	size_t n_settings;
};

/* Parse text (len bytes, need not be nul-terminated) named path. 0, or -1
 * with "PATH:LINE: what" in err and out left empty. */
int xlcfg_parse(const char *path, const char *text, size_t len,
		struct xlcfg *out, char *err, size_t errlen);

/* Read and parse the regular file at path (never blocks on a FIFO). */
int xlcfg_load(const char *path, struct xlcfg *out, char *err, size_t errlen);

void xlcfg_free(struct xlcfg *cfg);

#endif
