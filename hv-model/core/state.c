/* SPDX-License-Identifier: BSD-2-Clause */
/* See hv/state.h: the machine's and each domain's ranges. */
#include <stdint.h>

#include "hv/domain.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/p2m.h"
#include "hv/state.h"
#include "hv/vcpu.h"

void hv_domain_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx)
{
	fn(ctx, d, sizeof(*d));
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i].state)
			fn(ctx, d->vcpu[i].state, sizeof(*d->vcpu[i].state));
	/* Until mapped, shared_info is the model's page; then guest memory. */
	if (d->shared_info && d->shared_info_gpfn == UINT64_MAX)
		fn(ctx, d->shared_info, HV_PAGE_SIZE);
	if (d->alias)
		fn(ctx, d->alias, d->nr_alias * sizeof(*d->alias));
	hv_evtchn_state_ranges(d, fn, ctx);
	hv_gnttab_state_ranges(d, fn, ctx);
	hv_grant_attr_state_ranges(d, fn, ctx);
}

void hv_machine_state_ranges(struct hv_machine *m, hv_state_range_fn *fn,
			     void *ctx)
{
	fn(ctx, m, sizeof(*m));
	if (m->conring)
		fn(ctx, m->conring, HV_CONRING_SIZE);
	for (unsigned id = 0; id < HV_MAX_DOMAINS; id++)
		if (m->domain[id])
			hv_domain_state_ranges(m->domain[id], fn, ctx);
}
