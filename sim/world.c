/* SPDX-License-Identifier: BSD-2-Clause */
/* Several domains in one machine: setup of each against the shared dom0
 * and xenstored, the deterministic scheduler that runs one vCPU at a time,
 * the idle step that moves virtual time only when every domain waits, and
 * a verdict per domain. One domain stopping never stops the others.
 *
 * An emulated domain is its own Unicorn engine, run in slices on this
 * thread. A native domain's vCPU is a coroutine on the same thread,
 * resumed for its turn (sim/native.c), with its own copy of the guest's
 * globals swapped into the image at its turn (sim/guest_state.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/sched.h>

#include "console.h"
#include "hv/gnttab.h"
#include "hv/time.h"
#include "hv/vcpu.h"
#include "sim_internal.h"
#include "vcpu.h"

/* Hypercalls a domain makes before the next one's turn, with seed 0: the
 * most a seed may draw. Each turn between two native domains swaps their
 * globals; at 32 a guest blasting frames at another (bench/net-bench.sh)
 * makes half the turns it did at 16 and its peer still drops none (at 128
 * it drops a quarter: the peer's receive ring fills before it runs). */
#define WORLD_QUANTUM 32

struct sim_world {
	struct sim dom[SIM_WORLD_MAX];
	struct sim_vcpu *vc[SIM_WORLD_MAX];
	struct sim_native_dom *nd[SIM_WORLD_MAX];  /* native domains */
	struct sim_smp *smp[SIM_WORLD_MAX];  /* emulated ones of several vCPUs */
	struct sim_native_dom *native_owner;  /* whose globals are in place */
	struct sim_config cfg[SIM_WORLD_MAX];  /* a restart changes the domid */
	bool judged[SIM_WORLD_MAX];  /* its verdict is in (it stopped) */
	uint16_t rover;              /* the last domid handed out */
	enum sim_slice state[SIM_WORLD_MAX];
	unsigned n;
	unsigned next;              /* where the round-robin goes on */
	unsigned quantum;           /* hypercalls left in this turn */
	uint64_t rng;               /* the scheduler's own sequence */
	uint64_t seed;
};

struct sim *sim_world_first(struct sim_world *w)
{
	return &w->dom[0];
}

bool sim_world_each_domain(struct sim_world *w, bool (*f)(struct sim *s))
{
	bool did = false;

	for (unsigned i = 0; i < w->n; i++)
		if (w->dom[i].domain)
			did |= f(&w->dom[i]);
	return did;
}

/* xorshift64 over the scheduler's own state, so that its choices do not
 * shift dom0's. */
static uint64_t world_random(struct sim_world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static unsigned next_quantum(struct sim_world *w)
{
	return w->seed ? 1 + (unsigned)(world_random(w) % 32) : WORLD_QUANTUM;
}

void sim_world_after_hypercall(struct sim *s)
{
	struct sim_world *w = s->world;

	if (w->quantum > 1) {
		w->quantum--;
		return;
	}
	w->quantum = next_quantum(w);
	s->yield_wanted = true;
}

/* ---- setup ---- */

static const struct sim_vcpu_arch *arch_for(enum sim_runtime rt)
{
	return rt == SIM_ARM64 ? &sim_vcpu_arm64 :
	       rt == SIM_ARM32 ? &sim_vcpu_arm32 : NULL;
}

/* Domain i's vCPU: a coroutine for a native guest, an engine otherwise. */
static int open_runtime(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];

	if (s->cfg->runtime == SIM_NATIVE) {
		w->nd[i] = sim_native_open(s, &w->native_owner);
		return w->nd[i] ? 0 : -1;
	}
	if (s->domain->nr_vcpus > 1) {
		w->smp[i] = sim_unicorn_smp_open(s, arch_for(s->cfg->runtime),
						 &s->boot);
		return w->smp[i] ? 0 : -1;
	}
	w->vc[i] = sim_unicorn_open(s, arch_for(s->cfg->runtime), &s->boot);
	return w->vc[i] ? 0 : -1;
}

