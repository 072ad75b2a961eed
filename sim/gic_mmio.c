/* SPDX-License-Identifier: BSD-2-Clause */
/* The GIC's memory-mapped register maps: the GICv2 and GICv3 distributors,
 * the GICv2 CPU interface and the GICv3 redistributor frames. Offset, size
 * and value all come from the guest: an access that matches no register, or
 * has a width the register does not take, reads as zero and writes nothing. */
#include "gic.h"

#define IIDR_ARM        0x43bu            /* implementer: ARM */
#define GICC_IIDR_V2    (2u << 16 | IIDR_ARM)
#define GICD_PIDR2_V2   0x20u             /* ArchRev 2 */
#define GICV3_PIDR2     0x30u             /* ArchRev 3 */
#define GICD_CTLR_ARE   (1u << 4)         /* affinity routing, always on */
#define GICR_SGI_BASE   0x10000u
#define WAKER_SLEEP     (1u << 1)         /* ProcessorSleep */
#define WAKER_ASLEEP    (1u << 2)         /* ChildrenAsleep */

/* Per-INTID register blocks, at the same offsets in the distributor and in
 * a redistributor's SGI frame. */
enum {
	REG_IGROUPR = 0x080, REG_ISENABLER = 0x100, REG_ICENABLER = 0x180,
	REG_ISPENDR = 0x200, REG_ICPENDR = 0x280, REG_ISACTIVER = 0x300,
	REG_ICACTIVER = 0x380, REG_IPRIORITYR = 0x400, REG_ITARGETSR = 0x800,
	REG_ICFGR = 0xc00, REG_BANK_END = 0xd00,
};

/* Which INTIDs a frame owns: all of them in a GICv2 distributor, the SPIs
 * in a GICv3 distributor, SGIs and PPIs in the redistributor. */
struct window {
	unsigned lo, hi;
};

/* The bits of a 32-INTID register word starting at first that the window
 * owns. */
static uint32_t owned_bits(struct window w, unsigned first)
{
	uint32_t bits = 0;

	for (unsigned i = 0; i < 32; i++)
		if (first + i >= w.lo && first + i < w.hi)
			bits |= 1u << i;
	return bits;
}

static uint32_t get_bits(uint64_t map, unsigned first, uint32_t owned)
{
	return first < SIM_GIC_NR_IRQS ? (uint32_t)(map >> first) & owned : 0;
}

static uint64_t to_map(uint32_t bits, unsigned first)
{
	return first < SIM_GIC_NR_IRQS ? (uint64_t)bits << first : 0;
}

static uint32_t bitmap_read(struct sim_gic *g, unsigned reg, unsigned first,
			    uint32_t owned)
{
	switch (reg) {
	case REG_IGROUPR:
		return get_bits(g->group, first, owned);
	case REG_ISENABLER:
	case REG_ICENABLER:
		return get_bits(g->enabled, first, owned);
	case REG_ISPENDR:
	case REG_ICPENDR:
		return get_bits(g->latched | (g->lines ? g->lines(g->lines_ctx) : 0),
				first, owned);
	default:
		return get_bits(g->active, first, owned);
	}
}

static void bitmap_write(struct sim_gic *g, unsigned reg, unsigned first,
			 uint32_t bits, uint32_t owned)
{
	uint64_t m = to_map(bits & owned, first);

	switch (reg) {
	case REG_IGROUPR:
		g->group = (g->group & ~to_map(owned, first)) | m;
		break;
	case REG_ISENABLER:
		g->enabled |= m;
		break;
	case REG_ICENABLER:
		g->enabled &= ~m;
		break;
	case REG_ISPENDR:
		g->latched |= m;
		break;
	case REG_ICPENDR:
		g->latched &= ~m;
		break;
	case REG_ISACTIVER:
		g->active |= m;
		break;
	default:
		g->active &= ~m;
		g->dropped &= ~m;
		break;
	}
}

/* One byte per INTID: priorities and (v2) CPU targets. */
static uint8_t *byte_reg(struct sim_gic *g, uint64_t off, struct window w,
			 bool targets)
{
	unsigned id = (unsigned)(off & 0x3ff);

	if (id < w.lo || id >= w.hi || id >= SIM_GIC_NR_IRQS)
		return NULL;
	return targets ? &g->targets[id] : &g->priority[id];
}

static uint64_t bytes_read(struct sim_gic *g, uint64_t off, unsigned size,
			   struct window w, bool targets)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		uint8_t *b = byte_reg(g, off + i, w, targets);
		uint8_t byte = b ? *b : 0;

		/* SGIs and PPIs always target the reading CPU. */
		if (targets && (off + i) % 0x400 < 32)
			byte = 1;
		v |= (uint64_t)byte << (8 * i);
	}
	return v;
}

static void bytes_write(struct sim_gic *g, uint64_t off, unsigned size,
			uint64_t val, struct window w, bool targets)
{
	uint8_t mask = targets ? (uint8_t)((1u << g->nr_cpus) - 1)
			       : (uint8_t)SIM_GIC_PRIO_MASK;

	for (unsigned i = 0; i < size; i++) {
		uint8_t *b = byte_reg(g, off + i, w, targets);

		if (b && !(targets && (off + i) % 0x400 < 32))
			*b = (uint8_t)(val >> (8 * i)) & mask;
	}
}

