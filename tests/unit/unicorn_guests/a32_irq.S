/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2: SGI 1 raised with IRQs unmasked is taken at the end of the block
 * (r3 = 1, r11 = 1); one raised while masked waits through a hypercall and
 * is taken right after `cpsie i` (r4 = 1, r5 = 2). */
#include "a32.h"
	zimage_header
	b	main
#include "a32_vectors.h"
main:
	mov	r10, #0
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0	/* VBAR */
	isb
	ldr	r8, =GICD
	ldr	r9, =GICC
	mov	r0, #1
	str	r0, [r8]		/* GICD_CTLR */
	mov	r0, #(1 << 1)
	str	r0, [r8, #0x100]	/* GICD_ISENABLER0: SGI 1 */
	mov	r0, #0xf0
	str	r0, [r9, #0x4]		/* GICC_PMR */
	mov	r0, #1
	str	r0, [r9]		/* GICC_CTLR */
	cpsie	i
	ldr	r0, =0x02000001		/* to this CPU, SGI 1 */
	str	r0, [r8, #0xf00]	/* GICD_SGIR */
	b	1f
1:	mov	r3, r10
	cpsid	i
	ldr	r0, =0x02000001
	str	r0, [r8, #0xf00]
	b	2f
2:	mov	r0, #0
	hc	HC_xen_version
	mov	r4, r10
	cpsie	i
	mov	r5, r10
	print	3
	print	11
	print	4
	print	5
	shutdown 0
	image_end
