/* SPDX-License-Identifier: BSD-2-Clause */
/* wfi with no interrupt that could ever come. */
#include "a64.h"
	image_header
	wfi
	shutdown 0
	image_end
