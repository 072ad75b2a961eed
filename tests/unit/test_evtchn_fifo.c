/* SPDX-License-Identifier: BSD-2-Clause */
/* The FIFO event ABI in the model: init_control, expand_array and
 * set_priority with their errors, and the event words, queue heads and
 * READY bits Xen writes when it links events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "hv/evtchn.h"
#include "test_evtchn_util.h"

#define SELF DOMID_SELF
#define CB_OFF    0x10000u     /* control block page */
#define ARRAY_OFF 0x11000u     /* first event-array page */

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1u << EVTCHN_FIFO_LINKED)

static uint64_t gfn_at(uint64_t off)
{
	return fx_gpa(off) >> 12;
}

static long init_control(struct fixture *fx, uint64_t gfn, uint32_t offset,
			 uint32_t vcpu, uint8_t *link_bits)
{
	struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset,
					  .vcpu = vcpu };
	long rc = EV(fx->d, EVTCHNOP_init_control, ic);

	if (link_bits)
		*link_bits = ic.link_bits;
	return rc;
}

static long expand(struct fixture *fx, uint64_t gfn)
{
	struct evtchn_expand_array ea = { .array_gfn = gfn };

	return EV(fx->d, EVTCHNOP_expand_array, ea);
}

static struct evtchn_fifo_control_block *cb(struct fixture *fx)
{
	return fx_ptr(fx, fx_gpa(CB_OFF));
}

static event_word_t *word(struct fixture *fx, evtchn_port_t port)
{
	return (event_word_t *)fx_ptr(fx, fx_gpa(ARRAY_OFF)) + port;
}

/* Switch d1 to FIFO with one page of event words (ports 0..1023). */
static void go_fifo(struct fixture *fx)
{
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 0, NULL), 0);
	assert_int_equal(expand(fx, gfn_at(ARRAY_OFF)), 0);
}

static void test_init_control_reports_link_bits(void **state)
{
	struct fixture *fx = *state;
	uint8_t bits = 0;

	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 0, &bits), 0);
	assert_int_equal(bits, EVTCHN_FIFO_LINK_BITS);
}

static void test_init_control_errors(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_set_priority sp = { .port = 1, .priority = 1 };

	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 1, NULL),
			 -XEN_ENOENT);
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 4096 - 72 + 8, 0,
				      NULL), -XEN_EINVAL);
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 4, 0, NULL),
			 -XEN_EINVAL);
	assert_int_equal(init_control(fx, 0x12345, 0, 0, NULL), -XEN_EINVAL);
	/* A failed first init leaves the 2-level ABI in place. */
	ut_alloc(fx->d, SELF, 0);
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), -XEN_ENOSYS);
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 4096 - 72, 0, NULL),
			 0);
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 0, NULL),
			 -XEN_EINVAL);
}

static void test_expand_array_errors(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(expand(fx, gfn_at(ARRAY_OFF)), -XEN_EOPNOTSUPP);
	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 0, NULL), 0);
	assert_int_equal(expand(fx, 0x12345), -XEN_EINVAL);
	/* 128 pages cover all 2^17 ports; no more. */
	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(expand(fx, gfn_at(ARRAY_OFF) + i), 0);
	assert_int_equal(expand(fx, gfn_at(ARRAY_OFF) + 128), -XEN_ENOSPC);
}

