/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_event_channel_op(cmd, arg): ports, their bindings, and the
 * FIFO event ABI (control block and event words in guest pages). A FIFO
 * event word is shared with Xen: read it atomically, never trust a link. */
#ifndef XENSIM_XEN_EVENT_CHANNEL_H
#define XENSIM_XEN_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/* alloc_unbound: a port in dom that remote_dom may bind to. */
struct evtchn_alloc_unbound {
	domid_t dom;                  /* IN */
	domid_t remote_dom;           /* IN */
	evtchn_port_t port;           /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");

/* bind_interdomain: connect to a remote domain's unbound port. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;           /* IN */
	evtchn_port_t remote_port;    /* IN */
	evtchn_port_t local_port;     /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");

/* bind_virq: a port for VIRQ_* on one vCPU. */
struct evtchn_bind_virq {
	uint32_t virq;                /* IN: VIRQ_* */
	uint32_t vcpu;                /* IN */
	evtchn_port_t port;           /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");

/* bind_pirq: a port for a physical IRQ (privileged). */
#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq {
	uint32_t pirq;                /* IN */
	uint32_t flags;               /* IN: BIND_PIRQ__* */
	evtchn_port_t port;           /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq");

/* bind_ipi: a port for notifications between our own vCPUs. */
struct evtchn_bind_ipi {
	uint32_t vcpu;                /* IN */
	evtchn_port_t port;           /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");

struct evtchn_close {
	evtchn_port_t port;           /* IN */
};
typedef struct evtchn_close evtchn_close_t;

struct evtchn_send {
	evtchn_port_t port;           /* IN */
};
typedef struct evtchn_send evtchn_send_t;

/* status: what a port of dom is bound to. */
#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5
struct evtchn_status {
	domid_t dom;                  /* IN */
	evtchn_port_t port;           /* IN */
	uint32_t status;              /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;                /* OUT: vCPU the port notifies */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;                          /* OUT, by status */
};
typedef struct evtchn_status evtchn_status_t;
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status");

/* bind_vcpu: deliver the port's events to another vCPU. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;           /* IN */
	uint32_t vcpu;                /* IN */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

struct evtchn_unmask {
	evtchn_port_t port;           /* IN */
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* reset: close every port of dom (DOMID_SELF or privileged). */
struct evtchn_reset {
	domid_t dom;                  /* IN */
};
typedef struct evtchn_reset evtchn_reset_t;

/* init_control: switch a vCPU to the FIFO ABI; its control block lives at
 * offset in frame control_gfn. */
struct evtchn_init_control {
	uint64_aligned_t control_gfn; /* IN */
	uint32_t offset;              /* IN */
	uint32_t vcpu;                /* IN */
	uint8_t link_bits;            /* OUT: EVTCHN_FIFO_LINK_BITS */
	uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");

/* expand_array: add one page of event words. */
struct evtchn_expand_array {
	uint64_aligned_t array_gfn;   /* IN */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

struct evtchn_set_priority {
	evtchn_port_t port;           /* IN */
	uint32_t priority;            /* IN: EVTCHN_FIFO_PRIORITY_* */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* The old single-argument form (__HYPERVISOR_event_channel_op_compat). */
struct evtchn_op {
	uint32_t cmd;                 /* EVTCHNOP_* */
	union {
		evtchn_alloc_unbound_t alloc_unbound;
		evtchn_bind_interdomain_t bind_interdomain;
		evtchn_bind_virq_t bind_virq;
		evtchn_bind_pirq_t bind_pirq;
		evtchn_bind_ipi_t bind_ipi;
		evtchn_close_t close;
		evtchn_send_t send;
		evtchn_status_t status;
		evtchn_bind_vcpu_t bind_vcpu;
		evtchn_unmask_t unmask;
	} u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

/* 2-level ABI: one pending and one mask bit per port in shared_info. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: 16 priority queues, 0 the highest. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* One 32-bit word per port: four flag bits and the link to the next port. */
typedef uint32_t event_word_t;
#define EVTCHN_FIFO_PENDING   31
#define EVTCHN_FIFO_MASKED    30
#define EVTCHN_FIFO_LINKED    29
#define EVTCHN_FIFO_BUSY      28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

/* Per-vCPU control block: ready has one bit per queue with events, head[q]
 * is the first port of queue q. */
struct evtchn_fifo_control_block {
	uint32_t ready;
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo control block");

#endif /* XENSIM_XEN_EVENT_CHANNEL_H */
