/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that reads CNTVCT forever with MRRC (PC 0x40008034 in ARM,
 * 0x4000803c in Thumb-2 from t32_counter_spin.S). */
#include "a32.h"
	zimage_header
1:	mrrc	p15, 1, r0, r1, c14
	b	1b
	image_end
