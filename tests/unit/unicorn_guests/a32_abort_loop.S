/* SPDX-License-Identifier: BSD-2-Clause */
/* a64_abort_loop.S for arm32: a store running off the end of RAM the third
 * time round a loop whose blocks the engine has chained; the store is the
 * lower block's second instruction (ARM: PC 0x40008048). */
#include "a32.h"
	zimage_header
	ldr	r0, =0x47fffff8		/* 8 bytes below the end of RAM */
	mov	r1, #0
	mov	r5, #0
	b	2f
1:	add	r5, r5, #1
	str	r1, [r0], #4
	b	2f
2:	cmp	r5, #10
	bne	1b
	shutdown 0
	image_end
