/* SPDX-License-Identifier: BSD-2-Clause */
/* Fatal errors: print why, shut the domain down as crashed, never return. */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bootargs hold=N, crash-fault and crash-panic (kern/crash_test.c). */
void crash_test_run(void);
/* Ask the hypervisor to shut the domain down with a SHUTDOWN_* reason. */
_Noreturn void kern_shutdown(unsigned reason);
/* Quiesce and suspend the domain (kern/suspend.c); returns, with the
 * domain running again, only when Xen refused: its error. */
long kern_suspend(void);

#endif
