/* SPDX-License-Identifier: BSD-2-Clause */
/* An undefined instruction as the first one: PC 0x40080040. */
#include "a64.h"
	image_header
	udf	#0
	shutdown 0
	image_end
