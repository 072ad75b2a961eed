/* SPDX-License-Identifier: BSD-2-Clause */
/* Crash reports of emulated guests (sim/crash.c). */
#ifndef SIM_CRASH_H
#define SIM_CRASH_H

#include <stdbool.h>

struct sim_vcpu;

/* Whether vc's domain ended by a fault or SHUTDOWN_crash. */
bool sim_crash_due(const struct sim_vcpu *vc);
/* Print the report on stderr (and to --crash-report FILE); vc must still
 * hold the registers of the moment it stopped. */
void sim_crash_report(struct sim_vcpu *vc);

/* The run's recent hypercalls, events and ring operations, which a
 * report shows: a sink on the machine's events (hv/events.h), from
 * start (NULL without memory) to stop. */
struct hv_machine;
struct sim_history;
struct sim_history *sim_history_start(struct hv_machine *m);
void sim_history_stop(struct sim_history *h);

#endif
