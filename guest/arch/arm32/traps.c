/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7 exceptions other than the IRQ: the undefined-instruction
 * exception an hvc probe waits for goes back to the probe; anything else
 * is unexpected: report the fault status and address registers, the
 * return address and the registers through the console, then crash the
 * domain. The frame is what vectors.S saved; nothing in it is trusted to
 * make sense (a wild PC is printed, never followed). */
#include <stdint.h>
#include <xen/sched.h>

#include "arm.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "port.h"

struct arm32_frame {
	uint32_t r[13];
	uint32_t lr;        /* the interrupted code's lr (SVC mode) */
	uint32_t ret;       /* the exception's return address */
	uint32_t spsr;
};

void arm32_trap(struct arm32_frame *f, unsigned vector);

#define VECTOR_UNDEF 1

#define CP15_READ(spec, v) __asm__ volatile("mrc p15, " spec : "=r"(v))
#define SPSR_T (1u << 5)

/* Name and offset from the return address back to the instruction. */
static const struct {
	const char *name;
	uint32_t arm_off, thumb_off;
} vectors[8] = {
	{ "reset", 0, 0 },         { "undefined instruction", 4, 2 },
	{ "supervisor call", 4, 2 }, { "prefetch abort", 4, 4 },
	{ "data abort", 8, 8 },    { "hyp trap", 0, 0 },
	{ "IRQ", 4, 4 },           { "FIQ", 4, 4 },
};

static void arm32_unexpected(const struct arm32_frame *f, unsigned vector)
{
	uint32_t dfsr, dfar, ifsr, ifar;
	unsigned v = vector & 7;
	uint32_t off = f->spsr & SPSR_T ? vectors[v].thumb_off
					: vectors[v].arm_off;

	CP15_READ("0, %0, c5, c0, 0", dfsr);
	CP15_READ("0, %0, c6, c0, 0", dfar);
	CP15_READ("0, %0, c5, c0, 1", ifsr);
	CP15_READ("0, %0, c6, c0, 2", ifar);
	kprintf("arm32: unexpected %s exception\n", vectors[v].name);
	kprintf("arm32: DFSR %#010x DFAR %#010x IFSR %#010x IFAR %#010x\n",
		dfsr, dfar, ifsr, ifar);
	kprintf("arm32: PC %#010x SPSR %#010x LR %#010x SP %#010x\n",
		f->ret - off, f->spsr, f->lr,
		(uint32_t)(uintptr_t)(f + 1));
	for (unsigned i = 0; i < 13; i += 4) {
		char line[64];
		int n = 0;

		for (unsigned j = i; j < i + 4 && j < 13; j++)
			n += ksnprintf(line + n, sizeof(line) - (size_t)n,
				       "%sr%-2u %08x", j > i ? "  " : "", j,
				       f->r[j]);
		kprintf("arm32: %s\n", line);
	}
	kern_shutdown(SHUTDOWN_crash);
}

/* Returns only when the exception was a probe's: the frame's return
 * address and PSR then say where to go on. Xen sets SPSR_und to the
 * CPSR the hvc ran with, but under QEMU 7.2 (the interop runs) an
 * AArch32 guest finds a stale SPSR_und after an AArch64 Xen injects the
 * exception (seen: 0, and an SVC-mode value with IL set): it is neither
 * checked nor returned to; the CPSR the probe noted is. */
void arm32_trap(struct arm32_frame *f, unsigned vector)
{
	uintptr_t resume = 0;
	unsigned long psr;

	/* The offset is the probe's instruction set's. */
	if ((vector & 7) == VECTOR_UNDEF && arm_undef_expected(&psr))
		resume = arm_undef_caught(f->ret - (psr & SPSR_T ?
				vectors[VECTOR_UNDEF].thumb_off :
				vectors[VECTOR_UNDEF].arm_off), true, NULL, &psr);
	if (resume) {
		f->ret = (uint32_t)resume;
		f->spsr = (uint32_t)psr;
		return;
	}
	arm32_unexpected(f, vector);
	arch_halt();
}

/* The run-time ABI's division-by-zero hooks (libgcc's own would call the
 * C library's raise()). */
int __aeabi_idiv0(int r);
long long __aeabi_ldiv0(long long r);

int __aeabi_idiv0(int r)
{
	(void)r;
	panic("integer division by zero");
}

long long __aeabi_ldiv0(long long r)
{
	(void)r;
	panic("integer division by zero");
}
