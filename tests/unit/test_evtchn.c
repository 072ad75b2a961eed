/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_event_channel_op with the 2-level ABI: every operation, the
 * bits each sets in shared_info and vcpu_info, and every error Xen 4.17
 * returns for it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "hv/evtchn.h"
#include "hv/vcpu.h"
#include "test_evtchn_util.h"

#define SELF DOMID_SELF

/* ---- alloc_unbound ---- */

static void test_alloc_unbound_hands_out_lowest_ports_from_1(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_status st;

	assert_int_equal(ut_alloc(fx->d, SELF, 0), 1);
	assert_int_equal(ut_alloc(fx->d, SELF, 0), 2);
	assert_int_equal(ut_close(fx->d, 1), 0);
	assert_int_equal(ut_alloc(fx->d, SELF, 5), 1);
	assert_int_equal(ut_status(fx->d, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 5);
	assert_int_equal(st.vcpu, 0);
}

static void test_alloc_unbound_self_remote_records_callers_id(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct evtchn_status st;
	long port;

	port = ut_alloc(fx->d, SELF, SELF);
	assert_int_equal(ut_status(fx->d, SELF, (evtchn_port_t)port, &st), 0);
	assert_int_equal(st.u.unbound.dom, 1);
	/* dom0 allocating in d1 for DOMID_SELF: the caller is dom0. */
	port = ut_alloc(d0, 1, SELF);
	assert_true(port > 0);
	assert_int_equal(ut_status(fx->d, SELF, (evtchn_port_t)port, &st), 0);
	assert_int_equal(st.u.unbound.dom, 0);
}

static void test_alloc_unbound_errors(void **state)
{
	struct fixture *fx = *state;
	const uint64_t args[5] = { EVTCHNOP_alloc_unbound, 0x10, 0, 0, 0 };

	ut_add_domain(fx, 2, false, 1);
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0],
				      __HYPERVISOR_event_channel_op, args),
			 -XEN_EFAULT);
	assert_int_equal(ut_alloc(fx->d, 6, 0), -XEN_ESRCH);
	assert_int_equal(ut_alloc(fx->d, DOMID_INVALID, 0), -XEN_ESRCH);
	assert_int_equal(ut_alloc(fx->d, 2, 1), -XEN_EPERM);
	/* The refused port was not consumed. */
	assert_int_equal(ut_alloc(fx->d, SELF, 0), 1);
}

static void test_alloc_unbound_stops_at_domu_port_limit(void **state)
{
	struct fixture *fx = *state;

	for (long want = 1; want <= 1023; want++)
		assert_int_equal(ut_alloc(fx->d, SELF, 0), want);
	assert_int_equal(ut_alloc(fx->d, SELF, 0), -XEN_ENOSPC);
	assert_int_equal(hv_evtchn_active_ports(fx->d), 1023);
}

static void test_dom0_ports_stop_at_2l_limit(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	long port = 0;

	for (unsigned i = 1; i < EVTCHN_2L_NR_CHANNELS; i++)
		port = ut_alloc(d0, SELF, 1);
	assert_int_equal(port, EVTCHN_2L_NR_CHANNELS - 1);
	assert_int_equal(ut_alloc(d0, SELF, 1), -XEN_ENOSPC);
}

/* ---- bind_interdomain ---- */

static void test_bind_interdomain_raises_new_local_port(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_status st;
	long a = ut_alloc(fx->d, SELF, SELF), b = ut_bind(fx->d, SELF, 1);

	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_true(ut_bit(s->evtchn_pending, 2));
	assert_false(ut_bit(s->evtchn_pending, 1));
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 1);
	assert_true(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
	assert_int_equal(ut_status(fx->d, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, 2);
	assert_int_equal(ut_status(fx->d, SELF, 2, &st), 0);
	assert_int_equal(st.u.interdomain.port, 1);
}

static void test_bind_interdomain_errors(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);

	assert_int_equal(ut_bind(fx->d, 6, 1), -XEN_ESRCH);
	/* Invalid, free, and not-unbound remote ports. */
	assert_int_equal(ut_bind(fx->d, 2, 5000), -XEN_EINVAL);
	assert_int_equal(ut_bind(fx->d, 2, 3), -XEN_EINVAL);
	assert_int_equal(ut_bind(fx->d, 2, 0), -XEN_EINVAL);
	/* Unbound, but for another domain. */
	assert_int_equal(ut_alloc(d2, SELF, 7), 1);
	assert_int_equal(ut_bind(fx->d, 2, 1), -XEN_EINVAL);
	assert_int_equal(ut_alloc(d2, SELF, 1), 2);
	assert_int_equal(ut_bind(fx->d, 2, 2), 1);
	/* Once bound it is no longer unbound. */
	assert_int_equal(ut_bind(fx->d, 2, 2), -XEN_EINVAL);
}

