/* SPDX-License-Identifier: BSD-2-Clause */
/* Event channels of the model: Xen's ports, their bindings, the 2-level
 * and FIFO delivery ABIs, and the upcall line of each vCPU. Guests reach
 * them through HYPERVISOR_event_channel_op; backends living in the model
 * use the hv_evtchn_*_for() calls on behalf of their domain (dom0), and may
 * consume a port's events through a callback instead of a pending bit.
 * The bitmaps, control blocks and event words live in guest pages: the
 * model reads them as hostile and never follows a link it did not check. */
#ifndef HV_EVTCHN_H
#define HV_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>

#include "hv/hypercall.h"

struct hv_domain;
struct hv_vcpu;

/* A model-side consumer of a port: runs when the peer sends, in place of
 * marking the port pending (Xen's "xen_consumer" channels). */
typedef void hv_evtchn_notify_fn(void *ctx, struct hv_domain *d,
				 evtchn_port_t port);

/* Domain creation and teardown (port 0 is reserved, as on Xen). */
int hv_evtchn_domain_init(struct hv_domain *d);
void hv_evtchn_domain_destroy(struct hv_domain *d);

hv_hypercall_fn hv_do_event_channel_op;

/* The level of v's event-channel interrupt line: its vcpu_info's
 * evtchn_upcall_pending. A runtime asserts the PPI (INTID 31) while true. */
bool hv_evtchn_upcall_pending(struct hv_vcpu *v);

/* ---- calls for the model's own backends and toolstack ----
 * Each acts as if domain d had made the hypercall (with d's privilege)
 * and returns what the hypercall would. */
int hv_evtchn_alloc_unbound_for(struct hv_domain *d, uint16_t remote_dom,
				evtchn_port_t *port);
int hv_evtchn_bind_interdomain_for(struct hv_domain *d, uint16_t remote_dom,
				   evtchn_port_t remote_port,
				   evtchn_port_t *local_port);
int hv_evtchn_send_from(struct hv_domain *d, evtchn_port_t port);
int hv_evtchn_close_for(struct hv_domain *d, evtchn_port_t port);
int hv_evtchn_status_for(struct hv_domain *d, struct evtchn_status *st);
/* Close every port of d and return it to the 2-level ABI. */
int hv_evtchn_reset_for(struct hv_domain *d);

/* Let fn consume the events the peer sends to d's port (NULL: back to
 * pending bits). -XEN_EINVAL for a port that is not bound or unbound. */
int hv_evtchn_set_consumer(struct hv_domain *d, evtchn_port_t port,
			   hv_evtchn_notify_fn *fn, void *ctx);

/* Raise a VIRQ: a per-vCPU one (VIRQ_TIMER, VIRQ_DEBUG, ...) on v, a
 * global one (VIRQ_CONSOLE, ...) on its domain. Dropped when unbound. */
void hv_evtchn_send_virq(struct hv_vcpu *v, unsigned virq);
/* The port v's virq is bound to, 0 when none. */
unsigned hv_evtchn_virq_port(struct hv_vcpu *v, unsigned virq);
void hv_evtchn_send_global_virq(struct hv_domain *d, unsigned virq);

/* Inspection, for tests and debug keys. */
bool hv_evtchn_is_pending(struct hv_domain *d, evtchn_port_t port);
bool hv_evtchn_is_masked(struct hv_domain *d, evtchn_port_t port);
/* Ports in use (neither free nor the reserved port 0). */
unsigned hv_evtchn_active_ports(struct hv_domain *d);
/* Print d's ports on the Xen console, like Xen's 'e' debug key. */
void hv_evtchn_dump(struct hv_domain *d);

#endif
