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

/* The tables arm_mmu_build fills: one 4 KiB first-level table (1 GiB
 * entries) and one 4 KiB second-level table (2 MiB entries, first GiB). */
#define ARM_PGT_SIZE    (2 * 4096)

/* Where the identity map has RAM: Normal memory from 1 GiB up to 4 GiB,
 * in 1 GiB blocks (the first GiB holds devices and Xen's windows). */
#define ARM_RAM_MAP_BASE (1ull << 30)
#define ARM_RAM_MAP_TOP  (4ull << 30)

/* A 2 MiB block of the first GiB the identity map leaves empty (no
 * device of Xen's guest layout is there), for arch_alias_page. */
#define ARM_ALIAS_BASE   0x3fe00000ull
#define ARM_ALIAS_SIZE   (2ull << 20)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/* Fill the identity map. Runs with the MMU off, before relocation. */
void arm_mmu_build(uint64_t *l1, uint64_t *l2);
/* Show the 2 MiB block holding pa at ARM_ALIAS_BASE (Normal write-back);
 * false when the window already shows another block. MMU on. */
bool arm_mmu_alias(uint64_t *l2, uint64_t pa);

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
