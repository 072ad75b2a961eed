/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the guest's event-channel layer: what each delivery ABI (2-level,
 * FIFO) provides to the common code, and the atomics on pages shared with
 * the hypervisor (which writes them while we read). */
#ifndef GUEST_XEN_EVTCHN_INTERNAL_H
#define GUEST_XEN_EVTCHN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

struct evtchn_abi_ops {
	const char *name;
	/* Forget everything, as at load (no hypercall). */
	void (*reset)(void);
	/* Set up the ABI with the hypervisor; 0 or -XEN_E*. */
	int (*init)(void);
	/* After a resume in a new domain: nothing pending, nothing bound,
	 * the pages given before handed to the hypervisor again. */
	int (*resume)(void);
	/* Make sure port has its delivery state (FIFO: an event word). */
	int (*prepare_port)(evtchn_port_t port);
	void (*mask)(evtchn_port_t port);
	void (*unmask)(evtchn_port_t port);
	void (*clear)(evtchn_port_t port);
	bool (*is_pending)(evtchn_port_t port);
	bool (*is_masked)(evtchn_port_t port);
	/* The upcall: find pending unmasked ports, clear each and hand it
	 * to evtchn_dispatch(). */
	void (*upcall)(void);
	/* What evtchn_cpu_init() and evtchn_cpu_take() do for the ABI. */
	int (*cpu_init)(unsigned cpu);
	bool (*cpu_take)(unsigned cpu, struct vcpu_info *vi,
			 evtchn_port_t port);
};

extern const struct evtchn_abi_ops evtchn_2l_ops;
extern const struct evtchn_abi_ops evtchn_fifo_ops;

/* Run the handler bound to port (its pending bit already cleared). */
void evtchn_dispatch(evtchn_port_t port);
/* Whether port is bound to a vCPU other than 0 (EVTCHNOP_bind_ipi,
 * bind_virq or bind_vcpu through this layer): CPU 0's 2-level upcall
 * must leave it pending for that CPU. */
bool evtchn_port_elsewhere(evtchn_port_t port);
/* A FIFO queue linked to a port outside the event array. */
void evtchn_note_bad_link(void);

/* EVTCHNOP_unmask: the hypervisor clears the mask and re-raises the
 * event if it is pending. */
void evtchn_unmask_hypercall(evtchn_port_t port);

static inline uint64_t atomic_xchg64(volatile uint64_t *p, uint64_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

static inline uint32_t atomic_xchg32(volatile uint32_t *p, uint32_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

#endif