/* ICFGR: two bits per INTID; SGIs are fixed edge-triggered. */
static uint32_t *icfgr_word(struct sim_gic *g, uint64_t off, struct window w)
{
	unsigned n = (unsigned)((off - REG_ICFGR) / 4);

	if (n >= SIM_GIC_NR_IRQS / 16 || 16 * n + 15 < w.lo || 16 * n >= w.hi)
		return NULL;
	return &g->icfgr[n];
}

/* An access inside the per-INTID blocks; false when off is outside them. */
static bool bank_access(struct sim_gic *g, uint64_t off, unsigned size,
			bool write, uint64_t *val, struct window w,
			bool has_targets)
{
	if (off < REG_IGROUPR || off >= REG_BANK_END)
		return false;
	if (off >= REG_IPRIORITYR && off < REG_ICFGR) {
		bool targets = off >= REG_ITARGETSR;

		if ((targets && !has_targets) || size > 4)
			return true;
		if (write)
			bytes_write(g, off, size, *val, w, targets);
		else
			*val = bytes_read(g, off, size, w, targets);
		return true;
	}
	if (size != 4 || off % 4)
		return true;
	if (off >= REG_ICFGR) {
		uint32_t *word = icfgr_word(g, off, w);

		if (!write)
			*val = word ? *word : 0;
		else if (word && off != REG_ICFGR)
			*word = (uint32_t)*val;
		return true;
	}
	{
		unsigned reg = (unsigned)off & ~0x7fu;
		unsigned first = (unsigned)(off - reg) * 8;
		uint32_t owned = owned_bits(w, first);

		if (write)
			bitmap_write(g, reg, first, (uint32_t)*val, owned);
		else
			*val = bitmap_read(g, reg, first, owned);
	}
	return true;
}

static struct window dist_window(const struct sim_gic *g)
{
	struct window w = { g->version == HV_GIC_V3 ? 32 : 0, SIM_GIC_NR_IRQS };

	return w;
}

/* GICv2 GICD_SPENDSGIR / GICD_CPENDSGIR: one byte per SGI, bit 0 for the
 * only source CPU. */
static uint64_t sgi_pending_read(struct sim_gic *g, uint64_t off)
{
	unsigned first = (unsigned)(off & 0xc);
	uint64_t v = 0;

	for (unsigned i = 0; i < 4; i++)
		if (g->latched & 1ull << (first + i))
			v |= 1ull << (8 * i);
	return v;
}

static void sgi_pending_write(struct sim_gic *g, uint64_t off, uint64_t val,
			      bool set)
{
	unsigned first = (unsigned)(off & 0xc);

	for (unsigned i = 0; i < 4; i++) {
		if (!(val >> (8 * i) & 1))
			continue;
		if (set)
			g->latched |= 1ull << (first + i);
		else
			g->latched &= ~(1ull << (first + i));
	}
}

/* GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], INTID [3:0]. */
static void sgir_write(struct sim_gic *g, uint32_t v)
{
	unsigned filter = (v >> 24) & 3;

	if (filter == 2 || (filter == 0 && (v >> 16) & 1))
		sim_gic_set_pending(g, v & 0xf);
}

static uint32_t dist_typer(const struct sim_gic *g)
{
	uint32_t it_lines = SIM_GIC_NR_IRQS / 32 - 1;

	if (g->version == HV_GIC_V3)
		return it_lines | 9u << 19;      /* IDbits: 10-bit INTIDs */
	return it_lines | (g->nr_cpus - 1) << 5;
}

uint64_t sim_gic_dist_read(struct sim_gic *g, uint64_t off, unsigned size)
{
	uint64_t v = 0;
	bool v3 = g->version == HV_GIC_V3;

	if (bank_access(g, off, size, false, &v, dist_window(g), !v3))
		return v;
	if (v3 && off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * SIM_GIC_NR_IRQS) {
		uint64_t r = g->irouter[(off - 0x6000) / 8];

		if (size == 8 && off % 8 == 0)
			return r;
		return size == 4 ? (uint32_t)(r >> (off % 8 * 8)) : 0;
	}
	if (size != 4)
		return 0;
	switch (off) {
	case 0x000:
		return v3 ? (g->dist_ctlr & 3) | GICD_CTLR_ARE : g->dist_ctlr & 1;
	case 0x004:
		return dist_typer(g);
	case 0x008:
		return IIDR_ARM;
	case 0xf10: case 0xf14: case 0xf18: case 0xf1c:
	case 0xf20: case 0xf24: case 0xf28: case 0xf2c:
		return v3 ? 0 : sgi_pending_read(g, off);
	case 0xfe8:
		return v3 ? 0 : GICD_PIDR2_V2;
	case 0xffe8:
		return v3 ? GICV3_PIDR2 : 0;
	default:
		return 0;
	}
}

