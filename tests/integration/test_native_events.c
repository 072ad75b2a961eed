/* SPDX-License-Identifier: BSD-2-Clause */
/* Event channels, grants and time end to end, natively: the guest's own
 * layers against the model on the runtime xensim ships (sim_native_*: dom0
 * runs after hypercalls and at each idle, the grant table is audited at
 * each idle, a guest that cannot wake is a deadlock), with the upcall and
 * the timer delivered through the workstation port and a backend in the
 * model (dom0) on the other side; and the whole battery through sim_run
 * with either event ABI, twice, to see the same transcript. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/sched.h>

#include "gxen/evtchn.h"
#include "gxen/gnttab.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/machine.h"
#include "hv/time.h"
#include "kern/page.h"
#include "port.h"
#include "sim.h"

struct hits {
	unsigned n;
	evtchn_port_t port;
};

static void count(evtchn_port_t port, void *arg)
{
	struct hits *h = arg;

	h->n++;
	h->port = port;
}

/* The guest's console during bring-up, to see which ABI it got. */
struct console {
	char line[32][200];
	unsigned n;
};

static bool console_has(const struct console *c, const char *s)
{
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->line[i], s) == 0)
			return true;
	return false;
}

static bool console_has_start(const struct console *c, const char *s)
{
	for (unsigned i = 0; i < c->n; i++)
		if (strncmp(c->line[i], s, strlen(s)) == 0)
			return true;
	return false;
}

static void keep_line(void *ctx, const char *line)
{
	struct console *c = ctx;

	if (c->n < 32)
		snprintf(c->line[c->n++], sizeof(c->line[0]), "%s", line);
}

struct native_guest {
	struct sim_native *sn;
	struct hv_domain *d;        /* the guest */
	struct hv_domain *dom0;     /* backends, model side */
	struct console console;
	unsigned violations_expected;   /* grants ended under a backend */
};

static int start(void **state, const char *bootargs, const char *abi_line)
{
	static struct native_guest ng;
	struct sim_config cfg;
	struct sim_result res;

	memset(&ng, 0, sizeof(ng));
	sim_config_init(&cfg);
	cfg.bootargs = bootargs;
	cfg.console_sink = keep_line;
	cfg.console_ctx = &ng.console;
	ng.sn = sim_native_start(&cfg, &res);
	if (!ng.sn) {
		printf("sim_native_start: %s\n", res.message);
		return -1;
	}
	if (!console_has(&ng.console, abi_line)) {
		printf("the guest did not say \"%s\"\n", abi_line);
		return -1;
	}
	ng.d = sim_native_domain(ng.sn);
	ng.dom0 = sim_native_dom0(ng.sn);
	*state = &ng;
	return 0;
}

static int start_2l(void **state)
{
	return start(state, NULL, "(d1) xensim guest: event channels 2-level "
			    "ABI, grant table 1 of 64 frames");
}

static int start_fifo(void **state)
{
	return start(state, "evtchn-fifo", "(d1) xensim guest: event channels "
			    "FIFO ABI, grant table 1 of 64 frames");
}

/* Each case must leave the guest running (no deadlock, fault or crash)
 * and its grant table with no more violations than the case made. */
static int stop(void **state)
{
	struct native_guest *ng = *state;
	struct sim_result res;
	bool running = sim_native_running(ng->sn, &res);
	unsigned violations = hv_gnttab_violations(ng->d);

	sim_native_stop(ng->sn);
	if (!running) {
		printf("the guest stopped: %s\n", res.message);
		return -1;
	}
	if (violations != ng->violations_expected) {
		printf("%u grant violations, %u expected\n", violations,
		       ng->violations_expected);
		return -1;
	}
	return 0;
}

static void test_loopback_send_runs_peer_handler(void **state)
{
	struct hits a = { 0 }, b = { 0 };
	evtchn_port_t pa, pb;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(DOMID_SELF, count, &a, &pa), 0);
	assert_int_equal(evtchn_bind_interdomain(DOMID_SELF, pa, count, &b,
						 &pb), 0);
	b.n = 0;
	/* Delivered at the hypercall's return: no waiting needed. */
	assert_int_equal(evtchn_notify(pa), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.port, pb);
	assert_int_equal(a.n, 0);
	assert_int_equal(evtchn_notify(pb), 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(evtchn_unbind(pb), 0);
	assert_int_equal(evtchn_unbind(pa), 0);
	assert_int_equal(evtchn_spurious_count() <= 1, 1);
}

