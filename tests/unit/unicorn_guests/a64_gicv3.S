/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv3: SGI 1 through the ICC system registers and the redistributor,
 * taken right after the ICC_SGI1R_EL1 write (x12 = 1, x11 = 1, x14 =
 * ICC_SRE_EL1 = 7). */
#define GICV3
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
	ldr	x20, =GICR_SGI
	mov	w0, #0x12
	str	w0, [x19]		/* GICD_CTLR: ARE, EnableGrp1A */
	sub	x1, x20, #0x10000
	str	wzr, [x1, #0x14]	/* GICR_WAKER: awake */
	mov	w0, #(1 << 1)
	str	w0, [x20, #0x100]	/* GICR_ISENABLER0: SGI 1 */
	mov	x0, #0xf0
	msr	S3_0_C4_C6_0, x0	/* ICC_PMR_EL1 */
	mov	x0, #1
	msr	S3_0_C12_C12_7, x0	/* ICC_IGRPEN1_EL1 */
	mrs	x14, S3_0_C12_C12_5	/* ICC_SRE_EL1 */
	msr	daifclr, #2
	ldr	x0, =0x01000001		/* SGI 1 to affinity 0.0.0.0 */
	msr	S3_0_C12_C11_5, x0	/* ICC_SGI1R_EL1 */
	mov	x12, x10
	print	12
	print	11
	print	14
	shutdown 0
	image_end
