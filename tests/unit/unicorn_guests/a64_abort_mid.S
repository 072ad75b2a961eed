/* SPDX-License-Identifier: BSD-2-Clause */
/* A store to an address nothing backs, the fourth instruction of its
 * block: the verdict and the register dump name the store, at PC
 * 0x4008004c, not the block's first instruction. */
#include "a64.h"
	image_header
	mov	x0, #0x10
	mov	x2, #5
	add	x3, x2, #1
	str	wzr, [x0]
	shutdown 0
	image_end
