/* SPDX-License-Identifier: BSD-2-Clause */
/* The identity map of both ARM ports, in 64-bit descriptors (AArch64 stage
 * 1 with 4 KiB granule, or ARMv7 LPAE): one first-level table of 1 GiB
 * entries and a pool of second-level tables of 2 MiB blocks. Nothing in it
 * is fixed: at boot it maps only the image and the device tree (the boot
 * protocol's facts), then what the tree describes (RAM banks, the
 * /hypervisor grant window, the GIC), then pages Xen names by frame (the
 * console and xenstore rings) as they are asked for. Entries only ever go
 * from invalid to valid, except in the far window, which is remapped
 * break-before-make. */
#include "arm.h"
#include "cpu.h"
#include "gxen/dt.h"
#include "kern/printf.h"

#define DESC_BLOCK   1ull
#define DESC_TABLE   3ull
#define DESC_TYPE    3ull
#define ATTR(idx)    ((uint64_t)(idx) << 2)
#define SH_INNER     (3ull << 8)
#define AF           (1ull << 10)
#define PXN          (1ull << 53)
#define XN           (1ull << 54)   /* UXN on AArch64 */
#define ADDR_MASK    0x0000fffffffff000ull

/* RAM and pages shared with Xen: Normal write-back, inner shareable. */
#define NORMAL_BLOCK (DESC_BLOCK | ATTR(MAIR_IDX_NORMAL) | SH_INNER | AF)
/* Device: never executable, never speculatively read. */
#define DEVICE_BLOCK (DESC_BLOCK | ATTR(MAIR_IDX_DEVICE) | AF | PXN | XN)

#define SZ_2M        (1ull << 21)
#define SZ_1G        (1ull << 30)
#define ENTRIES      512u
/* The device tree the boot map covers at most (DT_MAX_SIZE). */
#define DT_MAP_MAX   (2ull << 20)
#define FDT_MAGIC    0xd00dfeedu

enum map_err { MAP_OK, MAP_FULL, MAP_CLASH, MAP_FAR };

/* Virtual addresses this map can reach: AArch64's 39-bit TTBR0 range,
 * or all of arm32's 32-bit one. */
static uint64_t va_reach(void)
{
	return sizeof(uintptr_t) == 8 ? 1ull << 39 : 1ull << 32;
}

static uint64_t *table_at(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & ADDR_MASK);
}

/* The second-level table for GiB i: the one there, or a fresh one from
 * the pool (tables follow l1 in memory); NULL when l1[i] is a block or
 * the pool is used up. A pool table is in use when an l1 entry names it. */
static volatile uint64_t *l2_for(volatile uint64_t *l1, unsigned i)
{
	uint64_t e = l1[i];

	if ((e & DESC_TYPE) == DESC_TABLE)
		return table_at(e);
	if (e)
		return NULL;
	for (unsigned k = 1; k <= ARM_PGT_L2_MAX; k++) {
		volatile uint64_t *t = l1 + k * ENTRIES;
		uint64_t want = (uint64_t)(uintptr_t)t | DESC_TABLE;
		bool used = false;

		for (unsigned j = 0; j < va_reach() / SZ_1G && !used; j++)
			used = l1[j] == want;
		if (used)
			continue;
		for (unsigned j = 0; j < ENTRIES; j++)
			t[j] = 0;
		__asm__ volatile("dsb ishst" : : : "memory");
		l1[i] = want;
		return t;
	}
	return NULL;
}

/* Map the 2 MiB block holding pa with desc's attributes; a block already
 * mapped so is fine, mapped otherwise is a clash. */
static enum map_err map_block(volatile uint64_t *l1, uint64_t pa,
			      uint64_t attrs)
{
	uint64_t want = (pa & ~(SZ_2M - 1)) | attrs;
	volatile uint64_t *l2;
	unsigned i = (unsigned)(pa / SZ_1G), j;

	if (pa >= va_reach())
		return MAP_FAR;
	if ((l1[i] & DESC_TYPE) == DESC_BLOCK)
		return (l1[i] & ~ADDR_MASK) == attrs ? MAP_OK : MAP_CLASH;
	l2 = l2_for(l1, i);
	if (!l2)
		return MAP_FULL;
	j = (unsigned)(pa / SZ_2M % ENTRIES);
	if (l2[j] == 0)
		l2[j] = want;
	return l2[j] == want ? MAP_OK : MAP_CLASH;
}

