/* SPDX-License-Identifier: BSD-2-Clause */
/* Clearing an engine's exclusive monitor from the host, as a CPU's is
 * cleared when its vCPU is switched out and back (Xen's return to the
 * guest is an exception return, which clears the local monitor).
 * Unicorn has no register for the monitor: it keeps the address and
 * value the last LDXR/LDREX read in the CPU state that uc_context_save
 * copies out whole. Where in that copy depends on the Unicorn build, so
 * it is found by experiment once per process: an engine of the same
 * architecture runs one exclusive load of a known value from a known
 * address, and the copy is searched for the two side by side. Clearing
 * then writes "no address" there and puts the copy back. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "unicorn_monitor.h"

#define PROBE_BASE  0x10000ull
#define PROBE_ADDR  (PROBE_BASE + 0x800)
#define PROBE_VAL32 0x5a17c0deu
#define PROBE_VAL64 0x5a17c0de0badf00dull
#define NO_ADDRESS  UINT64_MAX      /* what CLREX leaves */

/* One exclusive load of [x0 / r0] into x1 / r1. */
static const uint32_t ldxr_x1_x0 = 0xc85f7c01u;   /* ldxr x1, [x0] */
static const uint32_t ldrex_r1_r0 = 0xe1901f9fu;  /* ldrex r1, [r0] */

/* The offset found for each architecture: 0 not yet probed, SIZE_MAX
 * when the probe found nothing (a Unicorn built otherwise). A fact of
 * the linked library, the same for every engine of the process. */
static size_t found[2];

static size_t search(const unsigned char *p, size_t n, uint64_t addr,
		     uint64_t val)
{
	for (size_t i = 0; i + 16 <= n; i += 4) {
		uint64_t a, v;

		memcpy(&a, p + i, 8);
		memcpy(&v, p + i + 8, 8);
		if (a == addr && v == val)
			return i;
	}
	return SIZE_MAX;
}

/* Registers that could hold the address and the value are zeroed before
 * the copy, so only the monitor shows both. */
static size_t probe(bool arm64)
{
	uc_engine *uc;
	uc_context *ctx = NULL;
	uint64_t addr = PROBE_ADDR, zero = 0;
	uint64_t val = arm64 ? PROBE_VAL64 : PROBE_VAL32;
	const uint32_t *insn = arm64 ? &ldxr_x1_x0 : &ldrex_r1_r0;
	int r0 = arm64 ? UC_ARM64_REG_X0 : UC_ARM_REG_R0;
	int r1 = arm64 ? UC_ARM64_REG_X1 : UC_ARM_REG_R1;
	size_t at = SIZE_MAX;

	if (uc_open(arm64 ? UC_ARCH_ARM64 : UC_ARCH_ARM, UC_MODE_ARM, &uc))
		return SIZE_MAX;
	if (!uc_mem_map(uc, PROBE_BASE, 0x1000, UC_PROT_ALL) &&
	    !uc_mem_write(uc, PROBE_BASE, insn, 4) &&
	    !uc_mem_write(uc, addr, &val, arm64 ? 8 : 4) &&
	    !uc_reg_write(uc, r0, &addr) &&
	    !uc_emu_start(uc, PROBE_BASE, PROBE_BASE + 4, 0, 1) &&
	    !uc_reg_write(uc, r0, &zero) && !uc_reg_write(uc, r1, &zero) &&
	    !uc_context_alloc(uc, &ctx) && !uc_context_save(uc, ctx))
		at = search((const unsigned char *)ctx, uc_context_size(uc),
			    addr, val);
	if (ctx)
		uc_context_free(ctx);
	uc_close(uc);
	return at;
}

bool sim_uc_monitor_clearable(bool arm64)
{
	size_t *at = &found[arm64];

	if (!*at)
		*at = probe(arm64);
	return *at != SIZE_MAX;
}

bool sim_uc_monitor_clear(uc_engine *uc, bool arm64)
{
	const uint64_t none = NO_ADDRESS;
	uc_context *ctx;
	bool done = false;

	if (!sim_uc_monitor_clearable(arm64) || uc_context_alloc(uc, &ctx))
		return false;
	if (!uc_context_save(uc, ctx) &&
	    found[arm64] + 8 <= uc_context_size(uc)) {
		memcpy((unsigned char *)ctx + found[arm64], &none, 8);
		done = !uc_context_restore(uc, ctx);
	}
	uc_context_free(ctx);
	return done;
}
