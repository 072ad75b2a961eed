/* SPDX-License-Identifier: BSD-2-Clause */
/* A store that runs off the end of RAM (128 MiB from 0x40000000) the third
 * time round a loop. By then the engine has chained the loop's two blocks
 * and no longer records a PC between them: the store sits in the lower
 * block, second instruction, at PC 0x40080050, and is reached only from
 * the upper one. */
#include "a64.h"
	image_header
	ldr	x0, =0x47fffff0		/* 16 bytes below the end of RAM */
	mov	x5, #0
	b	2f
1:	add	x5, x5, #1
	str	xzr, [x0], #8
	b	2f
2:	cmp	x5, #10
	b.ne	1b
	shutdown 0
	image_end
