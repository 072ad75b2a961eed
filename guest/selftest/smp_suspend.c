/* SPDX-License-Identifier: BSD-2-Clause */
/* Secondary CPUs that stay online across suspends (bootarg "smp-suspend",
 * with xensim run --suspend-resume and --vcpus 2..8). Every CPU but 0 runs
 * a loop, interrupts masked, that takes the events bound to it (its IPI,
 * an event bound to it with EVTCHNOP_bind_vcpu) and its own timer, while
 * CPU 0 sends it events from a periodic timeout. When the toolstack asks
 * for a suspend, CPU 0 parks each secondary at a known point (its timer
 * stopped, its events taken, acknowledged in memory), suspends, then lets
 * each go on in turn: after a resume in a new domain each registers again
 * what the new domain lacks (its vcpu_info, runstate area, FIFO control
 * block) and binds its ports again, itself; after a cancelled suspend it
 * registers nothing. Then the checks: IPIs to each CPU and back, the
 * event bound to each delivered there, each CPU's timer, and
 * smp_shared_ring with CPU 1 online. One "smp-suspend: ok|FAIL NAME: ..."
 * line per step, then "smp-suspend: N passed, N failed, N skipped". The
 * secondaries' words are theirs to write; CPU 0 only reads them once a
 * secondary acknowledged its command. */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "gxen/control.h"
#include "gxen/dt.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/time.h"
#include "kern/boot.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest.h"
#include "selftest_checks.h"

#define STACK_PAGES   4
#define RUNSTATE_AT   2048            /* the runstate area, in the info page */
#define SLICE_NS      (100 * NSEC_PER_USEC)  /* a secondary looks this often */
#define KICK_NS       (40 * NSEC_PER_USEC)   /* CPU 0's events while waiting */
#define TIMER_NS      (30 * NSEC_PER_USEC)   /* a secondary's timer period */
#define WAIT_NS       (100 * NSEC_PER_MSEC)  /* bound on CPU 0's waits */
#define IPI_ROUNDS    3u
#define POISON_STATE  0x5a5a

enum smp_cmd {
	CMD_PARK,          /* timer stopped, events taken, then wait */
	CMD_RESUME_NEW,    /* register everything again, then run on */
	CMD_RESUME_SAME,   /* the suspend was cancelled: run on */
	CMD_RUN_FN,        /* run fn(fn_arg), timer stopped, then run on */
};

/* One secondary CPU. CPU 0 writes cmd, fn, fn_arg, then seq; the CPU
 * writes the rest, then done = seq. */
struct smp_cpu {
	unsigned id;
	struct arch_cpu_boot boot;
	struct vcpu_info *info;          /* page start; runstate at RUNSTATE_AT */
	unsigned seq, done;
	enum smp_cmd cmd;
	void (*fn)(void *arg);
	void *fn_arg;
	bool parked;
	bool registered;                 /* its vcpu_info, by the battery */
	/* Its ports (this domain's numbers) and what setting them up gave. */
	evtchn_port_t ipi, bound, bound_peer, virq;
	long reg_rc, reg_again_rc, runstate_rc;
	int fifo_rc, bind_rc;
	int32_t runstate_seen;
	bool virq_on_it;
	/* Counted as taken: events (and those flagged in its vcpu_info), its
	 * timer's expiries and any that came before their deadline. */
	unsigned ipis, ipis_flagged, bounds, bounds_flagged, timers, early;
	unsigned busy_base[3];           /* CPU 0's: counts as a cycle began */
	uint64_t deadline;
};

struct smp_run {
	unsigned passed, failed;
	unsigned nr;                     /* secondaries: cpu[1..nr] */
	evtchn_port_t reply;             /* CPU 0's: each secondary answers */
	struct timeout kick;
	bool kicking;
	unsigned cycle;
};

static struct smp_cpu cpus[DT_MAX_CPUS];
static struct smp_run run;

static bool result(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = selftest_step("smp-suspend", &run.passed, &run.failed, ok, name,
			   fmt, ap);
	va_end(ap);
	return ok;
}

