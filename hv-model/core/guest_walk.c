/* SPDX-License-Identifier: BSD-2-Clause */
/* The stage-1 walk Xen 4.17 on ARM makes when a hypercall hands it a
 * virtual address: AArch64 (4, 16 and 64 KiB granules), AArch32 LPAE and
 * AArch32 short descriptors, with Xen's own leniencies (the access flag,
 * EL0 permissions and the VA bits above the input size are not checked;
 * a block may sit at any level above the last). Descriptors are guest
 * memory: each is read once through hv_gpa_ptr and only its bits decide. */
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>

#include "hv/guest_va.h"

#define BITS(h, l)     ((~0ull >> (63 - (h))) & (~0ull << (l)))

#define DESC_VALID     (1ull << 0)
#define DESC_TABLE     (1ull << 1)    /* table (levels 0-2) or page (3) */
#define DESC_AP2       (1ull << 7)    /* read-only */
#define DESC_APTABLE1  (1ull << 62)   /* read-only below this table */
#define OA_TOP         47             /* Xen walks 48-bit output at most */

#define TCR_EPD0       (1ull << 7)
#define TCR_EPD1       (1ull << 23)
#define TCR_TBI0       (1ull << 37)
#define TCR_TBI1       (1ull << 38)
#define TTBCR_PD0      (1ull << 4)
#define TTBCR_PD1      (1ull << 5)

/* Input sizes Xen's walk accepts for AArch64. */
#define MIN_INPUT_BITS 25
#define MAX_INPUT_BITS 48

/* What the walk of one address starts from. */
struct walk_start {
	uint64_t table;      /* first table's IPA */
	unsigned grain;      /* page shift: 12, 14 or 16 */
	unsigned input;      /* VA bits translated */
	unsigned output;     /* IPA bits a descriptor may use */
};

static bool read_desc(const struct hv_mem *mem, uint64_t ipa, void *desc,
		      size_t len)
{
	const void *p = hv_gpa_ptr(mem, ipa, len);

	if (!p)
		return false;
	memcpy(desc, p, len);   /* guest tables are little-endian, as is the host */
	return true;
}

/* ---- memory attributes ---- */

/* One half of a MAIR Normal attribute (outer or inner). */
static enum hv_cacheability mair_cache(unsigned x)
{
	if (x == 0 || x == 4)
		return HV_CACHE_NONE;   /* 0: unpredictable; 4: Non-cacheable */
	return (x >> 2) & 1 ? HV_CACHE_WB : HV_CACHE_WT;
}

static struct hv_memattr mair_attr(uint64_t mair, unsigned idx)
{
	struct hv_memattr a = { .raw_is_mair = true };

	a.raw = (uint8_t)(mair >> (8 * idx));
	a.device = (a.raw >> 4) == 0;
	if (!a.device) {
		a.outer = mair_cache(a.raw >> 4);
		a.inner = mair_cache(a.raw & 0xf);
	}
	return a;
}

/* NMRR / TEX-based cache policy: 0 NC, 1 write-back allocate, 2 WT, 3 WB. */
static enum hv_cacheability short_cache(unsigned x)
{
	static const enum hv_cacheability policy[4] = {
		HV_CACHE_NONE, HV_CACHE_WB, HV_CACHE_WT, HV_CACHE_WB
	};

	return policy[x & 3];
}

/* Short descriptors: TEX[2:0], C, B, through TEX remap when SCTLR.TRE is
 * set (PRRR in the low half of regs->mair, NMRR in the high half). */
static struct hv_memattr short_attr(const struct hv_mmu_regs *r, unsigned tex,
				    unsigned c, unsigned b)
{
	struct hv_memattr a = { .raw = (uint8_t)(tex << 2 | c << 1 | b) };
	unsigned cb = c << 1 | b;

	if (r->sctlr & HV_SCTLR_TRE) {
		unsigned n = (tex & 1) << 2 | cb;
		unsigned type = (unsigned)(r->mair >> (2 * n)) & 3;
		uint32_t nmrr = (uint32_t)(r->mair >> 32);

		a.device = type != 2;
		a.inner = short_cache(nmrr >> (2 * n));
		a.outer = short_cache(nmrr >> (16 + 2 * n));
		return a;
	}
	if (tex & 4) {
		a.outer = short_cache(tex);
		a.inner = short_cache(cb);
	} else if (tex == 0 && cb >= 2) {
		a.inner = a.outer = cb == 3 ? HV_CACHE_WB : HV_CACHE_WT;
	} else if (tex == 1 && (cb == 0 || cb == 3)) {
		a.inner = a.outer = cb == 3 ? HV_CACHE_WB : HV_CACHE_NONE;
	} else {
		a.device = true;        /* Strongly-ordered, Device, reserved */
	}
	return a;
}

