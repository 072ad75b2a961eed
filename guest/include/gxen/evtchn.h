/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's event channels: binding ports to handlers, masking, sending,
 * and the demultiplexer that runs on the upcall interrupt (2-level or FIFO
 * ABI, chosen at init). Handlers run with interrupts masked; the pending
 * state is read from pages the hypervisor writes and is never trusted to
 * name a port we did not bind. */
#ifndef GXEN_EVTCHN_H
#define GXEN_EVTCHN_H

#include <stdbool.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

/* Ports this layer can bind (the 2-level ABI's limit, for both ABIs). */
#define EVTCHN_MAX_PORTS 4096u

typedef void evtchn_handler_fn(evtchn_port_t port, void *arg);

enum evtchn_abi {
	EVTCHN_ABI_2L,
	EVTCHN_ABI_FIFO,
};

/* Forget every binding, the ABI and the counters, as at load (no
 * hypercall: the hypervisor side belongs to the domain being booted). */
void evtchn_state_reset(void);

/* Once per boot, after kern_reset(): pick the ABI (FIFO falls back to
 * 2-level when the hypervisor refuses it) and install the upcall handler.
 * 0 or -XEN_E*. */
int evtchn_init(enum evtchn_abi want);
/* After a resume in a new domain (kern/suspend.c): every handler dropped,
 * the ABI set up again on the same pages (FIFO: control block and event
 * array registered anew). 0 or a negative Xen errno. */
int evtchn_resume(void);
enum evtchn_abi evtchn_abi(void);
const char *evtchn_abi_name(void);

/* Before secondary CPU cpu starts: what the ABI needs to deliver events
 * to it (FIFO: a control block of its own, without which Xen queues
 * nothing for that vCPU). 0 or -XEN_E*. */
int evtchn_cpu_init(unsigned cpu);
/* On CPU cpu, polling with interrupts masked (vi: its vcpu_info):
 * whether port's event reached it as its upcall would find it (vi
 * flagged and, FIFO, the port on cpu's queues), taking the event and the
 * flags; FIFO hands other events on cpu's queues to their handlers. */
bool evtchn_cpu_take(unsigned cpu, struct vcpu_info *vi, evtchn_port_t port);

/* Bind a port and attach fn(port, arg) to it, unmasked. On success the
 * port is in *port; a negative Xen errno otherwise. */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn *fn, void *arg,
			 evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_fn *fn, void *arg,
			    evtchn_port_t *port);
int evtchn_bind_virq(unsigned virq, unsigned vcpu, evtchn_handler_fn *fn,
		     void *arg, evtchn_port_t *port);
int evtchn_bind_ipi(unsigned vcpu, evtchn_handler_fn *fn, void *arg,
		    evtchn_port_t *port);
/* Deliver port to vCPU cpu from now on (EVTCHNOP_bind_vcpu). 0 or -XEN_E*. */
int evtchn_bind_vcpu(evtchn_port_t port, unsigned cpu);
/* Attach a handler to a port bound elsewhere (the xenstore or console port
 * the toolstack set up), then unmask it. */
int evtchn_attach(evtchn_port_t port, evtchn_handler_fn *fn, void *arg);

/* Mask, detach and close the port (EVTCHNOP_close). */
int evtchn_unbind(evtchn_port_t port);

/* Notify the other end (EVTCHNOP_send); an IPI port notifies its vCPU. */
int evtchn_notify(evtchn_port_t port);

void evtchn_mask(evtchn_port_t port);
/* Unmask; a port that became pending while masked is delivered. */
void evtchn_unmask(evtchn_port_t port);
/* Drop a pending event without running its handler. */
void evtchn_clear(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);

/* This domain's id, learnt the way Xen lets a guest learn it: an unbound
 * port for DOMID_SELF records the caller's id, which EVTCHNOP_status
 * reports. 0 or -XEN_E*. */
int evtchn_own_domid(domid_t *domid);

/* Events that found no handler (dropped), and events the demultiplexer
 * refused (a FIFO link to a port out of range). */
unsigned evtchn_spurious_count(void);
unsigned evtchn_bad_link_count(void);

/* The next upcall scans as the first after boot does (the 2-level ABI
 * starts after the port it handled last; FIFO keeps no such point). For
 * a caller that puts its devices back to a snapshot with no event
 * pending: which port is handled first then no longer depends on what
 * ran before. */
void evtchn_rewind_scan(void);

#endif
