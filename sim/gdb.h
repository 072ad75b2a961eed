/* SPDX-License-Identifier: BSD-2-Clause */
/* The gdb stub (--gdb): serves GDB's remote protocol on a TCP or unix
 * socket for the emulated vCPUs of a run, one gdb thread per vCPU (its
 * domain id). The run loop (unicorn.c) hands each vCPU to the stub before
 * it runs it: while gdb holds the guest, the stub serves the socket,
 * blocking, and nothing of the machine moves, virtual time included.
 * Everything gdb sends is checked: a bad packet gets an error reply,
 * never a crash. */
#ifndef SIM_GDB_H
#define SIM_GDB_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "sim.h"

struct sim_gdb;
struct sim_vcpu;

/* Breakpoints and watchpoints gdb may have inserted at once. */
#define SIM_GDB_MAX_POINTS 32

/* What the stub keeps in each vCPU (struct sim_vcpu). */
struct sim_gdb_cpu {
	struct sim_gdb *gdb;         /* NULL: no debugger in this run */
	bool step;                   /* run one instruction, then stop */
	bool step_began;             /* ...that instruction is running */
	uint64_t step_from;          /* the PC the step starts at */
	int stop_signal;             /* a stop to report (0: none) */
	char stop_why[40];           /* "swbreak:", "watch:ADDR", ... */
	/* A watched access seen by the memory hook, reported at the next
	 * instruction (the hook's PC is not exact). */
	bool watch_hit;
	char watch_why[40];
	uc_hook point_hook[SIM_GDB_MAX_POINTS];
	uc_hook insn_hook;           /* every instruction: watching, stepping */
	bool insn_hooked;
	uc_hook block_hook;          /* looks for Ctrl-C now and then */
	unsigned blocks;
	bool interrupt;               /* ...and saw it: stop at the next trap */
};

/* Start serving a run of runtime on spec, "tcp:127.0.0.1:PORT" (PORT 0:
 * any free one) or "unix:PATH"; wait: hold the guest at its first
 * instruction until gdb attaches and lets it go. Prints where it listens
 * on stderr. NULL with the reason in err: a bad or busy address, no spec
 * (wait alone), the native runtime (gdb debugs xensim itself there) or a
 * sweep of many runs. */
struct sim_gdb *sim_gdb_start(const char *spec, bool wait,
			      enum sim_runtime runtime, bool sweep, char *err,
			      size_t errlen);

/* The run ended with exit status code: tell an attached gdb the guest
 * exited, close the sockets (and the unix socket's file), free. */
void sim_gdb_close(struct sim_gdb *gdb, int code);

/* A vCPU of the run opened (hooks installed) / is closed. -1 on failure. */
int sim_gdb_attach_vcpu(struct sim_gdb *gdb, struct sim_vcpu *vc);
void sim_gdb_detach_vcpu(struct sim_vcpu *vc);

/* Before the engine runs vc: serves gdb while vc is held. 0 (run: vc's
 * registers and vc->begin may have changed), or -1 when gdb killed the
 * run. */
int sim_gdb_before_run(struct sim_vcpu *vc);

/* vc faulted and its run ends: an attached gdb is shown the fault (as
 * SIGSEGV, the registers and memory as the fault left them) until it
 * lets go. */
void sim_gdb_fault(struct sim_vcpu *vc);

#endif
