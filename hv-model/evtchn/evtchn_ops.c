/* SPDX-License-Identifier: BSD-2-Clause */
/* The event-channel operations with Xen 4.17's checks, in Xen's order, so
 * every error a guest sees is the one Xen would return. The arguments are
 * the caller's local copies; port numbers and domids in them are hostile. */
#include <xen/errno.h>

#include "evtchn_internal.h"
#include "hv/events.h"
#include "hv/machine.h"

/* Xen's XSM_TARGET default: a domain acts on itself, dom0 on anyone. */
static bool may_target(const struct hv_domain *ld, const struct hv_domain *d)
{
	return ld == d || ld->privileged;
}

/* VIRQs delivered per vCPU; the rest belong to the domain (vCPU 0). On
 * ARM the arch VIRQs are global too. */
static bool virq_is_global(uint32_t virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

static void abi_init(struct hv_domain *d, struct hv_evtchn *chn)
{
	if (d->evtchn->abi->init)
		d->evtchn->abi->init(d, chn);
}

int hv_evtchn_op_alloc_unbound(struct hv_domain *ld,
			       struct evtchn_alloc_unbound *a)
{
	struct hv_domain *d = hv_domain_lookup(ld, a->dom);
	struct hv_evtchn *chn;
	int port;

	if (!d)
		return -XEN_ESRCH;
	port = hv_evtchn_get_free_port(d);
	if (port < 0)
		return port;
	if (!may_target(ld, d))
		return -XEN_EPERM;
	chn = hv_evtchn_from_port(d, (evtchn_port_t)port);
	chn->state = ECS_UNBOUND;
	/* DOMID_SELF names the caller, not the domain the port is in. */
	chn->u.unbound_remote = a->remote_dom == DOMID_SELF ? ld->domid :
							      a->remote_dom;
	abi_init(d, chn);
	a->port = (evtchn_port_t)port;
	return 0;
}

int hv_evtchn_op_bind_interdomain(struct hv_domain *ld,
			    struct evtchn_bind_interdomain *b)
{
	struct hv_domain *rd = hv_domain_lookup(ld, b->remote_dom);
	struct hv_evtchn *lchn, *rchn;
	int lport;

	if (!rd)
		return -XEN_ESRCH;
	lport = hv_evtchn_get_free_port(ld);
	if (lport < 0)
		return lport;
	/* Looked up after the allocation: it may have moved the records. */
	rchn = hv_evtchn_from_port(rd, b->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND ||
	    rchn->u.unbound_remote != ld->domid)
		return -XEN_EINVAL;
	lchn = hv_evtchn_from_port(ld, (evtchn_port_t)lport);
	lchn->state = ECS_INTERDOMAIN;
	lchn->u.inter.dom = rd->domid;
	lchn->u.inter.port = b->remote_port;
	abi_init(ld, lchn);
	rchn->state = ECS_INTERDOMAIN;
	rchn->u.inter.dom = ld->domid;
	rchn->u.inter.port = (evtchn_port_t)lport;
	/* Xen raises the new local port once: a notification sent to the
	 * unbound remote end before now would otherwise be lost. */
	hv_evtchn_raise(ld, lchn->notify_vcpu, lchn);
	b->local_port = (evtchn_port_t)lport;
	return 0;
}

int hv_evtchn_op_bind_virq(struct hv_domain *ld, struct evtchn_bind_virq *b)
{
	struct hv_evtchn *chn;
	int port;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -XEN_EINVAL;
	if (b->vcpu >= ld->nr_vcpus)
		return -XEN_ENOENT;
	if (ld->evtchn->virq_port[b->vcpu][b->virq])
		return -XEN_EEXIST;
	port = hv_evtchn_get_free_port(ld);
	if (port < 0)
		return port;
	chn = hv_evtchn_from_port(ld, (evtchn_port_t)port);
	chn->state = ECS_VIRQ;
	chn->notify_vcpu = (uint16_t)b->vcpu;
	chn->u.virq = b->virq;
	abi_init(ld, chn);
	b->port = (evtchn_port_t)port;
	ld->evtchn->virq_port[b->vcpu][b->virq] = (evtchn_port_t)port;
	return 0;
}

int hv_evtchn_op_bind_ipi(struct hv_domain *ld, struct evtchn_bind_ipi *b)
{
	struct hv_evtchn *chn;
	int port;

	if (b->vcpu >= ld->nr_vcpus)
		return -XEN_ENOENT;
	port = hv_evtchn_get_free_port(ld);
	if (port < 0)
		return port;
	chn = hv_evtchn_from_port(ld, (evtchn_port_t)port);
	chn->state = ECS_IPI;
	chn->notify_vcpu = (uint16_t)b->vcpu;
	abi_init(ld, chn);
	b->port = (evtchn_port_t)port;
	return 0;
}

/* The domain at the other end of chn (itself for a loopback, even while
 * it is being destroyed and no longer listed), or NULL. */
static struct hv_domain *peer_domain(struct hv_domain *d,
				     const struct hv_evtchn *chn)
{
	if (chn->u.inter.dom == d->domid)
		return d;
	return hv_domain_by_id(d->machine, chn->u.inter.dom);
}

/* The remote end of an interdomain port goes back to waiting for d1. */
static void unbind_remote(struct hv_domain *d1, struct hv_evtchn *chn1)
{
	struct hv_domain *d2 = peer_domain(d1, chn1);
	struct hv_evtchn *chn2 = d2 ? hv_evtchn_from_port(d2, chn1->u.inter.port) :
				      NULL;

	if (!chn2 || chn2->state != ECS_INTERDOMAIN ||
	    chn2->u.inter.dom != d1->domid) {
		hv_log(d1->machine, HV_LOG_ERR,
		       "d%u: port %u's peer d%u:%u is inconsistent", d1->domid,
		       chn1->port, chn1->u.inter.dom, chn1->u.inter.port);
		return;
	}
	chn2->state = ECS_UNBOUND;
	chn2->u.unbound_remote = d1->domid;
}

int hv_evtchn_op_close(struct hv_domain *d1, evtchn_port_t port, bool guest)
{
	struct hv_evtchn *chn1 = hv_evtchn_from_port(d1, port);
	uint32_t virq;
	unsigned vcpu;

	if (!chn1)
		return -XEN_EINVAL;
	/* A guest cannot close a port the model consumes. */
	if (chn1->consumer && guest)
		return -XEN_EINVAL;
	switch (chn1->state) {
	case ECS_UNBOUND:
	case ECS_IPI:
		break;
	case ECS_VIRQ:
		virq = chn1->u.virq;
		vcpu = virq_is_global(virq) ? 0 : chn1->notify_vcpu;
		d1->evtchn->virq_port[vcpu][virq] = 0;
		break;
	case ECS_INTERDOMAIN:
		unbind_remote(d1, chn1);
		break;
	default:
		return -XEN_EINVAL;
	}
	hv_evtchn_free(d1, chn1);
	return 0;
}

/* Tell the machine's event sinks who notified whom. */
static void trace_send(struct hv_domain *ld, const struct hv_evtchn *lchn)
{
	bool ipi = lchn->state == ECS_IPI;

	if (ipi || lchn->state == ECS_INTERDOMAIN)
		HV_EVENT(ld->machine, .kind = HV_EV_EVTCHN_SEND,
			 .domid = ld->domid, .vcpu = HV_EV_NO_VCPU,
			 .arg = { lchn->port,
				  ipi ? ld->domid : lchn->u.inter.dom,
				  ipi ? lchn->port : lchn->u.inter.port });
}

/* Notify the other end of lchn: the interdomain peer or, for an IPI,
 * the domain itself. -EINVAL for ports that cannot send. */
int hv_evtchn_deliver(struct hv_domain *ld, struct hv_evtchn *lchn)
{
	struct hv_evtchn *rchn;
	struct hv_domain *rd;

	trace_send(ld, lchn);
	switch (lchn->state) {
	case ECS_INTERDOMAIN:
		rd = peer_domain(ld, lchn);
		rchn = rd ? hv_evtchn_from_port(rd, lchn->u.inter.port) : NULL;
		if (!rchn)
			return 0;
		if (rchn->consumer) {
			rchn->consumer(rchn->consumer_ctx, rd, rchn->port);
			return 0;
		}
		hv_evtchn_raise(rd, rchn->notify_vcpu, rchn);
		return 0;
	case ECS_IPI:
		hv_evtchn_raise(ld, lchn->notify_vcpu, lchn);
		return 0;
	case ECS_UNBOUND:
		/* Nobody listens yet: Xen drops it silently. */
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

int hv_evtchn_op_send(struct hv_domain *ld, evtchn_port_t lport)
{
	struct hv_evtchn *lchn = hv_evtchn_from_port(ld, lport);

	/* A guest cannot send through a port the model consumes. */
	if (!lchn || lchn->consumer)
		return -XEN_EINVAL;
	return hv_evtchn_deliver(ld, lchn);
}

int hv_evtchn_op_status(struct hv_domain *ld, struct evtchn_status *st)
{
	struct hv_domain *d = hv_domain_lookup(ld, st->dom);
	struct hv_evtchn *chn;

	if (!d)
		return -XEN_ESRCH;
	chn = hv_evtchn_from_port(d, st->port);
	if (!chn)
		return -XEN_EINVAL;
	if (chn->consumer)
		return -XEN_EACCES;
	if (!may_target(ld, d))
		return -XEN_EPERM;
	switch (chn->state) {
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->u.unbound_remote;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->u.inter.dom;
		st->u.interdomain.port = chn->u.inter.port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->u.virq;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	default:
		st->status = EVTCHNSTAT_closed;
		break;
	}
	st->vcpu = chn->notify_vcpu;
	return 0;
}

int hv_evtchn_op_bind_vcpu(struct hv_domain *ld, evtchn_port_t port,
			   uint32_t vcpu)
{
	struct hv_evtchn *chn;

	if (vcpu >= ld->nr_vcpus)
		return -XEN_ENOENT;
	chn = hv_evtchn_from_port(ld, port);
	if (!chn || chn->consumer)
		return -XEN_EINVAL;
	switch (chn->state) {
	case ECS_VIRQ:
		if (!virq_is_global(chn->u.virq))
			return -XEN_EINVAL;
		break;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		break;
	default:
		return -XEN_EINVAL;
	}
	chn->notify_vcpu = (uint16_t)vcpu;
	return 0;
}

int hv_evtchn_op_unmask(struct hv_domain *ld, evtchn_port_t port)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(ld, port);

	if (!chn)
		return -XEN_EINVAL;
	if (evtchn_usable(chn))
		ld->evtchn->abi->unmask(ld, chn);
	return 0;
}

/* Close every port but the model's consumers (when a guest asks) and go
 * back to the 2-level ABI. */
static void reset_ports(struct hv_domain *d, bool guest)
{
	struct hv_evtchn_domain *ed = d->evtchn;

	for (evtchn_port_t port = 1; port < ed->nr_valid; port++)
		hv_evtchn_op_close(d, port, guest);
	if (ed->fifo) {
		hv_evtchn_fifo_destroy(d);
		ed->abi = &hv_evtchn_abi_2l;
	}
}

int hv_evtchn_op_reset(struct hv_domain *ld, uint16_t dom, bool resuming)
{
	struct hv_domain *d = hv_domain_lookup(ld, dom);

	if (!d)
		return -XEN_ESRCH;
	if (!may_target(ld, d))
		return -XEN_EPERM;
	/* Xen resets another domain only while its controller pauses it;
	 * the model never pauses a domain. */
	if (d != ld)
		return -XEN_EINVAL;
	/* A continuation with no reset under way (the model never
	 * preempts, so never hands one out). */
	if (resuming)
		return -XEN_EBUSY;
	reset_ports(d, true);
	return 0;
}

int hv_evtchn_reset_for(struct hv_domain *d)
{
	reset_ports(d, false);
	return 0;
}

int hv_evtchn_op_set_priority(struct hv_domain *ld,
			const struct evtchn_set_priority *sp)
{
	struct hv_evtchn *chn = hv_evtchn_from_port(ld, sp->port);

	if (!chn)
		return -XEN_EINVAL;
	if (!ld->evtchn->abi->set_priority)
		return -XEN_ENOSYS;
	if (!evtchn_usable(chn))
		return -XEN_EACCES;
	return ld->evtchn->abi->set_priority(ld, chn, sp->priority);
}
