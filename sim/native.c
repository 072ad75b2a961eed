/* The native runtime: the guest is linked into this process and its
 * hypercalls are calls into the model. The model accepts the guest's
 * pointers only inside guest RAM, this thread's stack and the program's
 * static image, so a wild pointer still gets -EFAULT. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

#include <xen/errno.h>

#include "host_port.h"
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/time.h"
#include "sim_internal.h"

/* Linker-provided bounds of this program's loaded image. */
extern char __executable_start[];
extern char _end[];

struct native_vcpu {
	struct sim *sim;
	unsigned long reg[16];
	uintptr_t pc;
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

static long port_hypercall(void *ctx, unsigned long op, const unsigned long a[5])
{
	const uint64_t arg[5] = { a[0], a[1], a[2], a[3], a[4] };

	return sim_hypercall(ctx, vcpu0(ctx), op, arg);
}

static void port_debug(void *ctx, uint16_t imm, const unsigned long reg[16],
		       uintptr_t pc)
{
	struct hv_vcpu *v = vcpu0(ctx);
	struct native_vcpu *nv = v->runtime;

	memcpy(nv->reg, reg, sizeof(nv->reg));
	nv->pc = pc;
	if (hv_debug_trap(v, imm))
		hv_domain_crash(v->domain, "undefined debug hypercall");
}

static void port_idle(void *ctx)
{
	sim_idle_step(ctx);
}

static uint64_t port_time_ns(void *ctx)
{
	return hv_time_observe(((struct sim *)ctx)->machine);
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

	return !hv_domain_running(s->domain) || s->deadlocked;
}

static const struct host_port_ops native_port_ops = {
	.hypercall = port_hypercall,
	.debug = port_debug,
	.idle = port_idle,
	.time_ns = port_time_ns,
	.irq_pending = port_irq_pending,
	.stopped = port_stopped,
};

static const struct host_port_timer native_port_timer = {
	.set = port_timer_set,
	.pending = port_timer_pending,
};

int sim_native_host_ranges(struct hv_mem *mem)
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

int sim_native_run(struct sim *s)
{
	struct hv_domain *d = s->domain;
	struct native_vcpu nv = { .sim = s };
	struct host_port port = { .ops = &native_port_ops, .ctx = s,
				  .timer = &native_port_timer };
	int rc;

	d->mem.va_mode = HV_VA_HOST;
	rc = sim_native_host_ranges(&d->mem);
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot find this thread's stack");
		return rc;
	}
	for (unsigned i = 0; i < d->mem.nr_regions; i++) {
		port.region[i].gpa = d->mem.region[i].gpa;
		port.region[i].size = d->mem.region[i].size;
		port.region[i].host = d->mem.region[i].host;
	}
	port.nr_regions = d->mem.nr_regions;
	d->vcpu[0].ops = &native_vcpu_ops;
	d->vcpu[0].runtime = &nv;
	if (host_port_run(&port, hv_gpa_ptr(&d->mem, s->dtb_gpa, 1)) ==
	    HOST_PORT_HALTED)
		s->halted = true;
	d->vcpu[0].runtime = NULL;
	return 0;
}
