/* SPDX-License-Identifier: BSD-2-Clause */
/* The A64 syndrome decoder (sim/a64_esr.c) against hand-computed values
 * from the Arm ARM's data-abort ISS: for each load/store class the ISS a
 * stage-2 abort would carry (ISV, SAS, SSE, SRT, SF, AR, WnR, DFSC), the
 * address and size of what it accesses; then ESR_EL1 as the CPU builds it
 * for aborts, svc, brk and undefined instructions; and the stage-1 fault
 * codes of a CPU walk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "a64_esr.h"

#define DFSC_L3 0x07u                /* translation fault, level 3 */
#define PC      0x40000000ull

struct access_case {
	uint32_t insn;
	const char *text;
	uint32_t iss;                /* for DFSC_L3, WnR from the access */
	uint64_t addr;               /* x1 = 0x1000, x2 = 0x10, sp = 0x8000 */
	unsigned elem_size, count;
	bool aligned, unprivileged;
};

/* ISV 1 << 24, SAS << 22, SSE 1 << 21, SRT << 16, SF 1 << 15, AR 1 << 14,
 * WnR 1 << 6. */
static const struct access_case accesses[] = {
	{ 0xf9400020, "ldr x0, [x1]", 0x01c08007, 0x1000, 8, 1, false, false },
	{ 0x39c00423, "ldrsb w3, [x1, #1]", 0x01230007, 0x1001, 1, 1, false, false },
	{ 0x79800424, "ldrsh x4, [x1, #2]", 0x01648007, 0x1002, 2, 1, false, false },
	{ 0xb8a26825, "ldrsw x5, [x1, x2]", 0x01a58007, 0x1010, 4, 1, false, false },
	{ 0x781fec26, "strh w6, [x1, #-2]! (writeback)", 0x00000047, 0xffe, 2, 1, false, false },
	{ 0xf8008427, "str x7, [x1], #8 (writeback)", 0x00000047, 0x1000, 8, 1, false, false },
	{ 0xb81fc028, "stur w8, [x1, #-4]", 0x01880047, 0xffc, 4, 1, false, false },
	{ 0xf8408829, "ldtr x9, [x1, #8]", 0x01c98007, 0x1008, 8, 1, false, true },
	{ 0xb862d82a, "ldr w10, [x1, w2, sxtw #2]", 0x018a0007, 0x1040, 4, 1, false, false },
	{ 0x5800080b, "ldr x11, pc + 0x100", 0x01cb8007, PC + 0x100, 8, 1, false, false },
	{ 0xa941342c, "ldp x12, x13, [x1, #16]", 0x00000007, 0x1010, 8, 2, false, false },
	{ 0x29bf3fee, "stp w14, w15, [sp, #-8]!", 0x00000047, 0x7ff8, 4, 2, false, false },
	{ 0xac400420, "ldnp q0, q1, [x1]", 0x00000007, 0x1000, 16, 2, false, false },
	{ 0x68c14430, "ldpsw x16, x17, [x1], #8", 0x00000007, 0x1000, 4, 2, false, false },
	{ 0xc85f7c32, "ldxr x18, [x1]", 0x00000007, 0x1000, 8, 1, true, false },
	{ 0xc8037c33, "stxr w3, x19, [x1]", 0x00000047, 0x1000, 8, 1, true, false },
	{ 0x885ffc34, "ldaxr w20, [x1]", 0x00000007, 0x1000, 4, 1, true, false },
	{ 0xc8dffc35, "ldar x21, [x1]", 0x01d5c007, 0x1000, 8, 1, true, false },
	{ 0x889ffc36, "stlr w22, [x1]", 0x01964047, 0x1000, 4, 1, true, false },
	{ 0xc87f6037, "ldxp x23, x24, [x1]", 0x00000007, 0x1000, 16, 1, true, false },
	{ 0xf8200041, "ldadd x0, x1, [x2]", 0x00000007, 0x10, 8, 1, true, false },
	{ 0xb8e38024, "swpal w3, w4, [x1]", 0x00000007, 0x1000, 4, 1, true, false },
	{ 0xc8e5fc26, "casal x5, x6, [x1]", 0x00000007, 0x1000, 8, 1, true, false },
	{ 0x3dc00821, "ldr q1, [x1, #32]", 0x00000007, 0x1020, 16, 1, false, false },
	{ 0xfd000422, "str d2, [x1, #8]", 0x00000047, 0x1008, 8, 1, false, false },
	{ 0x4c40a020, "ld1 {v0.16b, v1.16b}, [x1]", 0x00000007, 0x1000, 1, 32, false, false },
	{ 0x4c9f0820, "st4 {v0.4s-v3.4s}, [x1], #64", 0x00000047, 0x1000, 4, 16, false, false },
	{ 0x0d409020, "ld1 {v0.s}[1], [x1]", 0x00000007, 0x1000, 4, 1, false, false },
	{ 0x4d60e420, "ld4r {v0.8h-v3.8h}, [x1]", 0x00000007, 0x1000, 2, 4, false, false },
};

