/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch32 exception rules (sim/a32_fault.c, a32_access.c,
 * a32_stage1.c) against hand-computed values from the Arm ARM: the mode,
 * CPSR, SPSR, LR and vector of each exception from USR and SVC, ARM and
 * Thumb; DFSR/IFSR in the short- and long-descriptor formats; what each
 * load/store class accesses and whether it writes; the fault each stage-1
 * walk finds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "a32_fault.h"

#define VBAR  0x40001000u
#define INSN  0x40008100u
#define TE    (1u << 30)
#define EE    (1u << 25)
#define HIV   (1u << 13)

struct entry_case {
	const char *what;
	enum a32_exception kind;
	uint32_t cpsr, sctlr, vbar;
	uint32_t want_cpsr, want_lr, want_pc;
};

static const struct entry_case entries[] = {
	{ "undef, ARM, SVC", A32_EXC_UNDEF, 0x60000013, 0, VBAR,
	  0x6000009b, INSN + 4, VBAR + 0x04 },
	{ "undef, Thumb, USR", A32_EXC_UNDEF, 0x80000030, 0, VBAR,
	  0x8000009b, INSN + 2, VBAR + 0x04 },
	{ "undef, Thumb in IT block", A32_EXC_UNDEF, 0x06001c30, 0, VBAR,
	  0x0000009b, INSN + 2, VBAR + 0x04 },
	{ "undef keeps F, VBAR low bits", A32_EXC_UNDEF, 0x00000053, 0,
	  VBAR + 0x10, 0x000000db, INSN + 4, VBAR + 0x04 },
	{ "svc, ARM, USR", A32_EXC_SVC, 0x00000010, 0, VBAR,
	  0x00000093, INSN + 4, VBAR + 0x08 },
	{ "svc, Thumb, SVC, TE", A32_EXC_SVC, 0x00000033, TE, VBAR,
	  0x000000b3, INSN + 2, VBAR + 0x08 },
	{ "prefetch abort, ARM, SVC", A32_EXC_PREFETCH_ABORT, 0x00000013, 0,
	  VBAR, 0x00000197, INSN + 4, VBAR + 0x0c },
	{ "prefetch abort, Thumb, USR", A32_EXC_PREFETCH_ABORT, 0x20000030, 0,
	  VBAR, 0x20000197, INSN + 4, VBAR + 0x0c },
	{ "data abort, ARM, USR", A32_EXC_DATA_ABORT, 0x00000010, 0, VBAR,
	  0x00000197, INSN + 8, VBAR + 0x10 },
	{ "data abort, Thumb, high vectors, EE", A32_EXC_DATA_ABORT,
	  0x00000030, HIV | EE, VBAR, 0x00000397, INSN + 8, 0xffff0010 },
};

static void test_a32_exception_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		const struct entry_case *c = &entries[i];
		struct a32_entry e = a32_exception_entry(c->kind, c->cpsr,
							 c->sctlr, c->vbar,
							 INSN);

		print_message("%s\n", c->what);
		assert_int_equal(e.cpsr, c->want_cpsr);
		assert_int_equal(e.spsr, c->cpsr);
		assert_int_equal(e.lr, c->want_lr);
		assert_int_equal(e.pc, c->want_pc);
	}
}

struct fsr_case {
	enum a32_fault kind;
	unsigned level, domain;
	bool lpae, wnr;
	uint32_t fsr;
};

