/* SPDX-License-Identifier: BSD-2-Clause */
/* A page given back (XENMEM_decrease_reservation) and then touched: Xen
 * 4.17 injects a data abort (traps.c inject_dabt32_exception) through the
 * data abort vector (+0x10): Abort mode with IRQs and aborts masked,
 * SPSR_abt the boot CPSR, LR_abt the access's own address plus 0 (ARM) or
 * 4 (Thumb), DFSR 0x2 (a debug fault, short descriptors: TTBCR.EAE is 0),
 * DFAR the address touched. The vector notes DFSR in r10, DFAR in r11,
 * counts in r9 the aborts whose mode, SPSR and LR are Xen's (flags aside) (the access
 * noted in r7), and returns to r6, past the access. A read (its DFSR and
 * DFAR printed from r4, r5), then a write (r10, r11); then the page is
 * populated again and reads zero. Prints r9 (2) and r3 (0). */
#include "a32.h"
#define HC_memory_op 12
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define PAGE 0x40400000
#ifdef THUMB
#define BOOT_CPSR 0x1f3
#define LR_OFFSET 4
#else
#define BOOT_CPSR 0x1d3
#define LR_OFFSET 0
#endif
	zimage_header
	b	main
	.arm
	.balign	32
vectors:
	.rept	4
	udf	#0
	.endr
	b	dabt
	.rept	3
	udf	#0
	.endr
dabt:
	mrc	p15, 0, r10, c5, c0, 0	/* DFSR */
	mrc	p15, 0, r11, c6, c0, 0	/* DFAR */
	mrs	r0, spsr
	bic	r0, r0, #0xf8000000	/* without the flags */
	mrs	r1, cpsr
	bic	r1, r1, #0xf8000000
	add	r2, r7, #LR_OFFSET
	ldr	r3, =BOOT_CPSR
	cmp	r0, r3
	ldreq	r3, =0x1d7		/* Abort mode, A, I, F, ARM */
	cmpeq	r1, r3
	cmpeq	lr, r2
	addeq	r9, r9, #1
	mov	lr, r6
	movs	pc, lr
	.ltorg
#ifdef THUMB
	.thumb
#endif
main:
	mov	r9, #0
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	ldr	r8, =PAGE
	mov	r0, #0x55
	str	r0, [r8]		/* backed: no fault */
	mov	r0, #XENMEM_decrease_reservation
	adr	r1, reservation
	hc	HC_memory_op
	cmp	r0, #1
	bne	fail
	adr	r7, 1f
	adr	r6, 2f
1:	ldr	r3, [r8, #8]
2:	mov	r4, r10
	mov	r5, r11
	adr	r7, 3f
	adr	r6, 4f
3:	str	r0, [r8, #16]
4:	mov	r0, #XENMEM_populate_physmap
	adr	r1, reservation
	hc	HC_memory_op
	cmp	r0, #1
	bne	fail
	ldr	r3, [r8]
	print	4
	print	5
	print	10
	print	11
	print	9
	print	3
	shutdown 0
fail:	shutdown 3
	.balign	8
reservation:
	.word	extent, 0		/* extent_start */
	.word	1, 0			/* nr_extents */
	.word	0, 0			/* extent_order, mem_flags */
	.hword	0x7ff0			/* DOMID_SELF */
	.hword	0, 0, 0
extent:
	.word	PAGE >> 12, 0
	image_end
