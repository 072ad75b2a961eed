/* SPDX-License-Identifier: BSD-2-Clause */
/* The native runtime: the guest is linked into this process and its
 * hypercalls are calls into the model. The model accepts the guest's
 * pointers only inside guest RAM, this thread's stack and the program's
 * static image, so a wild pointer still gets -EFAULT. In a run of several
 * domains each native guest's vCPU is a coroutine on the world's thread
 * (sim/coro.c), resumed at its turn, with its own copy of the guest's
 * globals. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "host_port.h"
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/time.h"
#include "kern/boot.h"
#include "coro.h"
#include "port.h"
#include "sim_internal.h"

/* Linker-provided bounds of this program's loaded image. */
extern char __executable_start[];
extern char _end[];

struct native_vcpu {
	struct sim *sim;
	unsigned long reg[16];
	uintptr_t pc;
	bool library;       /* driven through sim_native_start(), not a run */
	const char *last_call;       /* what the guest last asked the model */
	bool unmask;        /* the last call unmasks interrupts (block) */
	struct sim_native_dom *dom;  /* in a run of several domains */
};

/* A native domain of a run of several. Its vCPU is a coroutine the
 * world resumes for a turn; the guest yields back where the turn ends. */
struct sim_native_dom {
	struct sim *sim;
	struct native_vcpu nv;
	struct host_port port;
	struct sim_coro *coro;       /* vCPU 0 */
	enum sim_slice slice;        /* how the last turn ended */
	bool closing;                /* the run is over: unwind */
	unsigned char *state;        /* its guest globals while out */
	struct sim_native_dom **owner;  /* whose globals the image holds */
};

/* A native vCPU's stack: as much as a thread's by default; only the pages
 * the guest touches cost memory. */
#define NATIVE_STACK_SIZE (8u << 20)

/* The guest's turn ends: back to the world, until the next one. */
static void hand_back(struct native_vcpu *nv, enum sim_slice why)
{
	struct sim_native_dom *nd = nv->dom;

	nd->slice = why;
	sim_coro_yield(nd->coro);
}

static uint64_t native_get_reg(struct hv_vcpu *v, unsigned n)
{
	struct native_vcpu *nv = v->runtime;

	return n < 16 ? nv->reg[n] : 0;
}

static uint64_t native_get_pc(struct hv_vcpu *v)
{
	return ((struct native_vcpu *)v->runtime)->pc;
}

static void native_dump(struct hv_vcpu *v)
{
	struct native_vcpu *nv = v->runtime;

	for (unsigned i = 0; i < 16; i += 4)
		hv_printk(v->domain->machine,
			  "  x%-2u %016lx x%-2u %016lx x%-2u %016lx x%-2u %016lx",
			  i, nv->reg[i], i + 1, nv->reg[i + 1], i + 2,
			  nv->reg[i + 2], i + 3, nv->reg[i + 3]);
	hv_printk(v->domain->machine, "  pc  %016lx (native)",
		  (unsigned long)nv->pc);
}

static const struct hv_vcpu_ops native_vcpu_ops = {
	.get_reg = native_get_reg,
	.get_pc = native_get_pc,
	.dump = native_dump,
};

static struct hv_vcpu *vcpu0(void *ctx)
{
	return &((struct sim *)ctx)->domain->vcpu[0];
}

/* Natively the guest's instructions cannot be counted: each call into the
 * model counts SIM_EXIT_COST against the budget (--max-insns), and the
 * guest unwinds at the next one once a limit is reached. */
static void native_charge(void *ctx, const char *call)
{
	struct native_vcpu *nv = vcpu0(ctx)->runtime;

	nv->last_call = call;
	sim_native_charge(ctx);
}

static bool port_stopped(void *ctx);

/* A wait the call started (SCHEDOP_block, SCHEDOP_poll, PSCI
 * CPU_SUSPEND): the machine runs as in the guest's idle, virtual time
 * jumping, until the wait is over; block and CPU_SUSPEND also have the
 * port unmask interrupts, as Xen clears CPSR.I. A wait nothing can end
 * stays for the verdict to name, and the guest unwinds. */
static void native_wait(struct sim *s)
{
	struct hv_vcpu *v = vcpu0(s);
	struct native_vcpu *nv = v->runtime;

	if (v->wait == HV_WAIT_NONE)
		return;
	nv->unmask = v->wait == HV_WAIT_BLOCK;
	nv->last_call = "a wait in Xen (block, poll or CPU_SUSPEND)";
	if (nv->dom) {
		/* The world runs the others until native_woken says the
		 * wait is over, or the run ends it. */
		while (!sim_vcpu0_woken(s)) {
			hand_back(nv, SIM_SLICE_BLOCKED);
			if (port_stopped(s))
				return;
		}
	} else {
		while (!hv_vcpu_wait_over(v, sim_vcpu0_woken(s)))
			if (!sim_idle_step(s))
				return;
	}
	hv_vcpu_wait_end(v);
}

