/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_event_channel_op(cmd, arg): one table from sub-op to its
 * argument size and handler. The argument is copied in once (-EFAULT if
 * the guest's pointer is bad), the handler works on that copy, and results
 * are copied back only on success, as Xen does. */
#include <stddef.h>

#include <xen/errno.h>

#include "evtchn_internal.h"
#include "hv/machine.h"

union evtchn_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_pirq bind_pirq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

typedef int evtchn_op_fn(struct hv_domain *d, union evtchn_arg *a);

static int op_alloc_unbound(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_alloc_unbound(d, &a->alloc_unbound);
}

static int op_bind_interdomain(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_bind_interdomain(d, &a->bind_interdomain);
}

static int op_bind_virq(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_bind_virq(d, &a->bind_virq);
}

/* ARM has no physical IRQs routed through event channels: Xen 4.17 takes
 * a pirq in the domain's range (NR_IRQS, 1024, on ARM) and then finds no
 * state for it (-ENOMEM); a pirq beyond, or negative as Xen's int, is
 * -EINVAL. */
#define ARM_NR_PIRQS 1024

static int op_bind_pirq(struct hv_domain *d, union evtchn_arg *a)
{
	int32_t pirq = (int32_t)a->bind_pirq.pirq;

	(void)d;
	return pirq < 0 || pirq >= ARM_NR_PIRQS ? -XEN_EINVAL : -XEN_ENOMEM;
}

static int op_bind_ipi(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_bind_ipi(d, &a->bind_ipi);
}

static int op_close(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_close(d, a->close.port, true);
}

static int op_send(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_send(d, a->send.port);
}

static int op_status(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_status(d, &a->status);
}

static int op_bind_vcpu(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_bind_vcpu(d, a->bind_vcpu.port, a->bind_vcpu.vcpu);
}

static int op_unmask(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_unmask(d, a->unmask.port);
}

static int op_reset(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_reset(d, a->reset.dom, false);
}

static int op_reset_cont(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_reset(d, a->reset.dom, true);
}

static int op_init_control(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_fifo_init_control(d, &a->init_control);
}

static int op_expand_array(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_fifo_expand_array(d, a->expand_array.array_gfn);
}

static int op_set_priority(struct hv_domain *d, union evtchn_arg *a)
{
	return hv_evtchn_op_set_priority(d, &a->set_priority);
}

struct evtchn_op_entry {
	size_t size;                  /* bytes copied in */
	bool copy_out;                /* results go back on success */
	evtchn_op_fn *fn;
};

static const struct evtchn_op_entry evtchn_ops[] = {
	[EVTCHNOP_bind_interdomain] = { sizeof(struct evtchn_bind_interdomain),
					true, op_bind_interdomain },
	[EVTCHNOP_bind_virq] = { sizeof(struct evtchn_bind_virq), true,
				 op_bind_virq },
	[EVTCHNOP_bind_pirq] = { sizeof(struct evtchn_bind_pirq), true,
				 op_bind_pirq },
	[EVTCHNOP_close] = { sizeof(struct evtchn_close), false, op_close },
	[EVTCHNOP_send] = { sizeof(struct evtchn_send), false, op_send },
	[EVTCHNOP_status] = { sizeof(struct evtchn_status), true, op_status },
	[EVTCHNOP_alloc_unbound] = { sizeof(struct evtchn_alloc_unbound), true,
				     op_alloc_unbound },
	[EVTCHNOP_bind_ipi] = { sizeof(struct evtchn_bind_ipi), true,
				op_bind_ipi },
	[EVTCHNOP_bind_vcpu] = { sizeof(struct evtchn_bind_vcpu), false,
				 op_bind_vcpu },
	[EVTCHNOP_unmask] = { sizeof(struct evtchn_unmask), false, op_unmask },
	[EVTCHNOP_reset] = { sizeof(struct evtchn_reset), false, op_reset },
	[EVTCHNOP_init_control] = { sizeof(struct evtchn_init_control), true,
				    op_init_control },
	[EVTCHNOP_expand_array] = { sizeof(struct evtchn_expand_array), false,
				    op_expand_array },
	[EVTCHNOP_set_priority] = { sizeof(struct evtchn_set_priority), false,
				    op_set_priority },
	[EVTCHNOP_reset_cont] = { sizeof(struct evtchn_reset), false,
				  op_reset_cont },
};

#define NR_EVTCHN_OPS (sizeof(evtchn_ops) / sizeof(evtchn_ops[0]))

long hv_do_event_channel_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	uint32_t cmd = (uint32_t)arg[0];
	const struct evtchn_op_entry *op;
	union evtchn_arg a;
	int rc;

	if (cmd >= NR_EVTCHN_OPS || !evtchn_ops[cmd].fn)
		return -XEN_ENOSYS;
	op = &evtchn_ops[cmd];
	if (hv_copy_from_guest(v, &a, arg[1], op->size))
		return -XEN_EFAULT;
	rc = op->fn(d, &a);
	if (rc == 0 && cmd == EVTCHNOP_init_control)
		hv_check_shared_gpfn(v, a.init_control.control_gfn,
				     "the FIFO control block");
	if (rc == 0 && cmd == EVTCHNOP_expand_array)
		hv_check_shared_gpfn(v, a.expand_array.array_gfn,
				     "a FIFO event array page");
	if (rc == 0 && op->copy_out &&
	    hv_copy_to_guest(v, arg[1], &a, op->size))
		rc = -XEN_EFAULT;
	return rc;
}
