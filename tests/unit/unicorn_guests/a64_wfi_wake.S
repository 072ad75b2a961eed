/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2: wfi with IRQs masked wakes for the pending SGI; unmasking then
 * takes it (x12 = 1). */
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
	str	w0, [x19]
	mov	w0, #(1 << 1)
	str	w0, [x19, #0x100]
	mov	w0, #0xf0
	str	w0, [x21, #0x4]
	mov	w0, #1
	str	w0, [x21]
	ldr	w0, =0x02000001
	str	w0, [x19, #0xf00]
	wfi
	msr	daifclr, #2
	mov	x12, x10
	print	12
	shutdown 0
	image_end
