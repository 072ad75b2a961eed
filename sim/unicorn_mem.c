/* SPDX-License-Identifier: BSD-2-Clause */
/* The Unicorn engine's memory map: the model's guest-memory regions mapped
 * in place (no copies), kept in step as the model adds or drops regions,
 * and the GIC's MMIO frames, whose accesses go to the GIC model. An access
 * the map does not back is only recorded here; unicorn_traps.c reports it. */
#include <string.h>

#include "hv/machine.h"
#include "unicorn_internal.h"

static bool same_region(const struct hv_mem_region *a,
			const struct hv_mem_region *b)
{
	return a->gpa == b->gpa && a->size == b->size && a->host == b->host;
}

bool sim_uc_regions_changed(const struct sim_vcpu *vc)
{
	const struct hv_mem *mem = &vc->v->domain->mem;

	if (mem->nr_regions != vc->nr_mapped)
		return true;
	for (unsigned i = 0; i < mem->nr_regions; i++)
		if (!same_region(&mem->region[i], &vc->mapped[i]))
			return true;
	return false;
}

/* The engine keeps a region of guest RAM as one block, and changing the
 * protection of one page (the guest's mem_access and grant mappings do)
 * splits that block: it is unmapped and mapped again in pieces, and every
 * page of it leaves the engine's TLB one by one. Mapped in pieces of 2 MiB
 * (more for a large region) from the start, a change costs a piece, not
 * all of RAM (it took half of an arm64 run's CPU time with 128 MiB as one
 * block). */
#define MAP_CHUNK (2ull << 20)
/* The engine holds at most about a thousand sections in all (an assert
 * in it, not an error): a large region gets at most this many pieces. */
#define MAP_MAX_PIECES 64

static uc_err map_in_chunks(uc_engine *uc, const struct hv_mem_region *r)
{
	uint64_t chunk = MAP_CHUNK;

	while (r->size / chunk > MAP_MAX_PIECES)
		chunk *= 2;
	for (uint64_t off = 0; off < r->size; off += chunk) {
		uint64_t len = r->size - off < chunk ? r->size - off : chunk;
		uc_err err = uc_mem_map_ptr(uc, r->gpa + off, len, UC_PROT_ALL,
					    (unsigned char *)r->host + off);

		if (err != UC_ERR_OK)
			return err;
	}
	return UC_ERR_OK;
}

/* Make the engine's map follow the model's regions: drop what went away,
 * map what is new, each region's own host buffer. */
int sim_uc_sync_regions(struct sim_vcpu *vc)
{
	const struct hv_mem *mem = &vc->v->domain->mem;
	struct hv_mem_region keep[HV_MAX_REGIONS];
	unsigned nr_keep = 0;

	/* A region mapped anew allows all: the list of what is refused
	 * would no longer say what the engine does. */
	sim_vcpu_access_forget(vc);
	for (unsigned i = 0; i < vc->nr_mapped; i++) {
		bool still = false;

		for (unsigned j = 0; j < mem->nr_regions; j++)
			still |= same_region(&vc->mapped[i], &mem->region[j]);
		if (still)
			keep[nr_keep++] = vc->mapped[i];
		else
			uc_mem_unmap(vc->uc, vc->mapped[i].gpa, vc->mapped[i].size);
	}
	for (unsigned j = 0; j < mem->nr_regions; j++) {
		const struct hv_mem_region *r = &mem->region[j];
		bool have = false;
		uc_err err;

		for (unsigned i = 0; i < nr_keep; i++)
			have |= same_region(&keep[i], r);
		if (have)
			continue;
		err = map_in_chunks(vc->uc, r);
		if (err != UC_ERR_OK) {
			sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot map %s at "
				 "0x%llx into the emulator: %s", r->name,
				 (unsigned long long)r->gpa, uc_strerror(err));
			return -1;
		}
	}
	memcpy(vc->mapped, mem->region, sizeof(vc->mapped));
	vc->nr_mapped = mem->nr_regions;
	return 0;
}