static void test_a64_esr_decodes_each_load_store_class(void **state)
{
	uint64_t x[31] = { 0 };

	(void)state;
	x[1] = 0x1000;
	x[2] = 0x10;
	for (size_t i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++) {
		const struct access_case *c = &accesses[i];
		struct a64_access acc;
		bool wnr;

		print_message("%s\n", c->text);
		assert_true(a64_decode_access(c->insn, &acc));
		wnr = acc.store && !acc.load;
		assert_int_equal(a64_dabt_iss_el2(&acc, wnr, DFSC_L3), c->iss);
		assert_int_equal(a64_access_address(&acc, x, 0x8000, PC),
				 c->addr);
		assert_int_equal(acc.elem_size, c->elem_size);
		assert_int_equal(acc.count, c->count);
		assert_int_equal(acc.aligned, c->aligned);
		assert_int_equal(acc.unprivileged, c->unprivileged);
	}
}

/* Atomics read and write; exclusives and pairs give no syndrome even as
 * stores; the rest are not loads or stores this decoder knows. */
static void test_a64_esr_refuses_what_is_no_access(void **state)
{
	static const uint32_t none[] = {
		0x0c408c20,          /* ld2 {v0.1d, v1.1d}: unallocated */
		0xf9800020,          /* prfm pldl1keep, [x1] */
		0xd50b7e21,          /* dc civac, x1 */
		0x8b000000,          /* add x0, x0, x0 */
		0xd4000001,          /* svc #0 */
		0x00000000,          /* udf #0 */
		0xffffffff,
	};
	struct a64_access acc;

	(void)state;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		assert_false(a64_decode_access(none[i], &acc));
	assert_true(a64_decode_access(0xf8200041, &acc));   /* ldadd */
	assert_true(acc.load && acc.store);
	assert_true(a64_decode_access(0xc8037c33, &acc));   /* stxr */
	assert_int_equal(a64_dabt_iss_el2(&acc, true, 0x0f), 0x4f);
}

/* Every word decodes or is refused, and what decodes is a sane access. */
static void test_a64_esr_any_word_decodes_sanely(void **state)
{
	struct a64_access acc;
	uint32_t w = 0x12345678;
	uint64_t x[31];

	(void)state;
	memset(x, 0xa5, sizeof(x));
	for (unsigned i = 0; i < 2000000; i++) {
		w ^= w << 13;
		w ^= w >> 17;
		w ^= w << 5;
		if (!a64_decode_access(w, &acc))
			continue;
		assert_true(acc.load || acc.store);
		assert_true(acc.elem_size >= 1 && acc.elem_size <= 16);
		assert_true(acc.count >= 1 && acc.count <= 64);
		assert_true(acc.rn <= 31 && acc.srt <= 31 && acc.rm <= 31);
		(void)a64_access_address(&acc, x, ~0ull, ~0ull);
	}
}

static void test_a64_esr_el1_syndromes(void **state)
{
	(void)state;
	/* Data aborts: EC 0x25 from EL1, 0x24 from EL0; IL; no ISV. */
	assert_int_equal(a64_dabt_esr_el1(false, false, 0x07), 0x96000007);
	assert_int_equal(a64_dabt_esr_el1(false, true, 0x0f), 0x9600004f);
	assert_int_equal(a64_dabt_esr_el1(true, true, 0x07), 0x92000047);
	assert_int_equal(a64_dabt_esr_el1(true, false, 0x21), 0x92000021);
	/* Instruction aborts: EC 0x21 / 0x20. */
	assert_int_equal(a64_iabt_esr_el1(false, 0x06), 0x86000006);
	assert_int_equal(a64_iabt_esr_el1(true, 0x0f), 0x8200000f);
	/* svc #0x1234 (EC 0x15), brk #0xf000 (EC 0x3c), udf (EC 0). */
	assert_int_equal(a64_svc_esr(0xd4024681), 0x56001234);
	assert_int_equal(a64_brk_esr(0xd43e0000), 0xf200f000);
	assert_int_equal(a64_undef_esr(), 0x02000000);
}

