/* SPDX-License-Identifier: BSD-2-Clause */
/* An ARM-state vector table whose only live entry is IRQ (+0x18): count in
 * r10, acknowledged INTID in r11, returning to ARM or Thumb code alike.
 * GIC CPU interface at r9 (GICv2) or the ICC CP15 registers (GICV3). */
	.arm
	.balign	32
vectors:
	.rept	6
	udf	#0
	.endr
	b	irq
	udf	#0
irq:
	sub	lr, lr, #4
#ifdef GICV3
	mrc	p15, 0, r11, c12, c12, 0	/* ICC_IAR1 */
	add	r10, r10, #1
	mcr	p15, 0, r11, c12, c12, 1	/* ICC_EOIR1 */
#else
	ldr	r11, [r9, #0x0c]		/* GICC_IAR */
	add	r10, r10, #1
	str	r11, [r9, #0x10]		/* GICC_EOIR */
#endif
	movs	pc, lr
#ifdef THUMB
	.thumb
#endif
