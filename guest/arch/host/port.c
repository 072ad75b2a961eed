/* SPDX-License-Identifier: BSD-2-Clause */
/* The port boundary for the workstation: a hypercall is a call into the
 * model through host_port_ops, interrupts are a flag, and the guest unwinds
 * to host_port_run() when its domain stops. Each CPU keeps its own port,
 * interrupt flags and unwind point; the runtime switches CPUs only inside
 * its calls, and says which CPU it resumed (host_port_resume). */
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <xen/sched.h>

#include "host_port.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"

/* What each CPU has of its own. */
struct host_cpu {
	const struct host_port *port;
	jmp_buf unwind;
	bool in_run;        /* inside host_port_run: unwind is set */
	bool irq_enabled;
	bool in_irq;
};

static struct host_cpu cpus[HOST_PORT_MAX_CPUS];
static struct host_cpu *cpu = &cpus[0];     /* the one running */

#define PSCI_CPU_ON_64 0xc4000003ul
#define PSCI_CPU_OFF   0x84000002ul

/* In a run, a stopped domain (or a CPU gone down) unwinds to
 * host_port_run() or host_port_cpu_run(); attached without one, the
 * caller is a test that looks at the domain itself. */
static void leave_if_stopped(void)
{
	if (cpu->in_run && cpu->port->ops->stopped(cpu->port->ctx))
		longjmp(cpu->unwind, HOST_PORT_STOPPED + 1);
}

/* Where another vCPU may run: the runtime decides whether it does. */
static void relax(void)
{
	if (cpu->port && cpu->port->smp && cpu->in_run) {
		cpu->port->ops->relax(cpu->port->ctx);
		leave_if_stopped();
	}
}

static bool timer_pending(void)
{
	return cpu->port->timer && cpu->port->timer->pending(cpu->port->ctx);
}

/* Deliver a pending interrupt the way a CPU would: only when unmasked,
 * with interrupts masked while the handler runs; the timer first, as a GIC
 * would (at equal priority its INTID 27 wins over the upcall's 31). */
static void take_pending_irq(void)
{
	bool timer;

	while (cpu->irq_enabled && !cpu->in_irq &&
	       ((timer = timer_pending()) ||
		cpu->port->ops->irq_pending(cpu->port->ctx))) {
		cpu->in_irq = true;
		cpu->irq_enabled = false;
		if (timer)
			kern_timer_irq();
		else
			kern_irq();
		cpu->irq_enabled = true;
		cpu->in_irq = false;
		leave_if_stopped();
	}
}

/* SCHEDOP_block and CPU_SUSPEND return with interrupts unmasked, and one
 * pending is taken right after the call. */
static void unmask_if_asked(void)
{
	const struct host_port_ops *ops = cpu->port->ops;

	if (ops->irq_unmasked && ops->irq_unmasked(cpu->port->ctx))
		cpu->irq_enabled = true;
}

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3, unsigned long a4)
{
	const unsigned long a[5] = { a0, a1, a2, a3, a4 };
	long rc = cpu->port->ops->hypercall(cpu->port->ctx, op, a);

	leave_if_stopped();
	unmask_if_asked();
	take_pending_irq();
	return rc;
}

unsigned long arch_smccc_call(unsigned long fid, unsigned long a1,
			      unsigned long a2, unsigned long a3,
			      unsigned long res[4])
{
	const unsigned long a[4] = { fid, a1, a2, a3 };

	cpu->port->ops->smccc(cpu->port->ctx, a, res);
	leave_if_stopped();
	unmask_if_asked();
	take_pending_irq();
	return res[0];
}

/* An ARM guest's vectors find the exception a release Xen answers a
 * debug hypercall with unexpected, report it and crash: so does this. */
static void debug_trap(uint16_t imm, unsigned n, unsigned long v)
{
	unsigned long reg[16] = { 0 };

	reg[n & 15] = v;
	if (cpu->port->ops->hvc(cpu->port->ctx, imm, reg,
			   (uintptr_t)__builtin_return_address(0))) {
		kprintf("host: unexpected undefined instruction: hvc %#x\n",
			imm);
		kern_shutdown(SHUTDOWN_crash);
	}
	leave_if_stopped();
}