/* Whether a native domain of a run of several would run again now (the
 * world's question): for wfi, a line is up; in a wait Xen put it in, that
 * wait is over. */
static bool native_woken(void *ctx)
{
	struct hv_vcpu *v = vcpu0(ctx);
	bool line = hv_evtchn_upcall_pending(v) || hv_vtimer_irq_level(v);

	return v->wait ? hv_vcpu_wait_over(v, line) : line;
}

static long port_hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	const uint64_t arg[5] = { a[0], a[1], a[2], a[3], a[4] };
	struct sim *s = ctx;
	struct native_vcpu *nv = vcpu0(ctx)->runtime;
	long rc = sim_hypercall(s, vcpu0(ctx), op, arg);

	native_wait(ctx);
	native_charge(ctx, "a hypercall");
	/* The scheduler's quantum is used up: another domain's turn. */
	if (nv->dom && s->yield_wanted && !port_stopped(ctx)) {
		s->yield_wanted = false;
		hand_back(nv, SIM_SLICE_YIELD);
	}
	return rc;
}

/* The model decides as for an emulated vCPU; the port delivers the
 * exception (host/port.c). */
static bool port_hvc(void *ctx, uint16_t imm, const unsigned long reg[16],
		     uintptr_t pc)
{
	struct hv_vcpu *v = vcpu0(ctx);
	struct native_vcpu *nv = v->runtime;
	enum hv_hvc_answer answer;

	memcpy(nv->reg, reg, sizeof(nv->reg));
	nv->pc = pc;
	answer = hv_hvc_other(v, imm);
	native_charge(ctx, "an hvc");
	return answer == HV_HVC_UNDEFINED;
}

static void port_smccc(void *ctx, const unsigned long a[4],
		       unsigned long res[4])
{
	const uint64_t arg[4] = { a[0], a[1], a[2], a[3] };
	uint64_t r[4];

	hv_smccc_call(vcpu0(ctx), arg, r, false);
	native_wait(ctx);
	for (unsigned i = 0; i < 4; i++)
		res[i] = (unsigned long)r[i];
	native_charge(ctx, "an SMCCC call");
}

static bool port_irq_unmasked(void *ctx)
{
	struct native_vcpu *nv = vcpu0(ctx)->runtime;
	bool unmask = nv->unmask;

	nv->unmask = false;
	return unmask;
}

/* wfi in a run of several: nothing to take, the world lets the others
 * run until a line is up; a line already up is taken at once (the
 * deadlock rule counts such waits), unless it is another's turn. */
static void world_idle(struct sim *s, struct native_vcpu *nv)
{
	if (!sim_vcpu0_woken(s))
		hand_back(nv, SIM_SLICE_BLOCKED);
	else if (!sim_idle_woke_at_once(s))
		return;
	else if (s->yield_wanted) {
		s->yield_wanted = false;
		hand_back(nv, SIM_SLICE_YIELD);
	}
}

static void port_idle(void *ctx)
{
	struct native_vcpu *nv = vcpu0(ctx)->runtime;

	/* A run unwinds when the domain stops; a caller driving the guest
	 * itself that waits on past that would wait forever. */
	if (nv->library && port_stopped(ctx)) {
		fprintf(stderr, "xensim: the native guest idles after its run "
			"ended (shutdown, fault or deadlock)\n");
		abort();
	}
	/* Not charged: waits are bounded by the timeout and the deadlock
	 * rule (sim_idle_woke_at_once). */
	nv->last_call = "a wait for an interrupt";
	if (nv->dom)
		world_idle(ctx, nv);
	else
		sim_idle_step(ctx);
}

static uint64_t port_time_ns(void *ctx)
{
	uint64_t now = hv_time_observe(((struct sim *)ctx)->machine);

	sim_time_up(ctx);
	native_charge(ctx, "a read of the clock");
	return now;
}

static bool port_irq_pending(void *ctx)
{
	return hv_evtchn_upcall_pending(vcpu0(ctx));
}

/* The guest's timer is vCPU 0's virtual architectural timer in the model,
 * the one an emulated guest programs through CNTV_CVAL. */
static void port_timer_set(void *ctx, uint64_t deadline_ns)
{
	hv_vtimer_set_deadline(vcpu0(ctx), deadline_ns);
}

static bool port_timer_pending(void *ctx)
{
	return hv_vtimer_irq_level(vcpu0(ctx));
}

static bool port_stopped(void *ctx)
{
	struct sim *s = ctx;
	struct native_vcpu *nv = vcpu0(ctx)->runtime;

	return !hv_domain_running(s->domain) || s->deadlocked || s->limit ||
	       (nv && nv->dom && nv->dom->closing);
}

