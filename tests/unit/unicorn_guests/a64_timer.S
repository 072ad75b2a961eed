/* SPDX-License-Identifier: BSD-2-Clause */
/* The generic timer's frequency and counters, then a busy read loop. */
#include "a64.h"
	image_header
	mrs	x1, cntfrq_el0
	print	1
	mrs	x2, cntvct_el0
	print	2
	mrs	x3, cntpct_el0
	print	3
	mov	x4, #1000
1:	mrs	x5, cntvct_el0
	subs	x4, x4, #1
	b.ne	1b
	print	5
	shutdown 0
	image_end
