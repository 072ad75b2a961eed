/* SPDX-License-Identifier: BSD-2-Clause */
/* Compares the layout tables extracted from tests/abi/probe.c: our headers
 * built for x86-64, aarch64 and armhf must agree with each other and with
 * Debian's libxen-dev built for aarch64 and armhf. One line per type or
 * constant, then "N passed, N failed, N skipped"; exits non-zero on any
 * failure. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum abi_kind { ABI_TYPE, ABI_FIELD, ABI_FLEX, ABI_CONST, ABI_STRING };

/* One row of a generated table (build/abi/<side>-<target>.inc). */
struct abi_row {
	enum abi_kind kind;
	const char *name;
	const char *member;
	int64_t a;                    /* size, offset or high 32 bits */
	int64_t b;                    /* alignment, size or low 32 bits */
	const char *str;
};
#define ABI_ROW(kind, name, member, a, b, str) { kind, name, member, a, b, str },

static const struct abi_row ours_x86_64[] = {
#include "ours-x86_64.inc"
};
static const struct abi_row ours_aarch64[] = {
#include "ours-aarch64.inc"
};
static const struct abi_row ours_armhf[] = {
#include "ours-armhf.inc"
};
static const struct abi_row xen_aarch64[] = {
#include "xen-aarch64.inc"
};
static const struct abi_row xen_armhf[] = {
#include "xen-armhf.inc"
};

struct abi_table {
	const char *label;
	const struct abi_row *rows;
	size_t n;
};
#define TABLE(label, rows) { label, rows, sizeof(rows) / sizeof(rows[0]) }

enum { OURS_N = 3, XEN_N = 2 };
static const struct abi_table ours[OURS_N] = {
	TABLE("x86_64", ours_x86_64),
	TABLE("aarch64", ours_aarch64),
	TABLE("armhf", ours_armhf),
};
static const struct abi_table xen[XEN_N] = {
	TABLE("aarch64", xen_aarch64),
	TABLE("armhf", xen_armhf),
};

/* Which of Xen's tables an item is compared with. */
enum { XEN_A64 = 1 << 0, XEN_A32 = 1 << 1, XEN_BOTH = XEN_A64 | XEN_A32 };

/* The checklist itself: layout.def once more, names only. */
struct abi_item {
	enum abi_kind kind;
	int xen_mask;                 /* types; a field takes its type's */
	bool no_size;                 /* SRING: alignment only */
	const char *name;
	const char *member;
};

#define ABI_HAVE_XS_WIRE 1
static const struct abi_item items[] = {
#define STRUCT(tag)        { ABI_TYPE, XEN_BOTH, false, #tag, "" },
#define UNION(tag)         STRUCT(tag)
#define TYPE(name)         STRUCT(name)
#define SRING(tag)         { ABI_TYPE, XEN_BOTH, true, #tag, "" },
#define STRUCT_A64(tag)    { ABI_TYPE, XEN_A64, false, #tag, "" },
#define FIELD(tag, member) { ABI_FIELD, 0, false, #tag, #member },
#define FLEX(tag, member)  { ABI_FLEX, 0, false, #tag, #member },
#define CONST(name)        { ABI_CONST, XEN_BOTH, false, #name, "" },
#define VALUE(key, o, x)   { ABI_CONST, XEN_BOTH, false, #key, "" },
#define STRING(name)       { ABI_STRING, XEN_BOTH, false, #name, "" },
#include "layout.def"
};

static const struct abi_row *find(const struct abi_table *t, const struct abi_item *it)
{
	/* Probe rows carry FIELD and FLEX alike as ABI_FIELD. */
	enum abi_kind kind = it->kind == ABI_FLEX ? ABI_FIELD : it->kind;

	for (size_t i = 0; i < t->n; i++) {
		const struct abi_row *r = &t->rows[i];

		if (r->kind == kind && strcmp(r->name, it->name) == 0 &&
		    strcmp(r->member, it->member) == 0)
			return r;
	}
	return NULL;
}

