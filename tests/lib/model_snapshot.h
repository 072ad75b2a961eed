/* SPDX-License-Identifier: BSD-2-Clause */
/* A machine of the model with no runtime (a fuzz target that only makes
 * hypercalls) put back to one point before every input: its state ranges
 * (hv/state.h) and its regions' bitmaps by value, and the guest pages the
 * model took a pointer into (hv_mem.touched) or the caller wrote. An input
 * that changed the machine's shape (a table grew or was freed, a page was
 * given back or aliased, a vCPU's state or a domain came) cannot be put
 * back this way: the caller builds the machine again. */
#ifndef TESTS_MODEL_SNAPSHOT_H
#define TESTS_MODEL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hv_domain;
struct hv_machine;
struct model_snapshot;

/* Snapshot m as it is now; NULL when out of memory. m must outlive it. */
struct model_snapshot *model_snapshot_take(struct hv_machine *m);
/* The model's state only (its ranges and bitmaps), not guest memory: for
 * a caller that puts back the pages it knows were written itself. */
struct model_snapshot *model_snapshot_take_state(struct hv_machine *m);
/* Such a snapshot taken again, in place: false when m's shape changed
 * since (then free it and take another). */
bool model_snapshot_update(struct model_snapshot *s);
/* Put m back: true, or false when its shape changed (m is then as the
 * input left it; free both and build again). */
bool model_snapshot_restore(struct model_snapshot *s);
/* Whether a restore would succeed now (nothing is changed). */
bool model_snapshot_fits(struct model_snapshot *s);
/* Mark [gpa, gpa + len) of d's memory as written from outside the model. */
void model_snapshot_wrote(struct model_snapshot *s, struct hv_domain *d,
			  uint64_t gpa, size_t len);
/* Whether every page of every domain's memory holds what it held at the
 * snapshot: to check a restore, not on the fuzzing path. */
bool model_snapshot_memory_same(const struct model_snapshot *s);
void model_snapshot_free(struct model_snapshot *s);

#endif
