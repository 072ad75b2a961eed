/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2: an SGI raised with IRQs masked waits through a hypercall and is
 * taken right after `msr daifclr` (x12 = 0, x13 = 1). */
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
	b	1f
1:	mov	x0, #0
	hc	HC_xen_version
	mov	x12, x10
	msr	daifclr, #2
	mov	x13, x10
	print	12
	print	13
	shutdown 0
	image_end
