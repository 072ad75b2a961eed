/* SPDX-License-Identifier: BSD-2-Clause */
/* A native domain whose vCPUs are coroutines on this thread (sim/coro.c):
 * a domain of several vCPUs, or any native domain of a run of several
 * domains. A seeded scheduler runs one vCPU at a time for a quantum of
 * yield points (hypercalls, SMCCC calls, clock reads, and with several
 * vCPUs the guest's barriers): 16 with seed 0, 1 to 32 as the seed draws
 * them, so a race in code shared by two CPUs shows under some seed and
 * the same seed replays it. vCPU 0 boots the guest; PSCI CPU_ON starts
 * the others through the port (host_port_cpu_run) with the boot block
 * the guest passed as context id; CPU_OFF unwinds the CPU's coroutine to
 * wait for the next CPU_ON. In a run of several domains each keeps its
 * own copy of the guest's globals, swapped into the image at its turn. */
#include <stdlib.h>

#include <xen/vcpu.h>

#include "coro.h"
#include "hv/hypercall.h"
#include "hv/vcpu.h"
#include "native_vcpu.h"
#include "sim_internal.h"

/* A native vCPU's stack: as much as a thread's by default; only the pages
 * the guest touches cost memory. */
#define NATIVE_STACK_SIZE (8u << 20)

/* Quantum with seed 0: 16 yield points. */
#define NATIVE_QUANTUM 16u

struct sim_native_dom {
	struct sim *sim;
	struct native_vcpu cpu[HV_MAX_VCPUS];
	unsigned nr;
	unsigned cur;                /* the vCPU running, or last run */
	bool closing;                /* the run is over: unwind */
	bool failed;                 /* could not attach: nothing runs */
	unsigned char *state;        /* its guest globals while out */
	struct sim_native_dom **owner;  /* whose globals the image holds */
	uint64_t seed, rng;
	unsigned calls_left;         /* yield points left in the quantum */
	uint64_t switches;
};

/* xorshift64 of the scheduler's own, so its choices shift nothing else. */
static uint64_t dom_random(struct sim_native_dom *nd)
{
	nd->rng ^= nd->rng << 13;
	nd->rng ^= nd->rng >> 7;
	nd->rng ^= nd->rng << 17;
	return nd->rng;
}

static void new_quantum(struct sim_native_dom *nd)
{
	nd->calls_left = nd->seed ? 1 + (unsigned)(dom_random(nd) % 32) :
		NATIVE_QUANTUM;
}

/* Whether the domain's run is over for every vCPU. */
static bool dom_over(const struct sim_native_dom *nd)
{
	const struct sim *s = nd->sim;

	return nd->closing || nd->failed || s->halted || s->deadlocked ||
	       s->limit || !hv_domain_running(s->domain);
}

bool sim_native_dom_down(const struct native_vcpu *nv)
{
	return dom_over(nv->dom) || !nv->v->online;
}

void sim_native_hand_back(struct native_vcpu *nv, enum sim_slice why)
{
	nv->slice = why;
	sim_coro_yield(nv->coro);
	host_port_resume(&nv->port);
}

void sim_native_yield_point(struct native_vcpu *nv)
{
	struct sim_native_dom *nd = nv->dom;
	struct sim *s = nv->sim;

	if (!nd || sim_native_stopped(nv))
		return;
	/* The world's quantum (a run of several domains) first. */
	if (s->yield_wanted) {
		s->yield_wanted = false;
		sim_native_hand_back(nv, SIM_SLICE_YIELD);
		return;
	}
	if (nd->nr < 2)
		return;
	if (nd->calls_left > 1) {
		nd->calls_left--;
		return;
	}
	sim_native_hand_back(nv, SIM_SLICE_YIELD);
}

/* Every vCPU's port, and the model told of every vCPU's stack. */
static int attach_all(struct sim_native_dom *nd)
{
	void *stack[HV_MAX_VCPUS];
	size_t size[HV_MAX_VCPUS];

	for (unsigned i = 0; i < nd->nr; i++)
		sim_coro_stack(nd->cpu[i].coro, &stack[i], &size[i]);
	if (sim_native_host_ranges(nd->sim, stack, size, nd->nr))
		return -1;
	for (unsigned i = 0; i < nd->nr; i++)
		sim_native_attach(&nd->cpu[i], nd->sim,
				  &nd->sim->domain->vcpu[i]);
	return 0;
}

