/* SPDX-License-Identifier: BSD-2-Clause */
/* The native runtime: the guest is linked into this process and its
 * hypercalls are calls into the model. The model accepts the guest's
 * pointers only inside guest RAM, its stacks and the program's static
 * image, so a wild pointer still gets -EFAULT. A domain of one vCPU run
 * alone runs on this thread; one of several vCPUs, or of a run of several
 * domains, runs each vCPU as a coroutine (sim/native_dom.c). */
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
#include "native_vcpu.h"
#include "port.h"
#include "sim_internal.h"

/* Linker-provided bounds of this program's loaded image. */
extern char __executable_start[];
extern char _end[];

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

/* Natively the guest's instructions cannot be counted: each call into the
 * model counts SIM_EXIT_COST against the budget (--max-insns), and the
 * guest unwinds at the next one once a limit is reached. */
static void native_charge(struct native_vcpu *nv, const char *call)
{
	nv->last_call = call;
	sim_native_charge(nv->sim);
}

bool sim_native_stopped(const struct native_vcpu *nv)
{
	struct sim *s = nv->sim;

	if (!hv_domain_running(s->domain) || s->deadlocked || s->limit)
		return true;
	return nv->dom && sim_native_dom_down(nv);
}

static bool line_up(const struct native_vcpu *nv)
{
	return hv_evtchn_upcall_pending(nv->v) || hv_vtimer_irq_level(nv->v);
}

bool sim_native_woken(const struct native_vcpu *nv)
{
	struct hv_vcpu *v = nv->v;

	if (!v->online)
		return false;
	if (v->start_pending)
		return true;
	return v->wait ? hv_vcpu_wait_over(v, line_up(nv)) : line_up(nv);
}

/* A wait the call started (SCHEDOP_block, SCHEDOP_poll, PSCI
 * CPU_SUSPEND): the machine runs as in the guest's idle, virtual time
 * jumping, until the wait is over; block and CPU_SUSPEND also have the
 * port unmask interrupts, as Xen clears CPSR.I. A wait nothing can end
 * stays for the verdict to name, and the guest unwinds. */
static void native_wait(struct native_vcpu *nv)
{
	struct hv_vcpu *v = nv->v;
	struct sim *s = nv->sim;

	if (v->wait == HV_WAIT_NONE)
		return;
	nv->unmask = v->wait == HV_WAIT_BLOCK;
	nv->last_call = "a wait in Xen (block, poll or CPU_SUSPEND)";
	if (nv->dom) {
		/* The scheduler runs the others until sim_native_woken says
		 * the wait is over, or the run ends it. */
		while (!sim_native_woken(nv)) {
			sim_native_hand_back(nv, SIM_SLICE_BLOCKED);
			if (sim_native_stopped(nv))
				return;
		}
	} else {
		while (!hv_vcpu_wait_over(v, sim_vcpu0_woken(s)))
			if (!sim_idle_step(s))
				return;
	}
	hv_vcpu_wait_end(v);
}

static long port_hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	const uint64_t arg[5] = { a[0], a[1], a[2], a[3], a[4] };
	struct native_vcpu *nv = ctx;
	long rc = sim_hypercall(nv->sim, nv->v, op, arg);

	native_wait(nv);
	native_charge(nv, "a hypercall");
	sim_native_yield_point(nv);
	return rc;
}

/* The model decides as for an emulated vCPU; the port delivers the
 * exception (host/port.c). */
static bool port_hvc(void *ctx, uint16_t imm, const unsigned long reg[16],
		     uintptr_t pc)
{
	struct native_vcpu *nv = ctx;
	enum hv_hvc_answer answer;

	memcpy(nv->reg, reg, sizeof(nv->reg));
	nv->pc = pc;
	answer = hv_hvc_other(nv->v, imm);
	native_charge(nv, "an hvc");
	return answer == HV_HVC_UNDEFINED;
}

static void port_smccc(void *ctx, const unsigned long a[4],
		       unsigned long res[4])
{
	const uint64_t arg[4] = { a[0], a[1], a[2], a[3] };
	struct native_vcpu *nv = ctx;
	uint64_t r[4];

	hv_smccc_call(nv->v, arg, r, false);
	native_wait(nv);
	for (unsigned i = 0; i < 4; i++)
		res[i] = (unsigned long)r[i];
	native_charge(nv, "an SMCCC call");
	sim_native_yield_point(nv);
}

static bool port_irq_unmasked(void *ctx)
{
	struct native_vcpu *nv = ctx;
	bool unmask = nv->unmask;

	nv->unmask = false;
	return unmask;
}

/* wfi of a coroutine vCPU: nothing to take, the scheduler lets the
 * others run until a line is up; a line already up is taken at once (the
 * deadlock rule counts such waits), unless its quantum is over. */
static void coroutine_idle(struct native_vcpu *nv)
{
	if (!line_up(nv))
		sim_native_hand_back(nv, SIM_SLICE_BLOCKED);
	else if (sim_idle_woke_at_once(nv->sim))
		sim_native_yield_point(nv);
}

static void port_idle(void *ctx)
{
	struct native_vcpu *nv = ctx;

	/* A run unwinds when the domain stops; a caller driving the guest
	 * itself that waits on past that would wait forever. */
	if (nv->library && sim_native_stopped(nv)) {
		fprintf(stderr, "xensim: the native guest idles after its run "
			"ended (shutdown, fault or deadlock)\n");
		abort();
	}
	/* Not charged: waits are bounded by the timeout and the deadlock
	 * rule (sim_idle_woke_at_once). */
	nv->last_call = "a wait for an interrupt";
	if (nv->dom)
		coroutine_idle(nv);
	else
		sim_idle_step(nv->sim);
}

