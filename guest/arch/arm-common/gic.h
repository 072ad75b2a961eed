/* SPDX-License-Identifier: BSD-2-Clause */
/* The GIC driver's interface to the rest of the ARM port. */
#ifndef ARM_COMMON_GIC_H
#define ARM_COMMON_GIC_H

#include <stdint.h>

#include "gxen/dt.h"

/* Bring up the distributor and this CPU's interface (and redistributor
 * on GICv3). 0, or -1 with *why set. */
int gic_init(const struct dt_info *dt, const char **why);

/* Enable a PPI (INTID 16-31) on this CPU; 0, or -1 when it is no PPI. */
int gic_enable_ppi(unsigned intid);

/* Acknowledge the highest-priority pending interrupt: its INTID in *intid;
 * the token to hand back to gic_eoi(). */
uint32_t gic_ack(unsigned *intid);
void gic_eoi(uint32_t token);

/* Whether intid is the "no interrupt pending" answer (1020-1023). */
int gic_spurious(unsigned intid);

#endif
