/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 zImage: Xen checks the magic at 0x24 and, with start = 0,
 * treats the image as position independent and copies `end` bytes. Entry
 * in ARM state, SVC mode, MMU off, r0 = 0, r1 = ~0, r2 = device tree.
 * Pointers in data are fixed up here (R_ARM_RELATIVE) before any C that
 * reads them runs. The boot code and vectors are ARM in both builds; the
 * C code is ARM or Thumb-2. Trusts only the boot protocol. */
#include "arm.h"

/* TTBCR: long descriptors (LPAE), TTBR0 covers all 4 GiB (first level
 * of 4 x 1 GiB), write-back inner-shareable walks, TTBR1 walks off. */
#define TTBCR_VALUE   ((1 << 31) | (1 << 23) | (3 << 12) | (1 << 10) | (1 << 8))
/* SCTLR: MMU, data cache, branch prediction, instruction cache on;
 * alignment checks off, exceptions taken in ARM state (TE = 0). */
#define SCTLR_SET     ((1 << 0) | (1 << 2) | (1 << 11) | (1 << 12))
#define SCTLR_CLEAR   ((1 << 1) | (1 << 30))
#define CPACR_CP10_11 (0xf << 20)
#define FPEXC_EN      (1 << 30)
#define R_ARM_RELATIVE 23

	.syntax	unified
	.arch	armv7ve
	.fpu	vfpv3-d16
	.arm

	/* reg = address of sym, from a PC-relative offset (no relocation). */
	.macro	adr_l, reg, sym
	ldr	\reg, 1001f
1000:	add	\reg, pc, \reg
	b	1002f
1001:	.word	\sym - (1000b + 8)
1002:
	.endm

	.section .head, "ax"
	.globl	_head
_head:
	b	entry			/* 0x00 */
	.rept	8
	mov	r0, r0			/* 0x04-0x20 */
	.endr
	.word	0x016f2818		/* 0x24 magic */
	.word	0			/* 0x28 start: position independent */
	.word	__file_end - _head	/* 0x2c end: the bytes to copy */
	.word	0x04030201		/* 0x30 little-endian */

entry:
	mov	r4, r2			/* the device tree, for arm_boot */
	adr	r5, _head		/* where Xen put the image */
	mrc	p15, 0, r0, c1, c0, 2	/* FP on: Debian's libfdt is VFP code */
	orr	r0, r0, #CPACR_CP10_11
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #FPEXC_EN
	vmsr	fpexc, r0
	adr_l	r0, __stack_top
	mov	sp, r0
	adr_l	r0, __pgt_l1
	mov	r1, r5
	adr_l	r2, __image_end
	mov	r3, r4
	bl	arm_mmu_boot
	/* The tables were written uncached: drop stale lines before the
	 * (cacheable) table walker can see them. */
	adr_l	r0, __pgt_l1
	add	r1, r0, #ARM_PGT_SIZE
	bl	dcache_inval_range
	bl	mmu_enable
	bl	clear_bss
	bl	relocate
	adr_l	r0, arm32_vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	mov	r0, r4
	bl	arm_boot
	b	arch_halt

/* A secondary CPU, as PSCI CPU_ON starts it: at the stub of its mailbox
 * slot (arm32_secondary_stubs + 8 * slot), SVC mode, ARM state, MMU off,
 * or still on when the CPU_ON came before Xen descheduled it from its
 * CPU_OFF (arm.h); r0 is not trusted. The stub names the slot, the slot
 * its struct arch_cpu_boot (stack top first). It joins the boot CPU's
 * tables, vectors and FP setting, then runs arm32_secondary_main(boot). */
	.globl	arm32_secondary_stubs
	.balign	8
arm32_secondary_stubs:
	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7
	mov	r4, #\slot
	b	arm32_secondary_entry
	.endr
arm32_secondary_entry:
	adr_l	r0, arm_cpu_mailbox
	ldr	r4, [r0, r4, lsl #2]
	cmp	r4, #0
	beq	arch_halt
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #CPACR_CP10_11
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #FPEXC_EN
	vmsr	fpexc, r0
	ldr	sp, [r4]
	bl	mmu_enable
	adr_l	r0, arm32_vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	mov	r0, r4
	bl	arm32_secondary_main
	b	arch_halt

/* dcache_inval_range(start, end): invalidate to PoC by line. */
dcache_inval_range:
	mrc	p15, 0, r3, c0, c0, 1	/* CTR */
	ubfx	r3, r3, #16, #4		/* DminLine: log2 of words */
	mov	r2, #4
	lsl	r2, r2, r3
	sub	r3, r2, #1
	bic	r0, r0, r3
1:	mcr	p15, 0, r0, c7, c6, 1	/* DCIMVAC */
	add	r0, r0, r2
	cmp	r0, r1
	blo	1b
	dsb	sy
	bx	lr

mmu_enable:
	ldr	r0, =MAIR_VALUE
	mcr	p15, 0, r0, c10, c2, 0	/* MAIR0 */
	mov	r0, #0
	mcr	p15, 0, r0, c10, c2, 1	/* MAIR1 */
	ldr	r0, =TTBCR_VALUE
	mcr	p15, 0, r0, c2, c0, 2	/* TTBCR */
	adr_l	r0, __pgt_l1
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c2	/* TTBR0 (64-bit) */
	isb
	mcr	p15, 0, r0, c8, c7, 0	/* TLBIALL */
	dsb	sy
	isb
	mrc	p15, 0, r0, c1, c0, 0
	ldr	r1, =SCTLR_SET
	orr	r0, r0, r1
	ldr	r1, =SCTLR_CLEAR
	bic	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	isb
	mcr	p15, 0, r0, c7, c5, 0	/* ICIALLU */
	dsb	sy
	isb
	bx	lr

/* Xen copies only the file: zero .bss (8-byte aligned by the script).
 * Memory Xen gives a guest mostly reads as zero already: write only the
 * pairs that are not, so the common case dirties nothing. */
clear_bss:
	adr_l	r0, __bss_start
	adr_l	r1, __bss_end
1:	cmp	r0, r1
	bxhs	lr
	ldrd	r2, r3, [r0]
	orrs	r2, r2, r3
	movne	r2, #0
	movne	r3, #0
	strdne	r2, r3, [r0]
	add	r0, r0, #8
	b	1b

/* Add the load address to every word the linker listed. Any other
 * relocation type means a bad link: stop rather than run broken. */
relocate:
	adr_l	r0, __rel_start
	adr_l	r1, __rel_end
1:	cmp	r0, r1
	bxhs	lr
	ldm	r0!, {r2, r3}		/* r_offset, r_info */
	and	r3, r3, #0xff
	cmp	r3, #R_ARM_RELATIVE
	bne	arch_halt
	ldr	r3, [r5, r2]
	add	r3, r3, r5
	str	r3, [r5, r2]
	b	1b

	.ltorg
