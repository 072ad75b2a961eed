/* SPDX-License-Identifier: BSD-2-Clause */
/* A vector table whose only live entry is the IRQ from EL1h (+0x280):
 * count in x10, acknowledged INTID in x11. Every other entry is udf. GIC
 * CPU interface at x21 (GICv2) or the ICC system registers (GICV3). */
	.balign	2048
vectors:
	.rept	0x280 / 4
	udf	#0
	.endr
#ifdef GICV3
	mrs	x11, S3_0_C12_C12_0	/* ICC_IAR1_EL1 */
	add	x10, x10, #1
	msr	S3_0_C12_C12_1, x11	/* ICC_EOIR1_EL1 */
#else
	ldr	w11, [x21, #0x0c]	/* GICC_IAR */
	add	x10, x10, #1
	str	w11, [x21, #0x10]	/* GICC_EOIR */
#endif
	eret
	.rept	(0x800 - 0x280) / 4 - 4
	udf	#0
	.endr