/* vCPU 0 boots the guest and runs it. */
static void boot_cpu(struct sim_native_dom *nd)
{
	struct sim *s = nd->sim;

	if (attach_all(nd)) {
		nd->failed = true;
		return;
	}
	if (host_port_run(&nd->cpu[0].port,
			  hv_gpa_ptr(&s->domain->mem, s->dtb_gpa, 1)) ==
	    HOST_PORT_HALTED)
		s->halted = true;
}

/* A coroutine's body: vCPU 0 boots; then, and for the others from the
 * start, each CPU_ON runs the CPU until it goes down again, until the
 * domain's run is over. */
static void vcpu_body(void *arg)
{
	struct native_vcpu *nv = arg;
	struct sim_native_dom *nd = nv->dom;

	if (nv->v->id == 0 && !dom_over(nd))
		boot_cpu(nd);
	while (!dom_over(nd)) {
		if (!nv->v->start_pending) {
			sim_native_hand_back(nv, SIM_SLICE_BLOCKED);
			continue;
		}
		nv->v->start_pending = false;
		if (host_port_cpu_run(&nv->port, (unsigned long)
				      nv->v->start.context_id) ==
		    HOST_PORT_HALTED)
			nd->sim->halted = true;
	}
	nv->slice = SIM_SLICE_DONE;
}

/* Put this domain's copy of the guest's globals in the image, keeping
 * the copy of the domain whose they were. */
static void take_image(struct sim_native_dom *nd)
{
	struct sim_native_dom *was = *nd->owner;

	if (was == nd)
		return;
	if (was)
		sim_guest_state_save(was->state);
	sim_guest_state_load(nd->state);
	*nd->owner = nd;
}

static bool runnable(const struct sim_native_dom *nd, unsigned i)
{
	const struct native_vcpu *nv = &nd->cpu[i];

	if (sim_coro_finished(nv->coro))
		return false;
	return !nv->blocked || sim_native_woken(nv);
}

/* The world's and the idle loop's question: would any vCPU run now? */
static bool any_woken(void *ctx)
{
	struct sim_native_dom *nd = ctx;

	for (unsigned i = 0; i < nd->nr; i++)
		if (runnable(nd, i))
			return true;
	return false;
}

/* The next vCPU to run: in turn with seed 0, as the seed picks
 * otherwise; -1 when every one waits or is down. */
static int pick(struct sim_native_dom *nd)
{
	unsigned cand[HV_MAX_VCPUS], n = 0;

	for (unsigned k = 1; k <= nd->nr; k++) {
		unsigned i = (nd->cur + k) % nd->nr;

		if (runnable(nd, i))
			cand[n++] = i;
	}
	if (!n)
		return -1;
	return (int)cand[nd->seed && n > 1 ? dom_random(nd) % n : 0];
}

/* The runstate Xen shows for a vCPU of several (one alone keeps what the
 * idle loop sets). */
static void set_runstate(struct sim_native_dom *nd, struct native_vcpu *nv,
			 int state)
{
	if (nd->nr > 1 && nv->v->online)
		hv_vcpu_runstate_set(nv->v, state);
}

enum sim_slice sim_native_slice(struct sim_native_dom *nd)
{
	int i = pick(nd);
	struct native_vcpu *nv;
	enum sim_slice after;

	if (i < 0)
		return dom_over(nd) ? SIM_SLICE_DONE : SIM_SLICE_BLOCKED;
	nv = &nd->cpu[i];
	if ((unsigned)i != nd->cur)
		nd->switches++;
	nd->cur = (unsigned)i;
	new_quantum(nd);
	take_image(nd);
	set_runstate(nd, nv, RUNSTATE_running);
	after = sim_coro_resume(nv->coro) ? nv->slice : SIM_SLICE_DONE;
	if (after == SIM_SLICE_DONE)
		return SIM_SLICE_DONE;
	nv->blocked = after == SIM_SLICE_BLOCKED;
	set_runstate(nd, nv, nv->blocked ? RUNSTATE_blocked :
		     RUNSTATE_runnable);
	/* The domain waits only when every vCPU does. */
	if (nv->blocked && nd->nr > 1 && any_woken(nd))
		return SIM_SLICE_YIELD;
	return after;
}

