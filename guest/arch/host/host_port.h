/* SPDX-License-Identifier: BSD-2-Clause */
/* The workstation port's contract with whoever runs it (the simulator or a
 * test): the calls the port makes instead of trapping, and the guest memory
 * it sees. Not part of the port boundary: only guest/arch/host and sim/
 * include this. */
#ifndef HOST_PORT_H
#define HOST_PORT_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_PORT_MAX_REGIONS 4
#define HOST_PORT_MAX_CPUS    8

struct host_port_region {
	uint64_t gpa;
	uint64_t size;
	void *host;
};

struct host_port_ops {
	/* A hypercall; the result is what x0 would hold. */
	long (*hypercall)(void *ctx, unsigned long op, const unsigned long a[5]);
	/* `hvc #imm`, imm neither 0 nor 0xEA1 (a debug hypercall, or one Xen
	 * does not take), with the guest's registers at the time. True when
	 * Xen answers with an undefined-instruction exception. */
	bool (*hvc)(void *ctx, uint16_t imm, const unsigned long reg[16],
		    uintptr_t pc);
	/* `wfi`: let the machine run until an interrupt may be pending. */
	void (*idle)(void *ctx);
	/* Virtual nanoseconds since boot. */
	uint64_t (*time_ns)(void *ctx);
	/* Whether an upcall is pending for this vCPU. */
	bool (*irq_pending)(void *ctx);
	/* Whether the domain has stopped (the guest must not run on). */
	bool (*stopped)(void *ctx);
	/* An SMCCC call (`hvc #0`): a[] the four argument registers, res[]
	 * the four result registers. */
	void (*smccc)(void *ctx, const unsigned long a[4],
		      unsigned long res[4]);
	/* Whether the hypercall or SMCCC call just made unmasked the CPU's
	 * interrupts, as Xen clears CPSR.I for SCHEDOP_block and PSCI
	 * CPU_SUSPEND; asking clears it. NULL: no call ever does. */
	bool (*irq_unmasked)(void *ctx);
	/* A point where another vCPU may run (a barrier, a CPU waiting for
	 * another): called only when the port's smp is set. */
	void (*relax)(void *ctx);
};

/* The CPU's timer behind arch_timer_set(). */
struct host_port_timer {
	/* Interrupt at deadline_ns of virtual time; 0 stops the timer. */
	void (*set)(void *ctx, uint64_t deadline_ns);
	/* The level of the timer's interrupt line. */
	bool (*pending)(void *ctx);
};

struct host_port {
	const struct host_port_ops *ops;
	void *ctx;
	const struct host_port_timer *timer;   /* NULL: the CPU has none */
	struct host_port_region region[HOST_PORT_MAX_REGIONS];
	unsigned nr_regions;
	unsigned cpu;          /* which of the guest's CPUs: 0 boots */
	bool smp;              /* other vCPUs may run: barriers call relax */
};

enum host_port_exit {
	HOST_PORT_STOPPED,    /* the domain stopped (shutdown or crash) */
	HOST_PORT_HALTED,     /* the guest halted its CPU while running */
};

/* Use port for the guest's arch calls without booting (tests): the caller
 * calls guest functions itself, and a stopped domain does not unwind. */
void host_port_attach(const struct host_port *port);

/* Run kern_main(dtb, NULL) on the calling thread until the guest stops or
 * halts. One guest at a time per process: the guest is a kernel and has
 * globals. */
enum host_port_exit host_port_run(const struct host_port *port, void *dtb);

/* Natively every CPU of a guest with several is a coroutine of the
 * runtime's on this thread. Run a CPU PSCI CPU_ON started, context_id its
 * boot block (struct arch_cpu_boot: the workstation port passes the
 * block's address as both entry point and context id), until it goes
 * down (CPU_OFF: HOST_PORT_STOPPED), the domain stops or the CPU halts. */
enum host_port_exit host_port_cpu_run(const struct host_port *port,
				      unsigned long context_id);

/* The runtime resumed the coroutine of port's CPU: it is this CPU again. */
void host_port_resume(const struct host_port *port);

#endif
