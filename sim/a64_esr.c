/* SPDX-License-Identifier: BSD-2-Clause */
/* A64 load/store decoding for exception syndromes: which register, how
 * wide, signed or not, acquire/release, where the access goes and whether
 * the architecture gives an instruction syndrome for it (Arm ARM: ISV is
 * set only for a single general-purpose register without writeback, not
 * for exclusives, pairs, atomics or SIMD&FP; and never in ESR_EL1). The
 * word is guest data: every encoding either decodes or is refused. */
#include <string.h>

#include "a64_esr.h"

#define BIT(w, n)        (((w) >> (n)) & 1u)
#define FIELD(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

static int64_t sext(uint32_t v, unsigned bits)
{
	return (int64_t)((uint64_t)v << (64 - bits)) >> (64 - bits);
}

/* A single general-purpose register: the syndrome fields. */
static void gpr_syndrome(struct a64_access *acc, uint32_t insn, unsigned sas,
			 bool sse, bool sf, bool writeback)
{
	acc->srt = FIELD(insn, 4, 0);
	acc->sas = sas;
	acc->sse = sse;
	acc->sf = sf;
	acc->isv = !writeback;
}

/* LDXR/STXR, LDAXR/STLXR, LDXP/STXP, LDAR/STLR, LDLAR/STLLR, CAS(P). */
static bool decode_exclusive(uint32_t insn, struct a64_access *acc)
{
	unsigned size = FIELD(insn, 31, 30);
	bool o2 = BIT(insn, 23), load = BIT(insn, 22), o1 = BIT(insn, 21);
	bool o0 = BIT(insn, 15);

	acc->rn = FIELD(insn, 9, 5);
	acc->aligned = true;
	acc->count = 1;
	acc->srt = FIELD(insn, 4, 0);
	if (!o2 && !o1) {                /* exclusive, one register */
		acc->load = load;
		acc->store = !load;
		acc->ar = o0;
		acc->elem_size = 1u << size;
		return true;
	}
	if (!o2 && o1) {                 /* exclusive pair; CASP at size 0x */
		if (size < 2) {
			acc->load = acc->store = true;
			acc->ar = load || o0;
			acc->elem_size = 2u << (size + 2);
			return true;
		}
		acc->load = load;
		acc->store = !load;
		acc->ar = o0;
		acc->elem_size = 2u << size;
		return true;
	}
	if (o2 && !o1) {                 /* load-acquire / store-release */
		acc->load = load;
		acc->store = !load;
		acc->ar = true;
		acc->elem_size = 1u << size;
		gpr_syndrome(acc, insn, size, false, size == 3, false);
		return true;
	}
	/* CAS: reads, and writes if equal; acquire (L) and/or release (o0). */
	acc->load = acc->store = true;
	acc->ar = load || o0;
	acc->elem_size = 1u << size;
	return true;
}

/* LDR (literal): general register, SIMD&FP, PRFM (which never faults). */
static bool decode_literal(uint32_t insn, struct a64_access *acc)
{
	unsigned opc = FIELD(insn, 31, 30);

	acc->pc_relative = true;
	acc->offset = sext(FIELD(insn, 23, 5), 19) * 4;
	acc->load = true;
	acc->count = 1;
	if (BIT(insn, 26)) {
		if (opc == 3)
			return false;
		acc->simd = true;
		acc->srt = FIELD(insn, 4, 0);
		acc->elem_size = 4u << opc;
		return true;
	}
	if (opc == 3)
		return false;
	acc->elem_size = opc == 1 ? 8 : 4;
	gpr_syndrome(acc, insn, opc == 1 ? 3 : 2, opc == 2, opc != 0, false);
	return true;
}

/* LDP/STP/LDNP/STNP/LDPSW, general or SIMD&FP, every indexing form. */
static bool decode_pair(uint32_t insn, struct a64_access *acc)
{
	unsigned opc = FIELD(insn, 31, 30), index = FIELD(insn, 24, 23);
	bool simd = BIT(insn, 26), load = BIT(insn, 22);
	unsigned scale;

	if (opc == 3 || (!simd && opc == 1 && (!load || index == 0)))
		return false;            /* unallocated, STGP */
	scale = simd ? 2 + opc : (opc == 2 ? 3 : 2);
	acc->simd = simd;
	acc->load = load;
	acc->store = !load;
	acc->srt = FIELD(insn, 4, 0);
	acc->rn = FIELD(insn, 9, 5);
	acc->offset = index == 1 ? 0 :
		      sext(FIELD(insn, 21, 15), 7) * (int64_t)(1u << scale);
	acc->elem_size = 1u << scale;
	acc->count = 2;
	return true;
}

/* The general-register forms of LDR/STR (every size): size, opc to the
 * access and its syndrome; false for PRFM and unallocated ones. */
