/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2, IRQs unmasked: a loop of blocks the engine has chained together
 * writes GICD_SGIR each time round (SGI 2, disabled: nothing happens), the
 * third time SGI 1, and spins, without any trap, until the handler has
 * counted it. The interrupt is taken (x12 = 1) right after the block that
 * raised it, in the third round (x4 = 100000 - 3 = 99997); the loop gives
 * up after 100000 rounds so that a runtime that misses it still ends. */
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
	mov	x1, #3
	ldr	w2, =0x02000002		/* to this CPU, SGI 2 */
	ldr	w3, =0x02000001		/* to this CPU, SGI 1 */
	ldr	x4, =100000
1:	subs	x1, x1, #1
	b	2f
2:	csel	w0, w3, w2, eq
	str	w0, [x19, #0xf00]	/* GICD_SGIR */
	sub	x4, x4, #1
	cbz	x4, 3f
	cbz	x10, 1b
3:	mov	x12, x10
	print	12
	print	4
	shutdown 0
	image_end
