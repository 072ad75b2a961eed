/* SPDX-License-Identifier: BSD-2-Clause */
/* The identity map both ARM ports switch on before any other C runs, in
 * 64-bit descriptors (AArch64 stage 1 with 4 KiB granule, or ARMv7 LPAE):
 * the first GiB in 2 MiB blocks (devices, the grant-table window and the
 * magic pages), RAM from 1 GiB to 4 GiB in 1 GiB blocks. Runs with the MMU
 * off and before self-relocation: no globals, aligned stores only. */
#include <xen/arch-arm.h>

#include "arm.h"

#define DESC_BLOCK   1ull
#define DESC_TABLE   3ull
#define ATTR(idx)    ((uint64_t)(idx) << 2)
#define SH_INNER     (3ull << 8)
#define AF           (1ull << 10)
#define PXN          (1ull << 53)
#define XN           (1ull << 54)   /* UXN on AArch64 */

/* RAM and pages shared with Xen: Normal write-back, inner shareable. */
#define NORMAL_BLOCK (DESC_BLOCK | ATTR(MAIR_IDX_NORMAL) | SH_INNER | AF)
/* Device: never executable, never speculatively read. */
#define DEVICE_BLOCK (DESC_BLOCK | ATTR(MAIR_IDX_DEVICE) | AF | PXN | XN)

#define SZ_2M        (1ull << 21)
#define SZ_1G        (1ull << 30)
#define RAM_TOP      ARM_RAM_MAP_TOP
#define ENTRIES      512u

/* One 2 MiB block of the first GiB. Block 0 stays unmapped so that a NULL
 * (or small) pointer faults, and the alias window until it is used; Xen's
 * windows at 0x38000000 are RAM-like. */
static uint64_t low_block(uint64_t pa)
{
	uint64_t normal_lo = GUEST_GNTTAB_BASE;
	uint64_t normal_hi = GUEST_MAGIC_BASE + GUEST_MAGIC_SIZE;

	if (pa == 0 || pa == ARM_ALIAS_BASE)
		return 0;
	if (pa >= normal_lo && pa < normal_hi)
		return pa | NORMAL_BLOCK;
	return pa | DEVICE_BLOCK;
}

void arm_mmu_build(uint64_t *l1, uint64_t *l2)
{
	for (unsigned i = 0; i < ENTRIES; i++)
		l2[i] = low_block(i * SZ_2M);
	l1[0] = (uint64_t)(uintptr_t)l2 | DESC_TABLE;
	for (unsigned i = 1; i < ENTRIES; i++) {
		uint64_t pa = i * SZ_1G;

		l1[i] = pa < RAM_TOP ? pa | NORMAL_BLOCK : 0;
	}
}

/* The window goes from empty to mapped once and never changes after:
 * an invalid entry is never in a TLB, so a barrier is all it needs. */
bool arm_mmu_alias(uint64_t *l2, uint64_t pa)
{
	volatile uint64_t *slot = &l2[ARM_ALIAS_BASE / SZ_2M];
	uint64_t block = (pa & ~(SZ_2M - 1)) | NORMAL_BLOCK;

	if (*slot == 0) {
		*slot = block;
		__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	}
	return *slot == block;
}
