/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm32 hypercall round-trip benchmark: `count` (file offset 0x38)
 * times XENVER_version, then poweroff. */
#include "a32.h"
	zimage_header
	b	main
count:	.word	1000000
main:
	ldr	r9, count
	cmp	r9, #0
	beq	2f
1:	mov	r0, #0
	mov	r1, #0
	hc	HC_xen_version
	subs	r9, r9, #1
	bne	1b
2:	shutdown 0
	image_end
