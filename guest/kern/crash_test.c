/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootargs that end the guest on purpose, three calls deep, so that a test
 * can read the crash report's backtrace: "crash-fault" stores to an
 * unmapped address, "crash-panic" panics. "hold=N" keeps the guest up for
 * N seconds first (hold-spin: busy, not asleep), for someone looking at
 * the hypervisor's console. */
#include "gxen/time.h"
#include "kern/boot.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "port.h"

#define NSEC_PER_SEC 1000000000ull

/* Each level stays a real call with its own frame: noinline, and work
 * after the call so that it is never a tail call. */
static volatile unsigned crash_depth;

static __attribute__((noinline)) void crash_inner(int fault)
{
	volatile unsigned *bad = arch_fault_address();

	crash_depth++;
	if (fault && bad)
		*bad = crash_depth;
	panic("crash-%s requested at depth %u", fault ? "fault" : "panic",
	      crash_depth);
}

static __attribute__((noinline)) void crash_middle(int fault)
{
	crash_depth++;
	crash_inner(fault);
	crash_depth++;
}

static __attribute__((noinline)) void crash_outer(int fault)
{
	crash_depth = 1;        /* the chain starts here: no state from a boot before */
	crash_middle(fault);
	crash_depth++;
}

/* Busy for s seconds: the vCPU stays on its CPU, for a dump of a running
 * guest's registers. */
static void hold_spinning(unsigned s)
{
	uint64_t end = arch_time_ns() + s * NSEC_PER_SEC;

	while (arch_time_ns() < end)
		;
}

void crash_test_run(void)
{
	unsigned hold = bootarg_uint("hold", 0, 3600);

	if (hold) {
		kprintf("xensim guest: holding for %u s\n", hold);
		if (bootarg_present("hold-spin"))
			hold_spinning(hold);
		else
			time_sleep(hold * NSEC_PER_SEC);
	}
	if (bootarg_present("crash-fault")) {
		if (!arch_fault_address())
			kprintf("crash-fault: no fault on this target\n");
		crash_outer(1);
	}
	if (bootarg_present("crash-panic"))
		crash_outer(0);
}
