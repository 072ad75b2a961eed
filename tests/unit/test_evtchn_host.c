/* SPDX-License-Identifier: BSD-2-Clause */
/* The event-channel calls the model's backends use: acting for dom0,
 * consuming a port through a callback, and what a guest may no longer do
 * with a port the model consumes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "hv/evtchn.h"
#include "test_evtchn_util.h"

struct seen {
	unsigned calls;
	struct hv_domain *d;
	evtchn_port_t port;
};

static void note(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct seen *s = ctx;

	s->calls++;
	s->d = d;
	s->port = port;
}

static void test_backend_offers_port_guest_binds_it(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct evtchn_status st;
	evtchn_port_t bport;

	assert_int_equal(hv_evtchn_alloc_unbound_for(d0, 1, &bport), 0);
	assert_int_equal(ut_bind(fx->d, 0, bport), 1);
	assert_int_equal(hv_evtchn_status_for(d0, &(struct evtchn_status){
		.dom = DOMID_SELF, .port = bport }), 0);
	ut_shared(fx->d)->evtchn_pending[0] = 0;
	assert_int_equal(hv_evtchn_send_from(d0, bport), 0);
	assert_true(hv_evtchn_is_pending(fx->d, 1));
	assert_int_equal(ut_status(fx->d, DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, bport);
}

static void test_backend_binds_guest_port_and_consumes_it(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct seen s = { 0 };
	evtchn_port_t bport;
	long gport = ut_alloc(fx->d, DOMID_SELF, 0);

	assert_int_equal(hv_evtchn_bind_interdomain_for(d0, 1,
							(evtchn_port_t)gport,
							&bport), 0);
	assert_int_equal(hv_evtchn_set_consumer(d0, bport, note, &s), 0);
	assert_int_equal(ut_send(fx->d, (evtchn_port_t)gport), 0);
	assert_int_equal(s.calls, 1);
	assert_ptr_equal(s.d, d0);
	assert_int_equal(s.port, bport);
	/* Consumed: nothing is left pending on dom0's side. */
	assert_false(hv_evtchn_is_pending(d0, bport));
	/* And dom0 still notifies the guest through it. */
	assert_int_equal(hv_evtchn_send_from(d0, bport), 0);
	assert_true(hv_evtchn_is_pending(fx->d, (evtchn_port_t)gport));
	/* Back to pending bits. */
	assert_int_equal(hv_evtchn_set_consumer(d0, bport, NULL, NULL), 0);
	assert_int_equal(ut_send(fx->d, (evtchn_port_t)gport), 0);
	assert_int_equal(s.calls, 1);
	assert_true(hv_evtchn_is_pending(d0, bport));
}

static void test_guest_cannot_touch_a_consumed_port(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct evtchn_status st;
	struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 0 };

	assert_int_equal(ut_alloc(fx->d, DOMID_SELF, 0), 1);
	assert_int_equal(hv_evtchn_set_consumer(fx->d, 1, note, &s), 0);
	assert_int_equal(ut_close(fx->d, 1), -XEN_EINVAL);
	assert_int_equal(ut_send(fx->d, 1), -XEN_EINVAL);
	assert_int_equal(ut_status(fx->d, DOMID_SELF, 1, &st), -XEN_EACCES);
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_vcpu, bv), -XEN_EINVAL);
	/* The model itself may close it. */
	assert_int_equal(hv_evtchn_close_for(fx->d, 1), 0);
	assert_int_equal(hv_evtchn_active_ports(fx->d), 0);
}

static void test_set_consumer_needs_a_bound_port(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	assert_int_equal(hv_evtchn_set_consumer(fx->d, 1, note, &s),
			 -XEN_EINVAL);
	assert_int_equal(hv_evtchn_set_consumer(fx->d, 9999, note, &s),
			 -XEN_EINVAL);
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_ipi, ipi), 0);
	assert_int_equal(hv_evtchn_set_consumer(fx->d, ipi.port, note, &s),
			 -XEN_EINVAL);
}

static void test_reset_for_closes_consumed_ports_too(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };

	ut_alloc(fx->d, DOMID_SELF, 0);
	ut_alloc(fx->d, DOMID_SELF, 0);
	hv_evtchn_set_consumer(fx->d, 2, note, &s);
	assert_int_equal(hv_evtchn_reset_for(fx->d), 0);
	assert_int_equal(hv_evtchn_active_ports(fx->d), 0);
}

static void test_destroying_a_domain_unbinds_its_peers(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct evtchn_status st;

	assert_int_equal(ut_alloc(fx->d, DOMID_SELF, 2), 1);
	assert_int_equal(ut_bind(d2, 1, 1), 1);
	hv_domain_destroy(d2);
	assert_int_equal(ut_status(fx->d, DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(ut_send(fx->d, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_backend_offers_port_guest_binds_it),
		FX_TEST(test_backend_binds_guest_port_and_consumes_it),
		FX_TEST(test_guest_cannot_touch_a_consumed_port),
		FX_TEST(test_set_consumer_needs_a_bound_port),
		FX_TEST(test_reset_for_closes_consumed_ports_too),
		FX_TEST(test_destroying_a_domain_unbinds_its_peers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
