/* SPDX-License-Identifier: BSD-2-Clause */
/* The host clears an engine's exclusive monitor (sim/unicorn_monitor.c),
 * as a vCPU switch does on hardware: a store-exclusive after an
 * exclusive load succeeds when nothing came between, fails (status 1,
 * memory untouched) when the monitor was cleared between them, and a
 * fresh load-exclusive arms it again; for arm64 (LDXR/STXR) and arm32
 * (LDREX/STREX). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unicorn_monitor.h"

#define BASE 0x20000ull
#define WORD (BASE + 0x800)

struct isa {
	bool arm64;
	uc_arch arch;
	uint32_t ldx, stx;           /* ld*x x1, [x0]; st*x w2, x3, [x0] */
	int addr_reg, status_reg, value_reg;
};

static const struct isa a64 = {
	true, UC_ARCH_ARM64, 0xc85f7c01u, 0xc8027c03u,
	UC_ARM64_REG_X0, UC_ARM64_REG_X2, UC_ARM64_REG_X3,
};
static const struct isa a32 = {
	false, UC_ARCH_ARM, 0xe1901f9fu, 0xe1802f93u,
	UC_ARM_REG_R0, UC_ARM_REG_R2, UC_ARM_REG_R3,
};

static uc_engine *engine(const struct isa *isa)
{
	uc_engine *uc;
	uint64_t addr = WORD, value = 0x77, old = 0x11;
	const uint32_t code[2] = { isa->ldx, isa->stx };

	assert_int_equal(uc_open(isa->arch, UC_MODE_ARM, &uc), UC_ERR_OK);
	assert_int_equal(uc_mem_map(uc, BASE, 0x1000, UC_PROT_ALL), UC_ERR_OK);
	assert_int_equal(uc_mem_write(uc, BASE, code, sizeof(code)), UC_ERR_OK);
	assert_int_equal(uc_mem_write(uc, WORD, &old, isa->arm64 ? 8 : 4),
			 UC_ERR_OK);
	uc_reg_write(uc, isa->addr_reg, &addr);
	uc_reg_write(uc, isa->value_reg, &value);
	return uc;
}

static void load_exclusive(uc_engine *uc)
{
	assert_int_equal(uc_emu_start(uc, BASE, BASE + 4, 0, 1), UC_ERR_OK);
}

/* The store's status: 0 stored, 1 failed. */
static uint64_t store_exclusive(uc_engine *uc, const struct isa *isa)
{
	uint64_t status = 99;

	assert_int_equal(uc_emu_start(uc, BASE + 4, BASE + 8, 0, 1),
			 UC_ERR_OK);
	uc_reg_read(uc, isa->status_reg, &status);
	return isa->arm64 ? status : (uint32_t)status;
}

static uint64_t word(uc_engine *uc, const struct isa *isa)
{
	uint64_t w = 0;

	uc_mem_read(uc, WORD, &w, isa->arm64 ? 8 : 4);
	return w;
}

static void stores_when_nothing_came_between(const struct isa *isa)
{
	uc_engine *uc = engine(isa);

	load_exclusive(uc);
	assert_int_equal(store_exclusive(uc, isa), 0);
	assert_int_equal(word(uc, isa), 0x77);
	uc_close(uc);
}

static void fails_after_a_clear(const struct isa *isa)
{
	uc_engine *uc = engine(isa);

	assert_true(sim_uc_monitor_clearable(isa->arm64));
	load_exclusive(uc);
	assert_true(sim_uc_monitor_clear(uc, isa->arm64));
	assert_int_equal(store_exclusive(uc, isa), 1);
	assert_int_equal(word(uc, isa), 0x11);
	/* A fresh exclusive load arms the monitor again. */
	load_exclusive(uc);
	assert_int_equal(store_exclusive(uc, isa), 0);
	assert_int_equal(word(uc, isa), 0x77);
	uc_close(uc);
}

static void test_arm64_stxr_stores(void **state)
{
	(void)state;
	stores_when_nothing_came_between(&a64);
}

static void test_arm64_stxr_fails_after_clear(void **state)
{
	(void)state;
	fails_after_a_clear(&a64);
}

static void test_arm32_strex_stores(void **state)
{
	(void)state;
	stores_when_nothing_came_between(&a32);
}

static void test_arm32_strex_fails_after_clear(void **state)
{
	(void)state;
	fails_after_a_clear(&a32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_stxr_stores),
		cmocka_unit_test(test_arm64_stxr_fails_after_clear),
		cmocka_unit_test(test_arm32_strex_stores),
		cmocka_unit_test(test_arm32_strex_fails_after_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
