/* SPDX-License-Identifier: BSD-2-Clause */
/* The GIC's interrupt state machine for CPU 0 (pending, active, priority,
 * acknowledge, end of interrupt) and the GICv3 system-register CPU
 * interface. Values written by the guest are masked to their fields here;
 * an INTID from the guest is range-checked before it touches a bitmap. */
#include <string.h>

#include "gic.h"

#define IDLE_PRIORITY 0x100u   /* running priority with nothing active */

/* ICC_CTLR_EL1: PRIbits (five bits -> 4) in [10:8], EOImode in bit 1. */
#define ICC_CTLR_PRIBITS  (4u << 8)
#define ICC_CTLR_EOIMODE  (1u << 1)
/* GICC_CTLR: Enable in bit 0, EOImodeNS in bit 9. */
#define GICC_CTLR_ENABLE  (1u << 0)
#define GICC_CTLR_EOIMODE (1u << 9)
#define ICC_SRE_VALUE     0x7u     /* SRE, DFB, DIB: system registers on */

void sim_gic_init(struct sim_gic *g, enum hv_gic_version version,
		  unsigned nr_cpus, sim_gic_lines_fn *lines, void *ctx)
{
	memset(g, 0, sizeof(*g));
	g->version = version;
	g->nr_cpus = nr_cpus ? nr_cpus : 1;
	g->lines = lines;
	g->lines_ctx = ctx;
	g->waker = 1u << 1;          /* ProcessorSleep until the guest wakes */
	if (version == HV_GIC_V3)
		g->cpu_ctlr = ICC_CTLR_PRIBITS;
	/* Xen's vGIC: PPIs level-triggered, SGIs always edge. */
	g->icfgr[0] = 0xaaaaaaaau;
}

static uint64_t asserted(const struct sim_gic *g)
{
	return g->latched | (g->lines ? g->lines(g->lines_ctx) : 0);
}

static bool cpu_enabled(const struct sim_gic *g)
{
	if (g->version == HV_GIC_V3)
		return g->grp1_enabled;
	return g->cpu_ctlr & GICC_CTLR_ENABLE;
}

static bool eoimode(const struct sim_gic *g)
{
	if (g->version == HV_GIC_V3)
		return g->cpu_ctlr & ICC_CTLR_EOIMODE;
	return g->cpu_ctlr & GICC_CTLR_EOIMODE;
}

unsigned sim_gic_running_priority(const struct sim_gic *g)
{
	uint64_t running = g->active & ~g->dropped;
	unsigned prio = 0xff;

	for (unsigned i = 0; running; i++, running >>= 1)
		if ((running & 1) && g->priority[i] < prio)
			prio = g->priority[i];
	return prio;
}

/* The best candidate by priority (lowest value, then lowest INTID). */
static unsigned best_pending(const struct sim_gic *g, unsigned *prio)
{
	uint64_t cand = asserted(g) & g->enabled & ~g->active;
	unsigned best = SIM_GIC_SPURIOUS;

	*prio = IDLE_PRIORITY;
	for (unsigned i = 0; cand; i++, cand >>= 1)
		if ((cand & 1) && g->priority[i] < *prio) {
			*prio = g->priority[i];
			best = i;
		}
	return best;
}

/* Whether prio preempts what the CPU is handling (anything, when idle). */
static bool above_running(const struct sim_gic *g, unsigned prio)
{
	return !(g->active & ~g->dropped) || prio < sim_gic_running_priority(g);
}

unsigned sim_gic_signalled(const struct sim_gic *g)
{
	unsigned prio, id;

	if (!(g->dist_ctlr & 3) || !cpu_enabled(g))
		return SIM_GIC_SPURIOUS;
	id = best_pending(g, &prio);
	if (id == SIM_GIC_SPURIOUS || prio >= g->pmr ||
	    !above_running(g, prio))
		return SIM_GIC_SPURIOUS;
	return id;
}

uint32_t sim_gic_ack(struct sim_gic *g)
{
	unsigned id = sim_gic_signalled(g);

	if (id == SIM_GIC_SPURIOUS)
		return SIM_GIC_SPURIOUS;
	/* A level line stays asserted; being active keeps it from being
	 * signalled again until the guest ends it. */
	g->active |= 1ull << id;
	g->dropped &= ~(1ull << id);
	g->latched &= ~(1ull << id);
	g->nr_acked++;
	return id;
}

void sim_gic_deactivate(struct sim_gic *g, uint32_t intid)
{
	if (intid < SIM_GIC_NR_IRQS) {
		g->active &= ~(1ull << intid);
		g->dropped &= ~(1ull << intid);
	}
}

void sim_gic_eoi(struct sim_gic *g, uint32_t intid)
{
	if (intid >= SIM_GIC_NR_IRQS || !(g->active & 1ull << intid))
		return;
	if (eoimode(g))
		g->dropped |= 1ull << intid;    /* DIR deactivates later */
	else
		sim_gic_deactivate(g, intid);
}

void sim_gic_set_pending(struct sim_gic *g, unsigned intid)
{
	if (intid < SIM_GIC_NR_IRQS)
		g->latched |= 1ull << intid;
}

/* ICC_SGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24],
 * Aff2 [39:32], IRM [40], Aff3 [55:48]. Only CPU 0 (affinity 0.0.0.0)
 * exists to receive it. */