bool hv_memattr_shareable(const struct hv_memattr *a)
{
	return !a->device && a->inner != HV_CACHE_NONE &&
	       a->outer != HV_CACHE_NONE;
}

static const char *cache_name(enum hv_cacheability c)
{
	static const char *const name[] = { "Non-cacheable", "write-through",
					    "write-back" };

	return name[c];
}

void hv_memattr_name(const struct hv_memattr *a, char *buf, size_t len)
{
	static const char *const dev[4] = { "nGnRnE", "nGnRE", "nGRE", "GRE" };
	char kind[80];

	if (a->device && a->raw_is_mair)
		snprintf(kind, sizeof(kind), "Device-%s", dev[a->raw >> 2 & 3]);
	else if (a->device)
		snprintf(kind, sizeof(kind), "Device or Strongly-ordered");
	else
		snprintf(kind, sizeof(kind), "Normal inner %s outer %s",
			 cache_name(a->inner), cache_name(a->outer));
	if (a->raw_is_mair)
		snprintf(buf, len, "%s (MAIR attribute 0x%02x)", kind, a->raw);
	else
		snprintf(buf, len, "%s (TEX %u C %u B %u)", kind, a->raw >> 2,
			 a->raw >> 1 & 1, a->raw & 1);
}

/* SCTLR.C clear: every data access to Normal memory is Non-cacheable. */
static void apply_cache_off(const struct hv_mmu_regs *r, struct hv_memattr *a)
{
	if (!(r->sctlr & HV_SCTLR_C) && !a->device)
		a->inner = a->outer = HV_CACHE_NONE;
}

/* ---- long descriptors (AArch64, AArch32 LPAE) ---- */

static unsigned level_shift(unsigned grain, unsigned level)
{
	return grain + (3 - level) * (grain - 3);
}

static unsigned start_level(const struct walk_start *w)
{
	unsigned stride = w->grain - 3;

	return 4 - (w->input - w->grain + stride - 1) / stride;
}

/* A table or output address with bits at or above the output size. */
static bool beyond_output(const struct walk_start *w, uint64_t addr)
{
	return w->output <= OA_TOP && (addr & BITS(OA_TOP, w->output));
}

static int start_a64(const struct hv_mmu_regs *r, uint64_t va,
		     struct walk_start *w)
{
	/* TG0: 00 4K, 01 64K, 10 16K; TG1: 01 16K, 10 4K, 11 64K; reserved
	 * values read as 4K. IPS above 48 bits is refused. */
	static const unsigned tg0[4] = { 12, 16, 14, 12 };
	static const unsigned tg1[4] = { 12, 14, 12, 16 };
	static const unsigned ips[8] = { 32, 36, 40, 42, 44, 48, 0, 0 };
	uint64_t tcr = r->tcr;
	bool upper = va >> 55 & 1;
	unsigned top = (upper ? tcr & TCR_TBI1 : tcr & TCR_TBI0) ? 55 : 63;
	bool disabled;

	if (!(va >> top & 1)) {
		w->input = 64 - (unsigned)(tcr & 0x3f);
		w->grain = tg0[tcr >> 14 & 3];
		w->table = r->ttbr0;
		disabled = tcr & TCR_EPD0;
	} else {
		w->input = 64 - (unsigned)(tcr >> 16 & 0x3f);
		w->grain = tg1[tcr >> 30 & 3];
		w->table = r->ttbr1;
		disabled = tcr & TCR_EPD1;
	}
	w->output = ips[tcr >> 32 & 7];
	if (disabled || w->input > MAX_INPUT_BITS ||
	    w->input < MIN_INPUT_BITS || !w->output)
		return -XEN_EFAULT;
	return 0;
}

/* AArch32 LPAE: TTBR0 unless T0SZ claims none of va; TTBR1 when T1SZ
 * claims it, and (as in Xen) when both sizes are 0 and TTBR0 is 0. */
static int start_lpae32(const struct hv_mmu_regs *r, uint64_t va,
			struct walk_start *w)
{
	unsigned t0 = (unsigned)(r->tcr & 7), t1 = (unsigned)(r->tcr >> 16 & 7);
	bool disabled = true;

