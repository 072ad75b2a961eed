/* SPDX-License-Identifier: BSD-2-Clause */
/* The stage-1 checks an ARMv7-A CPU (with LPAE, no hardware access-flag
 * update) makes on one access of the PL1&0 regime, for the fault status
 * of an abort: the short-descriptor walk (TTBCR.N, sections,
 * supersections, large and small pages, DACR domains, AP[2:0] or with
 * SCTLR.AFE the access flag, XN and PXN) and the long-descriptor one
 * (T0SZ/T1SZ, EPDn, levels 1 to 3, AF, AP[2:1], APTable, XN, PXN and
 * their table bits). Unlike the model's walk for hypercall buffers this
 * is the CPU's. Descriptors are guest memory, read once each. */
#include <string.h>

#include "a32_fault.h"

#define BIT(w, n)      (((w) >> (n)) & 1u)
#define FIELD(w, h, l) (((w) >> (l)) & ((2ull << ((h) - (l))) - 1u))
#define OA_MASK        0xfffffff000ull     /* bits 39:12 */

static struct a32_fault_info fault(enum a32_fault kind, unsigned level,
				   unsigned domain)
{
	return (struct a32_fault_info){ kind, level, domain };
}

static bool read32(const struct hv_mem *mem, uint64_t gpa, uint32_t *v)
{
	const void *p = hv_gpa_ptr(mem, gpa, 4);

	if (!p)
		return false;
	memcpy(v, p, 4);
	return true;
}

static bool read64(const struct hv_mem *mem, uint64_t gpa, uint64_t *v)
{
	const void *p = hv_gpa_ptr(mem, gpa, 8);

	if (!p)
		return false;
	memcpy(v, p, 8);
	return true;
}

/* AP[2:0] (with AFE, AP[0] taken as 1: the AP[2:1] model) for PL1 / PL0
 * reads and writes. */
static bool ap_allows(unsigned ap, enum a32_access_type type, bool user)
{
	bool write = type == A32_WRITE;

	switch (ap) {
	case 1:
		return !user;
	case 2:
		return !user || !write;
	case 3:
		return true;
	case 5:
		return !user && !write;
	case 6:
	case 7:
		return !write;
	default:                     /* 0 no access, 4 reserved */
		return false;
	}
}

/* A short-descriptor leaf (section, level 1; page, level 2) with its
 * domain, AP[2:0], access flag and execute rights found: the checks in
 * the architecture's order (access flag, domain, permission). */
static struct a32_fault_info short_leaf(const struct hv_mmu_regs *regs,
					uint32_t dacr, unsigned level,
					unsigned domain, unsigned ap, bool xn,
					bool pxn, enum a32_access_type type,
					bool user)
{
	unsigned dom = dacr >> (2 * domain) & 3;

	if (regs->sctlr & A32_SCTLR_AFE) {
		if (!(ap & 1))
			return fault(A32_FAULT_ACCESS_FLAG, level, domain);
		ap |= 1;
	}
	if (dom == 0 || dom == 2)
		return fault(A32_FAULT_DOMAIN, level, domain);
	if (dom == 3)                /* manager: nothing checked */
		return fault(A32_FAULT_NONE, level, domain);
	if (!ap_allows(ap, type == A32_EXEC ? A32_READ : type, user) ||
	    (type == A32_EXEC && (xn || (pxn && !user))))
		return fault(A32_FAULT_PERMISSION, level, domain);
	return fault(A32_FAULT_NONE, level, domain);
}

static struct a32_fault_info short_walk(const struct hv_mem *mem,
					const struct hv_mmu_regs *regs,
					uint32_t dacr, uint32_t va,
					enum a32_access_type type, bool user)
{
	unsigned n = regs->tcr & 7, domain;
	bool use1 = n && va >> (32 - n);
	uint32_t ttbr = (uint32_t)(use1 ? regs->ttbr1 : regs->ttbr0);
	uint32_t base_mask = use1 ? ~0x3fffu : ~((0x4000u >> n) - 1);
	uint32_t index = use1 ? va >> 20 : (va << n) >> (20 + n);
	uint32_t l1, l2;

