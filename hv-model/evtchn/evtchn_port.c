/* SPDX-License-Identifier: BSD-2-Clause */
/* The port table of a domain: records allocated in groups of 64 as Xen
 * does (so a free port inside a group is "valid"), port 0 reserved, the
 * lowest free port handed out first, and the upcall of a vCPU. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "evtchn_internal.h"
#include "hv/events.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

/* Xen's max_evtchn_port: a domU built by the toolstack (or dom0less) gets
 * 1023, the hardware domain no limit. */
#define DOMU_MAX_EVTCHN_PORT 1023u

struct hv_evtchn *hv_evtchn_from_port(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn_domain *ed = d->evtchn;

	return port < ed->nr_valid ? &ed->chn[port] : NULL;
}

unsigned hv_evtchn_abi_max_ports(const struct hv_domain *d)
{
	return d->evtchn->fifo ? EVTCHN_FIFO_NR_CHANNELS : EVTCHN_2L_NR_CHANNELS;
}

/* Make records exist up to and including port. */
static int grow_to(struct hv_evtchn_domain *ed, evtchn_port_t port)
{
	unsigned nr = (port / EVTCHN_GROUP + 1) * EVTCHN_GROUP;
	struct hv_evtchn *chn;

	chn = realloc(ed->chn, nr * sizeof(*chn));
	if (!chn)
		return -XEN_ENOMEM;
	memset(chn + ed->nr_valid, 0, (nr - ed->nr_valid) * sizeof(*chn));
	for (unsigned p = ed->nr_valid; p < nr; p++)
		chn[p].port = p;
	ed->chn = chn;
	ed->nr_valid = nr;
	return 0;
}

/* Xen's evtchn_allocate_port: -ENOSPC past the limits, -EBUSY when taken
 * (or still linked on a FIFO queue). */
static int allocate_port(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn_domain *ed = d->evtchn;
	struct hv_evtchn *chn;

	if (port > ed->max_port || port >= hv_evtchn_abi_max_ports(d))
		return -XEN_ENOSPC;
	chn = hv_evtchn_from_port(d, port);
	if (!chn)
		return grow_to(ed, port);
	if (chn->state != ECS_FREE ||
	    (ed->abi->is_busy && ed->abi->is_busy(d, chn)))
		return -XEN_EBUSY;
	return 0;
}

int hv_evtchn_get_free_port(struct hv_domain *d)
{
	for (evtchn_port_t port = 0; port <= d->evtchn->max_port; port++) {
		int rc = allocate_port(d, port);

		if (rc == 0)
			return (int)port;
		if (rc != -XEN_EBUSY)
			return rc;
	}
	return -XEN_ENOSPC;
}

void hv_evtchn_free(struct hv_domain *d, struct hv_evtchn *chn)
{
	/* A port bound again later must not start out pending. */
	if (evtchn_usable(chn))
		d->evtchn->abi->clear_pending(d, chn);
	chn->state = ECS_FREE;
	chn->notify_vcpu = 0;
	chn->consumer = NULL;
	chn->consumer_ctx = NULL;
}

int hv_evtchn_domain_init(struct hv_domain *d)
{
	struct hv_evtchn_domain *ed = calloc(1, sizeof(*ed));
	int port;

	if (!ed)
		return -XEN_ENOMEM;
	ed->abi = &hv_evtchn_abi_2l;
	ed->max_port = d->privileged ? INT_MAX : DOMU_MAX_EVTCHN_PORT;
	d->evtchn = ed;
	port = hv_evtchn_get_free_port(d);
	if (port != 0) {
		hv_evtchn_domain_destroy(d);
		return port < 0 ? port : -XEN_EINVAL;
	}
	ed->chn[0].state = ECS_RESERVED;
	return 0;
}

void hv_evtchn_domain_destroy(struct hv_domain *d)
{
	struct hv_evtchn_domain *ed = d->evtchn;

	if (!ed)
		return;
	/* Close everything, so peers see their ports unbound again. */
	for (unsigned port = ed->nr_valid; port-- > 1;)
		hv_evtchn_op_close(d, port, false);
	hv_evtchn_fifo_destroy(d);
	free(ed->chn);
	free(ed);
	d->evtchn = NULL;
}

void hv_evtchn_mark_upcall(struct hv_vcpu *v)
{
	struct vcpu_info *vi = hv_vcpu_info(v);

	/* The line is level: raising it twice changes nothing. */
	if (!__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
		HV_EVENT(v->domain->machine, .kind = HV_EV_UPCALL,
			 .domid = v->domain->domid, .vcpu = (uint16_t)v->id);
}

bool hv_evtchn_upcall_pending(struct hv_vcpu *v)
{
	struct vcpu_info *vi = hv_vcpu_info(v);

	return __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

void hv_evtchn_raise(struct hv_domain *d, unsigned vcpu_id,
			struct hv_evtchn *chn)
{
	if (evtchn_usable(chn) && vcpu_id < d->nr_vcpus)
		d->evtchn->abi->set_pending(&d->vcpu[vcpu_id], chn);
}

void hv_evtchn_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
			    void *ctx)
{
	struct hv_evtchn_domain *ed = d->evtchn;

	if (!ed)
		return;
	fn(ctx, ed, sizeof(*ed));
	if (ed->chn)
		fn(ctx, ed->chn, ed->nr_valid * sizeof(*ed->chn));
	hv_evtchn_fifo_state_ranges(d, fn, ctx);
}
