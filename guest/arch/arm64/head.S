/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm64 Image: the Linux boot header Xen checks, then the entry with
 * x0 = device tree and the MMU off. The image is position independent:
 * code reaches everything PC-relative, and the pointers stored in data are
 * fixed up here (R_AARCH64_RELATIVE) before any C that reads them runs.
 * Trusts only the boot protocol; x0 goes to C unchecked. */
#include "arm.h"

/* TCR_EL1: 39-bit VA from TTBR0 (walk starts at level 1), 4 KiB granule,
 * write-back inner-shareable walks, TTBR1 walks off; IPS filled in. */
#define TCR_T0SZ      25
#define TCR_WALK      ((1 << 8) | (1 << 10) | (3 << 12))
#define TCR_EPD1      (1 << 23)
#define TCR_VALUE     (TCR_T0SZ | TCR_WALK | TCR_EPD1)
#define TCR_IPS_SHIFT 32

/* SCTLR_EL1: MMU, data and instruction caches on; alignment checks,
 * WXN and big-endian off. */
#define SCTLR_SET     ((1 << 0) | (1 << 2) | (1 << 12))
#define SCTLR_CLEAR   ((1 << 1) | (1 << 19) | (1 << 24) | (1 << 25))

#define CPACR_FPEN    (3 << 20)
#define R_AARCH64_RELATIVE 1027

	/* reg = address of sym, PC-relative (no relocation needed). */
	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .head, "ax"
	.globl	_head
_head:
	b	entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _head	/* image_size: file, .bss, tables, stack */
	.quad	0xa			/* flags: little-endian, 4 KiB, anywhere */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

entry:
	mov	x19, x0			/* the device tree, for arm_boot */
	adr	x20, _head		/* where Xen put the image */
	mov	x0, #CPACR_FPEN		/* FP/SIMD on: Debian's libfdt uses it */
	msr	cpacr_el1, x0
	isb
	adr_l	x0, __stack_top
	mov	sp, x0
	adr_l	x0, __pgt_l1
	mov	x1, x20
	adr_l	x2, __image_end
	mov	x3, x19
	bl	arm_mmu_boot
	/* The tables were written uncached: drop stale lines before the
	 * (cacheable) table walker can see them. */
	adr_l	x0, __pgt_l1
	add	x1, x0, #ARM_PGT_SIZE
	bl	dcache_inval_range
	bl	mmu_enable
	bl	clear_bss
	bl	relocate
	adr_l	x0, arm64_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	arm_boot
	b	arch_halt

/* A secondary CPU, as PSCI CPU_ON starts it: at the stub of its mailbox
 * slot (arm64_secondary_stubs + 8 * slot), MMU off, or still on when the
 * CPU_ON came before Xen descheduled it from its CPU_OFF (arm.h); x0 is
 * not trusted. The stub names the slot, the slot its struct
 * arch_cpu_boot (stack top first). It joins the boot CPU's tables,
 * vectors and FP setting, then runs arm64_secondary_main(boot). */
	.globl	arm64_secondary_stubs
	.balign	8
arm64_secondary_stubs:
	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7
	mov	x19, #\slot
	b	arm64_secondary_entry
	.endr
arm64_secondary_entry:
	adr_l	x0, arm_cpu_mailbox
	ldr	x19, [x0, x19, lsl #3]
	cbz	x19, arch_halt
	mov	x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	isb
	ldr	x0, [x19]
	mov	sp, x0
	bl	mmu_enable
	adr_l	x0, arm64_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	arm64_secondary_main
	b	arch_halt

/* dcache_inval_range(start, end): invalidate to PoC by line. */
dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2 of words */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

mmu_enable:
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #7		/* PARange, capped at 48 bits */
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x1, x2, ls
	orr	x0, x0, x1, lsl #TCR_IPS_SHIFT
	msr	tcr_el1, x0
	adr_l	x0, __pgt_l1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	ldr	x1, =SCTLR_SET
	orr	x0, x0, x1
	ldr	x1, =SCTLR_CLEAR
	bic	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* Xen copies only the file: zero .bss (16-byte aligned by the script).
 * Memory Xen gives a guest mostly reads as zero already: write only the
 * pairs that are not, so the common case dirties nothing. */
clear_bss:
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	3f
	ldp	x2, x3, [x0]
	orr	x2, x2, x3
	cbz	x2, 2f
	stp	xzr, xzr, [x0]
2:	add	x0, x0, #16
	b	1b
3:	ret

/* Add the load address to every pointer the linker listed. Any other
 * relocation type means a bad link: stop rather than run broken. */
relocate:
	adr_l	x0, __rel_start
	adr_l	x1, __rel_end
1:	cmp	x0, x1
	b.hs	3f
	ldp	x2, x3, [x0], #16	/* r_offset, r_info */
	ldr	x4, [x0], #8		/* r_addend */
	cmp	w3, #R_AARCH64_RELATIVE
	b.ne	2f
	add	x4, x4, x20
	str	x4, [x20, x2]
	b	1b
2:	b	arch_halt
3:	ret

	.ltorg