/* Build domain i: the first builds the machine and dom0, the others join
 * it. */
static int setup_domain(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i], *first = &w->dom[0];

	if (i > 0) {
		s->borrowed = true;
		s->machine = first->machine;
		s->dom0 = first->dom0;
		s->xs = first->xs;
		s->loop = first->loop;
		s->sw = first->sw;
		if (s->machine->domain[s->cfg->domid]) {
			sim_fail(s, SIM_SETUP_ERROR, "domid %u is taken by "
				 "another domain of the run", s->cfg->domid);
			return -1;
		}
	}
	if (sim_setup(s))
		return -1;
	/* The others' sockets and ptys go on the first domain's loop. */
	if (i == 0 && !sim_dom0_loop(s)) {
		sim_fail(s, SIM_SETUP_ERROR, "out of memory");
		return -1;
	}
	return open_runtime(w, i);
}

/* ---- on_poweroff, on_reboot, on_crash, on_watchdog ---- */

static bool domid_taken(void *ctx, uint16_t domid)
{
	struct sim_world *w = ctx;

	return w->dom[0].machine->domain[domid] != NULL;
}

/* Forget the stopped incarnation of domain i: what dom0 still held for it
 * (console, channels), its runtime and its hv domain; keep what the run
 * shares, which the first domain's struct holds for all. */
static void drop_incarnation(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];
	struct sim keep;

	if (w->nd[i])
		sim_native_close(w->nd[i]);
	else if (w->smp[i])
		sim_unicorn_smp_close(w->smp[i]);
	else if (w->vc[i])
		sim_unicorn_close(w->vc[i]);
	w->nd[i] = NULL;
	w->smp[i] = NULL;
	w->vc[i] = NULL;
	hv_console_link_disconnect(&s->console_link);
	sim_console_stop(s);
	sim_channels_teardown(s);
	hv_domain_destroy(s->domain);
	sim_kernel_free(&s->kernel);
	keep = *s;
	memset(s, 0, sizeof(*s));
	s->cfg = keep.cfg;
	s->res = keep.res;
	s->world = keep.world;
	s->borrowed = keep.borrowed;
	s->machine = keep.machine;
	s->dom0 = keep.dom0;
	s->xs = keep.xs;
	s->loop = keep.loop;
	s->sw = keep.sw;
	s->own_sw = keep.own_sw;       /* the bridge: same bytes, same place */
	s->xs_server = keep.xs_server;
	s->interrupted = keep.interrupted;
	s->catching = keep.catching;
	memcpy(s->old_action, keep.old_action, sizeof(s->old_action));
	s->signal_wake = keep.signal_wake;
	s->rng = keep.rng;
	s->history = keep.history;     /* the machine's, for the whole run */
	s->keys_to_xen = keep.keys_to_xen;
	s->keys_switch_count = keep.keys_switch_count;
}

/* Build domain i again from its config under a new domid and let it run,
 * as xl does on "restart": the old one goes first, then the next free
 * domid after the last one handed out. That domid, or 0 when the domain
 * could not be built (its result says why). */
static uint16_t rebuild(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];
	unsigned restarts = s->res->restarts + 1;
	bool owner = !s->borrowed;
	uint64_t rng = s->rng;
	uint16_t domid;
	int rc;

	drop_incarnation(w, i);
	domid = sim_next_domid(w->rover, domid_taken, w);
	w->cfg[i].domid = domid;
	memset(s->res, 0, sizeof(*s->res));
	s->res->outcome = SIM_POWEROFF;
	s->res->restarts = restarts;
	/* The first domain holds the machine: only its domain is new. */
	s->borrowed = true;
	rc = sim_setup(s);
	s->borrowed = !owner;
	s->rng = rng;
	if (!rc)
		rc = open_runtime(w, i);
	s->res->domid = domid;
	if (rc)
		return 0;
	w->rover = domid;
	w->state[i] = SIM_SLICE_YIELD;
	w->judged[i] = false;
	return domid;
}