	if (BIT(regs->tcr, use1 ? 5 : 4))      /* PD1 / PD0 */
		return fault(A32_FAULT_TRANSLATION, 1, 0);
	if (!read32(mem, (ttbr & base_mask) | index << 2, &l1))
		return fault(A32_FAULT_NONE, 1, 0);
	switch (l1 & 3) {
	case 0:
		return fault(A32_FAULT_TRANSLATION, 1, 0);
	case 1:
		domain = FIELD(l1, 8, 5);
		if (!read32(mem, (l1 & ~0x3ffu) | FIELD(va, 19, 12) << 2, &l2))
			return fault(A32_FAULT_NONE, 2, domain);
		if ((l2 & 3) == 0)
			return fault(A32_FAULT_TRANSLATION, 2, domain);
		return short_leaf(regs, dacr, 2, domain,
				  BIT(l2, 9) << 2 | FIELD(l2, 5, 4),
				  (l2 & 3) == 1 ? BIT(l2, 15) : BIT(l2, 0),
				  BIT(l1, 2), type, user);
	default:                     /* section or supersection */
		domain = BIT(l1, 18) ? 0 : FIELD(l1, 8, 5);
		return short_leaf(regs, dacr, 1, domain,
				  BIT(l1, 15) << 2 | FIELD(l1, 11, 10),
				  BIT(l1, 4), (l1 & 3) == 3, type, user);
	}
}

/* What the table descriptors above a long-descriptor leaf take away. */
struct long_limits {
	bool no_user, read_only, xn, pxn;
};

static struct a32_fault_info long_leaf(uint64_t desc, unsigned level,
				       const struct long_limits *lim,
				       enum a32_access_type type, bool user)
{
	bool user_ok = BIT(desc, 6) && !lim->no_user;
	bool read_only = BIT(desc, 7) || lim->read_only;

	if (!BIT(desc, 10))
		return fault(A32_FAULT_ACCESS_FLAG, level, 0);
	if ((user && !user_ok) || (type == A32_WRITE && read_only) ||
	    (type == A32_EXEC && (BIT(desc, 54) || lim->xn ||
				  (!user && (BIT(desc, 53) || lim->pxn)))))
		return fault(A32_FAULT_PERMISSION, level, 0);
	return fault(A32_FAULT_NONE, level, 0);
}

static struct a32_fault_info long_walk(const struct hv_mem *mem,
				       const struct hv_mmu_regs *regs,
				       uint32_t va, enum a32_access_type type,
				       bool user)
{
	unsigned t0sz = FIELD(regs->tcr, 2, 0), t1sz = FIELD(regs->tcr, 18, 16);
	bool in0 = t0sz == 0 || va >> (32 - t0sz) == 0;
	bool in1 = !in0 && (t1sz == 0 ||
			    FIELD(va, 31, 32 - t1sz) == (1u << t1sz) - 1);
	unsigned tsz = in0 ? t0sz : t1sz, level = tsz > 1 ? 2 : 1;
	uint64_t table = (in0 ? regs->ttbr0 : regs->ttbr1) & (OA_MASK | 0xfff);
	struct long_limits lim = { false, false, false, false };
	uint64_t desc;
	bool first = true;

	if ((!in0 && !in1) || BIT(regs->tcr, in0 ? 7 : 23))
		return fault(A32_FAULT_TRANSLATION, 1, 0);
	for (;; level++) {
		unsigned shift = 39 - 9 * level;     /* 30, 21, 12 */
		unsigned top = first ? 31 - tsz : shift + 8;
		uint64_t index = FIELD(va, top, shift);

		/* The first table is aligned to its own size only. */
		if (first)
			table &= ~((1ull << (top - shift + 4)) - 1);
		first = false;
		if (!read64(mem, table | index << 3, &desc))
			return fault(A32_FAULT_NONE, level, 0);
		if (!(desc & 1) || (level == 3 && !(desc & 2)))
			return fault(A32_FAULT_TRANSLATION, level, 0);
		if (level == 3 || !(desc & 2))
			return long_leaf(desc, level, &lim, type, user);
		lim.no_user |= BIT(desc, 61);
		lim.read_only |= BIT(desc, 62);
		lim.xn |= BIT(desc, 60);
		lim.pxn |= BIT(desc, 59);
		table = desc & OA_MASK;
	}
}

struct a32_fault_info a32_stage1_check(const struct hv_mem *mem,
				       const struct hv_mmu_regs *regs,
				       uint32_t dacr, uint32_t va,
				       enum a32_access_type type, bool user)
{
	if (!(regs->sctlr & A32_SCTLR_M))
		return fault(A32_FAULT_NONE, 0, 0);
	if (regs->tcr & HV_TTBCR_EAE)
		return long_walk(mem, regs, va, type, user);
	return short_walk(mem, regs, dacr, va, type, user);
}
