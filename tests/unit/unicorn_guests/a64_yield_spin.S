/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that yields forever with SCHEDOP_yield: a hypercall loop that
 * lets no time pass. The hvc is at PC 0x40080050. */
#include "a64.h"
	image_header
1:	mov	x0, #0			/* SCHEDOP_yield */
	mov	x1, #0
	hc	HC_sched_op
	b	1b
	image_end
