/* SPDX-License-Identifier: BSD-2-Clause */
/* An undefined instruction as the first one: PC 0x40008034. */
#include "a32.h"
	zimage_header
	udf	#0
	shutdown 0
	image_end
