/* SPDX-License-Identifier: BSD-2-Clause */
/* The hypercall round-trip benchmark: `count` (the word at file offset 0x44,
 * patched by the benchmark) times XENVER_version, then poweroff. */
#include "a64.h"
	image_header
	b	main
count:	.word	1000000
main:
	adr	x9, count
	ldr	w9, [x9]
	cbz	w9, 2f
1:	mov	x0, #0
	mov	x1, #0
	hc	HC_xen_version
	subs	w9, w9, #1
	b.ne	1b
2:	shutdown 0
	image_end