/* Map [base, base + size), rounded out to 2 MiB blocks; whole GiBs of RAM
 * with nothing mapped there yet take one 1 GiB block. The part beyond
 * the reach of virtual addresses is left out (MAP_FAR if any). */
static enum map_err map_range(volatile uint64_t *l1, uint64_t base,
			      uint64_t size, uint64_t attrs, bool whole_gib)
{
	uint64_t end = base + size, pa;
	enum map_err far = MAP_OK;

	if (size == 0)
		return MAP_OK;
	if (end < base || end > va_reach()) {
		end = va_reach();
		far = MAP_FAR;
	}
	for (pa = base & ~(SZ_2M - 1); pa < end;) {
		unsigned i = (unsigned)(pa / SZ_1G);
		enum map_err err;

		if (whole_gib && pa % SZ_1G == 0 && end - pa >= SZ_1G &&
		    l1[i] == 0) {
			l1[i] = pa | attrs;
			pa += SZ_1G;
			continue;
		}
		err = map_block(l1, pa, attrs);
		if (err != MAP_OK)
			return err;
		pa += SZ_2M;
	}
	return far;
}

/* The tree's size from its header, read a byte at a time (the MMU is off:
 * memory is Device, no unaligned or wide accesses); the header alone when
 * the magic is wrong, at most DT_MAP_MAX. */
static uint64_t dt_span(uintptr_t dtb)
{
	const volatile uint8_t *h = (const volatile uint8_t *)dtb;
	uint32_t magic = 0, size = 0;

	for (unsigned i = 0; i < 4; i++) {
		magic = magic << 8 | h[i];
		size = size << 8 | h[4 + i];
	}
	if (magic != FDT_MAGIC || size < 8)
		return 8;
	return size < DT_MAP_MAX ? size : DT_MAP_MAX;
}

void arm_mmu_boot(uint64_t *tables, uintptr_t image, uintptr_t image_end,
		  uintptr_t dtb)
{
	volatile uint64_t *l1 = tables;

	for (unsigned i = 0; i < (1 + ARM_PGT_L2_MAX) * ENTRIES; i++)
		l1[i] = 0;
	map_range(l1, image, image_end - image, NORMAL_BLOCK, false);
	/* A tree the map cannot reach is reported by the discovery's fault;
	 * none at all (NULL) by the discovery itself. */
	if (dtb)
		map_range(l1, dtb, dt_span(dtb), NORMAL_BLOCK, false);
}

/* ---- with the MMU on: the map the device tree describes ---- */

extern uint64_t __pgt_l1[];

/* Two 2 MiB blocks of virtual space no region of the tree uses: the
 * alias window (arch_alias_page, mapped once) and the far window
 * (arch_phys_window, remapped at will). 0 until the map is built. */
static uint64_t alias_va, far_va;
static char why_buf[160];

static bool block_free(uint64_t va)
{
	volatile uint64_t *l1 = __pgt_l1;
	uint64_t e = l1[va / SZ_1G];

	if (e == 0)
		return true;
	if ((e & DESC_TYPE) != DESC_TABLE)
		return false;
	return table_at(e)[va / SZ_2M % ENTRIES] == 0;
}

/* The highest free blocks below the lowest RAM bank (never block 0, which
 * stays empty so that a NULL pointer faults): beside RAM, away from the
 * devices Xen's layouts put at the bottom, and below where Xen 4.4 put
 * the console and xenstore pages (right after RAM). */
static bool pick_windows(const struct dt_info *dt)
{
	uint64_t low = va_reach();

	for (unsigned i = 0; i < dt->nr_mem; i++)
		if (dt->mem[i].base < low)
			low = dt->mem[i].base;
	for (uint64_t va = (low & ~(SZ_2M - 1)); va > SZ_2M && !far_va;) {
		va -= SZ_2M;
		if (!block_free(va))
			continue;
		if (!l2_for(__pgt_l1, (unsigned)(va / SZ_1G)))
			return false;
		if (!alias_va)
			alias_va = va;
		else
			far_va = va;
	}
	return far_va != 0;
}

static const char *map_failure(const char *what, uint64_t base, uint64_t size,
			       enum map_err err)
{
	static const char *const reason[] = {
		[MAP_FULL] = "needs more page tables than the guest has",
		[MAP_CLASH] = "shares a 2 MiB block with a region of other "
			      "memory attributes",
	};