struct sim_native_dom *sim_native_open(struct sim *s,
				       struct sim_native_dom **owner)
{
	size_t size = sim_guest_state_size();
	struct sim_native_dom *nd = calloc(1, sizeof(*nd));

	if (!nd || !(nd->state = malloc(size ? size : 1)))
		goto fail;
	nd->sim = s;
	nd->owner = owner;
	nd->nr = s->domain->nr_vcpus;
	nd->seed = s->cfg->seed;
	nd->rng = s->cfg->seed ^ 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < nd->nr; i++) {
		struct native_vcpu *nv = &nd->cpu[i];

		nv->dom = nd;
		nv->sim = s;
		nv->v = &s->domain->vcpu[i];
		nv->port.cpu = i;
		nv->blocked = i > 0;        /* down until CPU_ON */
		nv->coro = sim_coro_new(NATIVE_STACK_SIZE, vcpu_body, nv);
		if (!nv->coro)
			goto fail;
	}
	nd->cur = nd->nr - 1;           /* so vCPU 0 is the first in turn */
	s->woken = any_woken;
	s->woken_ctx = nd;
	s->domain->runs_secondaries = nd->nr > 1;
	/* Every domain starts from the image as it is; its boot puts each
	 * variable back (guest/kern/reset.c). */
	sim_guest_state_save(nd->state);
	return nd;
fail:
	if (nd) {
		for (unsigned i = 0; i < nd->nr; i++)
			sim_coro_free(nd->cpu[i].coro);
		free(nd->state);
	}
	free(nd);
	sim_fail(s, SIM_SETUP_ERROR, "d%u: out of memory for the native "
		 "guest's state and stacks", s->cfg->domid);
	return NULL;
}

void sim_native_limit(struct sim_native_dom *nd)
{
	sim_native_limit_message(nd->sim, &nd->cpu[nd->cur]);
}

void sim_native_close(struct sim_native_dom *nd)
{
	struct hv_domain *d = nd->sim->domain;

	/* A guest still inside unwinds at once: each CPU sees its domain
	 * stopped where its turn ended; one never started returns at once. */
	nd->closing = true;
	for (unsigned i = 0; i < nd->nr; i++) {
		while (!sim_coro_finished(nd->cpu[i].coro)) {
			take_image(nd);
			sim_coro_resume(nd->cpu[i].coro);
		}
	}
	if (*nd->owner == nd)
		*nd->owner = NULL;
	for (unsigned i = 0; i < nd->nr; i++) {
		if (d && d->vcpu[i].runtime == &nd->cpu[i])
			d->vcpu[i].runtime = NULL;
		sim_coro_free(nd->cpu[i].coro);
	}
	if (d)
		d->runs_secondaries = false;
	free(nd->state);
	free(nd);
}

/* Every vCPU waits: the machine runs (virtual time jumps) until one would
 * wake; false when nothing ever will, or a limit is reached. */
static bool idle_all(struct sim_native_dom *nd)
{
	struct sim *s = nd->sim;

	for (unsigned i = 0; i < nd->nr; i++)
		if (nd->cpu[i].v->online)
			return sim_idle_step(s);
	/* Every vCPU took itself down: the domain hangs, as on Xen. */
	s->deadlocked = true;
	return false;
}

int sim_native_run_smp(struct sim *s)
{
	struct sim_native_dom *owner = NULL;
	struct sim_native_dom *nd = sim_native_open(s, &owner);

	if (!nd)
		return -1;
	for (;;) {
		enum sim_slice after = sim_native_slice(nd);

		if (after == SIM_SLICE_DONE)
			break;
		if (after == SIM_SLICE_BLOCKED && !idle_all(nd))
			break;
	}
	if (s->limit)
		sim_native_limit(nd);
	hv_log(s->machine, HV_LOG_INFO, "d%u: %u vCPUs, %llu switches",
	       s->domain->domid, nd->nr, (unsigned long long)nd->switches);
	sim_native_close(nd);
	return 0;
}
