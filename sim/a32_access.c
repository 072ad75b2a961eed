/* SPDX-License-Identifier: BSD-2-Clause */
/* What an A32 or T32 load/store accesses, from its word and the registers
 * before it ran: the first address, the size, whether it writes (DFSR.WnR)
 * and the alignment it needs. Only the classes a data abort can name are
 * decoded; the word is guest data, and any value is either decoded or
 * refused. */
#include "a32_fault.h"

#define BIT(w, n)      (((w) >> (n)) & 1u)
#define FIELD(w, h, l) (((w) >> (l)) & ((2u << ((h) - (l))) - 1u))

/* A register as an address operand: the PC reads as the instruction's
 * address plus 8 (ARM) or 4 (Thumb), word-aligned for a literal. */
static uint32_t base_reg(const uint32_t r[15], unsigned n, uint32_t pc,
			 bool thumb)
{
	if (n != 15)
		return r[n];
	return (pc + (thumb ? 4 : 8)) & ~3u;
}

static unsigned popcount16(uint32_t list)
{
	unsigned n = 0;

	for (list &= 0xffff; list; list &= list - 1)
		n++;
	return n;
}

static void single(struct a32_access *acc, bool write, uint32_t addr,
		   uint32_t size, uint32_t align)
{
	acc->write = write;
	acc->addr = addr;
	acc->size = size;
	acc->elem = size > 4 ? 4 : size;
	acc->align = align;
	acc->unprivileged = false;
}

/* LDM/STM of list from Rn: increment after/before, decrement after/
 * before; words, word-aligned. */
static void multiple(struct a32_access *acc, bool write, uint32_t rn,
		     bool before, bool up, uint32_t list)
{
	uint32_t n = popcount16(list), start;

	if (up)
		start = before ? rn + 4 : rn;
	else
		start = before ? rn - 4 * n : rn - 4 * n + 4;
	single(acc, write, start, 4 * (n ? n : 1), 4);
	acc->elem = 4;
}

/* Offset, pre-indexed or post-indexed: the address the access uses. */
static uint32_t indexed(uint32_t rn, uint32_t offset, bool pre, bool up)
{
	return pre ? (up ? rn + offset : rn - offset) : rn;
}

/* The VFP loads and stores (coprocessors 10 and 11), whose bits 27-0 are
 * the same in ARM and in T32 (hw0 << 16 | hw1): VLDR/VSTR (P=1, W=0),
 * VLDM/VSTM increment after (P=0, U=1; VPOP) and decrement before (P=1,
 * U=0, W=1; VPUSH). imm8 counts words; a D list (bit 8) moves imm8 / 2
 * registers (an odd imm8 is FLDMX/FSTMX, whose extra word is not
 * accessed). Words, word-aligned. */
static bool vfp_transfer(uint32_t w, uint32_t base, struct a32_access *acc)
{
	bool p = BIT(w, 24), u = BIT(w, 23), wb = BIT(w, 21), l = BIT(w, 20);
	uint32_t imm8 = FIELD(w, 7, 0), size;

	if (FIELD(w, 27, 25) != 6 || FIELD(w, 11, 9) != 5)
		return false;
	if (p && !wb) {
		single(acc, !l, indexed(base, imm8 * 4, true, u),
		       BIT(w, 8) ? 8 : 4, 4);
		return true;
	}
	if (p == u)             /* 64-bit register moves, or undefined */
		return false;
	size = BIT(w, 8) ? imm8 / 2 * 8 : imm8 * 4;
	if (size == 0)
		return false;
	single(acc, !l, p ? base - imm8 * 4 : base, size, 4);
	acc->elem = 4;
	return true;
}

static uint32_t shifted(uint32_t rm, unsigned type, unsigned imm5, bool c)
{
	switch (type) {
	case 0:
		return rm << imm5;
	case 1:
		return imm5 ? rm >> imm5 : 0;
	case 2:
		return imm5 ? (uint32_t)((int32_t)rm >> imm5) :
			      (uint32_t)((int32_t)rm >> 31);
	default:
		if (!imm5)
			return (c ? 1u << 31 : 0) | rm >> 1;   /* RRX */
		return rm >> imm5 | rm << (32 - imm5);
	}
}

/* ARM: LDR/STR (B, T), the extra loads/stores (H, SB, SH, D), the
 * exclusives and the load-acquire/store-release forms (LDA, STL and their
 * exclusives), LDM/STM, VLDR/VSTR, VLDM/VSTM. */
