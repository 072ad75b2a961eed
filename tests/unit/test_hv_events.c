/* SPDX-License-Identifier: BSD-2-Clause */
/* The machine's event sinks: every sink hears each event once, in the
 * order attached, with the virtual time and who did it; a detached sink
 * hears nothing more. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "hv/events.h"
#include "hv/vcpu.h"
#include "test_evtchn_util.h"

#define MAX_SEEN 32

struct recorder {
	struct hv_event_sink sink;
	struct hv_event ev[MAX_SEEN];
	char str[MAX_SEEN][32];
	unsigned n;
	unsigned *order;        /* shared counter: who heard first */
	unsigned first_seq;
};

static void record(void *ctx, const struct hv_event *ev)
{
	struct recorder *r = ctx;

	if (r->n == 0 && r->order)
		r->first_seq = (*r->order)++;
	if (r->n == MAX_SEEN)
		return;
	r->ev[r->n] = *ev;
	snprintf(r->str[r->n], sizeof(r->str[0]), "%s", ev->str ? ev->str : "");
	r->n++;
}

static void attach(struct fixture *fx, struct recorder *r, unsigned *order)
{
	memset(r, 0, sizeof(*r));
	r->sink.fn = record;
	r->sink.ctx = r;
	r->order = order;
	hv_events_attach(fx->m, &r->sink);
}

/* The events of one kind r heard; the last one in *last. */
static unsigned count_kind(const struct recorder *r, enum hv_event_kind kind,
			   const struct hv_event **last)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n; i++) {
		if (r->ev[i].kind == kind) {
			n++;
			if (last)
				*last = &r->ev[i];
		}
	}
	return n;
}

static void test_events_off_without_sinks(void **state)
{
	struct fixture *fx = *state;

	assert_false(hv_events_on(fx->m));
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_xen_version,
				      XENVER_version, 0, 0), 0x40011);
}

static void test_events_hypercall_reaches_every_sink_in_order(void **state)
{
	struct fixture *fx = *state;
	struct recorder a, b;
	const struct hv_event *ev = NULL;
	unsigned order = 0;

	attach(fx, &a, &order);
	attach(fx, &b, &order);
	fx->m->now_ns = 1234567;
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_xen_version,
				      XENVER_version, 0, 0), 0x40011);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	assert_int_equal(a.first_seq, 0);
	assert_int_equal(b.first_seq, 1);
	assert_int_equal(count_kind(&b, HV_EV_HYPERCALL, &ev), 1);
	assert_int_equal(ev->time_ns, 1234567);
	assert_int_equal(ev->domid, fx->d->domid);
	assert_int_equal(ev->vcpu, 0);
	assert_string_equal(b.str[0], "xen_version");
	assert_int_equal(ev->arg[0], __HYPERVISOR_xen_version);
	assert_int_equal(ev->arg[1], XENVER_version);
	assert_int_equal(ev->arg[4], 0x40011);
}

static void test_events_hypercall_error_carries_result(void **state)
{
	struct fixture *fx = *state;
	struct recorder a;

	attach(fx, &a, NULL);
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_xen_version, 999, 0, 0),
			 -XEN_ENOSYS);
	assert_int_equal(a.n, 1);
	assert_int_equal((int64_t)a.ev[0].arg[4], -XEN_ENOSYS);
}

static void test_events_detached_sink_hears_nothing(void **state)
{
	struct fixture *fx = *state;
	struct recorder a, b;

	attach(fx, &a, NULL);
	attach(fx, &b, NULL);
	hv_events_detach(fx->m, &a.sink);
	fx_hypercall(fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	assert_int_equal(a.n, 0);
	assert_int_equal(b.n, 1);
	hv_events_detach(fx->m, &b.sink);
	assert_false(hv_events_on(fx->m));
	fx_hypercall(fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	assert_int_equal(b.n, 1);
}

/* A loopback channel: each send is an event; the upcall only when the
 * vCPU's line goes up, not again while it is still pending. */
static void test_events_send_and_upcall_edge(void **state)
{
	struct fixture *fx = *state;
	struct recorder a;
	const struct hv_event *ev = NULL;
	long p1 = ut_alloc(fx->d, DOMID_SELF, DOMID_SELF);
	long p2 = ut_bind(fx->d, DOMID_SELF, (evtchn_port_t)p1);

	assert_true(p1 > 0 && p2 > 0);
	/* The bind raised p2: take that in, as the guest's handler would. */
	memset(ut_shared(fx->d)->evtchn_pending, 0,
	       sizeof(ut_shared(fx->d)->evtchn_pending));
	hv_vcpu_info(&fx->d->vcpu[0])->evtchn_pending_sel = 0;
	hv_vcpu_info(&fx->d->vcpu[0])->evtchn_upcall_pending = 0;
	attach(fx, &a, NULL);
	assert_int_equal(ut_send(fx->d, (evtchn_port_t)p1), 0);
	assert_int_equal(ut_send(fx->d, (evtchn_port_t)p1), 0);
	assert_int_equal(count_kind(&a, HV_EV_EVTCHN_SEND, &ev), 2);
	assert_int_equal(ev->domid, fx->d->domid);
	assert_int_equal(ev->arg[0], (uint64_t)p1);
	assert_int_equal(ev->arg[1], fx->d->domid);
	assert_int_equal(ev->arg[2], (uint64_t)p2);
	assert_int_equal(count_kind(&a, HV_EV_UPCALL, &ev), 1);
	assert_int_equal(ev->vcpu, 0);
	assert_int_equal(count_kind(&a, HV_EV_HYPERCALL, NULL), 2);
}

static void test_events_kind_names(void **state)
{
	(void)state;
	assert_string_equal(hv_event_kind_name(HV_EV_RING_PRODUCE),
			    "ring_produce");
	assert_string_equal(hv_event_kind_name(HV_EV_XENBUS_STATE),
			    "xenbus_state");
	assert_string_equal(hv_event_kind_name(HV_EV_NR_KINDS), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_events_off_without_sinks),
		FX_TEST(test_events_hypercall_reaches_every_sink_in_order),
		FX_TEST(test_events_hypercall_error_carries_result),
		FX_TEST(test_events_detached_sink_hears_nothing),
		FX_TEST(test_events_send_and_upcall_edge),
		cmocka_unit_test(test_events_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