static const struct fsr_case fsrs[] = {
	{ A32_FAULT_ALIGNMENT, 0, 0, false, true, 0x801 },
	{ A32_FAULT_ALIGNMENT, 0, 0, true, false, 0x221 },
	{ A32_FAULT_DEBUG, 0, 0, false, false, 0x002 },
	{ A32_FAULT_DEBUG, 0, 0, true, false, 0x222 },
	{ A32_FAULT_TRANSLATION, 1, 3, false, false, 0x005 },
	{ A32_FAULT_TRANSLATION, 2, 3, false, true, 0x837 },
	{ A32_FAULT_PERMISSION, 1, 2, false, false, 0x02d },
	{ A32_FAULT_PERMISSION, 2, 2, false, false, 0x02f },
	{ A32_FAULT_DOMAIN, 1, 5, false, false, 0x059 },
	{ A32_FAULT_DOMAIN, 2, 5, false, true, 0x85b },
	{ A32_FAULT_ACCESS_FLAG, 1, 1, false, false, 0x013 },
	{ A32_FAULT_ACCESS_FLAG, 2, 1, false, false, 0x016 },
	{ A32_FAULT_TRANSLATION, 3, 0, true, true, 0xa07 },
	{ A32_FAULT_TRANSLATION, 1, 0, true, false, 0x205 },
	{ A32_FAULT_ACCESS_FLAG, 2, 0, true, false, 0x20a },
	{ A32_FAULT_PERMISSION, 3, 0, true, true, 0xa0f },
};

static void test_a32_fsr_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fsrs) / sizeof(fsrs[0]); i++) {
		const struct fsr_case *c = &fsrs[i];
		struct a32_fault_info f = { c->kind, c->level, c->domain };

		print_message("case %zu\n", i);
		assert_int_equal(a32_fsr(&f, c->lpae, c->wnr), c->fsr);
	}
}

#define PC 0x40008000u

struct access_case {
	const char *text;
	uint32_t insn;
	bool thumb;
	unsigned len;
	bool write;
	uint32_t addr, size, align;
	bool unprivileged;
};

/* r1 = 0x1000, r2 = 0x10, sp = 0x8000, the instruction at PC (Thumb
 * 16-bit ones at PC + 2, for the literal's alignment). */