static void test_many_sends_each_delivered_once(void **state)
{
	struct hits b = { 0 };
	evtchn_port_t pa, pb;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(DOMID_SELF, count, &b, &pa), 0);
	assert_int_equal(evtchn_bind_interdomain(DOMID_SELF, pa, count, &b,
						 &pb), 0);
	b.n = 0;
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(evtchn_notify(pa), 0);
	assert_int_equal(b.n, 1000);
}

static void test_masked_sends_coalesce_until_unmask(void **state)
{
	struct hits b = { 0 };
	evtchn_port_t pa, pb;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(DOMID_SELF, count, &b, &pa), 0);
	assert_int_equal(evtchn_bind_interdomain(DOMID_SELF, pa, count, &b,
						 &pb), 0);
	b.n = 0;
	evtchn_mask(pb);
	for (unsigned i = 0; i < 5; i++)
		evtchn_notify(pa);
	assert_int_equal(b.n, 0);
	assert_true(evtchn_is_pending(pb));
	evtchn_unmask(pb);
	assert_int_equal(b.n, 1);
}

static void test_model_virq_reaches_guest_handler(void **state)
{
	struct native_guest *ng = *state;
	struct hits h = { 0 };
	evtchn_port_t p;

	assert_int_equal(evtchn_bind_virq(VIRQ_DEBUG, 0, count, &h, &p), 0);
	hv_evtchn_send_virq(&ng->d->vcpu[0], VIRQ_DEBUG);
	/* Raised from the model side: taken at the next delivery point. */
	time_sleep(1000);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.port, p);
}

struct backend {
	unsigned notified;
	evtchn_port_t port;
};

static void backend_notified(void *ctx, struct hv_domain *d,
			     evtchn_port_t port)
{
	struct backend *be = ctx;

	(void)d;
	be->notified++;
	be->port = port;
}

static void test_backend_in_model_talks_with_guest(void **state)
{
	struct native_guest *ng = *state;
	struct backend be = { 0 };
	struct hits h = { 0 };
	evtchn_port_t gport, bport;

	assert_int_equal(evtchn_alloc_unbound(0, count, &h, &gport), 0);
	assert_int_equal(hv_evtchn_bind_interdomain_for(ng->dom0, 1, gport,
							&bport), 0);
	assert_int_equal(hv_evtchn_set_consumer(ng->dom0, bport,
						backend_notified, &be), 0);
	assert_int_equal(evtchn_notify(gport), 0);
	assert_int_equal(be.notified, 1);
	assert_int_equal(be.port, bport);
	assert_int_equal(hv_evtchn_send_from(ng->dom0, bport), 0);
	time_sleep(1000);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.port, gport);
}

static void test_grant_copy_both_ways_with_backend(void **state)
{
	struct native_guest *ng = *state;
	uint8_t *page = page_alloc(1), buf[256];
	struct hv_gnttab_mapping map;
	grant_ref_t ref;

	assert_non_null(page);
	memset(page, 0x5a, PAGE_SIZE);
	assert_int_equal(gnttab_grant_access(0, virt_to_pfn(page), false,
					     &ref), 0);
	/* Backend reads the guest's bytes, then writes its own. */
	assert_int_equal(hv_gnttab_copy_from_ref(ng->dom0, 1, ref, 100, buf,
						 sizeof(buf)), GNTST_okay);
	assert_int_equal(buf[0], 0x5a);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(hv_gnttab_copy_to_ref(ng->dom0, 1, ref, 4000, buf,
					       96), GNTST_okay);
	assert_int_equal(page[4000], 0xa5);
	assert_int_equal(page[3999], 0x5a);
	assert_int_equal(hv_gnttab_copy_to_ref(ng->dom0, 1, ref, 4000, buf,
					       97), GNTST_bad_copy_arg);
	/* While mapped the grant cannot end; after unmap it can. */
	assert_int_equal(hv_gnttab_map_ref(ng->dom0, 1, ref, false, &map),
			 GNTST_okay);
	assert_ptr_equal(map.page, page);
	assert_true(gnttab_in_use(ref));
	assert_int_equal(gnttab_end_access(ref), -XEN_EBUSY);
	assert_int_equal(hv_gnttab_unmap(ng->dom0, map.handle), GNTST_okay);
	assert_int_equal(gnttab_end_access(ref), 0);
	assert_int_equal(hv_gnttab_violations(ng->d), 0);
	page_free(page, 1);
}