#define PROBED(imm) case imm:

/* The model says how Xen answers; an exception it injects is delivered
 * here as the ARM ports' vectors deliver it, at the next instruction. */
enum arch_hvc_outcome arch_hvc_probe(unsigned imm)
{
	unsigned long reg[16] = { 0 };
	bool undefined;

	switch (imm) {
	ARCH_HVC_PROBE_IMMS(PROBED)
		break;
	default:
		return ARCH_HVC_NOT_PROBED;
	}
	undefined = cpu->port->ops->hvc(cpu->port->ctx, (uint16_t)imm, reg,
				   (uintptr_t)__builtin_return_address(0));
	leave_if_stopped();
	return undefined ? ARCH_HVC_UNDEFINED : ARCH_HVC_RETURNED;
}

void arch_debug_putc(char c)
{
	debug_trap(0xfffe, 0, (unsigned char)c);
}

void arch_debug_print_pc(void)
{
	debug_trap(0xfffd, 0, 0);
}

void arch_debug_dump_state(void)
{
	debug_trap(0xffff, 0, 0);
}

void arch_debug_print_reg(unsigned n, unsigned long v)
{
	debug_trap((uint16_t)(0xffe0 | (n & 15)), n, v);
}

/* Barriers order a ring's steps between CPUs: with several vCPUs each is
 * also a point where another may run, so code between two (filling a
 * request, publishing an index) meets the other CPU's as on hardware. */
void arch_mb(void)
{
	atomic_thread_fence(memory_order_seq_cst);
	relax();
}

void arch_rmb(void)
{
	atomic_thread_fence(memory_order_acquire);
	relax();
}

void arch_wmb(void)
{
	atomic_thread_fence(memory_order_release);
	relax();
}

paddr_t arch_virt_to_phys(const void *va)
{
	uintptr_t p = (uintptr_t)va;

	for (unsigned i = 0; i < cpu->port->nr_regions; i++) {
		const struct host_port_region *r = &cpu->port->region[i];
		uintptr_t base = (uintptr_t)r->host;

		if (p >= base && p - base < r->size)
			return r->gpa + (p - base);
	}
	return ~(paddr_t)0;
}

void *arch_phys_to_virt(paddr_t pa)
{
	for (unsigned i = 0; i < cpu->port->nr_regions; i++) {
		const struct host_port_region *r = &cpu->port->region[i];

		if (pa >= r->gpa && pa - r->gpa < r->size)
			return (char *)r->host + (pa - r->gpa);
	}
	return NULL;
}

/* No page tables: a page has one address, which is its own alias. */
void *arch_alias_page(void *va)
{
	return va;
}

void *arch_phys_window(paddr_t pa)
{
	return arch_phys_to_virt(pa);
}

bool arch_ram_clip(paddr_t *start, paddr_t *end)
{
	paddr_t best_start = 0, best_end = 0;

	/* The largest piece of the bank that one of the runtime's regions
	 * backs: nothing outside them exists in this process. */
	for (unsigned i = 0; i < cpu->port->nr_regions; i++) {
		const struct host_port_region *r = &cpu->port->region[i];
		paddr_t lo, hi;

		if (*end <= r->gpa || *start >= r->gpa + r->size)
			continue;
		lo = *start > r->gpa ? *start : r->gpa;
		hi = *end - r->gpa < r->size ? *end : r->gpa + r->size;
		if (lo < hi && hi - lo > best_end - best_start) {
			best_start = lo;
			best_end = hi;
		}
	}
	*start = best_start;
	*end = best_end;
	return best_end > best_start;
}

void arch_image_range(paddr_t *start, paddr_t *end)
{
	/* The native image lives in the host process, not in guest RAM. */
	*start = *end = 0;
}

unsigned long arch_irq_save(void)
{
	unsigned long flags = cpu->irq_enabled;

	cpu->irq_enabled = false;
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	cpu->irq_enabled = flags != 0;
	take_pending_irq();
}

void arch_irq_enable(void)
{
	cpu->irq_enabled = true;
	take_pending_irq();
}

