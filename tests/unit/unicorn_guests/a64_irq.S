/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2: SGI 1 raised by a write to GICD_SGIR with IRQs unmasked is taken
 * once (x12 = 1, x11 = 1). */
#include "a64.h"
	image_header
	b	main
#include "a64_vectors.h"
main:
	mov	x10, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x19, =GICD
	ldr	x21, =GICC
	mov	w0, #1
	str	w0, [x19]		/* GICD_CTLR */
	mov	w0, #(1 << 1)
	str	w0, [x19, #0x100]	/* GICD_ISENABLER0: SGI 1 */
	mov	w0, #0xf0
	str	w0, [x21, #0x4]		/* GICC_PMR */
	mov	w0, #1
	str	w0, [x21]		/* GICC_CTLR */
	msr	daifclr, #2
	ldr	w0, =0x02000001		/* to this CPU, SGI 1 */
	str	w0, [x19, #0xf00]	/* GICD_SGIR */
	b	1f			/* taken at the end of this block */
1:	mov	x12, x10
	print	12
	print	11
	shutdown 0
	image_end