static void test_grant_ended_while_mapped_is_reported(void **state)
{
	struct native_guest *ng = *state;
	uint8_t *page = page_alloc(1);
	struct hv_gnttab_mapping map;
	struct grant_entry_v1 *e;
	grant_ref_t ref;

	assert_int_equal(gnttab_grant_access(0, virt_to_pfn(page), true,
					     &ref), 0);
	assert_int_equal(hv_gnttab_map_ref(ng->dom0, 1, ref, true, &map),
			 GNTST_okay);
	ng->violations_expected = 1;
	/* A buggy guest rewrites the entry behind its own layer's back. */
	e = (struct grant_entry_v1 *)gnttab_entry(ref);
	e->flags = 0;
	assert_int_equal(hv_gnttab_audit(ng->d), 1);
	assert_int_equal(hv_gnttab_audit(ng->d), 0);
	assert_int_equal(hv_gnttab_unmap(ng->dom0, map.handle), GNTST_okay);
	assert_int_equal(hv_gnttab_violations(ng->d), 1);
	assert_true(console_has_start(&ng->console, "(XEN) d1 ended grant ref"));
}

/* A reused guest's table back to one frame: every reference free again,
 * handed out from the first, the frames past it given back to Xen and
 * mapped again when the table grows; refused while a peer maps one. */
static void test_grant_table_rewinds_to_one_frame(void **state)
{
	struct native_guest *ng = *state;
	unsigned per_frame = PAGE_SIZE / sizeof(struct grant_entry_v1);
	struct gnttab_batch most;
	struct hv_gnttab_mapping map;
	grant_ref_t first, ref, kept;
	uint8_t *page = page_alloc(1);
	uint64_t gfn1;

	assert_non_null(page);
	assert_int_equal(gnttab_grant_access(0, 0x40000, true, &first), 0);
	assert_int_equal(gnttab_batch_claim(gnttab_free_count() + 10, &most), 0);
	assert_int_equal(gnttab_nr_frames(), 2);
	gfn1 = gnttab_frame_gfn(1);
	assert_int_equal(gnttab_batch_grant(&most, 0, virt_to_pfn(page), false,
					    &kept), 0);
	assert_int_equal(hv_gnttab_map_ref(ng->dom0, 1, kept, false, &map),
			 GNTST_okay);
	assert_int_equal(gnttab_rewind(1, GNTTAB_NR_RESERVED_ENTRIES), -XEN_EBUSY);
	assert_int_equal(gnttab_nr_frames(), 2);
	assert_int_equal(hv_gnttab_unmap(ng->dom0, map.handle), GNTST_okay);

	/* kept is never ended: the rewind frees it all the same. */
	assert_int_equal(gnttab_rewind(1, GNTTAB_NR_RESERVED_ENTRIES), 0);
	assert_int_equal(gnttab_nr_frames(), 1);
	assert_false(hv_gnttab_frame_at(ng->d, gfn1));
	assert_int_equal(gnttab_free_count(),
			 per_frame - GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(gnttab_entry(first)->flags, 0);
	assert_int_equal(gnttab_grant_access(0, 0x40000, true, &ref), 0);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(gnttab_batch_claim(gnttab_free_count() + 1, &most), 0);
	assert_int_equal(gnttab_nr_frames(), 2);
	assert_true(hv_gnttab_frame_at(ng->d, gfn1));
	assert_int_equal(gnttab_rewind(1, GNTTAB_NR_RESERVED_ENTRIES), 0);

	/* A batch claimed below `from` stays claimed. */
	assert_int_equal(gnttab_batch_claim(10, &most), 0);
	assert_int_equal(gnttab_grant_access(0, 0x40000, true, &ref), 0);
	assert_int_equal(gnttab_rewind(1, GNTTAB_NR_RESERVED_ENTRIES + 10), 0);
	assert_int_equal(gnttab_free_count(),
			 per_frame - GNTTAB_NR_RESERVED_ENTRIES - 10);
	assert_int_equal(most.count, 10);
	assert_int_equal(gnttab_grant_access(0, 0x40000, true, &ref), 0);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES + 10);
	gnttab_batch_release(&most);
	page_free(page, 1);
}

