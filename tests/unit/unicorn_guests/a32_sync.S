/* SPDX-License-Identifier: BSD-2-Clause */
/* Synchronous exceptions reach an arm32 guest's vectors as the CPU takes
 * them (short descriptors, ARM state): each case sets r9 to the address
 * of the instruction that takes it (r11 to the fault address it expects,
 * r10 to where to go on) and takes one from SVC mode, then from USR mode;
 * the handler prints the class (R3: 1 undef, 2 svc, 3 prefetch abort, 4
 * data abort), the mode it runs in (R4), LR - r9 (R5), SPSR (R6), the
 * fault status (R7: IFSR or DFSR, 0 for the others) and FAR - r11 (R8),
 * then returns to r10 by movs pc, lr (rfe for svc). Tables: the first MiB
 * of RAM identity-mapped (domain 0), RAM + 1 MiB a hole, RAM + 2 MiB PL1
 * only, RAM + 3 MiB in domain 1 (no access). */
#include "a32.h"
	.fpu	vfpv3
#define MODE_USR 0x10
#define MODE_SVC 0x13

#define SECTION   (2 | (3 << 10) | (1 << 3) | (1 << 2))  /* RW/RW, WB */
#define SECT_PL1  (2 | (1 << 10) | (1 << 3) | (1 << 2))  /* AP 001 */
#define SECT_DOM1 (SECTION | (1 << 5))

	/* r9 = the instruction at label \insn, r10 = label \next. */
	.macro at insn, next
	adr	r9, \insn
	adr	r10, \next
	.endm

	zimage_header
	ldr	sp, =stack_top
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	mov	r0, #1			/* domain 0 client, 1 no access */
	mcr	p15, 0, r0, c3, c0, 0	/* DACR */
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2	/* TTBCR: short descriptors */
	ldr	r0, =l1
	mcr	p15, 0, r0, c2, c0, 0	/* TTBR0 */
	isb
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(3 << 28)	/* no TEX remap, no AFE */
	bic	r0, r0, #(1 << 30)	/* exceptions in ARM state */
	orr	r0, r0, #5		/* MMU and data cache on */
	mcr	p15, 0, r0, c1, c0, 0
	isb
	/* FP on (CPACR cp10 and cp11, FPEXC.EN) for vstm. */
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #(1 << 30)
	vmsr	fpexc, r0
	/* The handlers use r3-r8: the cases keep their addresses in r1
	 * (unaligned data), r2 (the hole) and compute the others. */
	ldr	r1, =data + 1
	ldr	r2, =0x40100000

	/* ---- from SVC mode ---- */
	at	s_udf, 1f
s_udf:	udf	#0
1:	at	s_svc, 1f
s_svc:	svc	#5
1:	at	s_bkpt, 1f
s_bkpt:	bkpt	#1
1:	at	s_ldrex, 1f
	mov	r11, r1
s_ldrex: ldrex	r0, [r1]
1:	at	s_ldr, 1f
	add	r11, r2, #0x10
s_ldr:	ldr	r0, [r2, #0x10]
1:	at	s_stm, 1f
	mov	r11, r2			/* the second word is in the hole */
	add	r7, r2, #4
s_stm:	stmdb	r7, {r0, r5}
1:	at	s_vstm, 1f
	mov	r11, r2			/* again the second word */
	add	r7, r2, #4
s_vstm:	vstmdb	r7!, {s0-s1}
1:	at	s_dom, 1f
	add	r11, r2, #0x200000	/* domain 1 */
s_dom:	ldrb	r0, [r11]
1:	adr	r10, 1f
	mov	r9, r2
	mov	r11, r2
	bx	r2			/* fetch from the hole */

	/* ---- from USR mode (r0-r12 shared, its own sp and lr) ---- */
1:	cps	#MODE_USR
	at	u_udf, 1f
u_udf:	udf	#1
1:	at	u_svc, 1f
u_svc:	svc	#7
1:	at	u_bkpt, 1f
u_bkpt:	bkpt	#2
1:	at	u_ldr, 1f
	add	r11, r2, #0x100000	/* PL1 only */
u_ldr:	ldr	r0, [r11]
1:	at	u_str, 1f
	add	r11, r2, #8
u_str:	str	r0, [r2, #8]
1:	mov	r12, #1			/* back to SVC mode */
	at	u_back, 1f
u_back:	svc	#0
1:	mrs	r4, cpsr
	and	r4, r4, #0x1f
	print	4
	shutdown 0

/* ---- the vectors (ARM) ---- */
	.balign	32
vectors:
	b	.
	b	und
	b	svc
	b	pabt
	b	dabt
	b	.
	b	.
	b	.

	/* R3 class, R4 mode, R5 LR - r9, R6 SPSR. */
	.macro report class
	mov	r3, #\class
	print	3
	mrs	r4, cpsr
	and	r4, r4, #0x1f
	print	4
	sub	r5, lr, r9
	print	5
	mrs	r6, spsr
	print	6
	.endm

und:	report	1
	mov	r7, #0
	print	7
	mov	r8, #0
	print	8
	mov	lr, r10
	movs	pc, lr

svc:	srsdb	sp!, #MODE_SVC		/* LR_svc, SPSR_svc */
	report	2
	mov	r7, #0
	print	7
	mov	r8, #0
	print	8
	str	r10, [sp]		/* return to r10 */
	cmp	r12, #1
	bne	1f
	mov	r12, #0
	ldr	r6, [sp, #4]		/* ... in SVC mode */
	orr	r6, r6, #MODE_SVC
	str	r6, [sp, #4]
1:	rfeia	sp!

pabt:	report	3
	mrc	p15, 0, r7, c5, c0, 1	/* IFSR */
	print	7
	mrc	p15, 0, r8, c6, c0, 2	/* IFAR */
	sub	r8, r8, r11
	print	8
	mov	lr, r10
	movs	pc, lr

dabt:	report	4
	mrc	p15, 0, r7, c5, c0, 0	/* DFSR */
	print	7
	mrc	p15, 0, r8, c6, c0, 0	/* DFAR */
	sub	r8, r8, r11
	print	8
	mov	lr, r10
	movs	pc, lr

	.ltorg
	.balign	8
data:	.word	0, 0
	.balign	16384
l1:	.rept	0x400
	.word	0
	.endr
	.word	0x40000000 + SECTION
	.word	0			/* 0x40100000: the hole */
	.word	0x40200000 + SECT_PL1
	.word	0x40300000 + SECT_DOM1
	.rept	0x1000 - 0x404
	.word	0
	.endr
	.balign	8
	.space	256
stack_top:
	image_end
