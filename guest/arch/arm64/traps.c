/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 exceptions other than the IRQ: the undefined-instruction
 * exception an hvc probe waits for goes back to the probe; anything else
 * is unexpected: report the syndrome, fault address, return address and
 * registers through the console, then crash the domain. The frame is what
 * vectors.S saved; nothing in it is trusted to make sense (a wild ELR is
 * printed, never followed). */
#include <stdint.h>
#include <xen/sched.h>

#include "arm.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "port.h"

struct arm64_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
};

void arm64_trap(struct arm64_frame *f, unsigned vector);

/* The vector Xen and hardware use for a synchronous exception at EL1 on
 * SP_EL1, where the guest runs. */
#define VECTOR_CURRENT_SYNC 4
/* The syndrome Xen gives an hvc it does not take: EC 0 (unknown
 * reason), IL 1. */
#define ESR_UNKNOWN_IL32 0x02000000u

/* Vector index: bits 3:2 where it came from, bits 1:0 what kind. */
static const char *const from_name[4] = {
	"EL1 with SP_EL0", "EL1", "EL0 (AArch64)", "EL0 (AArch32)",
};
static const char *const kind_name[4] = {
	"synchronous", "IRQ", "FIQ", "SError",
};

static void arm64_unexpected(const struct arm64_frame *f, unsigned vector)
{
	kprintf("arm64: unexpected %s exception from %s\n",
		kind_name[vector & 3], from_name[(vector >> 2) & 3]);
	kprintf("arm64: ESR %#010llx (EC %#x) FAR %#018llx\n",
		(unsigned long long)f->esr, (unsigned)(f->esr >> 26) & 0x3f,
		(unsigned long long)f->far);
	kprintf("arm64: ELR %#018llx SPSR %#010llx SP %#018llx\n",
		(unsigned long long)f->elr, (unsigned long long)f->spsr,
		(unsigned long long)f->sp);
	for (unsigned i = 0; i < 31; i += 2) {
		if (i + 1 < 31)
			kprintf("arm64: x%-2u %016llx  x%-2u %016llx\n", i,
				(unsigned long long)f->x[i], i + 1,
				(unsigned long long)f->x[i + 1]);
		else
			kprintf("arm64: x%-2u %016llx\n", i,
				(unsigned long long)f->x[i]);
	}
	kern_shutdown(SHUTDOWN_crash);
}

/* Returns only when the exception was a probe's: the frame's ELR then
 * says where to go on. */
void arm64_trap(struct arm64_frame *f, unsigned vector)
{
	uintptr_t resume = 0;
	unsigned long spsr = f->spsr, psr;

	if (vector == VECTOR_CURRENT_SYNC && f->esr >> 26 == 0)
		resume = arm_undef_caught(f->elr, f->esr == ESR_UNKNOWN_IL32,
					  &spsr, &psr);
	if (resume) {
		f->elr = resume;
		return;
	}
	arm64_unexpected(f, vector);
	arch_halt();
}