static void test_sleep_jumps_virtual_time(void **state)
{
	struct native_guest *ng = *state;
	struct sim_result before, after;
	uint64_t t0;

	assert_true(sim_native_running(ng->sn, &before));
	t0 = time_now();
	time_sleep(5 * NSEC_PER_MSEC);
	assert_true(time_now() >= t0 + 5 * NSEC_PER_MSEC);
	assert_true(sim_native_running(ng->sn, &after));
	/* One jump straight to the deadline, not a busy loop. */
	assert_true(after.idles - before.idles <= 2);
	assert_true(after.virtual_ns >= before.virtual_ns + 5 * NSEC_PER_MSEC);
	assert_true(time_irq_count() >= 1);
}

/* A waiter whose condition looked before the event it waits for came,
 * the event being taken while the condition still ran (here: delivered at
 * the return of the condition's own hypercall), must look again rather
 * than sleep to its timeout with nothing left to wake it. */
struct stale_look {
	bool flag;
	unsigned calls;
	evtchn_port_t port;
};

static void set_flag(evtchn_port_t port, void *arg)
{
	(void)port;
	((struct stale_look *)arg)->flag = true;
}

static bool look_then_notify(void *arg)
{
	struct stale_look *s = arg;
	bool seen = s->flag;

	if (s->calls++ == 0)
		evtchn_notify(s->port);
	return seen;
}

static void test_wait_sees_an_event_taken_while_its_condition_ran(
	void **state)
{
	struct stale_look s = { 0 };
	struct hits a = { 0 };
	evtchn_port_t pb;
	uint64_t t0;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(DOMID_SELF, count, &a, &s.port),
			 0);
	assert_int_equal(evtchn_bind_interdomain(DOMID_SELF, s.port, set_flag,
						 &s, &pb), 0);
	t0 = time_now();
	assert_true(time_wait(look_then_notify, &s, 100 * NSEC_PER_MSEC));
	assert_true(time_now() - t0 < NSEC_PER_MSEC);
	assert_int_equal(s.calls, 2);
	assert_int_equal(evtchn_unbind(pb), 0);
	assert_int_equal(evtchn_unbind(s.port), 0);
}

/* SCHEDOP_block and PSCI CPU_SUSPEND with interrupts masked: as on Xen,
 * the vCPU sleeps until the timer's interrupt is pending (virtual time
 * jumps to it) and returns with interrupts unmasked, the interrupt taken
 * right after the call. */
#define PSCI_CPU_SUSPEND_64 0xc4000001ul

static void fired(struct timeout *t, void *arg)
{
	(void)t;
	(*(unsigned *)arg)++;
}

static void block_or_suspend(bool suspend)
{
	struct timeout t = { 0 };
	unsigned hits = 0;
	unsigned long flags, res[4], enabled;
	uint64_t deadline;

	flags = arch_irq_save();
	deadline = time_now() + NSEC_PER_MSEC;
	timeout_arm(&t, deadline, fired, &hits);
	if (suspend)
		assert_int_equal(arch_smccc_call(PSCI_CPU_SUSPEND_64, 0, 0, 0,
						 res), 0);
	else
		assert_int_equal(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
	assert_int_equal(hits, 1);
	enabled = arch_irq_save();
	assert_int_equal(enabled, 1);
	assert_true(time_now() >= deadline);
	arch_irq_restore(flags);
}

static void test_block_sleeps_until_an_interrupt_and_unmasks(void **state)
{
	(void)state;
	block_or_suspend(false);
}

static void test_cpu_suspend_sleeps_as_block(void **state)
{
	(void)state;
	block_or_suspend(true);
}

/* SCHEDOP_poll on a port nothing signals sleeps until its timeout, an
 * absolute time, and no further. */
static void test_poll_sleeps_until_its_timeout(void **state)
{
	struct hits h = { 0 };
	evtchn_port_t port;
	struct sched_poll p = { .nr_ports = 1 };
	uint64_t now;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(DOMID_SELF, count, &h, &port),
			 0);
	set_xen_guest_handle(p.ports, &port);
	p.timeout = time_now() + NSEC_PER_MSEC;
	assert_int_equal(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0);
	now = time_now();
	assert_true(now >= p.timeout);
	assert_true(now < p.timeout + 1000);
	assert_int_equal(h.n, 0);
	assert_int_equal(evtchn_unbind(port), 0);
}

