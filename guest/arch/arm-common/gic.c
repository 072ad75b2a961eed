/* SPDX-License-Identifier: BSD-2-Clause */
/* A small GIC driver for the per-CPU interrupts the guest takes (Xen's
 * event-channel PPI, the virtual timer): GICv2 through the distributor and
 * CPU interface MMIO, GICv3 through the distributor, this CPU's
 * redistributor and the ICC system registers. Bases come from the device
 * tree; register values read back are used only through their documented
 * fields, and every wait on the GIC is bounded. */
#include <stdbool.h>

#include "cpu.h"
#include "gic.h"

/* Distributor (both versions). */
#define GICD_CTLR        0x0000
#define GICD_ISENABLER   0x0100
#define GICD_IPRIORITYR  0x0400
#define GICD_CTLR_RWP    (1u << 31)
#define GICD_V2_ENABLE   1u
/* GICv3, non-secure view: EnableGrp1, EnableGrp1A, ARE_NS. */
#define GICD_V3_ENABLE   ((1u << 0) | (1u << 1) | (1u << 4))

/* GICv2 CPU interface. */
#define GICC_CTLR        0x0000
#define GICC_PMR         0x0004
#define GICC_IAR         0x000c
#define GICC_EOIR        0x0010

/* GICv3 redistributor: RD_base frame, then the SGI/PPI frame 64 KiB on. */
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_SGI_FRAME   0x10000
#define GICR_IGROUPR0    (GICR_SGI_FRAME + 0x0080)
#define GICR_ISENABLER0  (GICR_SGI_FRAME + 0x0100)
#define GICR_IPRIORITYR  (GICR_SGI_FRAME + 0x0400)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST  (1u << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_FRAME_V3    0x20000
#define GICR_FRAME_V4    0x40000

#define PRIO_PPI         0xa0u
#define PRIO_MASK_ALL    0xf0u
#define INTID_SPURIOUS   1020u
#define POLL_LIMIT       1000000u

static struct {
	unsigned version;
	uintptr_t dist;
	uintptr_t cpu;       /* v2 CPU interface */
	uintptr_t rd;        /* v3: this CPU's RD_base */
} gic;

/* A device address as a pointer-sized value; fails above 4 GiB on arm32. */
static int to_addr(paddr_t pa, uintptr_t *out)
{
	*out = (uintptr_t)pa;
	return pa != 0 && (paddr_t)*out == pa ? 0 : -1;
}

static bool wait_clear(uintptr_t reg, uint32_t bits)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++) {
		if ((mmio_read32(reg) & bits) == 0)
			return true;
	}
	return false;
}

/* Priority registers hold one byte per INTID; write the word around it. */
static void set_priority(uintptr_t prio_base, unsigned intid, uint32_t prio)
{
	uintptr_t reg = prio_base + (intid & ~3u);
	unsigned shift = (intid & 3u) * 8;
	uint32_t v = mmio_read32(reg);

	v = (v & ~(0xffu << shift)) | prio << shift;
	mmio_write32(reg, v);
}

static int init_v2(const struct dt_info *dt, const char **why)
{
	if (to_addr(dt->gic_cpu_base, &gic.cpu)) {
		*why = "GICv2 CPU interface base is not addressable";
		return -1;
	}
	mmio_write32(gic.dist + GICD_CTLR, GICD_V2_ENABLE);
	mmio_write32(gic.cpu + GICC_PMR, PRIO_MASK_ALL);
	mmio_write32(gic.cpu + GICC_CTLR, 1);
	return 0;
}

/* Walk the redistributor region for the frame whose affinity is ours. */
static int find_redistributor(const struct dt_info *dt, const char **why)
{
	uintptr_t base, off = 0;
	uint32_t aff = cpu_affinity();

	if (to_addr(dt->gic_redist_base, &base)) {
		*why = "GICv3 redistributor base is not addressable";
		return -1;
	}
	while (off + GICR_FRAME_V3 <= dt->gic_redist_size) {
		uint32_t typer_lo = mmio_read32(base + off + GICR_TYPER);
		uint32_t typer_aff = mmio_read32(base + off + GICR_TYPER + 4);

		if (typer_aff == aff) {
			gic.rd = base + off;
			return 0;
		}
		if (typer_lo & GICR_TYPER_LAST)
			break;
		off += typer_lo & GICR_TYPER_VLPIS ? GICR_FRAME_V4 : GICR_FRAME_V3;
	}
	*why = "no GICv3 redistributor for this CPU";
	return -1;
}

static int init_v3(const struct dt_info *dt, const char **why)
{
	if (find_redistributor(dt, why))
		return -1;
	mmio_write32(gic.rd + GICR_WAKER,
		     mmio_read32(gic.rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(gic.rd + GICR_WAKER, GICR_WAKER_ASLEEP)) {
		*why = "GICv3 redistributor does not wake up";
		return -1;
	}
	mmio_write32(gic.dist + GICD_CTLR, GICD_V3_ENABLE);
	if (!wait_clear(gic.dist + GICD_CTLR, GICD_CTLR_RWP)) {
		*why = "GICv3 distributor stays busy";
		return -1;
	}
	if (!cpu_icc_enable_sre()) {
		*why = "GICv3 system register interface cannot be enabled";
		return -1;
	}
	cpu_icc_write_pmr(PRIO_MASK_ALL);
	cpu_icc_write_igrpen1(1);
	return 0;
}

int gic_init(const struct dt_info *dt, const char **why)
{
	int rc;

	gic.version = 0;
	if (to_addr(dt->gic_dist_base, &gic.dist)) {
		*why = "no usable GIC distributor in the device tree";
		return -1;
	}
	if (dt->gic_version == 2) {
		rc = init_v2(dt, why);
	} else if (dt->gic_version == 3) {
		rc = init_v3(dt, why);
	} else {
		*why = "interrupt controller is neither GICv2 nor GICv3";
		return -1;
	}
	if (rc == 0)
		gic.version = dt->gic_version;
	return rc;
}

/* Priority, group 1 (v3), then enable: PPIs live in the distributor's
 * banked registers on v2 and in the redistributor's SGI frame on v3. */
int gic_enable_ppi(unsigned intid)
{
	uint32_t bit = 1u << intid;

	if (intid < 16 || intid > 31 || gic.version == 0)
		return -1;
	if (gic.version == 3) {
		mmio_write32(gic.rd + GICR_IGROUPR0,
			     mmio_read32(gic.rd + GICR_IGROUPR0) | bit);
		set_priority(gic.rd + GICR_IPRIORITYR, intid, PRIO_PPI);
		mmio_write32(gic.rd + GICR_ISENABLER0, bit);
	} else {
		set_priority(gic.dist + GICD_IPRIORITYR, intid, PRIO_PPI);
		mmio_write32(gic.dist + GICD_ISENABLER, bit);
	}
	return 0;
}

uint32_t gic_ack(unsigned *intid)
{
	uint32_t token;

	if (gic.version == 3) {
		token = cpu_icc_read_iar1();
		*intid = token & 0xffffffu;
	} else if (gic.version == 2) {
		token = mmio_read32(gic.cpu + GICC_IAR);
		*intid = token & 0x3ffu;
	} else {
		token = INTID_SPURIOUS;
		*intid = INTID_SPURIOUS;
	}
	return token;
}

void gic_eoi(uint32_t token)
{
	if (gic.version == 3)
		cpu_icc_write_eoir1(token);
	else if (gic.version == 2)
		mmio_write32(gic.cpu + GICC_EOIR, token);
}

int gic_spurious(unsigned intid)
{
	return intid >= INTID_SPURIOUS && intid <= 1023;
}