static bool decode_arm(uint32_t w, uint32_t pc, const uint32_t r[15],
		       struct a32_access *acc)
{
	unsigned rn = FIELD(w, 19, 16);
	bool p = BIT(w, 24), u = BIT(w, 23), l = BIT(w, 20);
	uint32_t base = base_reg(r, rn, pc, false);

	if (w >> 28 == 0xf)
		return false;
	if (FIELD(w, 27, 26) == 1 && !(BIT(w, 25) && BIT(w, 4))) {
		uint32_t off = BIT(w, 25) ?
			shifted(r[FIELD(w, 3, 0) % 15], FIELD(w, 6, 5),
				FIELD(w, 11, 7), false) : FIELD(w, 11, 0);

		single(acc, !l, indexed(base, off, p, u), BIT(w, 22) ? 1 : 4,
		       1);
		acc->unprivileged = !p && BIT(w, 21);
		return true;
	}
	/* Bits 9-8: 3 the exclusives, 2 their acquire/release forms, 0
	 * LDA/STL (no doubleword); 1 is unallocated. All must be aligned. */
	if ((w & 0x0f8000f0u) == 0x01800090u && FIELD(w, 9, 8) != 1 &&
	    !(FIELD(w, 9, 8) == 0 && FIELD(w, 22, 21) == 1)) {
		static const uint32_t sizes[4] = { 4, 8, 1, 2 };
		uint32_t size = sizes[FIELD(w, 22, 21)];

		single(acc, !l, base, size, size);
		return true;
	}
	if (FIELD(w, 27, 25) == 0 && BIT(w, 7) && BIT(w, 4) &&
	    FIELD(w, 6, 5) != 0 && (p || !BIT(w, 21))) {
		unsigned op2 = FIELD(w, 6, 5);
		uint32_t off = BIT(w, 22) ? FIELD(w, 11, 8) << 4 | FIELD(w, 3, 0) :
			       r[FIELD(w, 3, 0) % 15];
		uint32_t addr = indexed(base, off, p, u);
		bool dual = !l && op2 != 1;

		if (dual)
			single(acc, op2 == 3, addr, 8, 4);
		else
			single(acc, !l, addr, op2 == 2 ? 1 : 2, 1);
		return true;
	}
	if (FIELD(w, 27, 25) == 4) {
		multiple(acc, !l, base, p, u, w);
		return true;
	}
	return vfp_transfer(w, base, acc);
}

/* 16-bit Thumb: LDR/STR (register, immediate, SP-relative, literal),
 * PUSH/POP, LDM/STM. */
static bool decode_t16(uint32_t h, uint32_t pc, const uint32_t r[15],
		       struct a32_access *acc)
{
	static const uint32_t reg_sizes[8] = { 4, 2, 1, 1, 4, 2, 1, 2 };
	uint32_t rn = r[FIELD(h, 5, 3)], imm5 = FIELD(h, 10, 6);
	bool l = BIT(h, 11);

	switch (h >> 12) {
	case 0x5: {
		unsigned op = FIELD(h, 11, 9);

		single(acc, op < 3, rn + r[FIELD(h, 8, 6)], reg_sizes[op], 1);
		return true;
	}
	case 0x6:
		single(acc, !l, rn + imm5 * 4, 4, 1);
		return true;
	case 0x7:
		single(acc, !l, rn + imm5, 1, 1);
		return true;
	case 0x8:
		single(acc, !l, rn + imm5 * 2, 2, 1);
		return true;
	case 0x9:
		single(acc, !l, r[13] + FIELD(h, 7, 0) * 4, 4, 1);
		return true;
	case 0x4:
		if (FIELD(h, 11, 11) != 1)
			return false;
		single(acc, false, base_reg(r, 15, pc, true) +
		       FIELD(h, 7, 0) * 4, 4, 1);
		return true;
	case 0xb:
		if (FIELD(h, 11, 9) == 2)           /* PUSH: lr as r14 */
			multiple(acc, true, r[13], true, false,
				 FIELD(h, 7, 0) | BIT(h, 8) << 14);
		else if (FIELD(h, 11, 9) == 6)      /* POP: pc as r15 */
			multiple(acc, false, r[13], false, true,
				 FIELD(h, 7, 0) | BIT(h, 8) << 15);
		else
			return false;
		return true;
	case 0xc:
		multiple(acc, !l, r[FIELD(h, 10, 8)], false, true,
			 FIELD(h, 7, 0));
		return true;
	default:
		return false;
	}
}

