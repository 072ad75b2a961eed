/* SPDX-License-Identifier: BSD-2-Clause */
/* hvc with an immediate Xen gives no meaning: undefined. */
#include "a64.h"
	image_header
	hvc	#0x1234
	shutdown 0
	image_end