static const struct access_case accesses[] = {
	{ "ldr r0, [r1]", 0xe5910000, false, 4, false, 0x1000, 4, 1, false },
	{ "str r0, [r1, #8]", 0xe5810008, false, 4, true, 0x1008, 4, 1, false },
	{ "ldr r0, [r1, #-4]!", 0xe5310004, false, 4, false, 0xffc, 4, 1,
	  false },
	{ "ldr r0, [r1], #4", 0xe4910004, false, 4, false, 0x1000, 4, 1,
	  false },
	{ "ldr r0, [r1, r2, lsl #2]", 0xe7910102, false, 4, false, 0x1040, 4,
	  1, false },
	{ "strb r0, [r1, #1]", 0xe5c10001, false, 4, true, 0x1001, 1, 1,
	  false },
	{ "ldrt r0, [r1], #4", 0xe4b10004, false, 4, false, 0x1000, 4, 1,
	  true },
	{ "ldr r0, [pc, #4]", 0xe59f0004, false, 4, false, PC + 12, 4, 1,
	  false },
	{ "ldrh r0, [r1, #2]", 0xe1d100b2, false, 4, false, 0x1002, 2, 1,
	  false },
	{ "strh r0, [r1, r2]", 0xe18100b2, false, 4, true, 0x1010, 2, 1,
	  false },
	{ "ldrd r2, r3, [r1, #8]", 0xe1c120d8, false, 4, false, 0x1008, 8, 4,
	  false },
	{ "strd r2, r3, [r1]", 0xe1c120f0, false, 4, true, 0x1000, 8, 4,
	  false },
	{ "ldrex r0, [r1]", 0xe1910f9f, false, 4, false, 0x1000, 4, 4, false },
	{ "strex r0, r2, [r1]", 0xe1810f92, false, 4, true, 0x1000, 4, 4,
	  false },
	{ "ldrexd r2, r3, [r1]", 0xe1b12f9f, false, 4, false, 0x1000, 8, 8,
	  false },
	{ "ldm r1, {r0, r2}", 0xe8910005, false, 4, false, 0x1000, 8, 4,
	  false },
	{ "stmdb sp!, {r4, lr}", 0xe92d4010, false, 4, true, 0x7ff8, 8, 4,
	  false },
	{ "ldmib r1, {r0}", 0xe9910001, false, 4, false, 0x1004, 4, 4, false },
	{ "ldmda r1, {r0, r2, r3}", 0xe811000d, false, 4, false, 0xff8, 12, 4,
	  false },
	{ "vldr d0, [r1, #8]", 0xed910b02, false, 4, false, 0x1008, 8, 4,
	  false },
	{ "vstr s0, [r1, #-4]", 0xed010a01, false, 4, true, 0xffc, 4, 4,
	  false },
	{ "vldmia r1, {d0-d1}", 0xec910b04, false, 4, false, 0x1000, 16, 4,
	  false },
	{ "vstmdb r1!, {s0-s2}", 0xed210a03, false, 4, true, 0xff4, 12, 4,
	  false },
	{ "vpush {d8}", 0xed2d8b02, false, 4, true, 0x7ff8, 8, 4, false },
	{ "vpop {d8-d9}", 0xecbd8b04, false, 4, false, 0x8000, 16, 4, false },
	{ "lda r0, [r1]", 0xe1910c9f, false, 4, false, 0x1000, 4, 4, false },
	{ "stlb r0, [r1]", 0xe1c1fc90, false, 4, true, 0x1000, 1, 1, false },
	{ "ldaexd r2, r3, [r1]", 0xe1b12e9f, false, 4, false, 0x1000, 8, 8,
	  false },
	{ "stlexh r2, r0, [r1]", 0xe1e12e90, false, 4, true, 0x1000, 2, 2,
	  false },
	{ "ldr r0, [r1, r2] (T16)", 0x5888, true, 2, false, 0x1010, 4, 1,
	  false },
	{ "str r0, [r1, #4] (T16)", 0x6048, true, 2, true, 0x1004, 4, 1,
	  false },
	{ "strb r0, [r1, #3] (T16)", 0x70c8, true, 2, true, 0x1003, 1, 1,
	  false },
	{ "ldrh r0, [r1, #2] (T16)", 0x8848, true, 2, false, 0x1002, 2, 1,
	  false },
	{ "ldr r0, [sp, #8] (T16)", 0x9802, true, 2, false, 0x8008, 4, 1,
	  false },
	{ "ldr r0, [pc, #8] (T16)", 0x4802, true, 2, false, PC + 12, 4, 1,
	  false },
	{ "push {r4, lr}", 0xb510, true, 2, true, 0x7ff8, 8, 4, false },
	{ "pop {r4, pc}", 0xbd10, true, 2, false, 0x8000, 8, 4, false },
	{ "stmia r1!, {r0, r2} (T16)", 0xc105, true, 2, true, 0x1000, 8, 4,
	  false },
	{ "ldr.w r0, [r1, #8]", 0xf8d10008, true, 4, false, 0x1008, 4, 1,
	  false },
	{ "str.w r0, [r1, #-4]", 0xf8410c04, true, 4, true, 0xffc, 4, 1,
	  false },
	{ "ldrb.w r0, [r1, r2, lsl #1]", 0xf8110012, true, 4, false, 0x1020,
	  1, 1, false },
	{ "ldr.w r0, [pc, #-8]", 0xf85f0008, true, 4, false, PC + 4 - 8,
	  4, 1, false },
	{ "ldrt r0, [r1, #4]", 0xf8510e04, true, 4, false, 0x1004, 4, 1,
	  true },
	{ "ldrex r0, [r1, #4] (T32)", 0xe8510f01, true, 4, false, 0x1004, 4,
	  4, false },
	{ "strex r2, r0, [r1] (T32)", 0xe8410200, true, 4, true, 0x1000, 4, 4,
	  false },
	{ "ldrexb r0, [r1]", 0xe8d10f4f, true, 4, false, 0x1000, 1, 1, false },
	{ "ldrexd r2, r3, [r1] (T32)", 0xe8d1237f, true, 4, false, 0x1000, 8,
	  8, false },
	{ "ldrd r2, r3, [r1, #8] (T32)", 0xe9d12302, true, 4, false, 0x1008,
	  8, 4, false },
	{ "strd r2, r3, [r1, #-8]! (T32)", 0xe9612302, true, 4, true, 0xff8,
	  8, 4, false },
	{ "ldmia.w r1, {r0, r2}", 0xe8910005, true, 4, false, 0x1000, 8, 4,
	  false },
	{ "stmdb sp!, {r4, lr} (T32)", 0xe92d4010, true, 4, true, 0x7ff8, 8,
	  4, false },
	{ "vldr d0, [r1, #8] (T32)", 0xed910b02, true, 4, false, 0x1008, 8, 4,
	  false },
	{ "vldmia r1, {d0-d1} (T32)", 0xec910b04, true, 4, false, 0x1000, 16,
	  4, false },
	{ "vpush {d8} (T32)", 0xed2d8b02, true, 4, true, 0x7ff8, 8, 4, false },
	{ "vpop {d8-d9} (T32)", 0xecbd8b04, true, 4, false, 0x8000, 16, 4,
	  false },
	{ "tbb [r1, r2]", 0xe8d1f002, true, 4, false, 0x1010, 1, 1, false },
	{ "tbh [r1, r2, lsl #1]", 0xe8d1f012, true, 4, false, 0x1020, 2, 1,
	  false },
	{ "tbb [pc, r2]", 0xe8dff002, true, 4, false, PC + 2 + 4 + 0x10, 1, 1,
	  false },
	{ "ldah r0, [r1] (T32)", 0xe8d10f9f, true, 4, false, 0x1000, 2, 2,
	  false },
	{ "stl r0, [r1] (T32)", 0xe8c10faf, true, 4, true, 0x1000, 4, 4,
	  false },
	{ "ldaex r0, [r1] (T32)", 0xe8d10fef, true, 4, false, 0x1000, 4, 4,
	  false },
	{ "stlexb r2, r0, [r1] (T32)", 0xe8c10fc2, true, 4, true, 0x1000, 1, 1,
	  false },
	{ "stlexd r4, r2, r3, [r1] (T32)", 0xe8c123f4, true, 4, true, 0x1000,
	  8, 8, false },
};

