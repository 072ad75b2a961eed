/* SPDX-License-Identifier: BSD-2-Clause */
/* The native runtime: the guest is linked into this process and its
 * hypercalls are calls into the model. The model accepts the guest's
 * pointers only inside guest RAM, this thread's stack and the program's
 * static image, so a wild pointer still gets -EFAULT. */
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
};

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
	while (!hv_vcpu_wait_over(v, sim_vcpu0_woken(s)))
		if (!sim_idle_step(s))
			return;
	hv_vcpu_wait_end(v);
}

static long port_hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	const uint64_t arg[5] = { a[0], a[1], a[2], a[3], a[4] };
	long rc = sim_hypercall(ctx, vcpu0(ctx), op, arg);

	native_wait(ctx);
	native_charge(ctx, "a hypercall");
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

static bool port_stopped(void *ctx);

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

	return !hv_domain_running(s->domain) || s->deadlocked || s->limit;
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

/* Let the model accept the guest's pointers into this thread's stack and
 * this program's static image. 0 or a negative Xen errno. */
static int host_ranges(struct hv_mem *mem)
{
	pthread_attr_t attr;
	void *stack;
	size_t size;
	int rc;

	if (pthread_getattr_np(pthread_self(), &attr))
		return -XEN_EFAULT;
	rc = pthread_attr_getstack(&attr, &stack, &size);
	pthread_attr_destroy(&attr);
	if (rc)
		return -XEN_EFAULT;
	rc = hv_mem_add_host_range(mem, stack, size);
	if (rc)
		return rc;
	return hv_mem_add_host_range(mem, __executable_start,
				     (size_t)(_end - __executable_start));
}

/* Make this thread the domain's vCPU 0 and describe guest RAM to the
 * workstation port. */
static int attach(struct sim *s, struct native_vcpu *nv, struct host_port *port)
{
	struct hv_domain *d = s->domain;

	d->mem.va_mode = HV_VA_HOST;
	if (host_ranges(&d->mem)) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot find this thread's stack");
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

int sim_native_run(struct sim *s)
{
	struct native_vcpu nv = { 0 };
	struct host_port port;

	if (attach(s, &nv, &port))
		return -1;
	if (host_port_run(&port, hv_gpa_ptr(&s->domain->mem, s->dtb_gpa, 1)) ==
	    HOST_PORT_HALTED)
		s->halted = true;
	if (s->limit) {
		char where[96];

		snprintf(where, sizeof(where), "%s (native guest: no PC)",
			 nv.last_call ? nv.last_call : "its start");
		sim_limit_message(s, where);
	}
	s->domain->vcpu[0].runtime = NULL;
	return 0;
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