	w->grain = 12;
	w->output = 40;
	w->table = 0;
	if (t0 == 0 || !(va & BITS(31, 32 - t0))) {
		w->input = 32 - t0;
		w->table = r->ttbr0;
		disabled = r->tcr & TCR_EPD0;
	}
	if ((t1 == 0 && !w->table) ||
	    (t1 && (va & BITS(31, 32 - t1)) == BITS(31, 32 - t1))) {
		w->input = 32 - t1;
		w->table = r->ttbr1;
		disabled = r->tcr & TCR_EPD1;
	}
	return disabled ? -XEN_EFAULT : 0;
}

static int walk_long(const struct hv_mem *mem, const struct hv_mmu_regs *r,
		     const struct walk_start *w, uint64_t va,
		     struct hv_gva_xlate *out)
{
	uint64_t table = w->table & BITS(OA_TOP, w->grain);
	uint64_t index_mask = (1ull << (w->grain - 3)) - 1;
	bool ro_table = false;
	unsigned level = start_level(w);
	uint64_t desc = 0;

	if (beyond_output(w, w->table))
		return -XEN_EFAULT;
	for (;; level++) {
		uint64_t index = va >> level_shift(w->grain, level) & index_mask;

		if (!read_desc(mem, table | index << 3, &desc, sizeof(desc)) ||
		    beyond_output(w, desc & BITS(OA_TOP, 12)) ||
		    (w->grain == 16 && (desc & BITS(15, 12))))
			return -XEN_EFAULT;
		if (level == 3 || !(desc & DESC_VALID) || !(desc & DESC_TABLE))
			break;
		ro_table |= (desc & DESC_APTABLE1) != 0;
		table = desc & BITS(OA_TOP, w->grain);
	}
	/* Invalid, or a level-3 entry that is not a page. */
	if (!(desc & DESC_VALID) || (level == 3) != ((desc & DESC_TABLE) != 0))
		return -XEN_EFAULT;
	out->gpa = (desc & BITS(OA_TOP, w->grain)) |
		   (va & ((1ull << level_shift(w->grain, level)) - 1));
	out->writable = !(desc & DESC_AP2) && !ro_table;
	out->attr = mair_attr(r->mair, (unsigned)(desc >> 2 & 7));
	return 0;
}

/* ---- short descriptors (AArch32, TTBCR.EAE clear) ---- */

static int walk_short(const struct hv_mem *mem, const struct hv_mmu_regs *r,
		      uint64_t va, struct hv_gva_xlate *out)
{
	unsigned n = (unsigned)(r->tcr & 7);
	uint32_t ttbr, l1, l2;
	bool disabled;

	if (n == 0 || !(va & BITS(31, 32 - n))) {
		ttbr = (uint32_t)r->ttbr0;
		disabled = r->tcr & TTBCR_PD0;
	} else {
		ttbr = (uint32_t)r->ttbr1;
		disabled = r->tcr & TTBCR_PD1;
		n = 0;
	}
	if (disabled ||
	    !read_desc(mem, (ttbr & BITS(31, 14 - n)) |
			    (va & BITS(31 - n, 20)) >> 18, &l1, sizeof(l1)))
		return -XEN_EFAULT;
	switch (l1 & 3) {
	case 0:
		return -XEN_EFAULT;
	case 1:                                    /* second-level table */
		if (!read_desc(mem, (l1 & BITS(31, 10)) |
				    (va & BITS(19, 12)) >> 10, &l2, sizeof(l2)) ||
		    !(l2 & 3))
			return -XEN_EFAULT;
		if (l2 & 2) {                      /* small page */
			out->gpa = (l2 & BITS(31, 12)) | (va & 0xfff);
			out->attr = short_attr(r, l2 >> 6 & 7, l2 >> 3 & 1,
					       l2 >> 2 & 1);
		} else {                           /* large page */
			out->gpa = (l2 & BITS(31, 16)) | (va & 0xffff);
			out->attr = short_attr(r, l2 >> 12 & 7, l2 >> 3 & 1,
					       l2 >> 2 & 1);
		}
		out->writable = !(l2 >> 9 & 1);
		return 0;
	default:                                   /* section, supersection */
		if (l1 >> 18 & 1)
			out->gpa = (l1 & BITS(31, 24)) | (va & 0xffffff) |
				   (uint64_t)(l1 >> 20 & 0xf) << 32 |
				   (uint64_t)(l1 >> 5 & 0xf) << 36;
		else
			out->gpa = (l1 & BITS(31, 20)) | (va & 0xfffff);
		out->writable = !(l1 >> 15 & 1);
		out->attr = short_attr(r, l1 >> 12 & 7, l1 >> 3 & 1,
				       l1 >> 2 & 1);
		return 0;
	}
}

