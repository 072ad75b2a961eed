/* SPDX-License-Identifier: BSD-2-Clause */
/* A load from an address nothing backs, at PC 0x40080044. */
#include "a64.h"
	image_header
	mov	x1, #0x10
	ldr	x0, [x1]
	shutdown 0
	image_end