/* 32-bit Thumb: load/store single (immediate 12 and 8, register,
 * literal, unprivileged), LDRD/STRD, the exclusives and the
 * load-acquire/store-release forms, TBB/TBH, LDM/STM, VLDR/VSTR,
 * VLDM/VSTM. hw0 is the high half of w. */
static bool decode_t32(uint32_t w, uint32_t pc, const uint32_t r[15],
		       struct a32_access *acc)
{
	uint32_t hw0 = w >> 16, hw1 = w & 0xffff;
	unsigned rn = FIELD(hw0, 3, 0);
	bool l = BIT(hw0, 4);
	uint32_t base = base_reg(r, rn, pc, true);

	if ((hw0 & 0xfe00u) == 0xf800u && FIELD(hw0, 6, 5) != 3) {
		uint32_t size = 1u << FIELD(hw0, 6, 5);

		if (BIT(hw0, 7) || rn == 15) {    /* imm12, or literal */
			bool up = rn != 15 || BIT(hw0, 7);

			single(acc, !l, indexed(base, FIELD(hw1, 11, 0), true,
						up), size, 1);
		} else if (BIT(hw1, 11)) {         /* imm8: P U W */
			single(acc, !l, indexed(base, FIELD(hw1, 7, 0),
						BIT(hw1, 10), BIT(hw1, 9)),
			       size, 1);
			acc->unprivileged = FIELD(hw1, 10, 8) == 6;
		} else if (FIELD(hw1, 10, 6) == 0) {
			single(acc, !l, base + (r[FIELD(hw1, 3, 0) % 15] <<
						FIELD(hw1, 5, 4)), size, 1);
		} else {
			return false;
		}
		return true;
	}
	if ((hw0 & 0xffe0u) == 0xe840u) {           /* LDREX/STREX */
		single(acc, !l, base + FIELD(hw1, 7, 0) * 4, 4, 4);
		return true;
	}
	if ((hw0 & 0xffe0u) == 0xe8c0u) {
		/* hw1 bits 7-4: 0 TBB and 1 TBH (loads at Rn plus the index
		 * in Rm); 4, 5, 7 LDREXB/H/D; 8, 9, 10 LDA/STL B/H/word;
		 * 12 to 15 their exclusives B/H/word/D. All but TBB/TBH
		 * must be aligned. */
		static const uint32_t sizes[16] = { 0, 0, 0, 0, 1, 2, 0, 8,
						    1, 2, 4, 0, 1, 2, 4, 8 };
		unsigned op = FIELD(hw1, 7, 4);

		if (op < 2 && l && FIELD(hw1, 15, 8) == 0xf0) {
			uint32_t rm = r[FIELD(hw1, 3, 0) % 15];

			/* The PC as Rn: the address + 4, not aligned. */
			single(acc, false, (rn == 15 ? pc + 4 : base) +
			       (op ? rm << 1 : rm), op ? 2 : 1, 1);
			return true;
		}
		if (sizes[op] == 0)
			return false;
		single(acc, !l, base, sizes[op], sizes[op]);
		return true;
	}
	if ((hw0 & 0xfe40u) == 0xe840u && (BIT(hw0, 8) || BIT(hw0, 5))) {
		single(acc, !l, indexed(base, FIELD(hw1, 7, 0) * 4,
					BIT(hw0, 8), BIT(hw0, 7)), 8, 4);
		return true;
	}
	if ((hw0 & 0xfe40u) == 0xe800u && (FIELD(hw0, 8, 7) == 1 ||
					   FIELD(hw0, 8, 7) == 2)) {
		multiple(acc, !l, base, BIT(hw0, 8), BIT(hw0, 7), hw1);
		return true;
	}
	if (hw0 >> 12 == 0xe)
		return vfp_transfer(w, base, acc);
	return false;
}

bool a32_decode_access(uint32_t insn, bool thumb, unsigned len, uint32_t pc,
		       const uint32_t r[15], struct a32_access *acc)
{
	if (!thumb)
		return decode_arm(insn, pc, r, acc);
	return len == 2 ? decode_t16(insn, pc, r, acc) :
			  decode_t32(insn, pc, r, acc);
}
