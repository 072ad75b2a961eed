/* SPDX-License-Identifier: BSD-2-Clause */
/* A counter read the model emulates from inside a block must not make the
 * engine run the rest of that block twice: x3 ends at 2. */
#include "a64.h"
	image_header
	mov	x3, #0
	adr	x1, buf
	mrs	x0, cntvct_el0
	add	x3, x3, #1
	str	x3, [x1]
	add	x3, x3, #1
	print	3
	shutdown 0
	.balign	8
buf:	.quad	0
	image_end