static void test_send_links_event_and_sets_ready(void **state)
{
	struct fixture *fx = *state;

	go_fifo(fx);
	assert_int_equal(ut_alloc(fx->d, SELF, SELF), 1);
	assert_int_equal(ut_bind(fx->d, SELF, 1), 2);
	/* The bind raised port 2 on the default queue (7). */
	assert_int_equal(*word(fx, 2), W_PENDING | W_LINKED);
	assert_int_equal(cb(fx)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], 2);
	assert_int_equal(cb(fx)->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
	assert_true(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
	/* A second event links behind the tail: no new READY needed. */
	ut_shared(fx->d)->vcpu_info[0].evtchn_upcall_pending = 0;
	assert_int_equal(ut_send(fx->d, 2), 0);
	assert_int_equal(*word(fx, 2), W_PENDING | W_LINKED | 1);
	assert_int_equal(*word(fx, 1), W_PENDING | W_LINKED);
	assert_false(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
}

static void test_consumed_tail_makes_next_event_the_head(void **state)
{
	struct fixture *fx = *state;

	go_fifo(fx);
	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	/* The guest consumes port 2: unlinks it, clears PENDING and READY. */
	*word(fx, 2) = 0;
	cb(fx)->ready = 0;
	cb(fx)->head[7] = 0;
	ut_shared(fx->d)->vcpu_info[0].evtchn_upcall_pending = 0;
	assert_int_equal(ut_send(fx->d, 2), 0);
	assert_int_equal(*word(fx, 1), W_PENDING | W_LINKED);
	assert_int_equal(cb(fx)->head[7], 1);
	assert_int_equal(cb(fx)->ready, 1u << 7);
	assert_true(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
}

static void test_masked_event_waits_for_unmask(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_unmask um = { .port = 2 };

	go_fifo(fx);
	*word(fx, 2) = W_MASKED;
	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	assert_int_equal(*word(fx, 2), W_MASKED | W_PENDING);
	assert_int_equal(cb(fx)->ready, 0);
	assert_true(hv_evtchn_is_pending(fx->d, 2));
	assert_true(hv_evtchn_is_masked(fx->d, 2));
	assert_int_equal(EV(fx->d, EVTCHNOP_unmask, um), 0);
	assert_int_equal(*word(fx, 2), W_PENDING | W_LINKED);
	assert_int_equal(cb(fx)->head[7], 2);
}

static void test_set_priority_picks_queue_and_errors(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_set_priority sp = { .port = 2, .priority = 3 };

	go_fifo(fx);
	ut_alloc(fx->d, SELF, SELF);
	assert_int_equal(ut_bind(fx->d, SELF, 1), 2);
	*word(fx, 2) = 0;
	cb(fx)->ready = 0;
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), 0);
	assert_int_equal(ut_send(fx->d, 1), 0);
	assert_int_equal(cb(fx)->head[3], 2);
	assert_int_equal(cb(fx)->ready, 1u << 3);
	sp.priority = 16;
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), -XEN_EINVAL);
	sp.port = 5;   /* free */
	sp.priority = 1;
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), -XEN_EACCES);
	sp.port = 5000;
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), -XEN_EINVAL);
}

static void test_event_without_word_raised_on_expand(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	assert_int_equal(init_control(fx, gfn_at(CB_OFF), 0, 0, NULL), 0);
	assert_int_equal(EV(fx->d, EVTCHNOP_bind_ipi, ipi), 0);
	assert_int_equal(ut_send(fx->d, ipi.port), 0);
	assert_false(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
	assert_int_equal(expand(fx, gfn_at(ARRAY_OFF)), 0);
	assert_int_equal(*word(fx, ipi.port), W_PENDING | W_LINKED);
	assert_true(hv_evtchn_upcall_pending(&fx->d->vcpu[0]));
}

static void test_switch_from_2l_keeps_pending_ports(void **state)
{
	struct fixture *fx = *state;

	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);   /* port 2 pending in shared_info */
	go_fifo(fx);
	assert_int_equal(*word(fx, 2), W_PENDING | W_LINKED);
	assert_int_equal(cb(fx)->head[7], 2);
}

static void test_linked_closed_port_is_not_reused(void **state)
{
	struct fixture *fx = *state;

	go_fifo(fx);
	ut_alloc(fx->d, SELF, SELF);
	ut_bind(fx->d, SELF, 1);
	/* Port 2 is still on a queue when closed: busy until unlinked. */
	assert_int_equal(ut_close(fx->d, 2), 0);
	assert_int_equal(ut_alloc(fx->d, SELF, 0), 3);
	*word(fx, 2) = 0;
	assert_int_equal(ut_alloc(fx->d, SELF, 0), 2);
}

static void test_reset_returns_to_2l(void **state)
{
	struct fixture *fx = *state;
	struct evtchn_reset r = { .dom = SELF };
	struct evtchn_set_priority sp = { .port = 1, .priority = 1 };

	go_fifo(fx);
	ut_alloc(fx->d, SELF, 0);
	assert_int_equal(EV(fx->d, EVTCHNOP_reset, r), 0);
	ut_alloc(fx->d, SELF, 0);
	assert_int_equal(EV(fx->d, EVTCHNOP_set_priority, sp), -XEN_ENOSYS);
	assert_int_equal(expand(fx, gfn_at(ARRAY_OFF)), -XEN_EOPNOTSUPP);
}

