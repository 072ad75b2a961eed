/* SPDX-License-Identifier: BSD-2-Clause */
/* SCHEDOP_block with IRQs masked and the virtual timer armed 1000 ticks
 * ahead (PPI 27 through GICv2): Xen unmasks IRQs and sleeps the vCPU until
 * the timer fires; the interrupt is taken right after the hvc. Prints the
 * interrupts taken by then (x12 = 1), the counter (x13 >= 1000) and
 * PSTATE.I after the call (x14 = 0). With SUSPEND, PSCI CPU_SUSPEND over
 * hvc #0 instead, which Xen 4.17 treats the same way. */
#include "a64.h"
	image_header
	b	main
	.balign	2048
vectors:
	.rept	0x280 / 4
	udf	#0
	.endr
	ldr	w11, [x21, #0x0c]	/* GICC_IAR */
	add	x10, x10, #1
	mov	x0, #2
	msr	cntv_ctl_el0, x0	/* IMASK: the line drops */
	str	w11, [x21, #0x10]	/* GICC_EOIR */
	eret
	.rept	(0x800 - 0x280) / 4 - 6
	udf	#0
	.endr
main:
	mov	x10, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x19, =GICD
	ldr	x21, =GICC
	mov	w0, #1
	str	w0, [x19]		/* GICD_CTLR */
	mov	w0, #(1 << 27)
	str	w0, [x19, #0x100]	/* GICD_ISENABLER0: PPI 27 */
	mov	w0, #0xf0
	str	w0, [x21, #0x4]		/* GICC_PMR */
	mov	w0, #1
	str	w0, [x21]		/* GICC_CTLR */
	mov	x0, #1000
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0	/* enable; IRQs stay masked */
#ifdef SUSPEND
	ldr	x0, =0xc4000001		/* PSCI CPU_SUSPEND (64-bit) */
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	hvc	#0
#else
	mov	x0, #1			/* SCHEDOP_block */
	mov	x1, #0
	hc	HC_sched_op
#endif
	mov	x12, x10
	mrs	x13, cntvct_el0
	mrs	x14, daif
	and	x14, x14, #0x80
	print	12
	print	13
	print	14
	shutdown 0
	image_end
