/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest bug: the virtual timer fires while interrupts stay masked, and
 * the guest keeps waiting with wfi. On hardware wfi returns at once
 * forever; the simulator must say so rather than spin. */
#include "a64.h"
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
	mov	x0, #1000
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0	/* enable; DAIF.I stays set */
1:	wfi
	b	1b
	image_end