/* ---- the CPU's stage-1 walk ---- */

#define RAM      0x40000000ull
#define PG       (3ull | 1ull << 10)              /* page, AF */
#define TABLE    3ull

static uint8_t ram[0x10000] __attribute__((aligned(4096)));

static uint64_t *entry(uint64_t ipa)
{
	return (uint64_t *)(ram + (ipa - RAM));
}

/* Tables at RAM (l1), RAM + 0x1000 (l2), RAM + 0x2000 (l3); VA
 * 0x40000000 + n pages through l3[n]. */
static void tables(struct hv_mem *mem, struct hv_mmu_regs *regs)
{
	memset(ram, 0, sizeof(ram));
	memset(mem, 0, sizeof(*mem));
	mem->nr_regions = 1;
	mem->region[0] = (struct hv_mem_region){ .name = "ram", .gpa = RAM,
		.size = sizeof(ram), .host = ram, .fd = -1 };
	*entry(RAM + 8) = (RAM + 0x1000) | TABLE;
	*entry(RAM + 0x1000) = (RAM + 0x2000) | TABLE;
	memset(regs, 0, sizeof(*regs));
	regs->sctlr = HV_SCTLR_M;
	regs->tcr = 25 | 1ull << 23;           /* 39-bit VAs, no TTBR1 */
	regs->ttbr0 = RAM;
}

static void test_a64_stage1_fault_codes(void **state)
{
	struct hv_mem mem;
	struct hv_mmu_regs regs;
	const uint64_t va = RAM + 0x5000;

	(void)state;
	tables(&mem, &regs);
	/* No entry at level 3; none at level 1 for VA 0. */
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_READ,
					  false), 0x07);
	assert_int_equal(a64_stage1_check(&mem, &regs, 0, A64_ACCESS_READ,
					  false), 0x05);
	/* Above the 39-bit range: level 0. */
	assert_int_equal(a64_stage1_check(&mem, &regs, 1ull << 40,
					  A64_ACCESS_READ, false), 0x04);
	/* Access flag clear. */
	*entry(RAM + 0x2000 + 5 * 8) = (RAM + 0x5000) | 3;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_READ,
					  false), 0x0b);
	/* EL1 only: EL0 has no access, EL0 may execute (UXN clear), EL1
	 * reads and writes. */
	*entry(RAM + 0x2000 + 5 * 8) = (RAM + 0x5000) | PG;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_READ,
					  true), 0x0f);
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_EXEC,
					  true), 0);
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_WRITE,
					  false), 0);
	/* Read-only (AP[2]): a write faults at either EL. */
	*entry(RAM + 0x2000 + 5 * 8) = (RAM + 0x5000) | PG | 3ull << 6;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_WRITE,
					  false), 0x0f);
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_READ,
					  true), 0);
	/* Writable at EL0: never executable at EL1. */
	*entry(RAM + 0x2000 + 5 * 8) = (RAM + 0x5000) | PG | 1ull << 6;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_EXEC,
					  false), 0x0f);
	/* APTable[1] above: read-only below; UXN: no EL0 fetch. */
	*entry(RAM + 0x1000) |= 1ull << 62;
	*entry(RAM + 0x2000 + 5 * 8) |= 1ull << 54;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_WRITE,
					  true), 0x0f);
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_EXEC,
					  true), 0x0f);
	/* A 2 MiB block at level 2; the MMU off lets everything through;
	 * a table outside RAM cannot be walked. */
	*entry(RAM + 0x1000) = RAM | 1 | 1ull << 10;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_WRITE,
					  true), 0x0e);
	regs.sctlr = 0;
	assert_int_equal(a64_stage1_check(&mem, &regs, 0, A64_ACCESS_WRITE,
					  true), 0);
	regs.sctlr = HV_SCTLR_M;
	regs.ttbr0 = 0x1000;
	assert_int_equal(a64_stage1_check(&mem, &regs, va, A64_ACCESS_READ,
					  false), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a64_esr_decodes_each_load_store_class),
		cmocka_unit_test(test_a64_esr_refuses_what_is_no_access),
		cmocka_unit_test(test_a64_esr_any_word_decodes_sanely),
		cmocka_unit_test(test_a64_esr_el1_syndromes),
		cmocka_unit_test(test_a64_stage1_fault_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