static void test_fifo_ports_go_past_2l_limit_for_dom0(void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d0 = ut_add_domain(fx, 0, true, 1);
	struct evtchn_init_control ic = { .control_gfn = (GUEST_RAM0_BASE >> 12) +
						       0x10, .vcpu = 0 };
	long port = 0;

	assert_int_equal(EV(d0, EVTCHNOP_init_control, ic), 0);
	for (unsigned i = 1; i <= EVTCHN_2L_NR_CHANNELS; i++)
		port = ut_alloc(d0, SELF, 1);
	assert_int_equal(port, EVTCHN_2L_NR_CHANNELS);
}

/* As Xen's event_fifo.c: an event for a vCPU with no control block of its
 * own is left PENDING in its word (a poller sees it) but linked on no
 * queue and raises no upcall; once the vCPU has a block, the next event
 * is queued on it. */
static void test_event_for_vcpu_without_control_block_stays_unlinked(
	void **state)
{
	struct fixture *fx = *state;
	struct hv_domain *d = ut_add_domain(fx, 2, false, 2);
	uint64_t base = d->mem.region[0].gpa >> 12;
	struct evtchn_init_control ic = { .control_gfn = base + 0x10,
					  .vcpu = 0 };
	struct evtchn_expand_array ea = { .array_gfn = base + 0x11 };
	struct evtchn_bind_ipi ipi = { .vcpu = 1 };
	event_word_t *w = hv_gpa_ptr(&d->mem, (base + 0x11) << 12, 4096);
	struct evtchn_fifo_control_block *cb1 =
		hv_gpa_ptr(&d->mem, (base + 0x12) << 12, 4096);

	assert_int_equal(EV(d, EVTCHNOP_init_control, ic), 0);
	assert_int_equal(EV(d, EVTCHNOP_expand_array, ea), 0);
	assert_int_equal(EV(d, EVTCHNOP_bind_ipi, ipi), 0);
	assert_int_equal(ut_send(d, ipi.port), 0);
	assert_int_equal(w[ipi.port], W_PENDING);
	assert_true(hv_evtchn_is_pending(d, ipi.port));
	assert_false(hv_evtchn_upcall_pending(&d->vcpu[0]));
	assert_false(hv_evtchn_upcall_pending(&d->vcpu[1]));
	/* vCPU 1 gets its block (any vCPU may name it); the guest took the
	 * event; the next one is queued on vCPU 1. */
	ic.control_gfn = base + 0x12;
	ic.vcpu = 1;
	assert_int_equal(EV(d, EVTCHNOP_init_control, ic), 0);
	w[ipi.port] = 0;
	assert_int_equal(ut_send(d, ipi.port), 0);
	assert_int_equal(w[ipi.port], W_PENDING | W_LINKED);
	assert_int_equal(cb1->head[EVTCHN_FIFO_PRIORITY_DEFAULT], ipi.port);
	assert_true(hv_evtchn_upcall_pending(&d->vcpu[1]));
	assert_false(hv_evtchn_upcall_pending(&d->vcpu[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_init_control_reports_link_bits),
		FX_TEST(test_init_control_errors),
		FX_TEST(test_expand_array_errors),
		FX_TEST(test_send_links_event_and_sets_ready),
		FX_TEST(test_consumed_tail_makes_next_event_the_head),
		FX_TEST(test_masked_event_waits_for_unmask),
		FX_TEST(test_set_priority_picks_queue_and_errors),
		FX_TEST(test_event_without_word_raised_on_expand),
		FX_TEST(test_switch_from_2l_keeps_pending_ports),
		FX_TEST(test_linked_closed_port_is_not_reused),
		FX_TEST(test_reset_returns_to_2l),
		FX_TEST(test_fifo_ports_go_past_2l_limit_for_dom0),
		FX_TEST(test_event_for_vcpu_without_control_block_stays_unlinked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