int hv_stage1_walk(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		   uint64_t va, struct hv_gva_xlate *out)
{
	struct walk_start w;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(regs->sctlr & HV_SCTLR_M)) {
		out->gpa = va;
		out->writable = true;
		return 0;
	}
	out->mmu_on = true;
	out->attr_known = true;
	if (regs->aarch32 && !(regs->tcr & HV_TTBCR_EAE)) {
		rc = walk_short(mem, regs, va, out);
	} else {
		rc = regs->aarch32 ? start_lpae32(regs, va, &w) :
				     start_a64(regs, va, &w);
		if (rc == 0)
			rc = walk_long(mem, regs, &w, va, out);
	}
	if (rc == 0)
		apply_cache_off(regs, &out->attr);
	return rc;
}

/* ---- every mapping the tables make ---- */

/* Descriptors one enumeration reads at most: a guest's tables may be huge
 * or loop back on themselves; the enumeration stops rather than hang. */
#define ENUM_BUDGET 16384u

struct enum_ctx {
	const struct hv_mem *mem;
	const struct hv_mmu_regs *regs;
	const struct walk_start *w;     /* long descriptors: this half's */
	hv_stage1_visit_fn *visit;
	void *arg;
	unsigned budget;
	bool stop;                      /* the visitor is done, or no budget */
	bool cut;                       /* the budget ran out */
};

/* Read one descriptor against the budget: false when there is none left
 * (the enumeration stops) or the descriptor is not in RAM (skipped). */
static bool take_desc(struct enum_ctx *e, uint64_t ipa, void *desc,
		      size_t len)
{
	if (!e->budget) {
		e->stop = e->cut = true;
		return false;
	}
	e->budget--;
	return read_desc(e->mem, ipa, desc, len);
}

static void visit_leaf(struct enum_ctx *e, uint64_t va, uint64_t gpa,
		       uint64_t size, struct hv_memattr attr)
{
	apply_cache_off(e->regs, &attr);
	if (e->visit(e->arg, va, gpa, size, &attr))
		e->stop = true;
}

static void enum_long(struct enum_ctx *e, uint64_t table, unsigned level,
		      uint64_t va_base)
{
	const struct walk_start *w = e->w;
	unsigned shift = level_shift(w->grain, level);
	unsigned bits = level == start_level(w) ? w->input - shift
						: w->grain - 3;

	for (uint64_t i = 0; i < 1ull << bits && !e->stop; i++) {
		uint64_t desc, va = va_base | i << shift;

		if (!take_desc(e, table | i << 3, &desc, sizeof(desc)))
			return;
		/* What the walk would fault on maps nothing. */
		if (!(desc & DESC_VALID) ||
		    beyond_output(w, desc & BITS(OA_TOP, 12)) ||
		    (w->grain == 16 && (desc & BITS(15, 12))))
			continue;
		if (level < 3 && (desc & DESC_TABLE)) {
			enum_long(e, desc & BITS(OA_TOP, w->grain), level + 1,
				  va);
			continue;
		}
		if (level == 3 && !(desc & DESC_TABLE))
			continue;
		visit_leaf(e, va, desc & BITS(OA_TOP, shift), 1ull << shift,
			   mair_attr(e->regs->mair, (unsigned)(desc >> 2 & 7)));
	}
}

/* The half of the address space that va (0 or all ones) is in, unless its
 * table is the one the other half already went through. */
static void enum_long_half(struct enum_ctx *e, uint64_t va,
			   uint64_t *done_table)
{
	const struct hv_mmu_regs *r = e->regs;
	struct walk_start w;
	int rc = r->aarch32 ? start_lpae32(r, va, &w) : start_a64(r, va, &w);
	uint64_t table = w.table & BITS(OA_TOP, w.grain);
	uint64_t va_base = 0;

	if (rc || table == *done_table || beyond_output(&w, w.table))
		return;
	*done_table = table;
	if (va & 1)       /* the upper half: its addresses are all ones above */
		va_base = r->aarch32 ? BITS(31, w.input) : ~0ull << w.input;
	e->w = &w;
	enum_long(e, table, start_level(&w), va_base);
	e->w = NULL;
}

/* A second-level table: 256 small pages or 16-fold large-page entries,
 * each visited as the 4 KiB it translates. */
