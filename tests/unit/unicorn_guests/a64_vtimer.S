/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual timer: 1000 ticks from now, PPI 27 through GICv2, wfi until
 * it fires (virtual time jumps there); the handler masks the timer. Prints
 * the INTID (x11 = 27), the count of interrupts (x12 = 1) and the counter
 * after the wait (x13 = 1000). */
#include "a64.h"
	image_header
	b	main
	.balign	2048
vectors:
	.rept	0x280 / 4
	udf	#0
	.endr
	ldr	w11, [x21, #0x0c]	/* GICC_IAR */
	add	x10, x10, #1
	mov	x0, #2
	msr	cntv_ctl_el0, x0	/* IMASK: the line drops */
	str	w11, [x21, #0x10]	/* GICC_EOIR */
	eret
	.rept	(0x800 - 0x280) / 4 - 6
	udf	#0
	.endr
main:
	mov	x10, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x19, =GICD
	ldr	x21, =GICC
	mov	w0, #1
	str	w0, [x19]		/* GICD_CTLR */
	mov	w0, #(1 << 27)
	str	w0, [x19, #0x100]	/* GICD_ISENABLER0: PPI 27 */
	mov	w0, #0xf0
	str	w0, [x21, #0x4]		/* GICC_PMR */
	mov	w0, #1
	str	w0, [x21]		/* GICC_CTLR */
	mov	x0, #1000
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0	/* enable */
	msr	daifclr, #2
1:	wfi
	cbz	x10, 1b
	mov	x12, x10
	mrs	x13, cntvct_el0
	print	11
	print	12
	print	13
	shutdown 0
	image_end
