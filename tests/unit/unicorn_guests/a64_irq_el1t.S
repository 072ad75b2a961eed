/* SPDX-License-Identifier: BSD-2-Clause */
/* An IRQ taken from EL1t (SPSel 0): vector +0x080, the handler on SP_EL1
 * (x15 = 0x40090000), the interrupted code back on SP_EL0 (x14 =
 * 0x40088000); taken once (x12 = 1). */
#include "a64.h"
	image_header
	b	main
	.balign	2048
vectors:
	.rept	0x080 / 4
	udf	#0
	.endr
	ldr	w11, [x21, #0x0c]	/* GICC_IAR */
	add	x10, x10, #1
	mov	x15, sp
	str	w11, [x21, #0x10]	/* GICC_EOIR */
	eret
	.rept	(0x800 - 0x080) / 4 - 5
	udf	#0
	.endr
main:
	mov	x10, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =0x40090000
	mov	sp, x0			/* SP_EL1 */
	msr	spsel, #0
	ldr	x0, =0x40088000
	mov	sp, x0			/* SP_EL0 */
	ldr	x19, =GICD
	ldr	x21, =GICC
	mov	w0, #1
	str	w0, [x19]
	mov	w0, #(1 << 1)
	str	w0, [x19, #0x100]
	mov	w0, #0xf0
	str	w0, [x21, #0x4]
	mov	w0, #1
	str	w0, [x21]
	msr	daifclr, #2
	ldr	w0, =0x02000001
	str	w0, [x19, #0xf00]
	b	1f
1:	mov	x12, x10
	mov	x14, sp
	print	12
	print	14
	print	15
	shutdown 0
	image_end
