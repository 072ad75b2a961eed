/* SPDX-License-Identifier: BSD-2-Clause */
/* yield and wfe, each run three times at the same PC: hints, never
 * undefined (Xen traps wfe and yields the CPU; yield is a no-op), then
 * prints r5 = 0 and powers off. In ARM; t32_hints.S adds the 32-bit
 * Thumb-2 encodings and a conditional wfe inside an IT block. */
#include "a32.h"
	zimage_header
	mov	r5, #3
1:	yield
	wfe
#ifdef THUMB
	yield.w
	wfe.w
	cmp	r5, #2
	it	eq
	wfeeq
#endif
	subs	r5, r5, #1
	bne	1b
	print	5
	shutdown 0
	image_end
