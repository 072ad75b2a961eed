/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that reads the virtual counter forever (PC 0x40080040): each
 * read lets one tick of virtual time pass, so the timeout ends it, or the
 * instruction budget first. */
#include "a64.h"
	image_header
1:	mrs	x0, cntvct_el0
	b	1b
	image_end
