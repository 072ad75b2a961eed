/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a machine keeps its mutable state, as byte ranges: for a process
 * that puts one machine back to the same point again and again (an
 * emulated fuzz target resets after every input) by copying them out once
 * and back each time. Guest memory is not among them (the runtime tracks
 * the pages written there); the model's own pages a guest sees (a
 * shared_info not mapped yet, grant-table frames the model allocated) are.
 * The ranges hold while no domain is created or destroyed and no table
 * grows: whoever restores checks that the same ranges come back. */
#ifndef HV_STATE_H
#define HV_STATE_H

#include <stddef.h>

struct hv_machine;
struct hv_domain;

typedef void hv_state_range_fn(void *ctx, void *p, size_t len);

/* Every range of m: the machine, its console ring, and each domain's. */
void hv_machine_state_ranges(struct hv_machine *m, hv_state_range_fn *fn,
			     void *ctx);
/* A domain's: itself, its vCPUs' state, aliases, event channels, grant
 * table and what its shared-memory warnings remember. */
void hv_domain_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx);
void hv_evtchn_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx);
void hv_gnttab_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx);
void hv_grant_attr_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
				void *ctx);

#endif
