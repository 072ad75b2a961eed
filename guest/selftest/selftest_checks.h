/* SPDX-License-Identifier: BSD-2-Clause */
/* The checks of the battery, one function each. */
#ifndef SELFTEST_CHECKS_H
#define SELFTEST_CHECKS_H

#include "selftest.h"

/* The kind of domain the battery runs in (domain_kind.c). */
enum selftest_domain_kind {
	SELFTEST_DOM0,
	SELFTEST_DOM0LESS_DOMU,   /* built by Xen from its boot device tree */
	SELFTEST_XL_DOMU,         /* built by xl (libxl) from an xl.cfg */
};
enum selftest_domain_kind selftest_domain_kind(void);
/* What a console_io call answers in this kind of domain: WANT where Xen
 * lets the domain use its console, else -XEN_EPERM. */
long selftest_console_io_want(long want);

void check_xen_version(struct selftest_ctx *ctx);
void check_xen_version_strings(struct selftest_ctx *ctx);
void check_xen_features(struct selftest_ctx *ctx);
void check_console_io(struct selftest_ctx *ctx);
void check_shared_info(struct selftest_ctx *ctx);
void check_shared_info_remap_busy(struct selftest_ctx *ctx);
void check_device_tree(struct selftest_ctx *ctx);
void check_hvm_params(struct selftest_ctx *ctx);
void check_bad_pointer(struct selftest_ctx *ctx);
void check_unknown_hypercall(struct selftest_ctx *ctx);
void check_debug_hypercalls(struct selftest_ctx *ctx);
void check_evtchn_upcall_irq(struct selftest_ctx *ctx);

/* Event channels, grant table and time (checks_evtchn.c, checks_gnttab.c,
 * checks_time.c). */
void check_evtchn_loopback(struct selftest_ctx *ctx);
void check_evtchn_mask(struct selftest_ctx *ctx);
void check_evtchn_ipi(struct selftest_ctx *ctx);
void check_evtchn_errors(struct selftest_ctx *ctx);
void check_virq_timer(struct selftest_ctx *ctx);
void check_gnttab_setup(struct selftest_ctx *ctx);
void check_gnttab_self_copy(struct selftest_ctx *ctx);
void check_gnttab_batch(struct selftest_ctx *ctx);
void check_timer_sleep(struct selftest_ctx *ctx);
void check_timer_timeouts(struct selftest_ctx *ctx);
void check_timer_busy_wait(struct selftest_ctx *ctx);

/* RAM banks, read and written both ways with Xen (checks_memory.c). */
void check_ram_banks(struct selftest_ctx *ctx);

/* xenstore (checks_xenstore.c). */
void check_xenstore_layout(struct selftest_ctx *ctx);
void check_xenstore_read_write(struct selftest_ctx *ctx);
void check_xenstore_transaction(struct selftest_ctx *ctx);
void check_xenstore_watch(struct selftest_ctx *ctx);

/* The checks of secondary CPUs through PSCI (checks_smp.c), run only when
 * the device tree lists more than one CPU. */
extern const struct selftest smp_checks[];
extern const unsigned nr_smp_checks;
/* smp_shared_ring with CPU 1 started by start(fn, arg): PSCI CPU_ON in the
 * battery; smp-suspend hands fn to a CPU 1 already online (its PSCI-like
 * status: 0 taken). CPU 1 runs fn and stays up unless CPU_ON started it. */
typedef long smp_cpu1_start_fn(void (*fn)(void *arg), void *arg);
void smp_shared_ring_run(struct selftest_ctx *ctx, smp_cpu1_start_fn *start);
/* The vcpu_info smp_two_cpus registered for CPU 1 (once per vCPU and
 * domain: it stays CPU 1's), NULL when it registered none. */
struct vcpu_info;
struct vcpu_info *smp_cpu1_vcpu_info(void);

/* dom0's test device (checks_backend.c). */
void check_backend_grant_copy(struct selftest_ctx *ctx);

#endif
