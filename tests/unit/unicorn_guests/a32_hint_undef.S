/* SPDX-License-Identifier: BSD-2-Clause */
/* Three yields at one PC, a wfe, then an undefined instruction right
 * after it: the run ends naming the udf, at PC 0x40008048 in ARM and in
 * Thumb-2 (t32_hint_undef.S). */
#include "a32.h"
	zimage_header
	mov	r5, #3
1:	yield
	subs	r5, r5, #1
	bne	1b
	wfe
	udf	#0
	shutdown 0
	image_end