static bool gpr_load_store(uint32_t insn, struct a64_access *acc,
			   bool writeback)
{
	unsigned size = FIELD(insn, 31, 30), opc = FIELD(insn, 23, 22);

	if (opc >= 2 && (size == 3 || (size == 2 && opc == 3)))
		return false;            /* PRFM, unallocated */
	acc->load = opc != 0;
	acc->store = opc == 0;
	acc->elem_size = 1u << size;
	gpr_syndrome(acc, insn, size, opc >= 2,
		     opc == 2 || (opc < 2 && size == 3), writeback);
	return true;
}

/* B, H, S, D and Q registers: opc<1> with size 0 makes Q. */
static bool simd_load_store(uint32_t insn, struct a64_access *acc)
{
	unsigned size = FIELD(insn, 31, 30), opc = FIELD(insn, 23, 22);

	if (opc >= 2 && size != 0)
		return false;
	acc->simd = true;
	acc->load = opc & 1;
	acc->store = !(opc & 1);
	acc->srt = FIELD(insn, 4, 0);
	acc->elem_size = opc >= 2 ? 16 : 1u << size;
	return true;
}

/* LDADD, LDCLR, LDEOR, LDSET, LD[S|U]MAX/MIN, SWP: read and write. */
static bool decode_atomic(uint32_t insn, struct a64_access *acc)
{
	unsigned size = FIELD(insn, 31, 30), opc = FIELD(insn, 14, 12);
	bool o3 = BIT(insn, 15);

	if (BIT(insn, 26) || (o3 && opc != 0))
		return false;            /* LDAPR and the rest */
	acc->load = acc->store = true;
	acc->ar = BIT(insn, 23) || BIT(insn, 22);
	acc->srt = FIELD(insn, 4, 0);
	acc->elem_size = 1u << size;
	acc->aligned = true;
	return true;
}

/* LDR/STR: unsigned offset, unscaled, pre/post-index, unprivileged,
 * register offset, and the atomics that share the space. */
static bool decode_register(uint32_t insn, struct a64_access *acc)
{
	bool simd = BIT(insn, 26);
	unsigned kind = FIELD(insn, 11, 10);
	bool writeback = false;

	acc->rn = FIELD(insn, 9, 5);
	acc->count = 1;
	if (BIT(insn, 24)) {             /* unsigned immediate, scaled */
		unsigned scale = FIELD(insn, 31, 30);

		if (simd && FIELD(insn, 23, 22) >= 2)
			scale = 4;
		acc->offset = (int64_t)FIELD(insn, 21, 10) << scale;
	} else if (BIT(insn, 21)) {
		if (kind == 0)
			return decode_atomic(insn, acc);
		if (kind != 2 || !BIT(insn, 14))
			return false;    /* PAC loads; option 0x0 unallocated */
		acc->reg_offset = true;
		acc->rm = FIELD(insn, 20, 16);
		acc->extend = FIELD(insn, 15, 13);
		acc->shift = BIT(insn, 12);
	} else {
		acc->offset = kind == 1 ? 0 : sext(FIELD(insn, 20, 12), 9);
		writeback = kind == 1 || kind == 3;
		acc->unprivileged = kind == 2;
		if (simd && kind == 2)
			return false;
	}
	if (simd ? !simd_load_store(insn, acc) :
		   !gpr_load_store(insn, acc, writeback))
		return false;
	if (acc->reg_offset && acc->shift) {
		unsigned s = 0;

		while ((1u << s) < acc->elem_size)
			s++;
		acc->shift = s;
	}
	return true;
}

/* LD1-LD4 / ST1-ST4, multiple structures: consecutive bytes. */
static bool decode_simd_multiple(uint32_t insn, struct a64_access *acc)
{
	/* Per opcode: registers, and elements a structure (LD2-LD4 > 1). */
	static const uint8_t regs[16] = { 4, 0, 4, 0, 3, 0, 3, 1,
					  2, 0, 2, 0, 0, 0, 0, 0 };
	static const uint8_t selem[16] = { 4, 0, 1, 0, 3, 0, 1, 1,
					   2, 0, 1, 0, 0, 0, 0, 0 };
	unsigned opcode = FIELD(insn, 15, 12), size = FIELD(insn, 11, 10);
	bool q = BIT(insn, 30);

	if (!regs[opcode] || (size == 3 && !q && selem[opcode] > 1))
		return false;            /* .1d only for LD1/ST1 */
	acc->simd = true;
	acc->load = BIT(insn, 22);
	acc->store = !acc->load;
	acc->srt = FIELD(insn, 4, 0);
	acc->rn = FIELD(insn, 9, 5);
	acc->elem_size = 1u << size;
	acc->count = regs[opcode] * (q ? 16u : 8u) / acc->elem_size;
	return true;
}

