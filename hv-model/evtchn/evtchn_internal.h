/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the model's event channels: the per-port record, the per-domain
 * table and the operations each delivery ABI (2-level, FIFO) provides.
 * Ports are the model's own records; everything in guest pages (bitmaps,
 * control blocks, event words) is read with atomics and never trusted. */
#ifndef HV_EVTCHN_INTERNAL_H
#define HV_EVTCHN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

#include "hv/domain.h"
#include "hv/evtchn.h"
#include "hv/state.h"

/* A guest may issue the continuation of EVTCHNOP_reset itself. */
#ifndef EVTCHNOP_reset_cont
#define EVTCHNOP_reset_cont 14
#endif

/* Port states (Xen's ECS_*): order matters, "usable" means > RESERVED. */
enum {
	ECS_FREE,
	ECS_RESERVED,
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_PIRQ,
	ECS_VIRQ,
	ECS_IPI,
};

/* Xen allocates port records 64 at a time (a page of 64-byte records);
 * a port is "valid" once its group exists, even while free. */
#define EVTCHN_GROUP 64u

struct hv_evtchn {
	evtchn_port_t port;
	uint8_t state;                /* ECS_* */
	uint8_t priority;             /* FIFO queue */
	bool fifo_pending;            /* FIFO: raised before its word existed */
	uint16_t notify_vcpu;
	union {
		uint16_t unbound_remote;  /* ECS_UNBOUND: who may bind */
		struct {
			uint16_t dom;
			evtchn_port_t port;
		} inter;                  /* ECS_INTERDOMAIN */
		uint32_t virq;            /* ECS_VIRQ */
	} u;
	hv_evtchn_notify_fn *consumer; /* model-side consumer, or NULL */
	void *consumer_ctx;
	uint16_t lastq_vcpu;          /* FIFO: queue it was last linked on */
	uint8_t lastq_prio;
};

/* What a delivery ABI does with the guest-visible state of a port. */
struct hv_evtchn_abi {
	const char *name;
	void (*init)(struct hv_domain *d, struct hv_evtchn *chn);
	void (*set_pending)(struct hv_vcpu *v, struct hv_evtchn *chn);
	void (*clear_pending)(struct hv_domain *d, struct hv_evtchn *chn);
	void (*unmask)(struct hv_domain *d, struct hv_evtchn *chn);
	bool (*is_pending)(struct hv_domain *d, const struct hv_evtchn *chn);
	bool (*is_masked)(struct hv_domain *d, const struct hv_evtchn *chn);
	bool (*is_busy)(struct hv_domain *d, const struct hv_evtchn *chn);
	int (*set_priority)(struct hv_domain *d, struct hv_evtchn *chn,
			    unsigned priority);
};

struct hv_evtchn_fifo;

struct hv_evtchn_domain {
	struct hv_evtchn *chn;        /* nr_valid records */
	unsigned nr_valid;            /* a multiple of EVTCHN_GROUP */
	unsigned max_port;            /* the domain's max_evtchn_port */
	evtchn_port_t virq_port[HV_MAX_VCPUS][NR_VIRQS];
	const struct hv_evtchn_abi *abi;
	struct hv_evtchn_fifo *fifo;  /* NULL with the 2-level ABI */
};

extern const struct hv_evtchn_abi hv_evtchn_abi_2l;
extern const struct hv_evtchn_abi hv_evtchn_abi_fifo;

/* Allocate the lowest free port (its record stays ECS_FREE until the
 * caller binds it): the port, or -XEN_ENOSPC / -XEN_ENOMEM. */
int hv_evtchn_get_free_port(struct hv_domain *d);
/* Return a port to ECS_FREE, clearing its pending state. */
void hv_evtchn_free(struct hv_domain *d, struct hv_evtchn *chn);

/* The record of a valid port, else NULL. */
struct hv_evtchn *hv_evtchn_from_port(struct hv_domain *d, evtchn_port_t port);
/* The largest port count the current ABI can address. */
unsigned hv_evtchn_abi_max_ports(const struct hv_domain *d);
/* The FIFO record among the state ranges (hv/state.h). */
void hv_evtchn_fifo_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
				 void *ctx);

/* A port the guest may see: bound and not consumed by the model. */
static inline bool evtchn_usable(const struct hv_evtchn *chn)
{
	return !chn->consumer && chn->state > ECS_RESERVED;
}

/* Flag chn pending on vCPU vcpu_id of d, through the ABI. */
void hv_evtchn_raise(struct hv_domain *d, unsigned vcpu_id,
			struct hv_evtchn *chn);

/* Raise v's upcall: evtchn_upcall_pending, and so the interrupt line. */
void hv_evtchn_mark_upcall(struct hv_vcpu *v);

/* The operations, with Xen's checks; ld is the domain acting. */
int hv_evtchn_op_alloc_unbound(struct hv_domain *ld,
			       struct evtchn_alloc_unbound *a);
int hv_evtchn_op_bind_interdomain(struct hv_domain *ld,
			    struct evtchn_bind_interdomain *b);
int hv_evtchn_op_bind_virq(struct hv_domain *ld, struct evtchn_bind_virq *b);
int hv_evtchn_op_bind_ipi(struct hv_domain *ld, struct evtchn_bind_ipi *b);
int hv_evtchn_op_close(struct hv_domain *d, evtchn_port_t port, bool guest);
int hv_evtchn_op_send(struct hv_domain *ld, evtchn_port_t port);
/* The send itself, without the guest's restrictions. */
int hv_evtchn_deliver(struct hv_domain *ld, struct hv_evtchn *lchn);
int hv_evtchn_op_status(struct hv_domain *ld, struct evtchn_status *st);
int hv_evtchn_op_bind_vcpu(struct hv_domain *ld, evtchn_port_t port,
		     uint32_t vcpu);
int hv_evtchn_op_unmask(struct hv_domain *ld, evtchn_port_t port);
int hv_evtchn_op_reset(struct hv_domain *ld, uint16_t dom, bool resuming);
int hv_evtchn_op_set_priority(struct hv_domain *ld,
			const struct evtchn_set_priority *sp);

/* FIFO ABI control (evtchn_fifo.c). */
int hv_evtchn_fifo_init_control(struct hv_domain *d,
			     struct evtchn_init_control *ic);
int hv_evtchn_fifo_expand_array(struct hv_domain *d, uint64_t gfn);
void hv_evtchn_fifo_destroy(struct hv_domain *d);

#endif
