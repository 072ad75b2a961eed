/* SPDX-License-Identifier: BSD-2-Clause */
/* An engine's exclusive monitor, cleared from the host
 * (sim/unicorn_monitor.c). */
#ifndef SIM_UNICORN_MONITOR_H
#define SIM_UNICORN_MONITOR_H

#include <stdbool.h>
#include <unicorn/unicorn.h>

/* Whether this Unicorn lets the host clear an arm64 (or arm32) engine's
 * monitor (found out once per process). */
bool sim_uc_monitor_clearable(bool arm64);

/* Clear uc's monitor, as CLREX would: its next STXR/STREX fails unless
 * an LDXR/LDREX comes first. False when it cannot be done. */
bool sim_uc_monitor_clear(uc_engine *uc, bool arm64);

#endif