/* LD1-LD4 / ST1-ST4 single structure, LD1R-LD4R: one element a register. */
static bool decode_simd_single(uint32_t insn, struct a64_access *acc)
{
	unsigned opcode = FIELD(insn, 15, 13), size = FIELD(insn, 11, 10);
	unsigned selem = ((opcode & 1) << 1 | BIT(insn, 21)) + 1;
	unsigned scale = opcode >> 1;
	bool load = BIT(insn, 22);

	if (scale == 3) {                /* replicate: loads only */
		if (!load || BIT(insn, 12))
			return false;
		scale = size;
	} else if (scale == 2) {
		if (size & 2 || (size == 1 && BIT(insn, 12)))
			return false;
		scale = size & 1 ? 3 : 2;
	} else if (scale == 1 && (size & 1)) {
		return false;
	}
	acc->simd = true;
	acc->load = load;
	acc->store = !load;
	acc->srt = FIELD(insn, 4, 0);
	acc->rn = FIELD(insn, 9, 5);
	acc->elem_size = 1u << scale;
	acc->count = selem;
	return true;
}

bool a64_decode_access(uint32_t insn, struct a64_access *acc)
{
	memset(acc, 0, sizeof(*acc));
	if ((insn & 0x3f000000u) == 0x08000000u)
		return decode_exclusive(insn, acc);
	if ((insn & 0x3b000000u) == 0x18000000u)
		return decode_literal(insn, acc);
	if ((insn & 0x3a000000u) == 0x28000000u)
		return decode_pair(insn, acc);
	if ((insn & 0x3a000000u) == 0x38000000u)
		return decode_register(insn, acc);
	if ((insn & 0xbfbf0000u) == 0x0c000000u ||
	    (insn & 0xbfa00000u) == 0x0c800000u)
		return decode_simd_multiple(insn, acc);
	if ((insn & 0xbf9f0000u) == 0x0d000000u ||
	    (insn & 0xbf800000u) == 0x0d800000u)
		return decode_simd_single(insn, acc);
	return false;
}

/* Register-offset forms: Rm extended (UXTW, LSL, SXTW, SXTX), shifted. */
static uint64_t extended(uint64_t rm, unsigned extend, unsigned shift)
{
	switch (extend) {
	case 2:
		rm = (uint32_t)rm;
		break;
	case 6:
		rm = (uint64_t)(int64_t)(int32_t)rm;
		break;
	default:                         /* 3 (LSL / UXTX), 7 (SXTX) */
		break;
	}
	return rm << shift;
}

uint64_t a64_access_address(const struct a64_access *acc, const uint64_t x[31],
			    uint64_t sp, uint64_t pc)
{
	uint64_t base;

	if (acc->pc_relative)
		return pc + (uint64_t)acc->offset;
	base = acc->rn == 31 ? sp : x[acc->rn];
	if (acc->reg_offset)
		return base + extended(acc->rm == 31 ? 0 : x[acc->rm],
				       acc->extend, acc->shift);
	return base + (uint64_t)acc->offset;
}

uint32_t a64_dabt_iss_el2(const struct a64_access *acc, bool wnr,
			  unsigned dfsc)
{
	uint32_t iss = (wnr ? A64_ISS_WNR : 0) | (dfsc & 0x3f);

	if (!acc->isv || acc->simd)
		return iss;
	return iss | A64_ISS_ISV | acc->sas << A64_ISS_SAS_SHIFT |
	       (acc->sse ? A64_ISS_SSE : 0) | acc->srt << A64_ISS_SRT_SHIFT |
	       (acc->sf ? A64_ISS_SF : 0) | (acc->ar ? A64_ISS_AR : 0);
}

static uint32_t esr(unsigned ec, uint32_t iss)
{
	return ec << A64_ESR_EC_SHIFT | A64_ESR_IL | (iss & 0x1ffffff);
}

uint32_t a64_dabt_esr_el1(bool lower, bool wnr, unsigned dfsc)
{
	return esr(lower ? A64_EC_DABT_LOWER : A64_EC_DABT_CUR,
		   (wnr ? A64_ISS_WNR : 0) | (dfsc & 0x3f));
}

uint32_t a64_iabt_esr_el1(bool lower, unsigned ifsc)
{
	return esr(lower ? A64_EC_IABT_LOWER : A64_EC_IABT_CUR, ifsc & 0x3f);
}

uint32_t a64_svc_esr(uint32_t insn)
{
	return esr(A64_EC_SVC64, FIELD(insn, 20, 5));
}

uint32_t a64_brk_esr(uint32_t insn)
{
	return esr(A64_EC_BRK, FIELD(insn, 20, 5));
}

uint32_t a64_undef_esr(void)
{
	return esr(A64_EC_UNKNOWN, 0);
}
