/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the event-channel, grant-table and vCPU tests: issue a
 * sub-op with its struct placed in guest RAM (and read back), act as
 * another domain, add a dom0 or a second domU. Header-only on purpose:
 * each test program includes it once. */
#ifndef TEST_EVTCHN_UTIL_H
#define TEST_EVTCHN_UTIL_H

#include <string.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

#include "fixture.h"
#include "hv/domain.h"
#include "hv/hypercall.h"
#include "hv/machine.h"

/* Where op structs go in each domain's RAM. */
#define UT_ARG_OFF  0x1000u
#define UT_ARG_SIZE 0x1000u

/* Run hypercall op for d with *arg (len bytes) copied to its RAM first and
 * copied back after; a0 is the sub-op, the struct's gpa the second arg. */
static inline long ut_call(struct hv_domain *d, uint64_t op, uint64_t cmd,
			   void *arg, size_t len, uint64_t a2)
{
	uint64_t gpa = d->mem.region[0].gpa + UT_ARG_OFF;
	void *p = hv_gpa_ptr(&d->mem, gpa, len ? len : 1);
	const uint64_t args[5] = { cmd, gpa, a2, 0, 0 };
	long rc;

	if (len)
		memcpy(p, arg, len);
	rc = hv_hypercall(&d->vcpu[0], op, args);
	if (len)
		memcpy(arg, p, len);
	return rc;
}

static inline long ut_evtchn(struct hv_domain *d, int cmd, void *arg,
			     size_t len)
{
	return ut_call(d, __HYPERVISOR_event_channel_op, (uint64_t)cmd, arg,
		       len, 0);
}

#define EV(d, cmd, s) ut_evtchn((d), (cmd), &(s), sizeof(s))

static inline struct hv_domain *ut_add_domain(struct fixture *fx,
					      uint16_t domid, bool privileged,
					      unsigned vcpus)
{
	struct hv_domain_config cfg = {
		.name = privileged ? "dom0" : "other", .domid = domid,
		.ram_bytes = 16u << 20, .nr_vcpus = vcpus,
		.privileged = privileged,
	};
	struct hv_domain *d = NULL;

	if (hv_domain_create(fx->m, &cfg, &d))
		return NULL;
	return d;
}

static inline struct shared_info *ut_shared(struct hv_domain *d)
{
	return hv_domain_shared_info(d);
}

static inline bool ut_bit(const xen_ulong_t *words, unsigned bit)
{
	return words[bit / 64] >> (bit % 64) & 1;
}

/* alloc_unbound on d for remote; the port, or a negative errno. */
static inline long ut_alloc(struct hv_domain *d, domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
	long rc = EV(d, EVTCHNOP_alloc_unbound, a);

	return rc ? rc : (long)a.port;
}

static inline long ut_bind(struct hv_domain *d, domid_t rdom,
			   evtchn_port_t rport)
{
	struct evtchn_bind_interdomain b = { .remote_dom = rdom,
					     .remote_port = rport };
	long rc = EV(d, EVTCHNOP_bind_interdomain, b);

	return rc ? rc : (long)b.local_port;
}

static inline long ut_send(struct hv_domain *d, evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return EV(d, EVTCHNOP_send, s);
}

static inline long ut_close(struct hv_domain *d, evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return EV(d, EVTCHNOP_close, c);
}

static inline long ut_status(struct hv_domain *d, domid_t dom,
			     evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return ut_evtchn(d, EVTCHNOP_status, st, sizeof(*st));
}

#endif
