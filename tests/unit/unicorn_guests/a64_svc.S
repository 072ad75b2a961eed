/* SPDX-License-Identifier: BSD-2-Clause */
/* A supervisor call: there is no OS above an EL1 guest. */
#include "a64.h"
	image_header
	svc	#0
	shutdown 0
	image_end