void sim_gic_dist_write(struct sim_gic *g, uint64_t off, unsigned size,
			uint64_t val)
{
	bool v3 = g->version == HV_GIC_V3;

	if (bank_access(g, off, size, true, &val, dist_window(g), !v3))
		return;
	if (v3 && off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * SIM_GIC_NR_IRQS) {
		uint64_t *r = &g->irouter[(off - 0x6000) / 8];

		if (size == 8 && off % 8 == 0)
			*r = val;
		else if (size == 4)
			*r = off % 8 ? (*r & 0xffffffffu) | val << 32
				     : (*r & ~0xffffffffull) | (uint32_t)val;
		return;
	}
	if (size != 4)
		return;
	switch (off) {
	case 0x000:
		g->dist_ctlr = (uint32_t)val & (v3 ? 3 : 1);
		break;
	case 0xf00:
		if (!v3)
			sgir_write(g, (uint32_t)val);
		break;
	case 0xf10: case 0xf14: case 0xf18: case 0xf1c:
	case 0xf20: case 0xf24: case 0xf28: case 0xf2c:
		if (!v3)
			sgi_pending_write(g, off, val, off >= 0xf20);
		break;
	default:
		break;
	}
}

uint64_t sim_gic_cpu_read(struct sim_gic *g, uint64_t off, unsigned size)
{
	if (size != 4)
		return 0;
	switch (off) {
	case 0x00:
		return g->cpu_ctlr;
	case 0x04:
		return g->pmr;
	case 0x08:
	case 0x1c:
		return g->bpr;
	case 0x0c:
		return sim_gic_ack(g);       /* source CPU [12:10] is CPU 0 */
	case 0x14:
		return sim_gic_running_priority(g);
	case 0x18:
		return sim_gic_signalled(g);
	case 0x20:
	case 0x28:
		return SIM_GIC_SPURIOUS;     /* no group 0 */
	case 0xfc:
		return GICC_IIDR_V2;
	default:
		return 0;
	}
}

void sim_gic_cpu_write(struct sim_gic *g, uint64_t off, unsigned size,
		       uint64_t val)
{
	if (size != 4)
		return;
	switch (off) {
	case 0x00:   /* Enable and EOImodeNS */
		g->cpu_ctlr = (uint32_t)val & (1u << 0 | 1u << 9);
		break;
	case 0x04:
		g->pmr = (uint8_t)(val & SIM_GIC_PRIO_MASK);
		break;
	case 0x08:
	case 0x1c:
		g->bpr = (uint8_t)(val & 7);
		break;
	case 0x10:
		sim_gic_eoi(g, (uint32_t)val & 0x3ff);
		break;
	case 0x1000: /* GICC_DIR */
		sim_gic_deactivate(g, (uint32_t)val & 0x3ff);
		break;
	default:
		break;
	}
}

static uint64_t gicr_typer(const struct sim_gic *g, unsigned cpu)
{
	uint64_t last = cpu + 1 == g->nr_cpus ? 1u << 4 : 0;

	return (uint64_t)cpu << 32 | (uint64_t)cpu << 8 | last;
}

uint64_t sim_gic_rdist_read(struct sim_gic *g, uint64_t off, unsigned size)
{
	unsigned cpu = (unsigned)(off / SIM_GICV3_RDIST_STRIDE);
	uint64_t in = off % SIM_GICV3_RDIST_STRIDE, v = 0;
	struct window sgi_ppi = { 0, 32 };

	if (cpu >= g->nr_cpus)
		return 0;
	if (in >= GICR_SGI_BASE) {
		if (cpu == 0)
			bank_access(g, in - GICR_SGI_BASE, size, false, &v,
				    sgi_ppi, false);
		return v;
	}
	if (in == 0x8 && size == 8)
		return gicr_typer(g, cpu);
	if (size != 4)
		return 0;
	switch (in) {
	case 0x0004:
		return IIDR_ARM;
	case 0x0008:
		return (uint32_t)gicr_typer(g, cpu);
	case 0x000c:
		return (uint32_t)(gicr_typer(g, cpu) >> 32);
	case 0x0014:  /* GICR_WAKER: asleep exactly while told to sleep */
		return cpu == 0 && (g->waker & WAKER_SLEEP) ?
			       WAKER_SLEEP | WAKER_ASLEEP : 0;
	case 0xffe8:
		return GICV3_PIDR2;
	default:
		return 0;
	}
}

void sim_gic_rdist_write(struct sim_gic *g, uint64_t off, unsigned size,
			 uint64_t val)
{
	unsigned cpu = (unsigned)(off / SIM_GICV3_RDIST_STRIDE);
	uint64_t in = off % SIM_GICV3_RDIST_STRIDE;
	struct window sgi_ppi = { 0, 32 };

	if (cpu != 0)
		return;
	if (in >= GICR_SGI_BASE) {
		bank_access(g, in - GICR_SGI_BASE, size, true, &val, sgi_ppi,
			    false);
		return;
	}
	if (in == 0x0014 && size == 4)
		g->waker = (uint32_t)val & WAKER_SLEEP;
}