static unsigned load(const unsigned *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* ---- the secondary's side (interrupts masked throughout) ---- */

static struct vcpu_runstate_info *runstate_of(struct smp_cpu *c)
{
	return (struct vcpu_runstate_info *)((char *)c->info + RUNSTATE_AT);
}

/* A handler the FIFO walk of this CPU's queues may call for the port it
 * was not asked about: counted as taken there. */
static void on_event(evtchn_port_t port, void *arg)
{
	struct smp_cpu *c = arg;

	if (port == c->ipi) {
		c->ipis++;
		c->ipis_flagged++;
	} else if (port == c->bound) {
		c->bounds++;
		c->bounds_flagged++;
	}
}

static void ignore(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

/* Whatever Xen flagged in a fresh vcpu_info (everything, so nothing is
 * lost in the move) is taken, so that polls sleep again. */
static void take_flags(struct smp_cpu *c)
{
	evtchn_cpu_take(c->id, c->info, 0);
}

static long register_info(struct smp_cpu *c)
{
	struct vcpu_register_vcpu_info reg = {
		.mfn = virt_to_pfn(c->info),
		.offset = (uint32_t)(arch_virt_to_phys(c->info) &
				     (PAGE_SIZE - 1)),
	};

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, c->id, &reg);
}

static long register_runstate(struct smp_cpu *c)
{
	struct vcpu_register_runstate_memory_area area;

	area.addr.p = (uint64_t)(uintptr_t)runstate_of(c);
	runstate_of(c)->state = POISON_STATE;
	return HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, c->id,
				  &area);
}

static bool virq_bound_here(struct smp_cpu *c)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = c->virq };

	return HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) == 0 &&
	       st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER &&
	       st.vcpu == c->id;
}

/* Its IPI, its timer VIRQ (Xen on ARM never raises it; bound as a port
 * would bind its per-CPU VIRQs), a loopback pair whose receiving end is
 * moved to this CPU. */
static int bind_own_ports(struct smp_cpu *c)
{
	int rc = evtchn_bind_ipi(c->id, on_event, c, &c->ipi);

	if (!rc)
		rc = evtchn_bind_virq(VIRQ_TIMER, c->id, ignore, NULL, &c->virq);
	if (!rc)
		rc = evtchn_alloc_unbound(DOMID_SELF, on_event, c, &c->bound);
	if (!rc)
		rc = evtchn_bind_interdomain(DOMID_SELF, c->bound, ignore, NULL,
					     &c->bound_peer);
	if (!rc)
		rc = evtchn_bind_vcpu(c->bound, c->id);
	return rc;
}

/* What a new domain lacks, registered by the CPU itself: vcpu_info
 * (once per vCPU and domain: a second is refused), runstate area, FIFO
 * control block, then its ports. */
static void register_all(struct smp_cpu *c)
{
	c->reg_rc = c->registered ? 0 : register_info(c);
	c->registered = false;
	c->reg_again_rc = register_info(c);
	c->runstate_rc = register_runstate(c);
	c->runstate_seen = runstate_of(c)->state;
	c->fifo_rc = evtchn_cpu_init(c->id);
	c->bind_rc = bind_own_ports(c);
	c->virq_on_it = !c->bind_rc && virq_bound_here(c);
	take_flags(c);
}

static void timer_start(struct smp_cpu *c)
{
	c->deadline = arch_time_ns() + TIMER_NS;
	arch_timer_set(c->deadline);
}

static void timer_look(struct smp_cpu *c)
{
	if (!arch_timer_fired())
		return;
	c->timers++;
	if (arch_time_ns() < c->deadline)
		c->early++;
	timer_start(c);
}

static void take_one(struct smp_cpu *c, evtchn_port_t port, unsigned *taken,
		     unsigned *flagged)
{
	bool was_flagged;

	if (!evtchn_is_pending(port))
		return;
	/* Consumed before counted: CPU 0 sends the next IPI as soon as it
	 * sees the count, and one sent while this is still pending merges
	 * into it and is lost. */
	was_flagged = evtchn_cpu_take(c->id, c->info, port);
	if (was_flagged)
		(*flagged)++;
	__atomic_store_n(taken, *taken + 1, __ATOMIC_RELEASE);
}

