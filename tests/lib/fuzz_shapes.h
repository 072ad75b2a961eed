/* SPDX-License-Identifier: BSD-2-Clause */
/* For the backend targets (fuzz_blkback, fuzz_netback): which of a few
 * connected backends an input starts from. An input's first bytes (what
 * the backend offers, what the frontend writes before it connects) are
 * its shape; a backend connected for a shape is kept in a slot under it,
 * so that a later input of that shape starts from that backend's mark
 * instead of a handshake. This only finds slots and counts: the target
 * keeps what each slot holds. FUZZ_SHAPE_STATS=1 prints, at exit, how
 * many inputs started where (to see what share a handshake costs). */
#ifndef TESTS_FUZZ_SHAPES_H
#define TESTS_FUZZ_SHAPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"    /* FUZZ_NO_COVERAGE: the same few edges each time */

/* Enough for most of a grown corpus's inputs (a few shapes are most of
 * them); each slot holds a backend, its mark and its ring pages. */
#define FUZZ_SHAPES     16
#define FUZZ_SHAPE_KEY  80

/* Where an input started. */
enum fuzz_shape_start {
	FUZZ_SHAPE_SAME,       /* the last input's backend, from its mark */
	FUZZ_SHAPE_SWITCHED,   /* another kept backend, from its mark */
	FUZZ_SHAPE_HANDSHAKE,  /* a new backend */
	FUZZ_SHAPE_STARTS
};

struct fuzz_shapes {
	bool used[FUZZ_SHAPES];
	uint8_t key[FUZZ_SHAPES][FUZZ_SHAPE_KEY];
	uint64_t last[FUZZ_SHAPES], clock;
	unsigned long starts[FUZZ_SHAPE_STARTS];
};

/* The slot kept for key (len bytes), or -1. */
FUZZ_NO_COVERAGE
static inline int fuzz_shapes_find(struct fuzz_shapes *s, const void *key,
				   size_t len)
{
	for (int i = 0; i < FUZZ_SHAPES; i++)
		if (s->used[i] && !memcmp(s->key[i], key, len)) {
			s->last[i] = ++s->clock;
			return i;
		}
	return -1;
}

/* A slot for a new shape: a free one, else the one left longest ago
 * (the caller lets go of what it holds). */
FUZZ_NO_COVERAGE
static inline int fuzz_shapes_victim(const struct fuzz_shapes *s)
{
	int v = 0;

	for (int i = 0; i < FUZZ_SHAPES; i++) {
		if (!s->used[i])
			return i;
		if (s->last[i] < s->last[v])
			v = i;
	}
	return v;
}

FUZZ_NO_COVERAGE
static inline void fuzz_shapes_put(struct fuzz_shapes *s, int i,
				   const void *key, size_t len)
{
	s->used[i] = true;
	memset(s->key[i], 0, FUZZ_SHAPE_KEY);
	memcpy(s->key[i], key, len < FUZZ_SHAPE_KEY ? len : FUZZ_SHAPE_KEY);
	s->last[i] = ++s->clock;
}

FUZZ_NO_COVERAGE
static inline void fuzz_shapes_drop(struct fuzz_shapes *s, int i)
{
	s->used[i] = false;
}

/* What a target does for fuzz_shapes_start, its backends named by slot. */
struct fuzz_shape_ops {
	int (*live)(void);                 /* the live backend's slot, or -1 */
	bool (*back_to_mark)(int slot);    /* machine and backend at its mark */
	void (*leave)(void);               /* the live one asleep or destroyed */
	void (*forget)(int slot);          /* a sleeping one let go */
	void (*teardown)(void);            /* the live one destroyed, reset */
	void (*bare)(void);                /* the machine with no backend */
	void (*handshake)(const void *key, int slot);
};

static struct fuzz_shapes *fuzz_shapes_shown;

FUZZ_NO_COVERAGE
static inline void fuzz_shapes_show(void)
{
	const unsigned long *n = fuzz_shapes_shown->starts;

	fprintf(stderr, "fuzz-shapes: same %lu switched %lu handshake %lu\n",
		n[FUZZ_SHAPE_SAME], n[FUZZ_SHAPE_SWITCHED],
		n[FUZZ_SHAPE_HANDSHAKE]);
}

FUZZ_NO_COVERAGE
static inline void fuzz_shapes_count(struct fuzz_shapes *s,
				     enum fuzz_shape_start how)
{
	if (!fuzz_shapes_shown && getenv("FUZZ_SHAPE_STATS")) {
		fuzz_shapes_shown = s;
		atexit(fuzz_shapes_show);
	}
	s->starts[how]++;
}

/* The input's backend for key: the live one or a sleeping one from its
 * mark, else a new one in the slot left longest ago. */
FUZZ_NO_COVERAGE
static inline void fuzz_shapes_start(struct fuzz_shapes *s,
				     const struct fuzz_shape_ops *ops,
				     const void *key, size_t len)
{
	int slot = fuzz_shapes_find(s, key, len);

	if (slot >= 0 && slot == ops->live() && ops->back_to_mark(slot)) {
		fuzz_shapes_count(s, FUZZ_SHAPE_SAME);
		return;
	}
	if (ops->live() >= 0)
		ops->leave();
	if (slot >= 0 && s->used[slot]) {
		if (ops->back_to_mark(slot)) {
			fuzz_shapes_count(s, FUZZ_SHAPE_SWITCHED);
			return;
		}
		ops->forget(slot);   /* its tables are no longer the model's */
	}
	/* The slot's backend let go as the toolstack would (so a backend's
	 * end stays covered), or forgotten when it cannot be put back. */
	slot = fuzz_shapes_victim(s);
	if (s->used[slot] && ops->back_to_mark(slot))
		ops->teardown();
	else if (s->used[slot])
		ops->forget(slot);
	ops->bare();
	ops->handshake(key, slot);
	fuzz_shapes_count(s, FUZZ_SHAPE_HANDSHAKE);
}

/* The machine's tables (event channels, grant handles) grown as far as
 * the largest handshake (key) grows them, before the target's snapshot
 * of the machine with no backend is taken again: else the first
 * backends kept would outgrow it. Not on libFuzzer's first input, an
 * empty one whose coverage is not counted. */
FUZZ_NO_COVERAGE
static inline void fuzz_shapes_warm_up(const struct fuzz_shape_ops *ops,
				       const void *key)
{
	if (ops->live() >= 0)
		ops->teardown();
	ops->handshake(key, 0);
	ops->teardown();
}

#endif
