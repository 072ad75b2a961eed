/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_sched_op(cmd, arg): yield, block, poll on ports, and shut the
 * domain down (poweroff, reboot, suspend, crash). */
#ifndef XENSIM_XEN_SCHED_H
#define XENSIM_XEN_SCHED_H

#include "event_channel.h"

#define SCHEDOP_yield            0
#define SCHEDOP_block            1   /* ARM guests should prefer wfi */
#define SCHEDOP_shutdown         2
#define SCHEDOP_poll             3
#define SCHEDOP_remote_shutdown  4
#define SCHEDOP_shutdown_code    5
#define SCHEDOP_watchdog         6
#define SCHEDOP_pin_override     7

/* shutdown, shutdown_code: why the domain stops. */
struct sched_shutdown {
	uint32_t reason;              /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/* poll: block until one of ports is pending or timeout (absolute system
 * time in ns, 0 = none) passes. */
struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports;
	uint32_t nr_ports;
	uint64_aligned_t timeout;
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");

struct sched_remote_shutdown {
	domid_t domain_id;
	uint32_t reason;              /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "remote_shutdown");

/* watchdog: id 0 creates one; timeout 0 destroys it. */
struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;             /* seconds */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
	int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#endif /* XENSIM_XEN_SCHED_H */