/* Not loads or stores this decoder knows: none may come back as one. */
static const struct access_case others[] = {
	{ "add r0, r1, r2", 0xe0810002, false, 4, 0, 0, 0, 0, 0 },
	{ "mul r0, r1, r2", 0xe0000291, false, 4, 0, 0, 0, 0, 0 },
	{ "vmov d0, r2, r3", 0xec432b10, false, 4, 0, 0, 0, 0, 0 },
	{ "ldaexd's unallocated neighbour (bits 9-8 01)", 0xe1b12d9f, false, 4,
	  0, 0, 0, 0, 0 },
	{ "lda with a doubleword size", 0xe1b10c9f, false, 4, 0, 0, 0, 0, 0 },
	{ "svc #0 (ARM)", 0xef000000, false, 4, 0, 0, 0, 0, 0 },
	{ "adds r0, r1, r2 (T16)", 0x1888, true, 2, 0, 0, 0, 0, 0 },
	{ "vmov d0, r2, r3 (T32)", 0xec432b10, true, 4, 0, 0, 0, 0, 0 },
	{ "unallocated op 6 beside ldrexh (T32)", 0xe8d10f6f, true, 4, 0, 0, 0,
	  0, 0 },
	{ "mov.w r0, #1", 0xf04f0001, true, 4, 0, 0, 0, 0, 0 },
};

static void test_a32_decode_access(void **state)
{
	uint32_t r[15] = { 0 };
	struct a32_access acc;

	(void)state;
	r[1] = 0x1000;
	r[2] = 0x10;
	r[13] = 0x8000;
	for (size_t i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++) {
		const struct access_case *c = &accesses[i];
		uint32_t pc = c->thumb ? PC + 2 : PC;

		print_message("%s\n", c->text);
		memset(&acc, 0xa5, sizeof(acc));
		assert_true(a32_decode_access(c->insn, c->thumb, c->len, pc, r,
					      &acc));
		assert_int_equal(acc.write, c->write);
		assert_int_equal(acc.addr, c->addr);
		assert_int_equal(acc.size, c->size);
		assert_int_equal(acc.align, c->align);
		assert_int_equal(acc.unprivileged, c->unprivileged);
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		const struct access_case *c = &others[i];

		print_message("%s\n", c->text);
		assert_false(a32_decode_access(c->insn, c->thumb, c->len, PC, r,
					       &acc));
	}
}

