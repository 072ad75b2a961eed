/* SPDX-License-Identifier: BSD-2-Clause */
/* What the ARM ports share between their assembly and C: the memory
 * attributes of the identity map and the entry points head.S and the
 * vectors call. Included by .S files too: C only outside __ASSEMBLER__. */
#ifndef ARM_COMMON_ARM_H
#define ARM_COMMON_ARM_H

/* MAIR attribute slots: 0 Normal write-back (RAM, shared pages),
 * 1 Device-nGnRE (ARMv7: Device). */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_VALUE      0x04ff

/* The identity map's tables (mmu.c): one 4 KiB first-level table (1 GiB
 * entries) followed by a pool of ARM_PGT_L2_MAX second-level tables (2 MiB
 * entries). image.ld reserves ARM_PGT_SIZE for them. */
#define ARM_PGT_L2_MAX  16
#define ARM_PGT_SIZE    ((1 + ARM_PGT_L2_MAX) * 4096)

/* The first 2 MiB are never mapped, so that a NULL pointer faults. */
#define ARM_NULL_GUARD  (2ull << 20)

/* Secondary CPUs the ports can start: the mailbox's slots and entry
 * stubs, one per MPIDR Aff0 (Xen gives vCPU n Aff0 n below 16). */
#define ARM_MAX_CPUS    8

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct dt_info;
struct arch_cpu_boot;

/* Where a CPU that CPU_ON starts finds its boot block (smp_mailbox.c):
 * written and cleaned to the point of coherency before CPU_ON, read by
 * the entry code from the slot its entry stub names (the entry point is
 * one stub per slot), not from x0 / r0. Xen 4.17's
 * CPU_OFF marks the vCPU down before it is descheduled; a CPU_ON in that
 * window sets the new PC and x0 / r0 in the frame the old call returns
 * through, which then writes CPU_OFF's result over x0 / r0, and the
 * system registers CPU_ON reset are saved over from the live ones (the
 * MMU stays on). The identity map makes that harmless; the mailbox makes
 * the lost context id harmless. */
extern struct arch_cpu_boot *volatile arm_cpu_mailbox[ARM_MAX_CPUS];
/* Post boot for the CPU with affinity mpidr; false if it has no slot. */
bool arm_cpu_mailbox_post(unsigned long mpidr, struct arch_cpu_boot *boot);
/* Clean [p, p + len) to the point of coherency (each arch's smp.c). */
void arm_dcache_clean(const void *p, unsigned long len);

/* With the MMU off and before relocation: map the image and the device
 * tree the boot protocol handed over, nothing else. */
void arm_mmu_boot(uint64_t *tables, uintptr_t image, uintptr_t image_end,
		  uintptr_t dtb);
/* MMU on: map what the tree describes (RAM banks, the grant window, the
 * GIC) and choose the alias and far windows; NULL, or why it cannot. */
const char *arm_mmu_map_tree(const struct dt_info *dt);
/* Map the block holding pa 1:1 as Normal memory if nothing is there yet
 * (a page Xen names by frame); false if it cannot be reached. */
bool arm_mmu_map_normal(uint64_t pa);
/* Show the 2 MiB block holding pa in the alias window, once; its address
 * for pa, or NULL when the window already shows another block. */
void *arm_mmu_alias(uint64_t pa);
/* Show the 2 MiB block holding pa in the far window, replacing what it
 * showed; its address for pa, or NULL before the map is built. */
void *arm_mmu_far(uint64_t pa);

/* The first C after the MMU is on, .bss is clear and the image is
 * relocated: brings up the GIC, then kern_main(dtb, what it found). */
_Noreturn void arm_boot(void *dtb);

/* The condition flags of a saved PSR (SPSR_EL1 and the AArch32 SPSR). */
#define ARM_PSR_FLAGS 0xf0000000ul

/* Whether arch_hvc_probe waits for an exception, and the PSR it runs
 * with. */
bool arm_undef_expected(unsigned long *psr);

/* A synchronous exception whose return address, less the instruction
 * set's offset, is insn; syndrome_as_xen: its syndrome is the one Xen
 * gives an undefined hvc; spsr: the PSR it saved (NULL where that cannot
 * be trusted). Where to go on if arch_hvc_probe was waiting for it, with
 * *psr the PSR the probe ran with; else 0 (the exception is unexpected). */
uintptr_t arm_undef_caught(uintptr_t insn, bool syndrome_as_xen,
			   const unsigned long *spsr, unsigned long *psr);

/* The IRQ vector's C half: acknowledge, dispatch, end the interrupt. */
void arm_irq_entry(void);

/* Image bounds from the linker script (PC-relative: hidden symbols). */
extern char _head[], __image_end[];
#endif

#endif
