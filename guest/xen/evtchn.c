/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's event channels: the handler table, the bind/unbind calls,
 * and the upcall entry that hands the interrupt to the ABI's scanner. The
 * port numbers the hypervisor returns or reports pending are checked
 * against the table before they index it. */
#include <xen/errno.h>

#include "evtchn_internal.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "kern/irq.h"
#include "kern/page.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

struct evtchn_slot {
	evtchn_handler_fn *fn;
	void *arg;
	unsigned cpu;            /* the vCPU Xen delivers it to */
};

/* The table lives in pages of the guest's RAM, taken at evtchn_init(),
 * not in the image: 64 KiB that a run of several native domains would
 * otherwise swap in and out with the image's writable data at every
 * turn. NULL until then; every user below runs after it (abi is set). */
#define SLOT_PAGES ((EVTCHN_MAX_PORTS * sizeof(struct evtchn_slot) + \
		     PAGE_SIZE - 1) / PAGE_SIZE)
static struct evtchn_slot *slots;
static const struct evtchn_abi_ops *abi;
static unsigned spurious, bad_links;

static void upcall(void)
{
	if (abi)
		abi->upcall();
}

void evtchn_dispatch(evtchn_port_t port)
{
	struct evtchn_slot *s;

	if (port >= EVTCHN_MAX_PORTS || !slots || !slots[port].fn) {
		/* Nobody listens here: the event is dropped. The port is not
		 * masked, as code driving it by hand may still expect it. */
		spurious++;
		return;
	}
	s = &slots[port];
	s->fn(port, s->arg);
}

bool evtchn_port_elsewhere(evtchn_port_t port)
{
	return port < EVTCHN_MAX_PORTS && slots && slots[port].cpu != 0;
}

void evtchn_note_bad_link(void)
{
	bad_links++;
}

unsigned evtchn_spurious_count(void)
{
	return spurious;
}

unsigned evtchn_bad_link_count(void)
{
	return bad_links;
}