#define RAM 0x40000000u

static uint8_t ram[0x10000] __attribute__((aligned(4096)));

static void put32(uint32_t gpa, uint32_t v)
{
	memcpy(ram + (gpa - RAM), &v, 4);
}

static void put64(uint32_t gpa, uint64_t v)
{
	memcpy(ram + (gpa - RAM), &v, 8);
}

static void mem_init(struct hv_mem *mem, struct hv_mmu_regs *regs)
{
	memset(ram, 0, sizeof(ram));
	memset(mem, 0, sizeof(*mem));
	mem->nr_regions = 1;
	mem->region[0] = (struct hv_mem_region){ .name = "ram", .gpa = RAM,
		.size = sizeof(ram), .host = ram, .fd = -1 };
	memset(regs, 0, sizeof(*regs));
	regs->aarch32 = true;
	regs->sctlr = A32_SCTLR_M;
}

static void expect_at(int line, struct a32_fault_info f,
		      enum a32_fault kind, unsigned level, unsigned domain)
{
	print_message("line %d\n", line);
	assert_int_equal(f.kind, kind);
	if (kind != A32_FAULT_NONE) {
		assert_int_equal(f.level, level);
		assert_int_equal(f.domain, domain);
	}
}

#define expect(...) expect_at(__LINE__, __VA_ARGS__)

/* Short descriptors, TTBCR.N 0: L1 at RAM; VA RAM's MiB through an L2
 * table at RAM + 0x4000 (domain 1); sections at 0x41000000 (domain 2,
 * PL1 only), 0x42000000 (domain 3), 0x43000000 (XN, domain 4, manager).
 * DACR: 1 and 2 clients, 3 no access, 4 manager. */
static void test_a32_stage1_short(void **state)
{
	struct hv_mem mem;
	struct hv_mmu_regs regs;
	const uint32_t dacr = 1u << 2 | 1u << 4 | 3u << 8;
	const uint32_t l2 = RAM + 0x4000;

	(void)state;
	mem_init(&mem, &regs);
	regs.ttbr0 = RAM;
	put32(RAM + 0x400 * 4, l2 | 1 | 1 << 5);
	put32(l2 + 5 * 4, (RAM + 0x5000) | 2 | 3 << 4);        /* RW, RW */
	put32(l2 + 7 * 4, (RAM + 0x7000) | 2 | 1 << 9 | 1 << 4); /* PL1 RO */
	put32(l2 + 8 * 4, (RAM + 0x8000) | 2 | 2 << 4);        /* no AF */
	put32(RAM + 0x410 * 4, 0x41000000 | 2 | 1 << 10 | 2 << 5);
	put32(RAM + 0x420 * 4, 0x42000000 | 2 | 3 << 10 | 3 << 5);
	put32(RAM + 0x430 * 4, 0x43000000 | 2 | 1 << 4 | 4 << 5);

	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x5000, A32_WRITE,
				true), A32_FAULT_NONE, 0, 0);
	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x6000, A32_READ,
				false), A32_FAULT_TRANSLATION, 2, 1);
	expect(a32_stage1_check(&mem, &regs, dacr, 0x50000000, A32_READ,
				false), A32_FAULT_TRANSLATION, 1, 0);
	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x7000, A32_WRITE,
				false), A32_FAULT_PERMISSION, 2, 1);
	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x7000, A32_READ,
				true), A32_FAULT_PERMISSION, 2, 1);
	expect(a32_stage1_check(&mem, &regs, dacr, 0x41000010, A32_WRITE,
				false), A32_FAULT_NONE, 0, 0);
	expect(a32_stage1_check(&mem, &regs, dacr, 0x41000010, A32_READ,
				true), A32_FAULT_PERMISSION, 1, 2);
	expect(a32_stage1_check(&mem, &regs, dacr, 0x42000000, A32_READ,
				false), A32_FAULT_DOMAIN, 1, 3);
	/* Manager: neither AP nor XN checked. */
	expect(a32_stage1_check(&mem, &regs, dacr, 0x43000000, A32_EXEC,
				true), A32_FAULT_NONE, 0, 0);
	expect(a32_stage1_check(&mem, &regs, (dacr & ~(3u << 8)) | 1u << 8,
				0x43000000, A32_EXEC, false),
	       A32_FAULT_PERMISSION, 1, 4);
	/* SCTLR.AFE: AP[0] is the access flag. */
	regs.sctlr |= A32_SCTLR_AFE;
	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x8000, A32_READ,
				false), A32_FAULT_ACCESS_FLAG, 2, 1);
	/* TTBCR.PD0: no walk from TTBR0. */
	regs.tcr = 1u << 4;
	expect(a32_stage1_check(&mem, &regs, dacr, RAM + 0x5000, A32_READ,
				false), A32_FAULT_TRANSLATION, 1, 0);
	/* MMU off: nothing checked. */
	regs.sctlr = 0;
	expect(a32_stage1_check(&mem, &regs, dacr, 0x50000000, A32_READ,
				true), A32_FAULT_NONE, 0, 0);
}

