/* SPDX-License-Identifier: BSD-2-Clause */
/* A native vCPU, shared by the runtime's port calls (sim/native.c) and its
 * coroutine domains (sim/native_dom.c): the guest's CPU runs on this
 * thread, or as a coroutine the domain's scheduler resumes. */
#ifndef SIM_NATIVE_VCPU_H
#define SIM_NATIVE_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host_port.h"
#include "hv/domain.h"
#include "sim_internal.h"

struct sim_coro;

struct native_vcpu {
	struct sim *sim;
	struct hv_vcpu *v;
	unsigned long reg[16];
	uintptr_t pc;
	bool library;       /* driven through sim_native_start(), not a run */
	const char *last_call;       /* what the guest last asked the model */
	bool unmask;        /* the last call unmasks interrupts (block) */
	struct host_port port;
	/* In a coroutine domain (NULL: the guest runs on this thread). */
	struct sim_native_dom *dom;
	struct sim_coro *coro;
	enum sim_slice slice;        /* how its last turn ended */
	bool blocked;                /* waits; runs again once woken */
};

/* Let the model accept the guest's pointers into its n stacks and this
 * program's static image. 0, or -1 with s->res filled. */
int sim_native_host_ranges(struct sim *s, void *const *stacks,
			   const size_t *sizes, unsigned n);

/* Describe guest RAM to nv's port and make nv vCPU v's runtime; ctx of
 * the port's calls is nv. */
void sim_native_attach(struct native_vcpu *nv, struct sim *s,
		       struct hv_vcpu *v);

/* Whether nv's guest must unwind: its domain stopped, the run is over, or
 * (a coroutine's CPU) it went down. */
bool sim_native_stopped(const struct native_vcpu *nv);

/* Whether nv would run again now: for wfi, a line is up; in a wait Xen
 * put it in, that wait is over; down, CPU_ON started it. */
bool sim_native_woken(const struct native_vcpu *nv);

/* The limit's message, naming what nv last asked. */
void sim_native_limit_message(struct sim *s, const struct native_vcpu *nv);

/* Whether nv's CPU is down (CPU_OFF) or its domain's run closes. */
bool sim_native_dom_down(const struct native_vcpu *nv);

/* A run of one domain with several vCPUs, each a coroutine under the
 * seeded scheduler, until the domain stops. */
int sim_native_run_smp(struct sim *s);

/* From inside nv's coroutine: its turn ends (why), until the next. */
void sim_native_hand_back(struct native_vcpu *nv, enum sim_slice why);

/* From inside nv's coroutine, at a point where another vCPU or domain may
 * run (a hypercall, a clock read, a barrier): hand back if its quantum
 * is used up. */
void sim_native_yield_point(struct native_vcpu *nv);

#endif
