/* SPDX-License-Identifier: BSD-2-Clause */
/* What the Unicorn runtime's own files share: unicorn.c (the run loop,
 * setup, the interrupt line), unicorn_mem.c (the engine's memory map and
 * the GIC's frames) and unicorn_traps.c (hvc, exceptions, engine errors).
 * Nothing outside the runtime calls these. */
#ifndef SIM_UNICORN_INTERNAL_H
#define SIM_UNICORN_INTERNAL_H

#include "vcpu.h"

/* Stop the engine, keeping the weightiest reason of those given. */
void sim_uc_stop(struct sim_vcpu *vc, enum sim_vcpu_stop why);
/* A trap into the model: SIM_EXIT_COST instructions of the budget. */
void sim_uc_charge_exit(struct sim_vcpu *vc);

/* Whether the model's regions differ from those mapped in the engine, and
 * make the engine's map follow them (0, or -1 with the run failed). */
bool sim_uc_regions_changed(const struct sim_vcpu *vc);
int sim_uc_sync_regions(struct sim_vcpu *vc);
/* UC_HOOK_MEM_INVALID: record the access in vc->bad; the engine stops. */
bool sim_uc_on_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			int size, int64_t value, void *ctx);
/* The GIC's frames where the machine's layout puts them. */
int sim_uc_map_gic(struct sim_vcpu *vc);

/* UC_HOOK_INTR and UC_HOOK_INSN_INVALID. */
void sim_uc_on_intr(uc_engine *uc, uint32_t intno, void *ctx);
bool sim_uc_on_invalid(uc_engine *uc, void *ctx);
/* The engine returned err: report it as the guest's fault. */
void sim_uc_engine_error(struct sim_vcpu *vc, uc_err err);

#endif