#define AF     (1ull << 10)
#define AP_EL0 (1ull << 6)
#define AP_RO  (1ull << 7)
#define XN     (1ull << 54)

/* Long descriptors, T0SZ 0 (level 1 first): l1 at RAM, l2 at RAM + 0x1000
 * for the GiB at RAM, l3 at RAM + 0x2000 for its first 2 MiB. */
static void test_a32_stage1_long(void **state)
{
	struct hv_mem mem;
	struct hv_mmu_regs regs;

	(void)state;
	mem_init(&mem, &regs);
	regs.tcr = HV_TTBCR_EAE;
	regs.ttbr0 = RAM;
	put64(RAM + 1 * 8, (RAM + 0x1000) | 3);
	put64(RAM + 0x1000, (RAM + 0x2000) | 3);
	put64(RAM + 0x2000 + 5 * 8, (RAM + 0x5000) | 3 | AF | AP_EL0);
	put64(RAM + 0x2000 + 6 * 8, (RAM + 0x6000) | 3);
	put64(RAM + 0x2000 + 7 * 8, (RAM + 0x7000) | 3 | AF | AP_RO);
	put64(RAM + 0x2000 + 8 * 8, (RAM + 0x8000) | 3 | AF);
	put64(RAM + 0x2000 + 9 * 8, (RAM + 0x9000) | 3 | AF | XN);
	put64(RAM + 0x2000 + 10 * 8, (RAM + 0xa000) | 1 | AF);

	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x5000, A32_WRITE,
				true), A32_FAULT_NONE, 0, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x4000, A32_READ,
				false), A32_FAULT_TRANSLATION, 3, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0xa000, A32_READ,
				false), A32_FAULT_TRANSLATION, 3, 0);
	expect(a32_stage1_check(&mem, &regs, 0, 0x80000000, A32_READ,
				false), A32_FAULT_TRANSLATION, 1, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x200000, A32_READ,
				false), A32_FAULT_TRANSLATION, 2, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x6000, A32_READ,
				false), A32_FAULT_ACCESS_FLAG, 3, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x7000, A32_WRITE,
				false), A32_FAULT_PERMISSION, 3, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x8000, A32_READ,
				true), A32_FAULT_PERMISSION, 3, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x8000, A32_READ,
				false), A32_FAULT_NONE, 0, 0);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x9000, A32_EXEC,
				false), A32_FAULT_PERMISSION, 3, 0);
	/* APTable[0] on the level-1 entry: no PL0 access below. */
	put64(RAM + 1 * 8, (RAM + 0x1000) | 3 | 1ull << 61);
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x5000, A32_READ,
				true), A32_FAULT_PERMISSION, 3, 0);
	/* EPD0: no walk from TTBR0. */
	regs.tcr |= 1u << 7;
	expect(a32_stage1_check(&mem, &regs, 0, RAM + 0x5000, A32_READ,
				false), A32_FAULT_TRANSLATION, 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a32_exception_entry),
		cmocka_unit_test(test_a32_fsr_formats),
		cmocka_unit_test(test_a32_decode_access),
		cmocka_unit_test(test_a32_stage1_short),
		cmocka_unit_test(test_a32_stage1_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