static void sgi1r_write(struct sim_gic *g, uint64_t v)
{
	uint64_t aff = v & (0xffull << 16 | 0xffull << 32 | 0xffull << 48);

	if (!(v & 1ull << 40) && aff == 0 && (v & 1))
		sim_gic_set_pending(g, (unsigned)(v >> 24) & 0xf);
}

/* The registers of ICC_* that the guest reads. */
static int icc_read(struct sim_gic *g, uint32_t key, uint64_t *val)
{
	switch (key) {
	case SIM_SYSREG(0, 4, 6, 0):     /* ICC_PMR_EL1 */
		*val = g->pmr;
		return 0;
	case SIM_SYSREG(0, 12, 12, 0):   /* ICC_IAR1_EL1 */
		*val = sim_gic_ack(g);
		return 0;
	case SIM_SYSREG(0, 12, 12, 2):   /* ICC_HPPIR1_EL1 */
		*val = sim_gic_signalled(g);
		return 0;
	case SIM_SYSREG(0, 12, 8, 0):    /* ICC_IAR0_EL1: no group 0 */
	case SIM_SYSREG(0, 12, 8, 2):    /* ICC_HPPIR0_EL1 */
		*val = SIM_GIC_SPURIOUS;
		return 0;
	case SIM_SYSREG(0, 12, 11, 3):   /* ICC_RPR_EL1 */
		*val = sim_gic_running_priority(g);
		return 0;
	case SIM_SYSREG(0, 12, 8, 3):    /* ICC_BPR0_EL1 */
	case SIM_SYSREG(0, 12, 12, 3):   /* ICC_BPR1_EL1 */
		*val = g->bpr;
		return 0;
	case SIM_SYSREG(0, 12, 12, 4):   /* ICC_CTLR_EL1 */
		*val = g->cpu_ctlr;
		return 0;
	case SIM_SYSREG(0, 12, 12, 5):   /* ICC_SRE_EL1 */
		*val = ICC_SRE_VALUE;
		return 0;
	case SIM_SYSREG(0, 12, 12, 6):   /* ICC_IGRPEN0_EL1 */
		*val = g->grp0_enabled;
		return 0;
	case SIM_SYSREG(0, 12, 12, 7):   /* ICC_IGRPEN1_EL1 */
		*val = g->grp1_enabled;
		return 0;
	default:
		return -1;
	}
}

static int icc_write(struct sim_gic *g, uint32_t key, uint64_t v)
{
	switch (key) {
	case SIM_SYSREG(0, 4, 6, 0):     /* ICC_PMR_EL1 */
		g->pmr = (uint8_t)(v & SIM_GIC_PRIO_MASK);
		return 0;
	case SIM_SYSREG(0, 12, 12, 1):   /* ICC_EOIR1_EL1 */
		sim_gic_eoi(g, (uint32_t)v & 0xffffff);
		return 0;
	case SIM_SYSREG(0, 12, 11, 1):   /* ICC_DIR_EL1 */
		sim_gic_deactivate(g, (uint32_t)v & 0xffffff);
		return 0;
	case SIM_ICC_SGI1R:
		sgi1r_write(g, v);
		return 0;
	case SIM_ICC_ASGI1R:             /* other security state: none */
	case SIM_ICC_SGI0R:              /* group 0: none */
	case SIM_SYSREG(0, 12, 8, 1):    /* ICC_EOIR0_EL1 */
		return 0;
	case SIM_SYSREG(0, 12, 8, 3):    /* ICC_BPR0_EL1 */
	case SIM_SYSREG(0, 12, 12, 3):   /* ICC_BPR1_EL1 */
		g->bpr = (uint8_t)(v & 7);
		return 0;
	case SIM_SYSREG(0, 12, 12, 4):   /* ICC_CTLR_EL1: only EOImode */
		g->cpu_ctlr = ICC_CTLR_PRIBITS | ((uint32_t)v & ICC_CTLR_EOIMODE);
		return 0;
	case SIM_SYSREG(0, 12, 12, 5):   /* ICC_SRE_EL1: fixed */
		return 0;
	case SIM_SYSREG(0, 12, 12, 6):   /* ICC_IGRPEN0_EL1 */
		g->grp0_enabled = v & 1;
		return 0;
	case SIM_SYSREG(0, 12, 12, 7):   /* ICC_IGRPEN1_EL1 */
		g->grp1_enabled = v & 1;
		return 0;
	default:
		return -1;
	}
}

int sim_gic_sysreg(struct sim_gic *g, uint32_t key, bool write, uint64_t *val)
{
	unsigned op1 = key >> 11, crn = (key >> 7) & 0xf, crm = (key >> 3) & 0xf;

	if (g->version != HV_GIC_V3)
		return -1;
	/* ICC_AP0R<n>_EL1 and ICC_AP1R<n>_EL1: no active-priority state the
	 * guest has to save, read as zero. */
	if (op1 == 0 && crn == 12 && (crm == 8 || crm == 9) &&
	    (crm == 9 || (key & 7) >= 4)) {
		if (!write)
			*val = 0;
		return 0;
	}
	return write ? icc_write(g, key, *val) : icc_read(g, key, val);
}
