/* SPDX-License-Identifier: BSD-2-Clause */
/* Time for the guest: a monotonic clock (the architectural counter through
 * the port), timeouts that call back from the timer interrupt, a sleep and
 * a bounded wait for a condition. One hardware timer (arch_timer_set) is
 * kept programmed for the earliest armed timeout. */
#ifndef GXEN_TIME_H
#define GXEN_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull

struct timeout;
typedef void timeout_fn(struct timeout *t, void *arg);

/* Owned by the caller: zero it before its first use; it must stay alive
 * while armed. */
struct timeout {
	uint64_t deadline;
	timeout_fn *fn;
	void *arg;
	bool armed;
	struct timeout *next;
};

/* No timeouts, no clock reading seen yet, as at load. */
void time_reset(void);
/* Once per boot, after kern_reset(): stop the timer, install its
 * interrupt handler. */
void time_init(void);

/* Nanoseconds since boot; never goes back. */
uint64_t time_now(void);

/* Run fn(t, arg) from the timer interrupt once time_now() >= deadline. */
void timeout_arm(struct timeout *t, uint64_t deadline, timeout_fn *fn,
		 void *arg);
void timeout_cancel(struct timeout *t);

/* Around a suspend: stop the timer with the timeouts kept armed, and
 * program it again for the first of them. Call with interrupts masked. */
void time_quiesce(void);
void time_resume(void);

/* Idle until ns have passed. Call with interrupts enabled. */
void time_sleep(uint64_t ns);

/* Idle until cond(arg) holds or timeout_ns pass; returns cond's last
 * value. Call with interrupts enabled. */
bool time_wait(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns);

/* Timer interrupts taken so far. */
unsigned time_irq_count(void);

#endif