/* Sleep until one of its ports is pending, its timer interrupt comes,
 * or a slice passed; take what came and answer CPU 0. */
static void take_events(struct smp_cpu *c)
{
	evtchn_port_t ports[2] = { c->ipi, c->bound };
	struct sched_poll p = { .nr_ports = 2, .timeout = 0 };
	unsigned before = c->ipis + c->bounds + c->timers;

	set_xen_guest_handle(p.ports, ports);
	p.timeout = arch_time_ns() + SLICE_NS;
	HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	take_one(c, c->ipi, &c->ipis, &c->ipis_flagged);
	take_one(c, c->bound, &c->bounds, &c->bounds_flagged);
	timer_look(c);
	/* Flagged with nothing of ours pending: taken, or every poll would
	 * end at once. */
	if (__atomic_load_n(&c->info->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
		take_flags(c);
	if (c->ipis + c->bounds + c->timers != before)
		evtchn_notify(run.reply);
}

static void acknowledge(struct smp_cpu *c, unsigned seq)
{
	__atomic_store_n(&c->done, seq, __ATOMIC_RELEASE);
	if (run.reply)
		evtchn_notify(run.reply);
}

/* Parked: nothing bound to it fires (CPU 0 sends nothing now), its timer
 * is off; it looks for the next command each slice, polling no port. */
static void park(struct smp_cpu *c, unsigned seq)
{
	arch_timer_set(0);
	take_one(c, c->ipi, &c->ipis, &c->ipis_flagged);
	take_one(c, c->bound, &c->bounds, &c->bounds_flagged);
	c->parked = true;
	acknowledge(c, seq);
	while (load(&c->seq) == seq) {
		struct sched_poll p = { .nr_ports = 0 };

		p.timeout = arch_time_ns() + SLICE_NS;
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	}
}

static void obey(struct smp_cpu *c, unsigned seq)
{
	switch (c->cmd) {
	case CMD_PARK:
		park(c, seq);
		return;                    /* the next command is there */
	case CMD_RESUME_NEW:
		register_all(c);
		c->parked = false;
		timer_start(c);
		break;
	case CMD_RESUME_SAME:
		/* Everything is still registered: a second registration is
		 * still refused. */
		c->reg_again_rc = register_info(c);
		c->parked = false;
		timer_start(c);
		break;
	case CMD_RUN_FN:
		arch_timer_set(0);
		c->fn(c->fn_arg);
		timer_start(c);
		break;
	}
	acknowledge(c, seq);
}

static void secondary_main(void *arg)
{
	struct smp_cpu *c = arg;

	register_all(c);
	timer_start(c);
	acknowledge(c, 0);
	for (;;) {
		unsigned seq = load(&c->seq);

		if (seq != c->done)
			obey(c, seq);
		else
			take_events(c);
	}
}

/* ---- CPU 0's side ---- */

struct done_wait {
	struct smp_cpu *c;
	unsigned seq;
};

static bool is_done(void *arg)
{
	struct done_wait *w = arg;

	return load(&w->c->done) == w->seq;
}

/* Hand c a command and wait, interrupts on, until it acknowledged it. A
 * busy CPU is woken by its IPI; a parked one looks each slice. */
static bool command(struct smp_cpu *c, enum smp_cmd cmd)
{
	struct done_wait w = { c, c->seq + 1 };

	c->cmd = cmd;
	__atomic_store_n(&c->seq, w.seq, __ATOMIC_RELEASE);
	if (!c->parked)
		evtchn_notify(c->ipi);
	return time_wait(is_done, &w, WAIT_NS);
}

static struct smp_cpu *ring_cpu;

/* smp_shared_ring's start: CPU 1 is online, so it is handed the
 * consumer's function and woken by its IPI; CPU 0 waits for the ring's
 * end and then for CPU 1's acknowledgement. */
static long hand_to_cpu1(void (*fn)(void *arg), void *arg)
{
	struct smp_cpu *c = ring_cpu;

	c->fn = fn;
	c->fn_arg = arg;
	c->cmd = CMD_RUN_FN;
	__atomic_store_n(&c->seq, c->seq + 1, __ATOMIC_RELEASE);
	evtchn_notify(c->ipi);
	return 0;
}

static void kick(struct timeout *t, void *arg)
{
	(void)arg;
	for (unsigned i = 1; i <= run.nr; i++) {
		evtchn_notify(cpus[i].ipi);
		evtchn_notify(cpus[i].bound_peer);
	}
	timeout_arm(t, time_now() + KICK_NS, kick, NULL);
}

static void kicks_start(void)
{
	memset(&run.kick, 0, sizeof(run.kick));
	timeout_arm(&run.kick, time_now() + KICK_NS, kick, NULL);
	run.kicking = true;
}

static void kicks_stop(void)
{
	if (run.kicking)
		timeout_cancel(&run.kick);
	run.kicking = false;
}

static bool busy(void *arg)
{
	(void)arg;
	for (unsigned i = 1; i <= run.nr; i++)
		if (load(&cpus[i].ipis) == cpus[i].busy_base[0] ||
		    load(&cpus[i].bounds) == cpus[i].busy_base[1] ||
		    load(&cpus[i].timers) == cpus[i].busy_base[2])
			return false;
	return true;
}

static int bind_reply(void)
{
	int rc = evtchn_bind_ipi(0, ignore, NULL, &run.reply);

	return rc;
}

static bool start_secondaries(void)
{
	for (unsigned i = 1; i <= run.nr; i++) {
		struct smp_cpu *c = &cpus[i];
		struct done_wait w = { c, 0 };
		void *stack = page_alloc(STACK_PAGES);
		long rc;

		c->id = i;
		c->done = ~0u;
		/* The battery registered CPU 1's for good. */
		c->info = i == 1 ? smp_cpu1_vcpu_info() : NULL;
		c->registered = c->info != NULL;
		if (!c->info && (c->info = page_alloc(1)))
			memset(c->info, 0, PAGE_SIZE);
		if (!stack || !c->info)
			return result(false, "cpus-online", "no pages for CPU %u",
				      i);
		c->boot.stack_top = (unsigned long)stack +
				    STACK_PAGES * PAGE_SIZE;
		c->boot.fn = secondary_main;
		c->boot.arg = c;
		arch_mb();
		rc = arch_cpu_start(boot_dt.cpu_mpidr[i], &c->boot);
		if (rc || !time_wait(is_done, &w, WAIT_NS))
			return result(false, "cpus-online", "CPU %u: CPU_ON %ld, "
				      "acknowledged %d", i, rc, rc == 0);
	}
	return true;
}

/* What each secondary registered and bound, at boot or after a resume in
 * a new domain; after a cancelled suspend only that its registration is
 * still there (a second one still refused). */
static void report_registrations(const char *name, bool new_domain)
{
	for (unsigned i = 1; i <= run.nr; i++) {
		struct smp_cpu *c = &cpus[i];

		if (!new_domain) {
			result(c->reg_again_rc == -XEN_EINVAL, name, "cycle %u: "
			       "CPU %u registered nothing again; its vcpu_info "
			       "still registered (a second registration: %ld)",
			       run.cycle, i, c->reg_again_rc);
			continue;
		}
		result(c->reg_rc == 0 && c->reg_again_rc == -XEN_EINVAL &&
		       c->runstate_rc == 0 && c->runstate_seen == RUNSTATE_running &&
		       c->fifo_rc == 0 && c->bind_rc == 0 && c->virq_on_it, name,
		       "cycle %u: CPU %u: vcpu_info %ld (a second: %ld), runstate "
		       "area %ld (state %d), %s control block %d, IPI, timer "
		       "VIRQ and bound port %d%s", run.cycle, i, c->reg_rc,
		       c->reg_again_rc, c->runstate_rc, c->runstate_seen,
		       evtchn_abi_name(), c->fifo_rc, c->bind_rc,
		       c->virq_on_it ? "" : ", timer VIRQ not on it");
	}
}

struct count_wait {
	const unsigned *count;
	unsigned want;
};

static bool count_reached(void *arg)
{
	struct count_wait *w = arg;

	return load(w->count) >= w->want;
}

static bool wait_count(const unsigned *count, unsigned want)
{
	struct count_wait w = { count, want };

	return time_wait(count_reached, &w, WAIT_NS);
}

/* IPI_ROUNDS IPIs, one at a time, each taken on the CPU (flagged in its
 * vcpu_info) and answered; then the event bound to it; then its timer. */
static void check_cpu(struct smp_cpu *c)
{
	unsigned ipis = c->ipis, flagged = c->ipis_flagged;
	unsigned bounds = c->bounds, bflagged = c->bounds_flagged;
	unsigned timers = c->timers, early = c->early, sent = 0;
	char name[16];
	bool ok;

	for (unsigned k = 0; k < IPI_ROUNDS; k++)
		if (evtchn_notify(c->ipi) == 0 &&
		    wait_count(&c->ipis, ipis + k + 1))
			sent++;
	ksnprintf(name, sizeof(name), "ipi-cpu%u", c->id);
	result(sent == IPI_ROUNDS && c->ipis_flagged - flagged == IPI_ROUNDS,
	       name, "cycle %u: %u IPI(s) to CPU %u taken there, %u flagged in "
	       "its vcpu_info, each answered by an IPI to CPU 0", run.cycle,
	       sent, c->id, c->ipis_flagged - flagged);
	ksnprintf(name, sizeof(name), "bound-cpu%u", c->id);
	ok = evtchn_notify(c->bound_peer) == 0 &&
	     wait_count(&c->bounds, bounds + 1);
	result(ok && c->bounds_flagged == bflagged + 1, name, "cycle %u: the "
	       "event bound to CPU %u delivered there (%u taken, %u flagged in "
	       "its vcpu_info)", run.cycle, c->id, c->bounds - bounds,
	       c->bounds_flagged - bflagged);
	ksnprintf(name, sizeof(name), "timer-cpu%u", c->id);
	ok = wait_count(&c->timers, timers + 2);
	result(ok && c->early == early, name, "cycle %u: CPU %u's timer fired "
	       "twice, never before its deadline", run.cycle, c->id);
}

static void check_cpu0_timer(void)
{
	unsigned before = time_irq_count();

	time_sleep(TIMER_NS);
	result(time_irq_count() > before, "timer-cpu0", "cycle %u: CPU 0's "
	       "timer interrupt came", run.cycle);
}

static void check_shared_ring(void)
{
	struct selftest_ctx ctx = { .name = "smp_shared_ring" };
	struct done_wait w;
	bool acked;

	ring_cpu = &cpus[1];
	w.c = ring_cpu;
	w.seq = ring_cpu->seq + 1;
	smp_shared_ring_run(&ctx, hand_to_cpu1);
	acked = time_wait(is_done, &w, WAIT_NS);
	result(!ctx.failures && ctx.assertions && acked, "shared-ring", "cycle "
	       "%u: smp_shared_ring with CPU 1 online: %u of %u conditions held, "
	       "CPU 1 %s", run.cycle, ctx.assertions - ctx.failures,
	       ctx.assertions, acked ? "running on" : "never came back");
}

static void checks(void)
{
	for (unsigned i = 1; i <= run.nr; i++)
		check_cpu(&cpus[i]);
	check_cpu0_timer();
	check_shared_ring();
}

static bool park_all(void)
{
	unsigned parked = 0;

	kicks_stop();
	for (unsigned i = 1; i <= run.nr; i++)
		if (command(&cpus[i], CMD_PARK))
			parked++;
	return result(parked == run.nr, "parked", "cycle %u: %u of %u "
		      "secondary CPU(s) parked, timers stopped, events taken",
		      run.cycle, parked, run.nr);
}

/* What x86 guests do for their parked CPUs (take each down with
 * VCPUOP_down, register for it, bring it up) is not open on ARM: Xen
 * registers a vcpu_info only for the caller or an offline vCPU, and
 * refuses VCPUOP_down there. So each secondary registers its own. */
static void refused_for_cpu1(void)
{
	struct smp_cpu *c = &cpus[1];
	struct vcpu_register_vcpu_info reg = {
		.mfn = virt_to_pfn(c->info),
		.offset = (uint32_t)(arch_virt_to_phys(c->info) &
				     (PAGE_SIZE - 1)),
	};
	long reg_rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 1, &reg);
	long down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);

	result(reg_rc == -XEN_EINVAL && down_rc == -XEN_EINVAL,
	       "not-for-others", "cycle %u: CPU 0 registering the vcpu_info of "
	       "CPU 1 (up, parked): %ld; VCPUOP_down of it: %ld", run.cycle,
	       reg_rc, down_rc);
}

