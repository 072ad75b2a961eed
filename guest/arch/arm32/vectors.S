/* SPDX-License-Identifier: BSD-2-Clause */
/* The ARMv7 exception vectors, always in ARM state (SCTLR.TE = 0) and
 * running on the SVC stack: the IRQ goes to the GIC dispatch and returns
 * to ARM or Thumb code alike (rfe restores the T bit); everything else
 * goes to arm32_trap(), which returns only for an exception an hvc probe
 * waits for (then back to where it chose) and otherwise reports and
 * crashes. */
#define MODE_SVC 0x13

	.syntax	unified
	.arch	armv7ve
	.arm

	.text
	.balign	32
	.globl	arm32_vectors
arm32_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_hyp
	b	vec_irq
	b	vec_fiq

	/* Push the return state and r0-r12, lr_svc on the SVC stack (frame
	 * of struct arm32_frame), then hand it to arm32_trap. */
	.macro	unexpected, name, idx
\name:
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0-r12, lr}
	mov	r1, #\idx
	b	unexpected_common
	.endm

	unexpected vec_reset, 0
	unexpected vec_undef, 1
	unexpected vec_svc, 2
	unexpected vec_pabt, 3
	unexpected vec_dabt, 4
	unexpected vec_hyp, 5
	unexpected vec_fiq, 7

unexpected_common:
	mov	r0, sp
	mov	r4, sp			/* r4 is in the frame already */
	bic	sp, sp, #7		/* AAPCS: 8-byte aligned stack for C */
	bl	arm32_trap
	mov	sp, r4
	pop	{r0-r12, lr}
	rfeia	sp!

vec_irq:
	sub	lr, lr, #4		/* return to the interrupted instruction */
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0-r3, r12, lr}
	and	r1, sp, #4		/* AAPCS: 8-byte aligned stack for C */
	sub	sp, sp, r1
	push	{r1, r2}
	bl	arm_irq_entry
	pop	{r1, r2}
	add	sp, sp, r1
	pop	{r0-r3, r12, lr}
	rfeia	sp!
