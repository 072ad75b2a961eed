/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's stage-1 table pages (emu_tables.h). AArch64, 4 KiB
 * granule: level L resolves VA bits [47 - 9L, 39 - 9L]; a descriptor with
 * bits [1:0] = 3 above level 3 points at the next table (bits [47:12]). */
#include <string.h>

#include "emu_tables.h"

#define PAGE_MASK   0xfffull
#define ADDR_MASK   0x0000fffffffff000ull
#define ROOT_MASK   0x0000ffffffffffc0ull
#define TCR_EPD0    (1ull << 7)
#define TCR_EPD1    (1ull << 23)
#define TCR_TG0(t)  (((t) >> 14) & 3)   /* 0: 4 KiB */
#define TCR_TG1(t)  (((t) >> 30) & 3)   /* 2: 4 KiB */

struct walk {
	struct emu_tables *t;
	emu_tables_read_fn *read;
	void *ctx;
};

bool emu_tables_hold(const struct emu_tables *t, uint64_t gpa)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (t->page[i] == (gpa & ~PAGE_MASK))
			return true;
	return false;
}

/* The table at gpa (entries of 8 bytes) and those below it. */
static void walk_table(struct walk *w, uint64_t gpa, unsigned level,
		       unsigned entries)
{
	struct emu_tables *t = w->t;
	const uint64_t *desc;

	if (!t->known || emu_tables_hold(t, gpa))
		return;
	desc = w->read(w->ctx, gpa, entries * 8u);
	if (!desc || t->nr == EMU_TABLES_MAX) {
		t->known = false;
		return;
	}
	t->page[t->nr++] = gpa & ~PAGE_MASK;
	for (unsigned i = 0; level < 3 && i < entries; i++) {
		uint64_t d;

		memcpy(&d, desc + i, sizeof(d));
		if ((d & 3) == 3)
			walk_table(w, d & ADDR_MASK, level + 1, 512);
	}
}

/* The tables from one TTBR covering VA bits 64 - txsz. */
static void walk_root(struct walk *w, uint64_t ttbr, unsigned txsz)
{
	unsigned bits = 64 - txsz, level = 0;
	unsigned entries;

	if (txsz < 16 || txsz > 39) {
		w->t->known = false;
		return;
	}
	while (bits <= 39 - 9 * level)
		level++;
	entries = 1u << (bits - (39 - 9 * level));
	/* BADDR: 64-byte aligned at least, to the root table's size. */
	walk_table(w, ttbr & ROOT_MASK & ~((uint64_t)entries * 8 - 1), level,
		   entries);
}

void emu_tables_find(struct emu_tables *t, const struct hv_mmu_regs *regs,
		     emu_tables_read_fn *read, void *ctx)
{
	struct walk w = { t, read, ctx };
	uint64_t tcr = regs->tcr;

	memset(t, 0, sizeof(*t));
	t->regs = *regs;
	t->known = !regs->aarch32;
	if (!t->known || !(regs->sctlr & HV_SCTLR_M))
		return;                   /* MMU off: no tables */
	if ((!(tcr & TCR_EPD0) && TCR_TG0(tcr) != 0) ||
	    (!(tcr & TCR_EPD1) && TCR_TG1(tcr) != 2)) {
		t->known = false;
		return;
	}
	if (!(tcr & TCR_EPD0))
		walk_root(&w, regs->ttbr0, (unsigned)(tcr & 0x3f));
	if (!(tcr & TCR_EPD1))
		walk_root(&w, regs->ttbr1, (unsigned)((tcr >> 16) & 0x3f));
}