/* ---- send, mask, unmask ---- */

static void test_send_sets_pending_selector_and_upcall(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct shared_info *s = ut_shared(fx->d);
	long p1;

	/* Port 70 of d1: its word is 1, so selector bit 1. */
	for (unsigned i = 1; i < 70; i++)
		ut_alloc(fx->d, SELF, 9);
	p1 = ut_alloc(fx->d, SELF, 2);
	assert_int_equal(p1, 70);
	assert_int_equal(ut_bind(d2, 1, 70), 1);
	assert_false(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
	assert_int_equal(ut_send(d2, 1), 0);
	assert_true(ut_bit(s->evtchn_pending, 70));
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 2);
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 1);
	assert_true(hv_evtchn_is_pending(fx->d, 70));
}

static void test_send_to_masked_port_sets_only_pending(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_unmask um = { .port = 2 };

	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	s->evtchn_pending[0] = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->evtchn_mask[0] = 1u << 2;
	assert_int_equal(ut_send(fx->d, 1), 0);
	assert_true(ut_bit(s->evtchn_pending, 2));
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 0);
	assert_false(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
	/* EVTCHNOP_unmask clears the mask and raises what was pending. */
	assert_int_equal(EV(fx->d, EVTCHNOP_unmask, um), 0);
	assert_false(ut_bit(s->evtchn_mask, 2));
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 1);
	assert_true(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
}

static void test_send_to_already_pending_port_changes_nothing(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);

	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	/* Port 2 is pending from the bind; the guest took the upcall. */
	s->vcpu_info[0].evtchn_pending_sel = 0;
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	assert_int_equal(ut_send(fx->d, 1), 0);
	assert_int_equal(s->vcpu_info[0].evtchn_pending_sel, 0);
	assert_int_equal(s->vcpu_info[0].evtchn_upcall_pending, 0);
}

static void test_send_errors_and_dropped_sends(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER };
	struct shared_info *s = ut_shared(fx->d);

	assert_int_equal(ut_send(fx->d, 0), -XEN_EINVAL);
	assert_int_equal(ut_send(fx->d, 5), -XEN_EINVAL);   /* free */
	assert_int_equal(ut_send(fx->d, 4096), -XEN_EINVAL);
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), 0);
	assert_int_equal(ut_send(fx->d, v.port), -XEN_EINVAL);
	/* Unbound: nobody to tell, dropped without error. */
	assert_int_equal(ut_alloc(fx->d, SELF, 0), 2);
	assert_int_equal(ut_send(fx->d, 2), 0);
	assert_int_equal(s->evtchn_pending[0], 0);
}

