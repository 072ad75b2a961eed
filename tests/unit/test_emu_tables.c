/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's stage-1 table pages a restore watches (sim/emu_tables.c):
 * an AArch64 walk with 4 KiB pages finds the root and every table below
 * it (not the pages blocks and pages map, not a table twice), and says
 * "unknown" for what it does not walk (AArch32, other granules, too many
 * tables), so that the restore then drops the engine's TLB every time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emu_tables.h"

#define BASE   0x40000000ull           /* guest RAM */
#define PAGES  80u
#define ROOT   (BASE + 0x1000)
#define L2     (BASE + 0x2000)
#define L3     (BASE + 0x3000)
#define DATA   (BASE + 0x4000)
#define TABLE  3ull                    /* descriptor bits [1:0] */
#define BLOCK  1ull
#define TCR_39BIT_TTBR0_ONLY (25ull | 1ull << 23)   /* T0SZ 25, EPD1 */

static uint64_t ram[PAGES * 512];

static const void *read_ram(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	if (gpa < BASE || gpa - BASE + len > sizeof(ram))
		return NULL;
	return (const uint8_t *)ram + (gpa - BASE);
}

static void set_desc(uint64_t table, unsigned i, uint64_t desc)
{
	ram[(table - BASE) / 8 + i] = desc;
}

static struct hv_mmu_regs mmu_on(uint64_t tcr)
{
	struct hv_mmu_regs r;

	memset(&r, 0, sizeof(r));
	r.sctlr = HV_SCTLR_M;
	r.tcr = tcr;
	r.ttbr0 = ROOT | 0x5ull << 48;      /* an ASID, not an address */
	return r;
}

static int reset(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	set_desc(ROOT, 1, L2 | TABLE);      /* level 1 -> level 2 */
	set_desc(ROOT, 2, DATA | BLOCK);    /* a 1 GiB block: no table */
	set_desc(ROOT, 3, ROOT | TABLE);    /* back to itself: once */
	set_desc(L2, 0, L3 | TABLE);        /* level 2 -> level 3 */
	set_desc(L3, 0, DATA | TABLE);      /* level 3: a page, not a table */
	return 0;
}

static void walks_every_table_once(void **state)
{
	struct hv_mmu_regs r = mmu_on(TCR_39BIT_TTBR0_ONLY);
	struct emu_tables t;

	(void)state;
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_true(t.known);
	assert_int_equal(t.nr, 3);
	assert_true(emu_tables_hold(&t, ROOT + 0x10));
	assert_true(emu_tables_hold(&t, L2));
	assert_true(emu_tables_hold(&t, L3 + 0xff8));
	assert_false(emu_tables_hold(&t, DATA));
	assert_false(emu_tables_hold(&t, BASE));
}

static void mmu_off_has_none(void **state)
{
	struct hv_mmu_regs r = mmu_on(TCR_39BIT_TTBR0_ONLY);
	struct emu_tables t;

	(void)state;
	r.sctlr = 0;
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_true(t.known);
	assert_int_equal(t.nr, 0);
}

static void unknown_when_not_walked(void **state)
{
	struct hv_mmu_regs r = mmu_on(TCR_39BIT_TTBR0_ONLY);
	struct emu_tables t;

	(void)state;
	r.aarch32 = true;
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_false(t.known);
	r = mmu_on(TCR_39BIT_TTBR0_ONLY | 1ull << 14);   /* TG0: 64 KiB */
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_false(t.known);
	r = mmu_on(25);                     /* TTBR1 on, its granule 0 */
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_false(t.known);
	r = mmu_on(TCR_39BIT_TTBR0_ONLY);
	r.ttbr0 = BASE + sizeof(ram);       /* outside RAM */
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_false(t.known);
}

static void unknown_past_the_limit(void **state)
{
	struct hv_mmu_regs r = mmu_on(TCR_39BIT_TTBR0_ONLY);
	struct emu_tables t;

	(void)state;
	/* The root points at EMU_TABLES_MAX level-2 tables. */
	for (unsigned i = 0; i < EMU_TABLES_MAX; i++)
		set_desc(ROOT, i, (BASE + (8ull + i) * 0x1000) | TABLE);
	emu_tables_find(&t, &r, read_ram, NULL);
	assert_false(t.known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(walks_every_table_once, reset),
		cmocka_unit_test_setup(mmu_off_has_none, reset),
		cmocka_unit_test_setup(unknown_when_not_walked, reset),
		cmocka_unit_test_setup(unknown_past_the_limit, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