/* Domain i stopped: its verdict now, then what its config says. */
static void act_on_stop(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];
	const struct sim_config *cfg = s->cfg;
	enum sim_action act;
	const char *key;
	uint16_t was, domid;

	sim_verdict(s);
	w->judged[i] = true;
	act = sim_action_for(cfg, s->res);
	key = sim_action_key(s->res);
	if (act == SIM_ACTION_PRESERVE && s->res->outcome == SIM_SUSPEND) {
		s->res->preserved = true;
		fprintf(stderr, "xensim: d%u %s: suspend: kept suspended, as xl "
			"leaves it (Xen 4.17 on ARM cannot save or resume a "
			"domain): its memory and xenstore entries stay until "
			"the run ends\n", s->domain->domid, cfg->name);
		return;
	}
	if (act == SIM_ACTION_PRESERVE) {
		s->res->preserved = true;
		fprintf(stderr, "xensim: d%u %s: %s: preserved (%s = "
			"\"preserve\"): its memory and xenstore entries stay "
			"until the run ends\n", s->domain->domid, cfg->name,
			sim_outcome_name(s->res->outcome), key);
		return;
	}
	sim_dom0_release(s);
	if (act != SIM_ACTION_RESTART)
		return;
	if (s->res->restarts >= cfg->max_restarts) {
		s->res->restart_limit = true;
		fprintf(stderr, "xensim: d%u %s: %s: not restarted: %u "
			"restarts, the most --max-restarts allows\n",
			s->domain->domid, cfg->name,
			sim_outcome_name(s->res->outcome), s->res->restarts);
		return;
	}
	was = s->domain->domid;
	fprintf(stderr, "xensim: d%u %s: %s: restarting (%s = \"restart\", "
		"restart %u of at most %u)\n", was, cfg->name,
		sim_outcome_name(s->res->outcome), key, s->res->restarts + 1,
		cfg->max_restarts);
	domid = rebuild(w, i);
	if (domid)
		fprintf(stderr, "xensim: d%u %s: restarted as d%u\n", was,
			cfg->name, domid);
	else
		fprintf(stderr, "xensim: d%u %s: cannot restart: %s\n", was,
			cfg->name, s->res->message);
}

/* ---- the scheduler ---- */

static bool runnable(struct sim_world *w, unsigned i)
{
	if (w->state[i] == SIM_SLICE_DONE)
		return false;
	return w->state[i] == SIM_SLICE_YIELD || sim_vcpu0_woken(&w->dom[i]);
}

/* The next domain to run: in turn with seed 0, else as the seed picks
 * among the runnable ones; -1 when none can run. */
static int pick(struct sim_world *w)
{
	unsigned ready[SIM_WORLD_MAX], n = 0;

	for (unsigned k = 0; k < w->n; k++) {
		unsigned i = (w->next + k) % w->n;

		if (runnable(w, i))
			ready[n++] = i;
	}
	if (!n)
		return -1;
	return (int)ready[w->seed && n > 1 ? world_random(w) % n : 0];
}

static unsigned count_running(struct sim_world *w)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w->n; i++)
		n += w->state[i] != SIM_SLICE_DONE;
	return n;
}

static void domain_stopped(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];

	w->state[i] = SIM_SLICE_DONE;
	hv_log(s->machine, HV_LOG_INFO, "d%u stopped; %u of %u domains still "
	       "run", s->domain->domid, count_running(w), w->n);
	act_on_stop(w, i);
}

static void run_turn(struct sim_world *w, unsigned i)
{
	struct sim *s = &w->dom[i];

	if (w->state[i] == SIM_SLICE_BLOCKED)
		s->idle_wakes = 0;   /* it waited, and something woke it */
	s->yield_wanted = false;
	w->quantum = next_quantum(w);
	w->next = (i + 1) % w->n;
	w->state[i] = w->nd[i] ? sim_native_slice(w->nd[i]) :
		      w->smp[i] ? sim_unicorn_smp_slice(w->smp[i]) :
		      sim_unicorn_slice(w->vc[i]);
	if (w->state[i] == SIM_SLICE_DONE)
		domain_stopped(w, i);
}

