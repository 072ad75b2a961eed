/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_sync.S in Thumb-2, with long descriptors (TTBCR.EAE) and the
 * exceptions taken in Thumb state (SCTLR.TE): the same report per
 * exception (R3 class, R4 mode, R5 LR - r9, R6 SPSR, R7 IFSR/DFSR, R8
 * FAR - r11), returning by subs pc, lr (rfe for svc). Tables: level 1 at
 * l1 (T0SZ 0), the GiB at RAM through l2: RAM's first 2 MiB a block,
 * RAM + 2 MiB a hole, RAM + 4 MiB a block PL1 only. */
#define THUMB
#include "a32.h"
	.fpu	vfpv3
#define MODE_USR 0x10
#define MODE_SVC 0x13

#define BLOCK     (1 | (1 << 10) | (1 << 6))      /* AF, PL0 too, attr 0 */
#define BLOCK_PL1 (1 | (1 << 10))
#define TABLE     3
#define HOLE      0x40200000

	.macro at insn, next
	adr	r9, \insn
	adr	r10, \next + 1
	.endm

	zimage_header
	ldr	sp, =stack_top
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	mov	r0, #0xff		/* attr 0: Normal write-back */
	mcr	p15, 0, r0, c10, c2, 0	/* MAIR0 */
	ldr	r0, =(1 << 31)		/* TTBCR: EAE, T0SZ 0 */
	mcr	p15, 0, r0, c2, c0, 2
	ldr	r0, =l1
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c2	/* TTBR0 */
	isb
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #(1 << 30)	/* exceptions in Thumb state */
	orr	r0, r0, #5		/* MMU and data cache on */
	mcr	p15, 0, r0, c1, c0, 0
	isb
	/* FP on (CPACR cp10 and cp11, FPEXC.EN) for vldm. */
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #(1 << 30)
	vmsr	fpexc, r0
	ldr	r1, =data + 1		/* unaligned */
	ldr	r2, =HOLE

	/* ---- from SVC mode ---- */
	at	s_udf, 1f
s_udf:	udf	#0			/* 16 bits */
1:	at	s_udfw, 1f
s_udfw:	udf.w	#1			/* 32 bits: LR still + 2 */
1:	at	s_svc, 1f
s_svc:	svc	#5
1:	at	s_bkpt, 1f
s_bkpt:	bkpt	#1
1:	at	s_ldrex, 1f
	mov	r11, r1
s_ldrex: ldrex	r0, [r1]
1:	at	s_ldr, 1f
	add	r11, r2, #0x10
	.balign	4
s_ldr:	ldr	r0, [r2, #0x10]		/* 16 bits */
1:	at	s_strw, 1f
	add	r11, r2, #0x100
s_strw:	str.w	r0, [r2, #0x100]
1:	at	s_tbb, 1f
	mov	r7, #3
	add	r11, r2, #3
s_tbb:	tbb	[r2, r7]
1:	at	s_tbh, 1f
	mov	r7, #3
	add	r11, r2, #6
s_tbh:	tbh	[r2, r7, lsl #1]
1:	at	s_vldm, 1f
	mov	r11, r2
s_vldm:	vldmia	r2, {d0-d1}
1:	adr	r10, 1f + 1
	mov	r9, r2
	mov	r11, r2
	orr	r7, r2, #1
	bx	r7			/* fetch from the hole */

	/* ---- from USR mode ---- */
1:	cps	#MODE_USR
	at	u_udf, 1f
u_udf:	udf	#2
1:	at	u_svc, 1f
u_svc:	svc	#7
1:	at	u_ldr, 1f
	add	r11, r2, #0x200000	/* PL1 only */
u_ldr:	ldr.w	r0, [r11]
1:	at	u_push, 1f
	mov	r11, r2
	add	r7, r2, #4
u_push:	stmdb	r7, {r0, r5}		/* the second word in the hole */
1:	mov	r12, #1			/* back to SVC mode */
	at	u_back, 1f
u_back:	svc	#0
1:	mrs	r4, cpsr
	and	r4, r4, #0x3f
	print	4
	shutdown 0

/* ---- the vectors, Thumb (SCTLR.TE) ---- */
	.balign	32
vectors:
	b.w	.
	b.w	und
	b.w	svc
	b.w	pabt
	b.w	dabt
	b.w	.
	b.w	.
	b.w	.

	.macro report class
	mov	r3, #\class
	print	3
	mrs	r4, cpsr
	and	r4, r4, #0x3f		/* the mode and T */
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
	subs	pc, lr, #0

svc:	srsdb	sp!, #MODE_SVC
	report	2
	mov	r7, #0
	print	7
	mov	r8, #0
	print	8
	str	r10, [sp]
	cmp	r12, #1
	bne	1f
	mov	r12, #0
	ldr	r6, [sp, #4]
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
	subs	pc, lr, #0

dabt:	report	4
	mrc	p15, 0, r7, c5, c0, 0	/* DFSR */
	print	7
	mrc	p15, 0, r8, c6, c0, 0	/* DFAR */
	sub	r8, r8, r11
	print	8
	mov	lr, r10
	subs	pc, lr, #0

	.ltorg
	.balign	8
data:	.word	0, 0
	.balign	4096		/* Xen's walk takes TTBR0 as a page */
l1:	.word	0, 0
	.word	l2 + TABLE, 0		/* VA 0x40000000: the GiB */
	.word	0, 0, 0, 0
	.balign	4096
l2:	.word	0x40000000 + BLOCK, 0
	.word	0, 0			/* HOLE */
	.word	0x40400000 + BLOCK_PL1, 0
	.balign	8
	.space	256
stack_top:
	image_end