static void test_unmask_errors_and_unpending_port(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_unmask um = { .port = 4096 };

	assert_int_equal(EV(fx->d, EVTCHNOP_unmask, um), -XEN_EINVAL);
	/* A valid but free port: accepted, nothing happens. */
	um.port = 3;
	s->evtchn_mask[0] = 1u << 3;
	assert_int_equal(EV(fx->d, EVTCHNOP_unmask, um), 0);
	assert_true(ut_bit(s->evtchn_mask, 3));
	ut_alloc(fx->d, SELF, 0);
	um.port = 1;
	s->evtchn_mask[0] = 1u << 1;
	assert_int_equal(EV(fx->d, EVTCHNOP_unmask, um), 0);
	assert_false(ut_bit(s->evtchn_mask, 1));
	assert_false(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
}

/* ---- close ---- */

static void test_close_leaves_peer_unbound_to_closer(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct evtchn_status st;

	assert_int_equal(ut_alloc(d2, SELF, 1), 1);
	assert_int_equal(ut_bind(fx->d, 2, 1), 1);
	assert_int_equal(ut_close(fx->d, 1), 0);
	assert_int_equal(ut_status(d2, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(ut_status(fx->d, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	/* And d1 may bind it again. */
	assert_int_equal(ut_bind(fx->d, 2, 1), 1);
}

static void test_close_clears_pending_and_errors(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);

	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	assert_true(ut_bit(s->evtchn_pending, 2));
	assert_int_equal(ut_close(fx->d, 2), 0);
	assert_false(ut_bit(s->evtchn_pending, 2));
	assert_int_equal(ut_close(fx->d, 2), -XEN_EINVAL);
	assert_int_equal(ut_close(fx->d, 0), -XEN_EINVAL);
	assert_int_equal(ut_close(fx->d, 64), -XEN_EINVAL);
	assert_int_equal(ut_close(fx->d, 1), 0);
	assert_int_equal(hv_evtchn_active_ports(fx->d), 0);
}

/* ---- status ---- */

static void test_status_errors_and_privilege(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct evtchn_status st;

	/* Port 0 is reserved; 63 is free inside the first group of 64;
	 * 64 does not exist yet. */
	assert_int_equal(ut_status(fx->d, SELF, 0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(ut_status(fx->d, SELF, 63, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(ut_status(fx->d, SELF, 64, &st), -XEN_EINVAL);
	assert_int_equal(ut_status(fx->d, 5, 1, &st), -XEN_ESRCH);
	assert_int_equal(ut_status(fx->d, 0, 0, &st), -XEN_EPERM);
	ut_alloc(fx->d, SELF, 0);
	assert_int_equal(ut_status(d0, 1, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
}

/* ---- bind_virq, bind_ipi, bind_vcpu ---- */

static void test_bind_virq_and_its_errors(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER };
	struct evtchn_status st;

	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), 0);
	assert_int_equal(v.port, 1);
	assert_int_equal(ut_status(fx->d, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_TIMER);
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), -XEN_EEXIST);
	v.virq = NR_VIRQS;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), -XEN_EINVAL);
	v.virq = 0xffffffffu;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), -XEN_EINVAL);
	v.virq = VIRQ_CONSOLE;
	v.vcpu = 1;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), -XEN_EINVAL);
	v.virq = VIRQ_DEBUG;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), -XEN_ENOENT);
	/* The model raises it; closed, it can be bound again. */
	hv_evtchn_send_virq(&fx->d->vcpu[0], VIRQ_TIMER);
	assert_true(ut_bit(s->evtchn_pending, 1));
	assert_int_equal(ut_close(fx->d, 1), 0);
	v.virq = VIRQ_TIMER;
	v.vcpu = 0;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), 0);
}

static void test_global_virq_raised_on_notify_vcpu(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_bind_virq v = { .virq = VIRQ_CONSOLE };

	assert_int_equal(EV(fx->d, EVTCHNOP_bind_virq, v), 0);
	hv_evtchn_send_global_virq(fx->d, VIRQ_CONSOLE);
	assert_true(ut_bit(s->evtchn_pending, v.port));
	/* Unbound VIRQs are dropped. */
	hv_evtchn_send_global_virq(fx->d, VIRQ_DOM_EXC);
	hv_evtchn_send_virq(&fx->d->vcpu[0], VIRQ_DEBUG);
	assert_int_equal(s->evtchn_pending[0], 1u << v.port);
}

static void test_bind_ipi_raises_own_port(void **state)
{
	struct fixture *fx = *state;
	struct shared_info *s = ut_shared(fx->d);
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_status st;

	assert_int_equal(EV(fx->d, EVTCHNOP_bind_ipi, ipi), 0);
	assert_int_equal(ut_status(fx->d, SELF, ipi.port, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(ut_send(fx->d, ipi.port), 0);
	assert_true(ut_bit(s->evtchn_pending, ipi.port));
	ipi.vcpu = 1;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_ipi, ipi), -XEN_ENOENT);
}

static void test_bind_vcpu_moves_delivery(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 2);
	struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 1 };
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_status st;

	assert_int_equal(ut_alloc(d2, SELF, SELF), 1);
	assert_int_equal(ut_bind(d2, SELF, 1), 2);
	hv_vcpu_info(&d2->vcpu[0])->evtchn_upcall_pending = 0;
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), 0);
	assert_int_equal(ut_status(d2, SELF, 1, &st), 0);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(ut_send(d2, 2), 0);
	assert_true(hv_evtchn_upcall_pending(&d2->vcpu[1]));
	assert_false(hv_evtchn_upcall_pending(&d2->vcpu[0]));
	bv.vcpu = 2;
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), -XEN_ENOENT);
	bv.vcpu = 1;
	bv.port = 9999;
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), -XEN_EINVAL);
	bv.port = 5;   /* free */
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), -XEN_EINVAL);
	assert_int_equal(EV(d2, EVTCHNOP_bind_virq, v), 0);
	bv.port = v.port;   /* a per-vCPU VIRQ stays put */
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), -XEN_EINVAL);
	assert_int_equal(EV(d2, EVTCHNOP_bind_ipi, ipi), 0);
	bv.port = ipi.port;
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), -XEN_EINVAL);
	v.virq = VIRQ_CONSOLE;
	assert_int_equal(EV(d2, EVTCHNOP_bind_virq, v), 0);
	bv.port = v.port;   /* a global one moves */
	assert_int_equal(EV(d2, EVTCHNOP_bind_vcpu, bv), 0);
}