/* ---- the battery through sim_run ---- */

struct transcript {
	char line[128][200];
	unsigned n;
};

static void capture(void *ctx, const char *line)
{
	struct transcript *t = ctx;

	if (t->n < 128)
		snprintf(t->line[t->n++], sizeof(t->line[0]), "%s", line);
}

static bool has(const struct transcript *t, const char *s)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->line[i], s) == 0)
			return true;
	return false;
}

static void boot(const char *bootargs, struct transcript *t)
{
	struct sim_config cfg;
	struct sim_result res;

	sim_config_init(&cfg);
	cfg.bootargs = bootargs;
	cfg.console_sink = capture;
	cfg.console_ctx = t;
	memset(t, 0, sizeof(*t));
	assert_int_equal(sim_run(&cfg, &res), 0);
	assert_int_equal(res.outcome, SIM_POWEROFF);
}

static void check_battery(const char *bootargs, const char *abi_line)
{
	static const char *const checks[] = {
		"timer_sleep", "timer_timeouts", "evtchn_loopback",
		"evtchn_mask", "evtchn_ipi", "evtchn_errors", "virq_timer",
		"gnttab_setup", "gnttab_self_copy", "gnttab_batch",
	};
	static struct transcript t1, t2;
	char want[100];

	boot(bootargs, &t1);
	boot(bootargs, &t2);
	assert_true(has(&t1, abi_line));
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		snprintf(want, sizeof(want), "(d1) selftest: ok %s", checks[i]);
		if (!has(&t1, want))
			fail_msg("missing \"%s\"", want);
	}
	/* Same inputs, same run. */
	assert_int_equal(t1.n, t2.n);
	for (unsigned i = 0; i < t1.n; i++)
		assert_string_equal(t1.line[i], t2.line[i]);
}

static void test_battery_passes_with_2l_abi_deterministically(void **state)
{
	(void)state;
	check_battery(NULL, "(d1) xensim guest: event channels 2-level ABI, "
			    "grant table 1 of 64 frames");
}

static void test_battery_passes_with_fifo_abi_deterministically(void **state)
{
	(void)state;
	check_battery("evtchn-fifo", "(d1) xensim guest: event channels FIFO "
				     "ABI, grant table 1 of 64 frames");
}

#define BOTH(fn) cmocka_unit_test_setup_teardown(fn, start_2l, stop), \
		 cmocka_unit_test_setup_teardown(fn, start_fifo, stop)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_loopback_send_runs_peer_handler),
		BOTH(test_many_sends_each_delivered_once),
		BOTH(test_masked_sends_coalesce_until_unmask),
		BOTH(test_model_virq_reaches_guest_handler),
		BOTH(test_backend_in_model_talks_with_guest),
		BOTH(test_grant_copy_both_ways_with_backend),
		BOTH(test_grant_ended_while_mapped_is_reported),
		BOTH(test_grant_table_rewinds_to_one_frame),
		BOTH(test_sleep_jumps_virtual_time),
		BOTH(test_wait_sees_an_event_taken_while_its_condition_ran),
		BOTH(test_block_sleeps_until_an_interrupt_and_unmasks),
		BOTH(test_cpu_suspend_sleeps_as_block),
		BOTH(test_poll_sleeps_until_its_timeout),
		cmocka_unit_test(test_battery_passes_with_2l_abi_deterministically),
		cmocka_unit_test(test_battery_passes_with_fifo_abi_deterministically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
