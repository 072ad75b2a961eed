/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's stage-1 translation tables at the snapshot (sim/emu.c):
 * the engine's TLB and jump cache, dropped at every restore, cost an
 * input more than its own instructions (each page and each indirect
 * branch looked up again). They may stay when the restore cannot have
 * changed a translation: the translation registers are the snapshot's
 * and no page holding a table was written since. Known for an AArch64
 * guest with 4 KiB pages; for any other the restore always drops them. */
#ifndef SIM_EMU_TABLES_H
#define SIM_EMU_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/guest_va.h"

#define EMU_TABLES_MAX 64

struct emu_tables {
	bool known;                   /* false: drop the TLB every time */
	struct hv_mmu_regs regs;
	uint64_t page[EMU_TABLES_MAX]; /* guest-physical, page aligned */
	unsigned nr;
};

/* Guest memory at gpa (len bytes within a page), or NULL. */
typedef const void *emu_tables_read_fn(void *ctx, uint64_t gpa, size_t len);

/* Find the table pages regs point at (read through read). */
void emu_tables_find(struct emu_tables *t, const struct hv_mmu_regs *regs,
		     emu_tables_read_fn *read, void *ctx);
/* Whether the page at gpa holds one of them. */
bool emu_tables_hold(const struct emu_tables *t, uint64_t gpa);

#endif
