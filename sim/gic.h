/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal interrupt controller for one guest CPU, matching what the guest
 * device tree advertises: GICv2 (distributor + memory-mapped CPU interface)
 * or GICv3 (distributor, redistributor, system-register CPU interface).
 * It holds interrupt state only; the vCPU decides when an interrupt is taken.
 * Offsets, sizes and values all come from the guest: unknown registers read
 * as zero and ignore writes, nothing indexes an array unchecked. */
#ifndef SIM_GIC_H
#define SIM_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/toolstack.h"

#define SIM_GIC_NR_IRQS   64     /* SGIs 0-15, PPIs 16-31, SPIs 32-63 */
#define SIM_GIC_SPURIOUS  1023u
#define SIM_GIC_PRIO_MASK 0xf8u  /* five priority bits, as Xen's vGIC */

/* MMIO windows the vCPU maps (bytes). */
#define SIM_GICV2_DIST_SIZE   0x1000u
#define SIM_GICV2_CPU_SIZE    0x2000u
#define SIM_GICV3_DIST_SIZE   0x10000u
#define SIM_GICV3_RDIST_STRIDE 0x20000u   /* RD_base + SGI_base per CPU */

/* Levels of the lines driven from outside the GIC (the event-channel PPI):
 * bit n set while INTID n is asserted. Called whenever the GIC decides. */
typedef uint64_t sim_gic_lines_fn(void *ctx);

struct sim_gic {
	enum hv_gic_version version;
	unsigned nr_cpus;            /* redistributor frames; CPU 0 runs */
	sim_gic_lines_fn *lines;
	void *lines_ctx;

	uint32_t dist_ctlr;          /* GICD_CTLR enable bits */
	uint32_t cpu_ctlr;           /* GICC_CTLR (v2) or ICC_CTLR_EL1 (v3) */
	bool grp1_enabled;           /* v3: ICC_IGRPEN1_EL1.Enable */
	bool grp0_enabled;           /* v3: ICC_IGRPEN0_EL1.Enable (no effect) */
	uint8_t pmr;
	uint8_t bpr;
	uint32_t waker;              /* GICR_WAKER.ProcessorSleep */

	uint64_t enabled;
	uint64_t latched;            /* pending state set by writes and SGIs */
	uint64_t active;
	uint64_t dropped;            /* active but priority already dropped */
	uint64_t group;
	uint8_t priority[SIM_GIC_NR_IRQS];
	uint8_t targets[SIM_GIC_NR_IRQS];  /* v2 ITARGETSR of SPIs */
	uint32_t icfgr[SIM_GIC_NR_IRQS / 16];
	uint64_t irouter[SIM_GIC_NR_IRQS]; /* v3 GICD_IROUTER of SPIs */
	uint64_t nr_acked;           /* acknowledges that returned an INTID */
};

void sim_gic_init(struct sim_gic *g, enum hv_gic_version version,
		  unsigned nr_cpus, sim_gic_lines_fn *lines, void *ctx);

/* The interrupt the CPU interface signals now (enabled, pending, not active,
 * above the priority mask and the running priority), or SIM_GIC_SPURIOUS.
 * It is what the CPU takes when its IRQ mask is clear, and what wakes wfi. */
unsigned sim_gic_signalled(const struct sim_gic *g);

/* Priority of the highest-priority active interrupt, 0xff when idle. */
unsigned sim_gic_running_priority(const struct sim_gic *g);

/* Acknowledge (IAR) and end (EOIR / DIR) interrupts. */
uint32_t sim_gic_ack(struct sim_gic *g);
void sim_gic_eoi(struct sim_gic *g, uint32_t intid);
void sim_gic_deactivate(struct sim_gic *g, uint32_t intid);

/* Make an interrupt pending, as a write to ISPENDR would (SGIs, tests). */
void sim_gic_set_pending(struct sim_gic *g, unsigned intid);

/* Memory-mapped registers. off is from the start of the frame; the frame
 * is SIM_GICV2_DIST_SIZE / SIM_GICV3_DIST_SIZE for the distributor,
 * SIM_GICV2_CPU_SIZE for the v2 CPU interface, and nr_cpus *
 * SIM_GICV3_RDIST_STRIDE for the v3 redistributors. */
uint64_t sim_gic_dist_read(struct sim_gic *g, uint64_t off, unsigned size);
void sim_gic_dist_write(struct sim_gic *g, uint64_t off, unsigned size,
			uint64_t val);
uint64_t sim_gic_cpu_read(struct sim_gic *g, uint64_t off, unsigned size);
void sim_gic_cpu_write(struct sim_gic *g, uint64_t off, unsigned size,
		       uint64_t val);
uint64_t sim_gic_rdist_read(struct sim_gic *g, uint64_t off, unsigned size);
void sim_gic_rdist_write(struct sim_gic *g, uint64_t off, unsigned size,
			 uint64_t val);

/* GICv3 CPU-interface system registers, named by their AArch64 encoding
 * (op0 = 3). AArch32 callers map MRC/MCR p15 and MCRR p15 onto the same
 * keys. 0 when the register exists (*val read or written), -1 when not. */
#define SIM_SYSREG(op1, crn, crm, op2) \
	((uint32_t)(op1) << 11 | (uint32_t)(crn) << 7 | (uint32_t)(crm) << 3 | \
	 (uint32_t)(op2))
#define SIM_ICC_SGI1R   SIM_SYSREG(0, 12, 11, 5)
#define SIM_ICC_ASGI1R  SIM_SYSREG(0, 12, 11, 6)
#define SIM_ICC_SGI0R   SIM_SYSREG(0, 12, 11, 7)

int sim_gic_sysreg(struct sim_gic *g, uint32_t key, bool write,
		   uint64_t *val);

#endif