void evtchn_unmask_hypercall(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

void evtchn_rewind_scan(void)
{
	if (abi == &evtchn_2l_ops)
		evtchn_2l_ops.reset();
}

void evtchn_state_reset(void)
{
	abi = NULL;
	slots = NULL;           /* its pages went with the allocator's reset */
	spurious = bad_links = 0;
	evtchn_2l_ops.reset();
	evtchn_fifo_ops.reset();
}

int evtchn_init(enum evtchn_abi want)
{
	int rc;

	/* No port is bound and no ABI chosen yet: kern_reset() saw to it. */
	if (!shared_info_page())
		return -XEN_EINVAL;
	slots = page_alloc(SLOT_PAGES);      /* zeroed: no handler anywhere */
	if (!slots)
		return -XEN_ENOMEM;
	if (want == EVTCHN_ABI_FIFO) {
		rc = evtchn_fifo_ops.init();
		if (rc == 0)
			abi = &evtchn_fifo_ops;
		else
			kprintf("evtchn: FIFO ABI refused (%d), using "
				"2-level\n", rc);
	}
	if (!abi) {
		rc = evtchn_2l_ops.init();
		if (rc)
			return rc;
		abi = &evtchn_2l_ops;
	}
	irq_set_handler(upcall);
	return 0;
}

int evtchn_resume(void)
{
	if (!abi || !slots)
		return -XEN_EINVAL;
	/* Every port of the old domain is gone with it: its users bind
	 * again and attach anew. */
	memset(slots, 0, SLOT_PAGES * PAGE_SIZE);
	return abi->resume();
}

enum evtchn_abi evtchn_abi(void)
{
	return abi == &evtchn_fifo_ops ? EVTCHN_ABI_FIFO : EVTCHN_ABI_2L;
}

const char *evtchn_abi_name(void)
{
	return abi ? abi->name : "none";
}

int evtchn_cpu_init(unsigned cpu)
{
	return abi ? abi->cpu_init(cpu) : -XEN_EINVAL;
}

bool evtchn_cpu_take(unsigned cpu, struct vcpu_info *vi, evtchn_port_t port)
{
	return abi && abi->cpu_take(cpu, vi, port);
}

static int close_port(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

int evtchn_attach(evtchn_port_t port, evtchn_handler_fn *fn, void *arg)
{
	unsigned long flags;
	int rc;

	if (!abi || port >= EVTCHN_MAX_PORTS || !fn)
		return -XEN_EINVAL;
	rc = abi->prepare_port(port);
	if (rc)
		return rc;
	flags = arch_irq_save();
	slots[port].fn = fn;
	slots[port].arg = arg;
	arch_irq_restore(flags);
	evtchn_unmask(port);
	return 0;
}

/* The vCPU Xen delivers port to, before the port is unmasked: the 2-level
 * upcall of CPU 0 leaves the events of the others alone. */
static void note_cpu(evtchn_port_t port, unsigned cpu)
{
	if (port < EVTCHN_MAX_PORTS)
		__atomic_store_n(&slots[port].cpu, cpu, __ATOMIC_SEQ_CST);
}

int evtchn_bind_vcpu(evtchn_port_t port, unsigned cpu)
{
	struct evtchn_bind_vcpu op = { .port = port, .vcpu = cpu };
	unsigned before;
	long rc;

	if (!abi || port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	before = slots[port].cpu;
	note_cpu(port, cpu);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
	if (rc)
		note_cpu(port, before);
	return (int)rc;
}

/* Attach to a port just bound; one we cannot handle is closed again. */
static int attach_new(evtchn_port_t port, evtchn_handler_fn *fn, void *arg,
		      evtchn_port_t *out)
{
	int rc = evtchn_attach(port, fn, arg);

	if (rc) {
		close_port(port);
		return rc;
	}
	*out = port;
	return 0;
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn *fn, void *arg,
			 evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = remote };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	return rc ? (int)rc : attach_new(op.port, fn, arg, port);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_fn *fn, void *arg,
			    evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote,
					      .remote_port = remote_port };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	return rc ? (int)rc : attach_new(op.local_port, fn, arg, port);
}

int evtchn_bind_virq(unsigned virq, unsigned vcpu, evtchn_handler_fn *fn,
		     void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	if (!rc)
		note_cpu(op.port, vcpu);
	return rc ? (int)rc : attach_new(op.port, fn, arg, port);
}

int evtchn_bind_ipi(unsigned vcpu, evtchn_handler_fn *fn, void *arg,
		    evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = { .vcpu = vcpu };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (!rc)
		note_cpu(op.port, vcpu);
	return rc ? (int)rc : attach_new(op.port, fn, arg, port);
}

int evtchn_unbind(evtchn_port_t port)
{
	unsigned long flags;

	if (!abi || port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	abi->mask(port);
	flags = arch_irq_save();
	slots[port].fn = NULL;
	slots[port].arg = NULL;
	slots[port].cpu = 0;
	arch_irq_restore(flags);
	/* Xen clears the pending state of a port it frees. */
	return close_port(port);
}

int evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

void evtchn_mask(evtchn_port_t port)
{
	if (abi && port < EVTCHN_MAX_PORTS)
		abi->mask(port);
}

void evtchn_unmask(evtchn_port_t port)
{
	if (abi && port < EVTCHN_MAX_PORTS)
		abi->unmask(port);
}

void evtchn_clear(evtchn_port_t port)
{
	if (abi && port < EVTCHN_MAX_PORTS)
		abi->clear(port);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return abi && port < EVTCHN_MAX_PORTS && abi->is_pending(port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return !abi || port >= EVTCHN_MAX_PORTS || abi->is_masked(port);
}

int evtchn_own_domid(domid_t *domid)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (rc)
		return (int)rc;
	st.port = op.port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
	close_port(op.port);
	if (rc)
		return (int)rc;
	if (st.status != EVTCHNSTAT_unbound)
		return -XEN_EIO;
	*domid = st.u.unbound.dom;
	return 0;
}