bool sim_uc_on_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			int size, int64_t value, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	vc->bad.addr = addr;
	vc->bad.size = size;
	vc->bad.value = value;
	vc->bad.write = type == UC_MEM_WRITE_UNMAPPED ||
			type == UC_MEM_WRITE_PROT;
	vc->bad.fetch = type == UC_MEM_FETCH_UNMAPPED ||
			type == UC_MEM_FETCH_PROT;
	return false;   /* the engine stops with an error */
}

/* ---- the GIC's MMIO frames ---- */

/* After a GIC register write, from inside a block. A line it raised with
 * IRQs unmasked is seen when the CPU next leaves translated code, and a
 * loop of blocks the engine has chained together never does. Its chains
 * never leave one page (two, for a Thumb block that starts across the
 * end of one), and the engine's PC is in it: dropping the translations
 * there sends the CPU out at the end of this block, where it takes the
 * interrupt. The code itself runs on; the page is translated again. One
 * case stays out of reach: the engine never unlinks a block from itself,
 * so a loop that is a single block, with no trap in it, takes the
 * interrupt only once it ends. No other hook could stop there without
 * a cost on every block. */
static void gic_written(struct sim_vcpu *vc)
{
	bool was = vc->line;
	uint64_t page;

	sim_vcpu_sync_line(vc);
	if (was || !vc->line || vc->arch->irq_masked(vc))
		return;
	page = vc->arch->pc(vc) & ~(uint64_t)(SIM_CHAIN_PAGE - 1);
	uc_ctl_remove_cache(vc->uc, page, page + 2 * SIM_CHAIN_PAGE);
}

static uint64_t gicd_read(uc_engine *uc, uint64_t off, unsigned size, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t val;

	(void)uc;
	if (vc->locating)
		return 0;
	val = sim_gic_dist_read(&vc->gic, off, size);
	sim_vcpu_sync_line(vc);
	return val;
}

static void gicd_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t val, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	if (vc->locating)
		return;
	sim_gic_dist_write(&vc->gic, off, size, val);
	gic_written(vc);
}

static uint64_t gicc_read(uc_engine *uc, uint64_t off, unsigned size, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t val;

	(void)uc;
	if (vc->locating)
		return 0;
	val = sim_gic_cpu_read(&vc->gic, off, size);
	sim_vcpu_sync_line(vc);
	return val;
}

static void gicc_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t val, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	if (vc->locating)
		return;
	sim_gic_cpu_write(&vc->gic, off, size, val);
	gic_written(vc);
}

static uint64_t gicr_read(uc_engine *uc, uint64_t off, unsigned size, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	uint64_t val;

	(void)uc;
	if (vc->locating)
		return 0;
	val = sim_gic_rdist_read(&vc->gic, off, size);
	sim_vcpu_sync_line(vc);
	return val;
}

static void gicr_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t val, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	if (vc->locating)
		return;
	sim_gic_rdist_write(&vc->gic, off, size, val);
	gic_written(vc);
}

/* The GIC's frames where the machine's layout puts them (the tree the
 * guest reads says the same). */
int sim_uc_map_gic(struct sim_vcpu *vc)
{
	const struct hv_layout *l = vc->sim->machine->layout;
	uc_engine *uc = vc->uc;
	uc_err err;

	if (vc->gic.version == HV_GIC_V3) {
		err = uc_mmio_map(uc, l->gicv3_dist.base, SIM_GICV3_DIST_SIZE,
				  gicd_read, vc, gicd_write, vc);
		if (err == UC_ERR_OK)
			err = uc_mmio_map(uc, l->gicv3_redist.base,
					  vc->gic.nr_cpus * SIM_GICV3_RDIST_STRIDE,
					  gicr_read, vc, gicr_write, vc);
	} else {
		err = uc_mmio_map(uc, l->gicv2_dist.base, SIM_GICV2_DIST_SIZE,
				  gicd_read, vc, gicd_write, vc);
		if (err == UC_ERR_OK)
			err = uc_mmio_map(uc, l->gicv2_cpu.base, SIM_GICV2_CPU_SIZE,
					  gicc_read, vc, gicc_write, vc);
	}
	if (err != UC_ERR_OK) {
		sim_fail(vc->sim, SIM_SETUP_ERROR, "cannot map the GIC: %s",
			 uc_strerror(err));
		return -1;
	}
	return 0;
}
