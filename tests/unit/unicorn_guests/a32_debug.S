/* SPDX-License-Identifier: BSD-2-Clause */
/* hvc #0xFFFF from an arm32 guest in SVC mode: r5 = 0x1234, IRQ mode's
 * SP 0x12345670, and SVC's SP four known 64-bit words before the end of a
 * page, so the dump's stack trace shows exactly those. Then SP is printed:
 * reading the other modes' registers left SVC's in place. */
#include "a32.h"
	zimage_header
	cps	#0x12
	ldr	sp, =0x12345670
	cps	#0x13
	ldr	r5, =0x1234
	ldr	sp, =stack
	hvc	#0xffff
	mov	r0, sp
	print	0
	shutdown 0
	.ltorg

	.balign	4096
	.fill	4096 - 32, 1, 0
stack:	.quad	0x1111111111111111, 0x2222222222222222
	.quad	0x3333333333333333, 0x4444444444444444
	image_end