/* The value a row stands for: a and b of a type/field, or a constant. */
static int64_t row_value(const struct abi_row *r, int which)
{
	if (r->kind == ABI_CONST)
		return (int64_t)((uint64_t)(uint32_t)r->a << 32 | (uint32_t)r->b);
	return which == 0 ? r->a : r->b;
}

/* Rows of every table for one item; NULL where a table lacks it. */
struct abi_lookup {
	const struct abi_row *ours[OURS_N];
	const struct abi_row *xen[XEN_N];
};

static bool lookup(const struct abi_item *it, struct abi_lookup *lk)
{
	bool all = true;

	for (int i = 0; i < OURS_N; i++) {
		lk->ours[i] = find(&ours[i], it);
		if (!lk->ours[i]) {
			printf("FAIL %s%s%s: missing from our headers (%s)\n", it->name,
			       *it->member ? "." : "", it->member, ours[i].label);
			all = false;
		}
	}
	for (int i = 0; i < XEN_N; i++) {
		lk->xen[i] = find(&xen[i], it);
		if (!lk->xen[i]) {
			printf("FAIL %s%s%s: missing from Xen's headers (%s)\n", it->name,
			       *it->member ? "." : "", it->member, xen[i].label);
			all = false;
		}
	}
	return all;
}

/* Compare one number (which: 0 = a, 1 = b) across the tables Xen's mask
 * selects; print a mismatch line naming every target's value. */
static bool same_number(const struct abi_item *it, const struct abi_lookup *lk,
			int xen_mask, int which, const char *what)
{
	int64_t want = row_value(lk->ours[0], which);
	bool ok = true;

	for (int i = 1; i < OURS_N; i++)
		ok &= row_value(lk->ours[i], which) == want;
	for (int i = 0; i < XEN_N; i++)
		if (xen_mask & (1 << i))
			ok &= row_value(lk->xen[i], which) == want;
	if (ok)
		return true;
	printf("FAIL %s%s%s %s: ours", it->name, *it->member ? "." : "",
	       it->member, what);
	for (int i = 0; i < OURS_N; i++)
		printf(" %s=%" PRId64, ours[i].label, row_value(lk->ours[i], which));
	printf(", xen");
	for (int i = 0; i < XEN_N; i++)
		printf(" %s=%" PRId64 "%s", xen[i].label, row_value(lk->xen[i], which),
		       xen_mask & (1 << i) ? "" : " (not compared)");
	printf("\n");
	return false;
}

/* A value of Xen's that is deliberately not compared, if it differs. */
static void note_unchecked(const struct abi_item *it, const struct abi_lookup *lk,
			   int xen_mask, int which, const char *what)
{
	for (int i = 0; i < XEN_N; i++) {
		int64_t theirs = row_value(lk->xen[i], which);

		if (!(xen_mask & (1 << i)) && theirs != row_value(lk->ours[0], which))
			printf("note %s%s%s %s: xen %s=%" PRId64 ", ours %" PRId64
			       " by design\n", it->name, *it->member ? "." : "",
			       it->member, what, xen[i].label, theirs,
			       row_value(lk->ours[0], which));
	}
}

struct abi_counts {
	int passed, failed;
	int types, fields, consts;
};