/* After kern_suspend: the secondaries go on one at a time, each
 * registering again in a new domain. */
static void resume_all(long suspend_rc)
{
	bool new_domain = suspend_rc == 0;
	unsigned resumed = 0;

	if (new_domain) {
		run.reply = 0;
		if (bind_reply())
			result(false, "reply-port", "cycle %u: no IPI for CPU 0",
			       run.cycle);
		refused_for_cpu1();
	}
	for (unsigned i = 1; i <= run.nr; i++)
		if (command(&cpus[i], new_domain ? CMD_RESUME_NEW :
			    CMD_RESUME_SAME))
			resumed++;
	result(resumed == run.nr, "resumed", "cycle %u: suspend %ld; %u of %u "
	       "secondary CPU(s) running again", run.cycle, suspend_rc,
	       resumed, run.nr);
	report_registrations(new_domain ? "reregistered" : "kept", new_domain);
}

/* Busy until the toolstack asks: each secondary has taken events and
 * timer interrupts before the request is read. */
static bool one_cycle(unsigned *reason)
{
	long rc;

	run.cycle++;
	for (unsigned i = 1; i <= run.nr; i++) {
		cpus[i].busy_base[0] = load(&cpus[i].ipis);
		cpus[i].busy_base[1] = load(&cpus[i].bounds);
		cpus[i].busy_base[2] = load(&cpus[i].timers);
	}
	kicks_start();
	result(time_wait(busy, NULL, WAIT_NS), "busy", "cycle %u: every "
	       "secondary took IPIs, bound events and timer interrupts",
	       run.cycle);
	if (control_wait_shutdown(reason))
		*reason = SHUTDOWN_crash;
	if (*reason != SHUTDOWN_suspend)
		return false;
	if (!park_all())
		return false;
	rc = kern_suspend();
	resume_all(rc);
	checks();
	return true;
}

unsigned smp_suspend_run(unsigned *reason)
{
	memset(cpus, 0, sizeof(cpus));
	memset(&run, 0, sizeof(run));
	*reason = SHUTDOWN_crash;
	run.nr = boot_dt.nr_cpus > 1 ? boot_dt.nr_cpus - 1 : 0;
	if (run.nr >= DT_MAX_CPUS)
		run.nr = DT_MAX_CPUS - 1;
	if (!run.nr) {
		kprintf("smp-suspend: skip: one CPU\n");
		kprintf("smp-suspend: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	if (!bind_reply() && start_secondaries()) {
		run.cycle = 0;
		report_registrations("cpus-online", true);
		while (one_cycle(reason))
			;
		kicks_stop();
		result(*reason == SHUTDOWN_poweroff, "end", "after %u "
		       "suspend(s), the toolstack asked for %u", run.cycle - 1,
		       *reason);
	}
	kprintf("smp-suspend: %u passed, %u failed, 0 skipped\n", run.passed,
		run.failed);
	return run.failed;
}
