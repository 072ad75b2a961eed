/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's xenstore client as it boots (xenstore_init: the store's event
 * channel and a timer), natively against the model's xenstored: a waiting
 * request wakes on the store's event, not on a periodic tick, and the
 * timer only ends a request the daemon never answers. Virtual time and the
 * native port's idle count show how the client waited. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "gxen/time.h"
#include "gxen/xenbus.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "hv/evtchn.h"
#include "hv/time.h"
#include "hv/xs.h"
#include "hv/xs_link.h"
#include "hv/xs_ring.h"
#include "sim.h"

#define BE "/local/domain/0/backend/vif/1/0"

/* xenstore.c's request timeout. */
#define REQUEST_TIMEOUT (5000 * NSEC_PER_MSEC)

/* The native runtime without its own xenstored: this test's daemon serves
 * the guest's ring only from model timers, at the virtual times it picks. */
static struct world {
	struct sim_native *sn;
	struct hv_machine *m;
	struct hv_xs *xs;
	struct hv_xs_link link;
	bool prompt;                  /* serve each kick at the guest's idle */
	struct hv_timer turn;         /* ...through this timer */
	struct hv_timer later;        /* dom0's turn at a chosen time */
} world;

/* What the guest waited through, from a snapshot to now. */
struct span {
	uint64_t start_ns, ns;
	uint64_t start_idles, idles;
	unsigned start_ticks, ticks;  /* the guest's timer interrupts */
};

static uint64_t idles_so_far(void)
{
	struct sim_result res;

	assert_true(sim_native_running(world.sn, &res));
	return res.idles;
}

static void span_begin(struct span *s)
{
	s->start_ns = hv_time_now(world.m);
	s->start_idles = idles_so_far();
	s->start_ticks = time_irq_count();
}

static void span_end(struct span *s)
{
	s->ns = hv_time_now(world.m) - s->start_ns;
	s->idles = idles_so_far() - s->start_idles;
	s->ticks = time_irq_count() - s->start_ticks;
}

static void dom0_serves(struct hv_timer *t, void *ctx)
{
	struct world *w = ctx;

	(void)t;
	hv_xs_link_run(&w->link);
}

/* The guest kicked the store's channel (dom0's end). A prompt daemon
 * serves at the guest's next idle: a timer due now fires there. */
static void guest_kicked(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct world *w = ctx;

	(void)d;
	(void)port;
	w->link.kicked = true;
	if (w->prompt) {
		hv_timer_init(&w->turn, dom0_serves, w);
		hv_timer_arm(w->m, &w->turn, hv_time_now(w->m));
	}
}

/* dom0 notifies the guest without having written anything. */
static void dom0_spurious(struct hv_timer *t, void *ctx)
{
	struct world *w = ctx;

	(void)t;
	hv_evtchn_send_from(w->link.dom0, w->link.dom0_port);
}

/* dom0's backend moves to Connected: the daemon tells the watchers. */
static void backend_connects(struct hv_timer *t, void *ctx)
{
	struct world *w = ctx;

	(void)t;
	hv_xs_write_str(w->xs, BE "/state", "4");
	hv_xs_ring_kick(w->link.ring);
}

/* dom0 takes its turn delay_ns from now. */
static void dom0_after(uint64_t delay_ns, hv_timer_fn *fn)
{
	hv_timer_init(&world.later, fn, &world);
	hv_timer_arm(world.m, &world.later, hv_time_now(world.m) + delay_ns);
}

static int setup(void **state)
{
	struct world *w = &world;
	struct sim_config cfg;
	struct sim_result res;

	(void)state;
	sim_config_init(&cfg);
	cfg.no_xenstore = true;
	cfg.log_level = HV_LOG_WARN;
	w->sn = sim_native_start(&cfg, &res);
	if (!w->sn) {
		printf("sim_native_start: %s\n", res.message);
		return -1;
	}
	w->m = sim_native_machine(w->sn);
	w->xs = hv_xs_new(NULL);
	if (!w->xs || hv_xs_link_connect(&w->link, w->xs, sim_native_dom0(w->sn),
					 sim_native_domain(w->sn)))
		return -1;
	if (hv_evtchn_set_consumer(w->link.dom0, w->link.dom0_port,
				   guest_kicked, w))
		return -1;
	/* The daemon answers the connection handshake at once. */
	w->prompt = true;
	if (xenstore_init())
		return -1;
	w->prompt = false;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = &world;

	(void)state;
	hv_timer_cancel(w->m, &w->later);
	hv_timer_cancel(w->m, &w->turn);
	xs_disconnect();
	hv_xs_link_disconnect(&w->link);
	hv_xs_free(w->xs);
	sim_native_stop(w->sn);
	return 0;
}

