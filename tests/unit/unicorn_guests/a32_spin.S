/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that never stops: `b .` at PC 0x40008034 (ARM, or Thumb-2 from
 * t32_spin.S at 0x4000803c). Only the instruction budget ends it. */
#include "a32.h"
	zimage_header
	b	.
	image_end
