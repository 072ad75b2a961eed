/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv3 from AArch32: SGI 1 through the CP15 ICC registers (MCRR for
 * ICC_SGI1R), taken right after the write (r3 = 1, r11 = 1, r6 = SRE 7). */
#define GICV3
#include "a32.h"
	zimage_header
	b	main
#include "a32_vectors.h"
main:
	mov	r10, #0
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0
	isb
	ldr	r8, =GICD
	ldr	r7, =GICR_SGI
	mov	r0, #0x12
	str	r0, [r8]		/* GICD_CTLR: ARE, EnableGrp1A */
	sub	r1, r7, #0x10000
	mov	r0, #0
	str	r0, [r1, #0x14]		/* GICR_WAKER */
	mov	r0, #(1 << 1)
	str	r0, [r7, #0x100]	/* GICR_ISENABLER0 */
	mov	r0, #0xf0
	mcr	p15, 0, r0, c4, c6, 0	/* ICC_PMR */
	mov	r0, #1
	mcr	p15, 0, r0, c12, c12, 7	/* ICC_IGRPEN1 */
	mrc	p15, 0, r6, c12, c12, 5	/* ICC_SRE */
	cpsie	i
	ldr	r0, =0x01000001
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c12	/* ICC_SGI1R */
	mov	r3, r10
	print	3
	print	11
	print	6
	shutdown 0
	image_end
