/* SPDX-License-Identifier: BSD-2-Clause */
/* A jump to an address nothing backs. */
#include "a64.h"
	image_header
	mov	x0, #0x1000
	br	x0
	image_end