static const struct host_port_ops native_port_ops = {
	.hypercall = port_hypercall,
	.hvc = port_hvc,
	.idle = port_idle,
	.time_ns = port_time_ns,
	.irq_pending = port_irq_pending,
	.stopped = port_stopped,
	.smccc = port_smccc,
	.irq_unmasked = port_irq_unmasked,
};

static const struct host_port_timer native_port_timer = {
	.set = port_timer_set,
	.pending = port_timer_pending,
};

/* The stack the guest runs on: its coroutine's, or this thread's. 0 or a
 * negative Xen errno. */
static int guest_stack(const struct native_vcpu *nv, void **stack,
		       size_t *size)
{
	pthread_attr_t attr;
	int rc;

	if (nv->dom) {
		sim_coro_stack(nv->dom->coro, stack, size);
		return 0;
	}
	if (pthread_getattr_np(pthread_self(), &attr))
		return -XEN_EFAULT;
	rc = pthread_attr_getstack(&attr, stack, size);
	pthread_attr_destroy(&attr);
	return rc ? -XEN_EFAULT : 0;
}

/* Let the model accept the guest's pointers into its stack and this
 * program's static image. 0 or a negative Xen errno. */
static int host_ranges(struct hv_mem *mem, const struct native_vcpu *nv)
{
	void *stack;
	size_t size;
	int rc;

	rc = guest_stack(nv, &stack, &size);
	if (rc)
		return rc;
	rc = hv_mem_add_host_range(mem, stack, size);
	if (rc)
		return rc;
	return hv_mem_add_host_range(mem, __executable_start,
				     (size_t)(_end - __executable_start));
}

/* Make this thread, or nv's coroutine, the domain's vCPU 0 and describe
 * guest RAM to the workstation port. */
static int attach(struct sim *s, struct native_vcpu *nv, struct host_port *port)
{
	struct hv_domain *d = s->domain;

	d->mem.va_mode = HV_VA_HOST;
	if (host_ranges(&d->mem, nv)) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot find the guest's stack");
		return -1;
	}
	memset(port, 0, sizeof(*port));
	port->ops = &native_port_ops;
	port->ctx = s;
	port->timer = &native_port_timer;
	for (unsigned i = 0; i < d->mem.nr_regions; i++) {
		port->region[i].gpa = d->mem.region[i].gpa;
		port->region[i].size = d->mem.region[i].size;
		port->region[i].host = d->mem.region[i].host;
	}
	port->nr_regions = d->mem.nr_regions;
	nv->sim = s;
	d->vcpu[0].ops = &native_vcpu_ops;
	d->vcpu[0].runtime = nv;
	return 0;
}

static void limit_message(struct sim *s, const struct native_vcpu *nv)
{
	char where[96];

	snprintf(where, sizeof(where), "%s (native guest: no PC)",
		 nv->last_call ? nv->last_call : "its start");
	sim_limit_message(s, where);
}

/* Boot the guest on this thread and run it until its domain stops. */
static int run_guest(struct sim *s, struct native_vcpu *nv,
		     struct host_port *port)
{
	if (attach(s, nv, port))
		return -1;
	if (host_port_run(port, hv_gpa_ptr(&s->domain->mem, s->dtb_gpa, 1)) ==
	    HOST_PORT_HALTED)
		s->halted = true;
	if (s->limit)
		limit_message(s, nv);
	s->domain->vcpu[0].runtime = NULL;
	return 0;
}

int sim_native_run(struct sim *s)
{
	struct native_vcpu nv = { 0 };
	struct host_port port;

	return run_guest(s, &nv, &port);
}

/* ---- a native domain of a run of several ---- */

/* The coroutine's body: boot the guest, run it until its domain stops
 * (or the run closes before its first turn). */
static void domain_vcpu(void *arg)
{
	struct sim_native_dom *nd = arg;

	if (!nd->closing)
		run_guest(nd->sim, &nd->nv, &nd->port);
	nd->slice = SIM_SLICE_DONE;
}

/* Put this domain's copy of the guest's globals in the image, keeping
 * the copy of the domain whose they were. */
static void take_image(struct sim_native_dom *nd)
{
	struct sim_native_dom *was = *nd->owner;

	if (was == nd)
		return;
	if (was && !sim_coro_finished(was->coro))
		sim_guest_state_save(was->state);
	sim_guest_state_load(nd->state);
	*nd->owner = nd;
}

struct sim_native_dom *sim_native_open(struct sim *s,
				       struct sim_native_dom **owner)
{
	size_t size = sim_guest_state_size();
	struct sim_native_dom *nd = calloc(1, sizeof(*nd));