/* A type and the fields listed after it: one result line. */
static size_t check_type(size_t at, struct abi_counts *c)
{
	const struct abi_item *it = &items[at];
	struct abi_lookup lk;
	size_t end = at + 1;
	int bad = 0, nfields = 0;

	if (!lookup(it, &lk)) {
		bad++;
	} else {
		if (!it->no_size) {
			bad += !same_number(it, &lk, it->xen_mask, 0, "size");
			note_unchecked(it, &lk, it->xen_mask, 0, "size");
		}
		bad += !same_number(it, &lk, it->xen_mask, 1, "align");
		note_unchecked(it, &lk, it->xen_mask, 1, "align");
	}
	for (; end < sizeof(items) / sizeof(items[0]); end++) {
		const struct abi_item *f = &items[end];

		if (f->kind != ABI_FIELD && f->kind != ABI_FLEX)
			break;
		nfields++;
		if (strcmp(f->name, it->name) != 0) {
			printf("FAIL %s.%s: listed under %s\n", f->name, f->member, it->name);
			bad++;
			continue;
		}
		if (!lookup(f, &lk)) {
			bad++;
			continue;
		}
		bad += !same_number(f, &lk, it->xen_mask, 0, "offset");
		note_unchecked(f, &lk, it->xen_mask, 0, "offset");
		if (f->kind == ABI_FIELD) {
			bad += !same_number(f, &lk, it->xen_mask, 1, "size");
			note_unchecked(f, &lk, it->xen_mask, 1, "size");
		}
	}
	c->types++;
	c->fields += nfields;
	if (bad) {
		printf("FAIL %s: %d mismatch(es)\n", it->name, bad);
		c->failed++;
	} else {
		const struct abi_row *r = find(&ours[0], it);

		if (it->no_size)
			printf("ok %s align %" PRId64 ", %d field(s) (ring header;"
			       " size not compared)\n", it->name, r->b, nfields);
		else
			printf("ok %s size %" PRId64 " align %" PRId64 ", %d field(s)%s\n",
			       it->name, r->a, r->b, nfields,
			       it->xen_mask == XEN_A64 ? " (Xen arm64 layout only)" : "");
		c->passed++;
	}
	return end;
}

static void check_const(const struct abi_item *it, struct abi_counts *c)
{
	struct abi_lookup lk;

	c->consts++;
	if (!lookup(it, &lk) || !same_number(it, &lk, it->xen_mask, 0, "value")) {
		c->failed++;
		return;
	}
	printf("ok const %s = %" PRId64 "\n", it->name, row_value(lk.ours[0], 0));
	c->passed++;
}

static void check_string(const struct abi_item *it, struct abi_counts *c)
{
	struct abi_lookup lk;
	bool ok;

	c->consts++;
	ok = lookup(it, &lk);
	for (int i = 0; ok && i < OURS_N; i++)
		ok = strcmp(lk.ours[i]->str, lk.ours[0]->str) == 0;
	for (int i = 0; ok && i < XEN_N; i++)
		ok = strcmp(lk.xen[i]->str, lk.ours[0]->str) == 0;
	if (!ok) {
		if (lk.ours[0] && lk.xen[0])
			printf("FAIL string %s: ours \"%s\", xen \"%s\"\n", it->name,
			       lk.ours[0]->str, lk.xen[0]->str);
		c->failed++;
		return;
	}
	printf("ok string %s = \"%s\"\n", it->name, lk.ours[0]->str);
	c->passed++;
}

int main(void)
{
	struct abi_counts c = { 0 };
	size_t n = sizeof(items) / sizeof(items[0]);

	for (size_t i = 0; i < n;) {
		const struct abi_item *it = &items[i];

		switch (it->kind) {
		case ABI_TYPE:
			i = check_type(i, &c);
			continue;
		case ABI_CONST:
			check_const(it, &c);
			break;
		case ABI_STRING:
			check_string(it, &c);
			break;
		case ABI_FIELD:
		case ABI_FLEX:
			printf("FAIL %s.%s: field outside a type\n", it->name, it->member);
			c.failed++;
			break;
		}
		i++;
	}
	printf("checked %d types, %d fields, %d constants on x86_64/aarch64/armhf"
	       " against Xen aarch64/armhf\n", c.types, c.fields, c.consts);
	printf("%d passed, %d failed, 0 skipped\n", c.passed, c.failed);
	return c.failed ? 1 : 0;
}