static void test_xs_round_trip_with_a_prompt_daemon_takes_no_poll_tick(void **state)
{
	struct span s;
	char buf[16];

	(void)state;
	world.prompt = true;
	span_begin(&s);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(xs_read(XBT_NIL, "name", buf, sizeof(buf)), 5);
	span_end(&s);
	assert_string_equal(buf, "guest");
	/* A request idles at most once (the reply may come before it even
	 * idles) and the reply's event ends that idle: virtual time only
	 * moves by the clock reads, far from a poll tick. */
	assert_true(s.idles <= 10);
	assert_int_equal(s.ticks, 0);
	assert_true(s.ns < 10 * NSEC_PER_USEC);
}

static void test_xs_request_wakes_when_the_daemon_answers(void **state)
{
	struct span s;
	char buf[16];

	(void)state;
	dom0_after(25 * NSEC_PER_MSEC, dom0_serves);
	span_begin(&s);
	assert_int_equal(xs_read(XBT_NIL, "name", buf, sizeof(buf)), 5);
	span_end(&s);
	assert_string_equal(buf, "guest");
	/* One idle: time jumps straight to the answer, whose event wakes the
	 * guest; no timer interrupt on the way (a 10 ms poll would take two,
	 * at 10 and 20 ms). */
	assert_int_equal(s.idles, 1);
	assert_int_equal(s.ticks, 0);
	assert_true(s.ns >= 25 * NSEC_PER_MSEC);
	assert_true(s.ns < 25 * NSEC_PER_MSEC + 10 * NSEC_PER_USEC);
}

static void test_xs_request_sleeps_again_after_a_spurious_event(void **state)
{
	struct hv_timer answer;
	struct span s;
	char buf[16];

	(void)state;
	dom0_after(3 * NSEC_PER_MSEC, dom0_spurious);
	hv_timer_init(&answer, dom0_serves, &world);
	hv_timer_arm(world.m, &answer, hv_time_now(world.m) + 25 * NSEC_PER_MSEC);
	span_begin(&s);
	assert_int_equal(xs_read(XBT_NIL, "name", buf, sizeof(buf)), 5);
	span_end(&s);
	hv_timer_cancel(world.m, &answer);
	assert_string_equal(buf, "guest");
	/* Woken at 3 ms by an event that brought nothing, idle again until
	 * the answer at 25 ms. */
	assert_int_equal(s.idles, 2);
	assert_int_equal(s.ticks, 0);
	assert_true(s.ns >= 25 * NSEC_PER_MSEC);
	assert_true(s.ns < 25 * NSEC_PER_MSEC + 10 * NSEC_PER_USEC);
}

static void test_xs_request_times_out_on_a_silent_daemon(void **state)
{
	struct span s;
	char buf[16];

	(void)state;
	span_begin(&s);
	assert_int_equal(xs_read(XBT_NIL, "name", buf, sizeof(buf)),
			 -XEN_ETIMEDOUT);
	span_end(&s);
	assert_false(xs_connected());
	/* The timeout's own timer ends the one idle, in virtual time. */
	assert_int_equal(s.idles, 1);
	assert_int_equal(s.ticks, 1);
	assert_true(s.ns >= REQUEST_TIMEOUT);
	assert_true(s.ns < REQUEST_TIMEOUT + 10 * NSEC_PER_USEC);
}

static void test_xenbus_wait_wakes_on_the_backend_state(void **state)
{
	const struct hv_xs_perm be_perms[] = { { 0, HV_XS_PERM_NONE },
					       { 1, HV_XS_PERM_READ } };
	static struct xenbus_device dev;
	struct span s;

	(void)state;
	assert_int_equal(hv_xs_write_str(world.xs, BE "/state", "2"), 0);
	assert_int_equal(hv_xs_set_perms(world.xs, BE "/state", be_perms, 2), 0);
	snprintf(dev.otherend, sizeof(dev.otherend), "%s", BE);
	/* The daemon answers each request when the guest idles, and the
	 * backend connects 25 ms from now. */
	hv_timer_init(&world.later, backend_connects, &world);
	hv_timer_arm(world.m, &world.later,
		     hv_time_now(world.m) + 25 * NSEC_PER_MSEC);
	world.prompt = true;
	span_begin(&s);
	assert_int_equal(xenbus_wait_for_otherend(&dev, XenbusStateConnected,
						  REQUEST_TIMEOUT), 0);
	span_end(&s);
	/* Nobody asked for a watch: the wait held one, so the write's watch
	 * event woke it when it came, with no timer interrupt before. */
	assert_int_equal(s.ticks, 0);
	assert_true(s.ns >= 25 * NSEC_PER_MSEC);
	assert_true(s.ns < 25 * NSEC_PER_MSEC + 10 * NSEC_PER_USEC);
	assert_true(xs_connected());
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_xs_round_trip_with_a_prompt_daemon_takes_no_poll_tick),
		T(test_xs_request_wakes_when_the_daemon_answers),
		T(test_xs_request_sleeps_again_after_a_spurious_event),
		T(test_xs_request_times_out_on_a_silent_daemon),
		T(test_xenbus_wait_wakes_on_the_backend_state),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
