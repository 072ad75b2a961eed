/* SPDX-License-Identifier: BSD-2-Clause */
/* hvc immediates Xen does not take, each answered (on a release Xen) by an
 * undefined-instruction exception: the undefined vector (+0x04) counts in
 * r9 those taken in Undefined mode with IRQs masked whose SPSR_und is the
 * boot CPSR (SVC, A, I, F; T in Thumb) and whose LR_und is Xen's: the
 * instruction after the hvc (noted in r7) plus 4 (ARM) or 2 (Thumb), and
 * in r8 any other; it returns to the instruction after the hvc. Three
 * such hvc: poweroff when all three came so, crash otherwise (a debug Xen
 * acts on 0xfffe and 0xffe0 itself). */
#include "a32.h"
#ifdef THUMB
#define BOOT_CPSR 0x1f3
#define LR_OFFSET 2
#else
#define BOOT_CPSR 0x1d3
#define LR_OFFSET 4
#endif
	zimage_header
	b	main
	.arm
	.balign	32
vectors:
	udf	#0
	b	undef
	.rept	6
	udf	#0
	.endr
undef:
	mrs	r0, spsr
	mrs	r1, cpsr
	add	r2, r7, #LR_OFFSET
	ldr	r3, =BOOT_CPSR
	cmp	r0, r3
	ldreq	r3, =0x1db		/* Undefined mode, A, I, F, ARM */
	cmpeq	r1, r3
	cmpeq	lr, r2
	addeq	r9, r9, #1
	addne	r8, r8, #1
	sub	lr, lr, #LR_OFFSET
	movs	pc, lr
	.ltorg
#ifdef THUMB
	.thumb
#endif
main:
	mov	r8, #0
	mov	r9, #0
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	adr	r7, 2f
	hvc	#0x1234
2:	adr	r7, 3f
	hvc	#0xfffe
3:	adr	r7, 4f
	hvc	#0xffe0
4:	cmp	r9, #3
	bne	5f
	cmp	r8, #0
	bne	5f
	shutdown 0
5:	shutdown 3
	image_end
