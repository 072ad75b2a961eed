/* SPDX-License-Identifier: BSD-2-Clause */
/* SCHEDOP_watchdog on virtual time: takes a watchdog of 1 s (x20 = its
 * id), then sleeps 0.5 s three times (the virtual timer, PPI 27, waited
 * for with wfi and IRQs masked), feeding it after each sleep when FEED is
 * defined, then stops it and powers off. Unfed, it fires at 1 s: the
 * domain is shut down for the watchdog before the third sleep ends. */
#include "a64.h"
#define SCHEDOP_watchdog 6
#define HALF_SECOND      31250000	/* ticks of 16 ns */

	/* watchdog(id in w0, timeout in w1) -> x0 */
	.macro watchdog
	adr	x2, wd
	stp	w0, w1, [x2]
	mov	x1, x2
	mov	x0, #SCHEDOP_watchdog
	hc	HC_sched_op
	.endm

	image_header
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
	mov	w0, #0
	mov	w1, #1
	watchdog
	mov	x20, x0
	mov	x22, #3
1:	ldr	x0, =HALF_SECOND
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0	/* enable */
2:	wfi
	mrs	x0, cntv_ctl_el0
	tbz	x0, #2, 2b		/* ISTATUS */
	mov	x0, #2
	msr	cntv_ctl_el0, x0	/* IMASK: the line drops */
#ifdef FEED
	mov	w0, w20
	mov	w1, #1
	watchdog
#endif
	subs	x22, x22, #1
	b.ne	1b
	mov	w0, w20
	mov	w1, #0
	watchdog			/* stop it */
	shutdown 0
	.balign	8
wd:	.quad	0
	image_end
