/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that never stops: `b .` at PC 0x40080040, no trap, no clock
 * read. Only the instruction budget ends it. */
#include "a64.h"
	image_header
	b	.
	image_end