	if (!nd || !(nd->state = malloc(size ? size : 1)) ||
	    !(nd->coro = sim_coro_new(NATIVE_STACK_SIZE, domain_vcpu, nd))) {
		if (nd)
			free(nd->state);
		free(nd);
		sim_fail(s, SIM_SETUP_ERROR, "d%u: out of memory for the "
			 "native guest's state and stack", s->cfg->domid);
		return NULL;
	}
	nd->sim = s;
	nd->owner = owner;
	nd->nv.dom = nd;
	s->woken = native_woken;
	s->woken_ctx = s;
	/* Every domain starts from the image as it is; its boot puts each
	 * variable back (guest/kern/reset.c). */
	sim_guest_state_save(nd->state);
	return nd;
}

enum sim_slice sim_native_slice(struct sim_native_dom *nd)
{
	if (sim_coro_finished(nd->coro))
		return SIM_SLICE_DONE;
	take_image(nd);
	if (!sim_coro_resume(nd->coro))
		return SIM_SLICE_DONE;
	return nd->slice;
}

void sim_native_limit(struct sim_native_dom *nd)
{
	limit_message(nd->sim, &nd->nv);
}

void sim_native_close(struct sim_native_dom *nd)
{
	/* A guest still inside unwinds at once: it sees its domain stopped
	 * where its turn ended; one never started returns at once. */
	nd->closing = true;
	while (sim_native_slice(nd) != SIM_SLICE_DONE)
		;
	if (*nd->owner == nd)
		*nd->owner = NULL;
	if (nd->sim->domain && nd->sim->domain->vcpu[0].runtime == &nd->nv)
		nd->sim->domain->vcpu[0].runtime = NULL;
	sim_coro_free(nd->coro);
	free(nd->state);
	free(nd);
}

/* ---- the same runtime as a library (sim.h) ---- */

struct sim_native {
	struct sim sim;
	struct sim_config cfg;
	struct sim_result res;
	struct native_vcpu nv;
	struct host_port port;
};

struct sim_native *sim_native_start(const struct sim_config *cfg,
				    struct sim_result *res)
{
	struct sim_native *sn = calloc(1, sizeof(*sn));
	const char *why;

	memset(res, 0, sizeof(*res));
	if (!sn) {
		res->outcome = SIM_SETUP_ERROR;
		snprintf(res->message, sizeof(res->message), "out of memory");
		return NULL;
	}
	sn->cfg = *cfg;
	sn->cfg.runtime = SIM_NATIVE;
	/* The caller drives the guest and decides how long: no limits. */
	sn->cfg.timeout_ns = 0;
	sn->cfg.max_insns = 0;
	sn->sim.cfg = &sn->cfg;
	sn->sim.res = &sn->res;
	sn->res.outcome = SIM_POWEROFF;
	if (sim_setup(&sn->sim) || attach(&sn->sim, &sn->nv, &sn->port))
		goto fail;
	sn->nv.library = true;
	host_port_attach(&sn->port);
	why = kern_bringup(hv_gpa_ptr(&sn->sim.domain->mem, sn->sim.dtb_gpa, 1),
			   NULL);
	if (why) {
		sim_fail(&sn->sim, SIM_SETUP_ERROR, "guest bring-up: %s", why);
		goto fail;
	}
	if (!sim_native_running(sn, res))
		goto fail;
	return sn;
fail:
	*res = sn->res;
	sim_native_stop(sn);
	return NULL;
}

bool sim_native_running(struct sim_native *sn, struct sim_result *res)
{
	struct sim_result *keep = sn->sim.res;

	if (sn->res.outcome == SIM_SETUP_ERROR) {
		*res = sn->res;
		return false;
	}
	/* The verdict sim_run would give if the run ended now, on a copy. */
	*res = sn->res;
	sn->sim.res = res;
	sim_verdict(&sn->sim);
	sn->sim.res = keep;
	if (hv_domain_running(sn->sim.domain) && !sn->sim.deadlocked) {
		res->outcome = SIM_POWEROFF;
		snprintf(res->message, sizeof(res->message), "d%u running",
			 sn->sim.domain->domid);
		return true;
	}
	return false;
}

void sim_native_stop(struct sim_native *sn)
{
	if (!sn)
		return;
	if (sn->sim.domain) {
		/* Nothing of the guest may run on this machine any more. */
		arch_irq_save();
		sn->sim.domain->vcpu[0].runtime = NULL;
	}
	sim_teardown(&sn->sim);
	free(sn);
}

struct hv_machine *sim_native_machine(struct sim_native *sn)
{
	return sn->sim.machine;
}

struct hv_domain *sim_native_domain(struct sim_native *sn)
{
	return sn->sim.domain;
}

struct hv_domain *sim_native_dom0(struct sim_native *sn)
{
	return sn->sim.dom0;
}

struct hv_xs *sim_native_xs(struct sim_native *sn)
{
	return sn->sim.xs;
}
