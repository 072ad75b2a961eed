/* SPDX-License-Identifier: BSD-2-Clause */
/* A store to an address nothing backs, at PC 0x40008038. */
#include "a32.h"
	zimage_header
	mov	r1, #0x10
	str	r0, [r1]
	shutdown 0
	image_end
