/* SPDX-License-Identifier: BSD-2-Clause */
/* The stage-1 checks an AArch64 CPU (Armv8.0, no hardware access-flag
 * update) makes on one access of the EL1&0 regime, for the fault status
 * code of an abort: the VA range and TTBR choice (level 0 faults), then
 * per level translation, access flag and permission (AP, APTable, UXN,
 * PXN and their table bits, the rule that memory writable at EL0 is never
 * executable at EL1, WXN). Unlike the model's walk for hypercall buffers
 * (Xen's, lenient) this is the CPU's. Descriptors are guest memory, read
 * once each; any value gives a verdict. */
#include <string.h>

#include "a64_esr.h"

#define BITS(h, l)      ((~0ull >> (63 - (h))) & (~0ull << (l)))
#define DESC_VALID      (1ull << 0)
#define DESC_TABLE      (1ull << 1)
#define DESC_AP1        (1ull << 6)      /* EL0 access */
#define DESC_AP2        (1ull << 7)      /* read-only */
#define DESC_AF         (1ull << 10)
#define DESC_PXN        (1ull << 53)
#define DESC_UXN        (1ull << 54)
#define TABLE_PXN       (1ull << 59)
#define TABLE_UXN       (1ull << 60)
#define TABLE_AP0       (1ull << 61)     /* no EL0 access below */
#define TABLE_AP1       (1ull << 62)     /* read-only below */
#define SCTLR_WXN       (1ull << 19)
#define TCR_EPD0        (1ull << 7)
#define TCR_EPD1        (1ull << 23)
#define TCR_TBI0        (1ull << 37)
#define TCR_TBI1        (1ull << 38)
#define OA_TOP          47

/* What the tables above the leaf allow, and the leaf. */
struct walk {
	uint64_t desc;
	unsigned level;
	bool pxn, uxn, no_el0, read_only;
};

static int fault(unsigned fsc, unsigned level)
{
	return (int)(fsc + level);
}

/* The leaf's permissions for the access. */
static bool permitted(const struct hv_mmu_regs *regs, const struct walk *w,
		      enum a64_s1_kind kind, bool el0)
{
	bool el0_access = (w->desc & DESC_AP1) && !w->no_el0;
	bool read_only = (w->desc & DESC_AP2) || w->read_only;
	bool el0_writable = el0_access && !read_only;

	switch (kind) {
	case A64_ACCESS_READ:
		return !el0 || el0_access;
	case A64_ACCESS_WRITE:
		return !read_only && (!el0 || el0_access);
	default:
		if ((regs->sctlr & SCTLR_WXN) && !read_only)
			return false;
		if (el0)
			return !(w->desc & DESC_UXN) && !w->uxn;
		return !(w->desc & DESC_PXN) && !w->pxn && !el0_writable;
	}
}

static bool read_desc(const struct hv_mem *mem, uint64_t ipa, uint64_t *desc)
{
	const void *p = hv_gpa_ptr(mem, ipa, sizeof(*desc));

	if (!p)
		return false;
	memcpy(desc, p, sizeof(*desc));
	return true;
}

int a64_stage1_check(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		     uint64_t va, enum a64_s1_kind kind, bool el0)
{
	static const unsigned tg0[4] = { 12, 16, 14, 12 };
	static const unsigned tg1[4] = { 12, 14, 12, 16 };
	uint64_t tcr = regs->tcr, table;
	bool upper = va >> 55 & 1;
	bool tbi = upper ? tcr & TCR_TBI1 : tcr & TCR_TBI0;
	unsigned tsz = (unsigned)(upper ? tcr >> 16 & 0x3f : tcr & 0x3f);
	unsigned grain = upper ? tg1[tcr >> 30 & 3] : tg0[tcr >> 14 & 3];
	unsigned input = 64 - (tsz < 16 ? 16 : tsz > 39 ? 39 : tsz);
	unsigned stride = grain - 3, top = tbi ? 55 : 63;
	uint64_t high = va & BITS(top, input);
	struct walk w = { .level = 4 - (input - grain + stride - 1) / stride };

	if (!(regs->sctlr & HV_SCTLR_M))
		return 0;
	/* Bits above the input size must all copy bit 55: else level 0. */
	if (high != (upper ? BITS(top, input) : 0) ||
	    (tcr & (upper ? TCR_EPD1 : TCR_EPD0)))
		return fault(A64_FSC_TRANSLATION, 0);
	table = (upper ? regs->ttbr1 : regs->ttbr0) & BITS(OA_TOP, grain);
	for (;; w.level++) {
		unsigned shift = grain + (3 - w.level) * stride;
		uint64_t index = va >> shift & ((1ull << stride) - 1);

		if (!read_desc(mem, table | index << 3, &w.desc))
			return -1;
		if (!(w.desc & DESC_VALID) ||
		    (w.level == 3 && !(w.desc & DESC_TABLE)))
			return fault(A64_FSC_TRANSLATION, w.level);
		if (w.level == 3 || !(w.desc & DESC_TABLE))
			break;
		w.pxn |= (w.desc & TABLE_PXN) != 0;
		w.uxn |= (w.desc & TABLE_UXN) != 0;
		w.no_el0 |= (w.desc & TABLE_AP0) != 0;
		w.read_only |= (w.desc & TABLE_AP1) != 0;
		table = w.desc & BITS(OA_TOP, grain);
	}
	/* A block where the granule has none (level 0, or level 1 for
	 * 16 and 64 KiB granules) is a translation fault. */
	if (w.level == 0 || (w.level == 1 && grain != 12))
		return fault(A64_FSC_TRANSLATION, w.level);
	if (!(w.desc & DESC_AF))
		return fault(A64_FSC_ACCESS_FLAG, w.level);
	if (!permitted(regs, &w, kind, el0))
		return fault(A64_FSC_PERMISSION, w.level);
	return 0;
}