void arch_idle(void)
{
	cpu->port->ops->idle(cpu->port->ctx);
	leave_if_stopped();
	take_pending_irq();
}

uint64_t arch_time_ns(void)
{
	uint64_t now = cpu->port->ops->time_ns(cpu->port->ctx);

	/* A guest that only reads the clock must still stop at its limit. */
	leave_if_stopped();
	return now;
}

void arch_timer_set(uint64_t deadline_ns)
{
	if (cpu->port->timer)
		cpu->port->timer->set(cpu->port->ctx, deadline_ns);
}

bool arch_timer_fired(void)
{
	return timer_pending();
}

void arch_early_write(const char *s, size_t len)
{
	/* As on ARM: the debug hypercalls are undefined on a release Xen. */
	(void)s;
	(void)len;
}

_Noreturn void arch_halt(void)
{
	leave_if_stopped();
	/* Attached without a run there is nowhere to return to: die loudly
	 * rather than run on past a halt. */
	if (!cpu->in_run)
		__builtin_trap();
	longjmp(cpu->unwind, HOST_PORT_HALTED + 1);
}

void host_port_resume(const struct host_port *p)
{
	cpu = &cpus[p->cpu % HOST_PORT_MAX_CPUS];
}

/* p's CPU runs, interrupts masked, not yet in a run. */
static void cpu_reset(const struct host_port *p)
{
	host_port_resume(p);
	cpu->port = p;
	cpu->in_run = false;
	cpu->irq_enabled = false;
	cpu->in_irq = false;
}

/* The boot blocks of CPUs being started, by vCPU: the context id is not
 * trusted (Xen 4.17 can hand a CPU_ON'd CPU CPU_OFF's result instead,
 * arm-common/arm.h), as on the ARM ports. A new boot starts with none. */
static struct arch_cpu_boot *cpu_mailbox[8];

void host_port_attach(const struct host_port *p)
{
	cpu_reset(p);
	memset(cpu_mailbox, 0, sizeof(cpu_mailbox));
}

enum host_port_exit host_port_run(const struct host_port *p, void *dtb)
{
	volatile int how;

	cpu_reset(p);
	memset(cpu_mailbox, 0, sizeof(cpu_mailbox));
	how = setjmp(cpu->unwind);
	if (how == 0) {
		cpu->in_run = true;
		kern_main(dtb, NULL);
	}
	cpu->in_run = false;
	return (enum host_port_exit)(how - 1);
}

/* A secondary CPU's life: its function, then down. */
static _Noreturn void secondary_main(struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	boot->fn(boot->arg);
	arch_smccc_call(PSCI_CPU_OFF, 0, 0, 0, res);
	arch_halt();                 /* CPU_OFF does not come back */
}

enum host_port_exit host_port_cpu_run(const struct host_port *p,
				      unsigned long context_id)
{
	volatile int how;
	struct arch_cpu_boot *boot = p->cpu < 8 ? cpu_mailbox[p->cpu] : NULL;

	(void)context_id;
	cpu_reset(p);
	how = setjmp(cpu->unwind);
	if (how == 0 && boot) {
		cpu->in_run = true;
		secondary_main(boot);
	}
	cpu->in_run = false;
	return (enum host_port_exit)(how - 1);
}

volatile unsigned *arch_fault_address(void)
{
	return NULL;    /* a fault here would be xensim's own */
}

/* The new CPU is a coroutine of the runtime's, on a stack of its own
 * (boot->stack_top goes unused) that runs host_port_cpu_run with the
 * block: the block's address serves as entry point and context id. A
 * runtime that runs one vCPU answers as Xen does for an absent one. */
long arch_cpu_start(unsigned long mpidr, struct arch_cpu_boot *boot)
{
	unsigned long res[4];

	/* Aff0 is the vCPU's index below 16 (Xen's vcpuid_to_vaffinity). */
	if ((mpidr & 0xff) < 8 && !(mpidr & 0xff00))
		cpu_mailbox[mpidr & 0xff] = boot;
	return (long)arch_smccc_call(PSCI_CPU_ON_64, mpidr,
				     (unsigned long)boot,
				     (unsigned long)boot, res);
}
