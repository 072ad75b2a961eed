/* SPDX-License-Identifier: BSD-2-Clause */
/* CNTFRQ, CNTVCT and CNTPCT through CP15, then a busy read loop. */
#include "a32.h"
	zimage_header
	mrc	p15, 0, r1, c14, c0, 0	/* CNTFRQ */
	print	1
	mrrc	p15, 1, r2, r3, c14	/* CNTVCT */
	print	2
	print	3
	mrrc	p15, 0, r4, r5, c14	/* CNTPCT */
	print	4
	mov	r6, #1000
1:	mrrc	p15, 1, r7, r8, c14
	subs	r6, r6, #1
	bne	1b
	print	7
	shutdown 0
	image_end