static uint64_t port_time_ns(void *ctx)
{
	struct native_vcpu *nv = ctx;
	uint64_t now = hv_time_observe(nv->sim->machine);

	sim_time_up(nv->sim);
	native_charge(nv, "a read of the clock");
	sim_native_yield_point(nv);
	return now;
}

static bool port_irq_pending(void *ctx)
{
	return hv_evtchn_upcall_pending(((struct native_vcpu *)ctx)->v);
}

/* A barrier of a guest with several vCPUs. */
static void port_relax(void *ctx)
{
	sim_native_yield_point(ctx);
}

/* The guest's timer is its vCPU's virtual architectural timer in the
 * model, the one an emulated guest programs through CNTV_CVAL. */
static void port_timer_set(void *ctx, uint64_t deadline_ns)
{
	hv_vtimer_set_deadline(((struct native_vcpu *)ctx)->v, deadline_ns);
}

static bool port_timer_pending(void *ctx)
{
	return hv_vtimer_irq_level(((struct native_vcpu *)ctx)->v);
}

static bool port_stopped(void *ctx)
{
	return sim_native_stopped(ctx);
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
	.relax = port_relax,
};

static const struct host_port_timer native_port_timer = {
	.set = port_timer_set,
	.pending = port_timer_pending,
};

/* This thread's stack. 0 or a negative Xen errno. */
static int thread_stack(void **stack, size_t *size)
{
	pthread_attr_t attr;
	int rc;

	if (pthread_getattr_np(pthread_self(), &attr))
		return -XEN_EFAULT;
	rc = pthread_attr_getstack(&attr, stack, size);
	pthread_attr_destroy(&attr);
	return rc ? -XEN_EFAULT : 0;
}

int sim_native_host_ranges(struct sim *s, void *const *stacks,
			   const size_t *sizes, unsigned n)
{
	struct hv_mem *mem = &s->domain->mem;
	int rc = 0;

	mem->va_mode = HV_VA_HOST;
	for (unsigned i = 0; i < n && !rc; i++)
		rc = hv_mem_add_host_range(mem, stacks[i], sizes[i]);
	if (!rc)
		rc = hv_mem_add_host_range(mem, __executable_start,
					   (size_t)(_end - __executable_start));
	if (rc)
		sim_fail(s, SIM_SETUP_ERROR, "cannot find the guest's stack");
	return rc;
}

void sim_native_attach(struct native_vcpu *nv, struct sim *s,
		       struct hv_vcpu *v)
{
	struct hv_domain *d = s->domain;
	struct host_port *port = &nv->port;

	memset(port, 0, sizeof(*port));
	port->ops = &native_port_ops;
	port->ctx = nv;
	port->timer = &native_port_timer;
	for (unsigned i = 0; i < d->mem.nr_regions; i++) {
		port->region[i].gpa = d->mem.region[i].gpa;
		port->region[i].size = d->mem.region[i].size;
		port->region[i].host = d->mem.region[i].host;
	}
	port->nr_regions = d->mem.nr_regions;
	port->cpu = v->id;
	port->smp = d->nr_vcpus > 1 && nv->dom;
	nv->sim = s;
	nv->v = v;
	v->ops = &native_vcpu_ops;
	v->runtime = nv;
}

/* Make this thread the domain's vCPU 0. */
static int attach_thread(struct sim *s, struct native_vcpu *nv)
{
	void *stack;
	size_t size;

	if (thread_stack(&stack, &size)) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot find the guest's stack");
		return -1;
	}
	if (sim_native_host_ranges(s, &stack, &size, 1))
		return -1;
	sim_native_attach(nv, s, &s->domain->vcpu[0]);
	return 0;
}

void sim_native_limit_message(struct sim *s, const struct native_vcpu *nv)
{
	char where[96];

	snprintf(where, sizeof(where), "%s (native guest: no PC)",
		 nv->last_call ? nv->last_call : "its start");
	sim_limit_message(s, where);
}

/* One vCPU on this thread, until its domain stops. */
static int run_on_thread(struct sim *s)
{
	struct native_vcpu nv = { 0 };

	if (attach_thread(s, &nv))
		return -1;
	if (host_port_run(&nv.port, hv_gpa_ptr(&s->domain->mem, s->dtb_gpa,
						1)) == HOST_PORT_HALTED)
		s->halted = true;
	if (s->limit)
		sim_native_limit_message(s, &nv);
	s->domain->vcpu[0].runtime = NULL;
	return 0;
}

int sim_native_run(struct sim *s)
{
	if (s->domain->nr_vcpus > 1)
		return sim_native_run_smp(s);
	return run_on_thread(s);
}

/* ---- the same runtime as a library (sim.h) ---- */

struct sim_native {
	struct sim sim;
	struct sim_config cfg;
	struct sim_result res;
	struct native_vcpu nv;
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
	if (sim_setup(&sn->sim) || attach_thread(&sn->sim, &sn->nv))
		goto fail;
	sn->nv.library = true;
	host_port_attach(&sn->nv.port);
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

struct hv_xs_ring *sim_native_xs_ring(struct sim_native *sn)
{
	return sn->sim.xs_link.ring;
}
