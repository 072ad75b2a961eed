/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that yields forever with SCHEDOP_yield (ARM; Thumb-2 from
 * t32_yield_spin.S). */
#include "a32.h"
	zimage_header
1:	mov	r0, #0			/* SCHEDOP_yield */
	mov	r1, #0
	hc	HC_sched_op
	b	1b
	image_end