static bool time_over(struct sim_world *w)
{
	uint64_t limit = w->dom[0].cfg->timeout_ns;

	return limit && hv_time_now(w->dom[0].machine) >= limit;
}

/* Every domain that still runs ends at the run's timeout. */
static void stop_all_at_timeout(struct sim_world *w)
{
	for (unsigned i = 0; i < w->n; i++) {
		if (w->state[i] == SIM_SLICE_DONE)
			continue;
		w->dom[i].limit = SIM_LIMIT_TIME;
		if (w->nd[i])
			sim_native_limit(w->nd[i]);
		else if (w->smp[i])
			sim_unicorn_smp_limit(w->smp[i]);
		else
			sim_unicorn_limit(w->vc[i]);
		w->state[i] = SIM_SLICE_DONE;
	}
}

/* A signal stopped the first domain: it stops them all. */
static bool interrupted(struct sim_world *w)
{
	struct sim *first = &w->dom[0];

	if (!first->interrupted && !sim_signals_check(first))
		return false;
	for (unsigned i = 1; i < w->n; i++) {
		if (w->state[i] == SIM_SLICE_DONE)
			continue;
		w->dom[i].interrupted = first->interrupted;
		hv_domain_kill(w->dom[i].domain,
			       sim_signal_name(first->interrupted));
	}
	return true;
}

static bool any_woken(struct sim_world *w)
{
	for (unsigned i = 0; i < w->n; i++)
		if (runnable(w, i))
			return true;
	return false;
}

/* Nothing inside the machine can wake a domain: wait for the outside
 * world (socket clients, console input). False when there is none. */
static bool wait_external(struct sim_world *w)
{
	struct sim *first = &w->dom[0];
	bool may = first->xs_server != NULL;

	for (unsigned i = 0; i < w->n; i++) {
		may |= sim_console_deliver(&w->dom[i]);
		may |= sim_console_may_get_input(&w->dom[i]);
	}
	if (!may)
		return false;
	uv_run(first->loop, UV_RUN_ONCE);
	if (!interrupted(w)) {
		for (unsigned i = 0; i < w->n; i++)
			sim_console_deliver(&w->dom[i]);
		sim_dom0_work(first);
	}
	return true;
}

static void set_blocked_runstate(struct sim_world *w, int state)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->state[i] == SIM_SLICE_BLOCKED)
			hv_vcpu_runstate_set(&w->dom[i].domain->vcpu[0], state);
}

/* Every domain waits: dom0 runs, then virtual time jumps to the next
 * deadline. False when nothing ever could wake any domain (each waiting
 * one is then deadlocked) or the timeout was reached. */
static bool world_idle(struct sim_world *w)
{
	struct sim *first = &w->dom[0];
	uint64_t deadline, limit = first->cfg->timeout_ns;

	sim_dom0_work(first);
	if (sim_tunnel_poll(first))
		sim_dom0_work(first);
	for (unsigned i = 0; i < w->n; i++) {
		sim_console_deliver(&w->dom[i]);
		if (w->state[i] != SIM_SLICE_DONE)
			hv_gnttab_audit(w->dom[i].domain);
		w->dom[i].idles += w->state[i] == SIM_SLICE_BLOCKED;
	}
	if (any_woken(w))
		return true;
	if (!hv_time_next_deadline(first->machine, &deadline)) {
		if (wait_external(w))
			return true;
		for (unsigned i = 0; i < w->n; i++)
			if (w->state[i] == SIM_SLICE_BLOCKED)
				w->dom[i].deadlocked = true;
		return false;
	}
	if (limit && deadline > limit)
		deadline = limit;
	set_blocked_runstate(w, RUNSTATE_blocked);
	hv_time_advance_to(first->machine, deadline);
	set_blocked_runstate(w, RUNSTATE_running);
	return !time_over(w);
}

