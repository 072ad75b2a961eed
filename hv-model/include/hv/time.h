/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual time of a machine and the timers that run on it: model timers
 * (callbacks at a deadline) and each vCPU's virtual architectural timer
 * (CNTV_CTL/CNTV_CVAL), whose interrupt line a runtime raises as PPI 27.
 * Only the model moves time, and only forward: the same inputs give the
 * same firing order (deadline, then the order timers were armed). */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct hv_machine;
struct hv_vcpu;

/* The counter frequency the model gives the guest (CNTFRQ_EL0), QEMU's
 * virt machine's: one tick is exactly 16 ns of virtual time. */
#define HV_CNTFRQ_HZ   62500000u
#define HV_NS_PER_TICK 16u

/* CNTV_CTL_EL0 bits. */
#define HV_CNT_CTL_ENABLE  (1u << 0)
#define HV_CNT_CTL_IMASK   (1u << 1)
#define HV_CNT_CTL_ISTATUS (1u << 2)

struct hv_timer;
typedef void hv_timer_fn(struct hv_timer *t, void *ctx);

/* A model timer; the owner keeps the struct alive while it is armed. */
struct hv_timer {
	hv_timer_fn *fn;
	void *ctx;
	uint64_t deadline_ns;
	uint64_t seq;                /* arming order, breaks deadline ties */
	bool armed;
	struct hv_timer *next;       /* machine's list, sorted */
	const char *name;            /* the callback as Xen's 'a' key names it,
				      * NULL: a timer of the model only */
};

/* The virtual timer of one vCPU, as the guest programmed it. */
struct hv_vtimer {
	uint32_t ctl;                /* ENABLE | IMASK (ISTATUS is computed) */
	uint64_t cval;               /* compare value, in ticks */
};

uint64_t hv_time_now(const struct hv_machine *m);
/* The virtual counter (CNTVCT_EL0): now in ticks. */
uint64_t hv_time_ticks(const struct hv_machine *m);
/* A guest's read of its clock: the time now, after which one counter tick
 * passes (firing what falls due), so a guest that polls the clock without
 * ever idling still sees it move, the same way every run. */
uint64_t hv_time_observe(struct hv_machine *m);

void hv_timer_init(struct hv_timer *t, hv_timer_fn *fn, void *ctx);
/* (Re)arm t for deadline_ns; a deadline in the past fires at the next
 * hv_time_advance_to. */
void hv_timer_arm(struct hv_machine *m, struct hv_timer *t,
		  uint64_t deadline_ns);
void hv_timer_cancel(struct hv_machine *m, struct hv_timer *t);

/* The earliest future event that could wake a guest: an armed model
 * timer, or a vCPU's enabled, unmasked virtual timer that has not fired
 * yet. False when nothing can ever fire. */
bool hv_time_next_deadline(const struct hv_machine *m, uint64_t *ns);

/* Move time forward to ns (never back), firing every model timer due on
 * the way, each at its own deadline. */
void hv_time_advance_to(struct hv_machine *m, uint64_t ns);

/* Back to time 0, timers armed afresh in order, for a process that runs
 * case after case on one machine (a fuzzer's reset): only while nothing
 * could fire, no model timer armed and no virtual timer pending
 * (-XEN_EBUSY otherwise, and time stays). */
int hv_time_rewind(struct hv_machine *m);

/* The vCPU's virtual timer, as a runtime traps the system registers. */
void hv_vtimer_write_ctl(struct hv_vcpu *v, uint32_t ctl);
void hv_vtimer_write_cval(struct hv_vcpu *v, uint64_t cval_ticks);
/* CNTV_TVAL_EL0 write: cval = now + (signed 32-bit) tval. */
void hv_vtimer_write_tval(struct hv_vcpu *v, uint32_t tval);
uint32_t hv_vtimer_read_ctl(struct hv_vcpu *v);   /* with ISTATUS */
uint64_t hv_vtimer_read_cval(struct hv_vcpu *v);
uint32_t hv_vtimer_read_tval(struct hv_vcpu *v);
/* The level of the timer's interrupt line (PPI 27): enabled, unmasked and
 * the counter has reached cval. */
bool hv_vtimer_irq_level(struct hv_vcpu *v);
/* The native port's form: interrupt at deadline_ns (rounded up to a
 * tick), or stop the timer when deadline_ns is 0. */
void hv_vtimer_set_deadline(struct hv_vcpu *v, uint64_t deadline_ns);

#endif