static void enum_short_l2(struct enum_ctx *e, uint32_t l1, uint64_t va_base)
{
	const struct hv_mmu_regs *r = e->regs;

	for (uint32_t i = 0; i < 256 && !e->stop; i++) {
		uint64_t va = va_base | i << 12;
		uint32_t l2;

		if (!take_desc(e, (l1 & BITS(31, 10)) | i << 2, &l2,
			       sizeof(l2)))
			return;
		if (l2 & 2)                        /* small page */
			visit_leaf(e, va, l2 & BITS(31, 12), 0x1000,
				   short_attr(r, l2 >> 6 & 7, l2 >> 3 & 1,
					      l2 >> 2 & 1));
		else if (l2 & 1)                   /* large page */
			visit_leaf(e, va, (l2 & BITS(31, 16)) | (va & 0xf000),
				   0x1000, short_attr(r, l2 >> 12 & 7,
						      l2 >> 3 & 1,
						      l2 >> 2 & 1));
	}
}

/* First-level entries [first, end) of the table at base: sections and
 * the 16-fold supersection entries, each visited as the 1 MiB it
 * translates, and second-level tables. */
static void enum_short_l1(struct enum_ctx *e, uint32_t base, uint32_t first,
			  uint32_t end)
{
	const struct hv_mmu_regs *r = e->regs;

	for (uint32_t i = first; i < end && !e->stop; i++) {
		uint64_t va = (uint64_t)i << 20, gpa;
		uint32_t l1;

		if (!take_desc(e, base | i << 2, &l1, sizeof(l1)))
			return;
		if ((l1 & 3) == 0)
			continue;
		if ((l1 & 3) == 1) {
			enum_short_l2(e, l1, va);
			continue;
		}
		if (l1 >> 18 & 1)
			gpa = (l1 & BITS(31, 24)) | (va & 0xf00000) |
			      (uint64_t)(l1 >> 20 & 0xf) << 32 |
			      (uint64_t)(l1 >> 5 & 0xf) << 36;
		else
			gpa = l1 & BITS(31, 20);
		visit_leaf(e, va, gpa, 1u << 20,
			   short_attr(r, l1 >> 12 & 7, l1 >> 3 & 1,
				      l1 >> 2 & 1));
	}
}

/* TTBR0 translates VAs below 2^(32 - N), TTBR1 the rest (N = TTBCR.N;
 * with N = 0, TTBR0 all of them). */
static void enum_short(struct enum_ctx *e)
{
	const struct hv_mmu_regs *r = e->regs;
	unsigned n = (unsigned)(r->tcr & 7);
	uint32_t split = 4096u >> n;           /* first-level entries of TTBR0 */

	if (!(r->tcr & TTBCR_PD0))
		enum_short_l1(e, (uint32_t)r->ttbr0 & BITS(31, 14 - n), 0,
			      split);
	if (n && !(r->tcr & TTBCR_PD1))
		enum_short_l1(e, (uint32_t)r->ttbr1 & BITS(31, 14), split,
			      4096);
}

bool hv_stage1_each(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		    hv_stage1_visit_fn *visit, void *arg)
{
	struct enum_ctx e = { .mem = mem, .regs = regs, .visit = visit,
			      .arg = arg, .budget = ENUM_BUDGET };
	uint64_t done_table = UINT64_MAX;

	if (!(regs->sctlr & HV_SCTLR_M))
		return true;
	if (regs->aarch32 && !(regs->tcr & HV_TTBCR_EAE)) {
		enum_short(&e);
	} else {
		enum_long_half(&e, 0, &done_table);
		if (!e.stop)
			enum_long_half(&e, UINT64_MAX, &done_table);
	}
	return !e.cut;
}

/* ---- where a guest maps a page ---- */

struct find {
	uint64_t gpa;
	bool found;                  /* some mapping: va and attr hold it */
	uint64_t va;
	struct hv_memattr attr;
};

static bool find_visit(void *arg, uint64_t va, uint64_t gpa, uint64_t size,
		       const struct hv_memattr *attr)
{
	struct find *f = arg;
	bool bad = !hv_memattr_shareable(attr);

	if (f->gpa - gpa >= size || (f->found && !bad))
		return false;        /* elsewhere, or not better than the first */
	f->found = true;
	f->va = va + (f->gpa - gpa);
	f->attr = *attr;
	return bad;                  /* one Xen cannot share: search over */
}

bool hv_stage1_find(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		    uint64_t gpa, uint64_t *va, struct hv_memattr *attr)
{
	struct find f = { .gpa = gpa };

	hv_stage1_each(mem, regs, find_visit, &f);
	if (!f.found)
		return false;
	*va = f.va;
	*attr = f.attr;
	return true;
}
