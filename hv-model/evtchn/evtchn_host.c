/* SPDX-License-Identifier: BSD-2-Clause */
/* Event channels for the model's own code: backends and the toolstack act
 * for their domain (usually dom0) without a guest hypercall, consume ports
 * through callbacks, and the model raises VIRQs. Also inspection for tests
 * and the 'e' debug key. Port numbers here come from model code, but the
 * domains they name may be gone: every lookup is checked. */
#include <xen/errno.h>

#include "evtchn_internal.h"
#include "hv/machine.h"

int hv_evtchn_alloc_unbound_for(struct hv_domain *d, uint16_t remote_dom,
				evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = remote_dom };
	int rc = hv_evtchn_op_alloc_unbound(d, &a);

	if (rc == 0)
		*port = a.port;
	return rc;
}

int hv_evtchn_bind_interdomain_for(struct hv_domain *d, uint16_t remote_dom,
				   evtchn_port_t remote_port,
				   evtchn_port_t *local_port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote_dom,
					     .remote_port = remote_port };
	int rc = hv_evtchn_op_bind_interdomain(d, &b);

	if (rc == 0)
		*local_port = b.local_port;
	return rc;
}

int hv_evtchn_send_from(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

	/* Unlike a guest, the model may send through a port it consumes. */
	return chn ? hv_evtchn_deliver(d, chn) : -XEN_EINVAL;
}

int hv_evtchn_close_for(struct hv_domain *d, evtchn_port_t port)
{
	return hv_evtchn_op_close(d, port, false);
}

int hv_evtchn_status_for(struct hv_domain *d, struct evtchn_status *st)
{
	return hv_evtchn_op_status(d, st);
}

int hv_evtchn_set_consumer(struct hv_domain *d, evtchn_port_t port,
			   hv_evtchn_notify_fn *fn, void *ctx)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

	if (!chn || (chn->state != ECS_UNBOUND &&
		     chn->state != ECS_INTERDOMAIN))
		return -XEN_EINVAL;
	if (fn && !chn->consumer)
		/* Events now go to fn; drop what the bits still hold. */
		d->evtchn->abi->clear_pending(d, chn);
	chn->consumer = fn;
	chn->consumer_ctx = fn ? ctx : NULL;
	return 0;
}

void hv_evtchn_send_virq(struct hv_vcpu *v, unsigned virq)
{
	struct hv_domain *d = v->domain;
	struct hv_evtchn *chn;
	evtchn_port_t port;

	if (virq >= NR_VIRQS || !d->evtchn)
		return;
	port = d->evtchn->virq_port[v->id][virq];
	chn = port ? hv_evtchn_from_port(d, port) : NULL;
	if (chn)
		hv_evtchn_raise(d, v->id, chn);
}

void hv_evtchn_send_global_virq(struct hv_domain *d, unsigned virq)
{
	struct hv_evtchn *chn;
	evtchn_port_t port;

	if (virq >= NR_VIRQS || !d->evtchn)
		return;
	port = d->evtchn->virq_port[0][virq];
	chn = port ? hv_evtchn_from_port(d, port) : NULL;
	if (chn)
		hv_evtchn_raise(d, chn->notify_vcpu, chn);
}

bool hv_evtchn_is_pending(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

	return chn && evtchn_usable(chn) && d->evtchn->abi->is_pending(d, chn);
}

bool hv_evtchn_is_masked(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

	return !chn || !evtchn_usable(chn) || d->evtchn->abi->is_masked(d, chn);
}

unsigned hv_evtchn_active_ports(struct hv_domain *d)
{
	unsigned n = 0;

	for (evtchn_port_t p = 1; p < d->evtchn->nr_valid; p++)
		n += d->evtchn->chn[p].state != ECS_FREE;
	return n;
}

void hv_evtchn_dump(struct hv_domain *d)
{
	static const char *const state_name[] = {
		"free", "reserved", "unbound", "interdomain", "pirq", "virq",
		"ipi",
	};
	struct hv_machine *m = d->machine;

	hv_printk(m, "Event channel information for domain %u (%s ABI):",
		  d->domid, d->evtchn->abi->name);
	for (evtchn_port_t p = 1; p < d->evtchn->nr_valid; p++) {
		const struct hv_evtchn *chn = &d->evtchn->chn[p];

		if (chn->state == ECS_FREE)
			continue;
		hv_printk(m, "    %4u [%d/%d] %s n=%u%s d=%u p=%u v=%u", p,
			  hv_evtchn_is_pending(d, p), hv_evtchn_is_masked(d, p),
			  state_name[chn->state], chn->notify_vcpu,
			  chn->consumer ? " model" : "",
			  chn->state == ECS_UNBOUND ? chn->u.unbound_remote :
			  chn->u.inter.dom,
			  chn->state == ECS_INTERDOMAIN ? chn->u.inter.port : 0,
			  chn->state == ECS_VIRQ ? chn->u.virq : 0);
	}
}
