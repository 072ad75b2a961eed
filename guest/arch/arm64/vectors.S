/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 exception vectors. The IRQ from the current EL goes to the
 * GIC dispatch and returns; everything else saves the full register state
 * for arm64_trap(), which returns only for an exception an hvc probe
 * waits for (the state is then restored, with the ELR it chose), and
 * otherwise reports and crashes. */

/* Unexpected-exception frame: x0-x30, sp, elr, spsr, esr, far. */
#define FRAME_SIZE	(36 * 8)
#define FRAME_SP	(31 * 8)
/* IRQ frame: x0-x18, x29, x30, elr, spsr (+ pad to 16 bytes). */
#define IRQ_FRAME_SIZE	(24 * 8)

	.macro	unexpected, idx
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\idx
	b	unexpected_common
	.endm

	.text
	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	unexpected 0			/* current EL, SP0: sync */
	unexpected 1			/* IRQ */
	unexpected 2			/* FIQ */
	unexpected 3			/* SError */
	unexpected 4			/* current EL, SPx: sync */
	.balign	0x80
	b	irq_entry		/* current EL, SPx: IRQ */
	unexpected 6			/* FIQ */
	unexpected 7			/* SError */
	unexpected 8			/* lower EL, AArch64 */
	unexpected 9
	unexpected 10
	unexpected 11
	unexpected 12			/* lower EL, AArch32 */
	unexpected 13
	unexpected 14
	unexpected 15

irq_entry:
	sub	sp, sp, #IRQ_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	bl	arm_irq_entry
	ldp	x30, x0, [sp, #160]
	ldr	x1, [sp, #176]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	add	sp, sp, #IRQ_FRAME_SIZE
	eret

/* x0 = vector index; the interrupted x0/x1 are at [sp]. */
unexpected_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #FRAME_SIZE	/* sp before the exception */
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #272]
	mov	x1, x0
	mov	x0, sp
	bl	arm64_trap
	ldp	x2, x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