	ksnprintf(why_buf, sizeof(why_buf), "%s [%#llx, %#llx) %s", what,
		  (unsigned long long)base, (unsigned long long)(base + size),
		  reason[err]);
	return why_buf;
}

struct region {
	const char *what;
	uint64_t base, size, attrs;
};

const char *arm_mmu_map_tree(const struct dt_info *dt)
{
	struct region region[DT_MAX_MEM_BANKS + 3];
	unsigned n = 0;

	for (unsigned i = 0; i < dt->nr_mem; i++)
		region[n++] = (struct region){ "RAM bank", dt->mem[i].base,
					       dt->mem[i].size, NORMAL_BLOCK };
	region[n++] = (struct region){ "grant-table window", dt->gnttab_base,
				       dt->gnttab_size, NORMAL_BLOCK };
	if (dt->gic_version) {
		bool v3 = dt->gic_version == 3;

		region[n++] = (struct region){ "GIC distributor",
					       dt->gic_dist_base,
					       dt->gic_dist_size, DEVICE_BLOCK };
		region[n++] = (struct region){
			v3 ? "GIC redistributors" : "GIC CPU interface",
			v3 ? dt->gic_redist_base : dt->gic_cpu_base,
			v3 ? dt->gic_redist_size : dt->gic_cpu_size,
			DEVICE_BLOCK };
	}
	for (unsigned i = 0; i < n; i++) {
		enum map_err err = map_range(__pgt_l1, region[i].base,
					     region[i].size, region[i].attrs,
					     region[i].attrs == NORMAL_BLOCK);

		/* RAM beyond virtual reach (arm32's above 4 GiB) is left to
		 * the far window; a device there cannot be driven. */
		if (err == MAP_FAR && region[i].attrs == NORMAL_BLOCK)
			continue;
		if (err == MAP_FAR) {
			ksnprintf(why_buf, sizeof(why_buf), "%s at %#llx lies "
				  "beyond this guest's virtual addresses",
				  region[i].what,
				  (unsigned long long)region[i].base);
			return why_buf;
		}
		if (err != MAP_OK)
			return map_failure(region[i].what, region[i].base,
					   region[i].size, err);
	}
	if (!pick_windows(dt))
		return "no free 2 MiB blocks below RAM for the guest's windows";
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	return NULL;
}

bool arm_mmu_map_normal(uint64_t pa)
{
	uint64_t block = pa & ~(SZ_2M - 1);

	if (pa < SZ_2M || pa >= va_reach() || block == alias_va ||
	    block == far_va)
		return false;
	if (map_block(__pgt_l1, pa, NORMAL_BLOCK) == MAP_CLASH) {
		/* Mapped already, as a device: shown as it is. */
		return true;
	}
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	return !block_free(block);
}

/* The alias window goes from empty to mapped once and never changes after:
 * an invalid entry is never in a TLB, so a barrier is all it needs. */
void *arm_mmu_alias(uint64_t pa)
{
	volatile uint64_t *l2;
	uint64_t want = (pa & ~(SZ_2M - 1)) | NORMAL_BLOCK;

	if (!alias_va)
		return NULL;
	l2 = table_at(__pgt_l1[alias_va / SZ_1G]);
	if (l2[alias_va / SZ_2M % ENTRIES] == 0) {
		l2[alias_va / SZ_2M % ENTRIES] = want;
		__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	}
	if (l2[alias_va / SZ_2M % ENTRIES] != want)
		return NULL;
	return (void *)(uintptr_t)(alias_va + (pa & (SZ_2M - 1)));
}

void *arm_mmu_far(uint64_t pa)
{
	volatile uint64_t *slot;
	uint64_t want = (pa & ~(SZ_2M - 1)) | NORMAL_BLOCK;

	if (!far_va)
		return NULL;
	slot = &table_at(__pgt_l1[far_va / SZ_1G])[far_va / SZ_2M % ENTRIES];
	if (*slot != want) {
		/* Break before make: the old block leaves every TLB before
		 * the new one is written. */
		if (*slot) {
			*slot = 0;
			cpu_tlb_flush_va((uintptr_t)far_va);
		}
		*slot = want;
		__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	}
	return (void *)(uintptr_t)(far_va + (pa & (SZ_2M - 1)));
}