/* ---- reset, unknown ops ---- */

static void test_reset_closes_everything(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d2 = ut_add_domain(fx, 2, false, 1);
	struct evtchn_reset r = { .dom = SELF };
	struct evtchn_status st;

	ut_alloc(d2, SELF, 1);
	ut_bind(fx->d, 2, 1);
	ut_alloc(fx->d, SELF, 0);
	assert_int_equal(EV(fx->d, EVTCHNOP_reset, r), 0);
	assert_int_equal(hv_evtchn_active_ports(fx->d), 0);
	assert_int_equal(ut_status(d2, SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
}

static void test_reset_errors(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct evtchn_reset r = { .dom = 0 };

	assert_int_equal(EV(fx->d, EVTCHNOP_reset, r), -XEN_EPERM);
	r.dom = 6;
	assert_int_equal(EV(fx->d, EVTCHNOP_reset, r), -XEN_ESRCH);
	/* dom0 may, but only on a paused domain; the model never pauses. */
	r.dom = 1;
	assert_int_equal(EV(d0, EVTCHNOP_reset, r), -XEN_EINVAL);
	/* A continuation without a reset under way. */
	r.dom = SELF;
	assert_int_equal(ut_evtchn(fx->d, 14, &r, sizeof(r)), -XEN_EBUSY);
}

static void test_unknown_and_unmodelled_ops(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_bind_pirq p = { .pirq = 1 };

	/* ARM has no physical IRQs: in range -ENOMEM, beyond -EINVAL. */
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_pirq, p), -XEN_ENOMEM);
	p.pirq = 1024;
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_pirq, p), -XEN_EINVAL);
	assert_int_equal(ut_evtchn(fx->d, 15, &p, sizeof(p)), -XEN_ENOSYS);
	assert_int_equal(ut_evtchn(fx->d, -1, &p, sizeof(p)), -XEN_ENOSYS);
}

static void test_bad_argument_pointer_is_efault(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_bind_ipi *ipi;
	uint64_t gpa = fx_gpa(fx->d->mem.region[0].size - 4);
	const uint64_t args[5] = { EVTCHNOP_bind_ipi, gpa, 0, 0, 0 };

	/* The struct straddles the end of RAM: read fails first. */
	assert_int_equal(hv_hypercall(&fx->d->vcpu[0],
				      __HYPERVISOR_event_channel_op, args),
			 -XEN_EFAULT);
	ipi = fx_ptr(fx, fx_gpa(UT_ARG_OFF));
	ipi->vcpu = 0;
	assert_int_equal(fx_hypercall(fx, __HYPERVISOR_event_channel_op,
				      EVTCHNOP_bind_ipi, fx_gpa(UT_ARG_OFF), 0),
			 0);
	assert_int_equal(ipi->port, 1);
}

static void test_dump_lists_ports(void **state)
{
	struct fixture *fx = *state;

	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	hv_evtchn_dump(fx->d);
	assert_true(fx_has_text(fx, "Event channel information for domain 1"));
	assert_true(fx_has_text(fx, "interdomain"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_alloc_unbound_hands_out_lowest_ports_from_1),
		FX_TEST(test_alloc_unbound_self_remote_records_callers_id),
		FX_TEST(test_alloc_unbound_errors),
		FX_TEST(test_alloc_unbound_stops_at_domu_port_limit),
		FX_TEST(test_dom0_ports_stop_at_2l_limit),
		FX_TEST(test_bind_interdomain_raises_new_local_port),
		FX_TEST(test_bind_interdomain_errors),
		FX_TEST(test_send_sets_pending_selector_and_upcall),
		FX_TEST(test_send_to_masked_port_sets_only_pending),
		FX_TEST(test_send_to_already_pending_port_changes_nothing),
		FX_TEST(test_send_errors_and_dropped_sends),
		FX_TEST(test_unmask_errors_and_unpending_port),
		FX_TEST(test_close_leaves_peer_unbound_to_closer),
		FX_TEST(test_close_clears_pending_and_errors),
		FX_TEST(test_status_errors_and_privilege),
		FX_TEST(test_bind_virq_and_its_errors),
		FX_TEST(test_global_virq_raised_on_notify_vcpu),
		FX_TEST(test_bind_ipi_raises_own_port),
		FX_TEST(test_bind_vcpu_moves_delivery),
		FX_TEST(test_reset_closes_everything),
		FX_TEST(test_reset_errors),
		FX_TEST(test_unknown_and_unmodelled_ops),
		FX_TEST(test_bad_argument_pointer_is_efault),
		FX_TEST(test_dump_lists_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