static void run_all(struct sim_world *w)
{
	while (count_running(w)) {
		int i;

		if (interrupted(w))
			return;
		if (time_over(w)) {
			stop_all_at_timeout(w);
			return;
		}
		i = pick(w);
		if (i >= 0)
			run_turn(w, (unsigned)i);
		else if (!world_idle(w)) {
			if (time_over(w))
				stop_all_at_timeout(w);
			return;
		}
	}
}

/* ---- the run ---- */

/* Native guests still inside unwind and their coroutines end. */
static void close_native(struct sim_world *w)
{
	for (unsigned i = 0; i < w->n; i++) {
		if (w->nd[i])
			sim_native_close(w->nd[i]);
		w->nd[i] = NULL;
	}
}

/* Two native domains need a copy of the guest's globals each: a build
 * whose guest objects lack the guest_* sections cannot give them. */
static bool natives_fit(const struct sim_config *cfgs, unsigned n,
			struct sim_result *res)
{
	unsigned natives = 0;

	for (unsigned i = 0; i < n; i++)
		natives += cfgs[i].runtime == SIM_NATIVE;
	if (natives < 2 || sim_guest_state_size())
		return true;
	res[0].outcome = SIM_SETUP_ERROR;
	snprintf(res[0].message, sizeof(res[0].message), "this program's "
		 "guest keeps its globals in the common sections, so only one "
		 "native domain can run at a time");
	return false;
}

static int world_exit_code(struct sim_world *w, bool setup_failed)
{
	if (setup_failed)
		return 1;
	for (unsigned i = 0; i < w->n; i++) {
		int code = sim_exit_code(w->dom[i].res);

		if (code)
			return code;
	}
	return 0;
}

int sim_run_world(const struct sim_config *cfgs, unsigned n,
		  struct sim_result *res)
{
	struct sim_world *w;
	bool setup_failed = false;
	int code;

	if (n == 0 || n > SIM_WORLD_MAX)
		return 1;
	w = calloc(1, sizeof(*w));
	if (!w) {
		memset(res, 0, n * sizeof(*res));
		res[0].outcome = SIM_SETUP_ERROR;
		snprintf(res[0].message, sizeof(res[0].message),
			 "out of memory");
		return 1;
	}
	w->n = n;
	w->rover = (uint16_t)n;
	w->seed = cfgs[0].seed;
	w->rng = cfgs[0].seed ^ 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].outcome = SIM_POWEROFF;
		w->cfg[i] = cfgs[i];
		w->dom[i].cfg = &w->cfg[i];
		w->dom[i].res = &res[i];
		w->dom[i].world = w;
		w->state[i] = SIM_SLICE_YIELD;
	}
	if (!natives_fit(cfgs, n, res)) {
		free(w);
		return 1;
	}
	sim_signals_catch(&w->dom[0]);
	for (unsigned i = 0; i < n && !setup_failed; i++)
		setup_failed = setup_domain(w, i) != 0;
	if (!setup_failed) {
		sim_signals_wake_loop(&w->dom[0]);
		run_all(w);
		close_native(w);
		for (unsigned i = 0; i < n; i++)
			if (!w->judged[i] && res[i].outcome != SIM_SETUP_ERROR)
				sim_verdict(&w->dom[i]);
	}
	code = world_exit_code(w, setup_failed);
	close_native(w);
	for (unsigned i = n; i-- > 0;)
		if (w->smp[i])
			sim_unicorn_smp_close(w->smp[i]);
		else if (w->vc[i])
			sim_unicorn_close(w->vc[i]);
	sim_signals_release(&w->dom[0]);
	/* The others borrow the first one's machine: they go first. */
	for (unsigned i = n; i-- > 0;)
		if (w->dom[i].machine || i == 0)
			sim_teardown(&w->dom[i]);
	free(w);
	return code;
}
