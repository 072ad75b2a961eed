/* SPDX-License-Identifier: BSD-2-Clause */
/* yield and wfe, each run three times at the same PC, are hints: the guest
 * prints x5 = 0 and powers off. */
#include "a64.h"
	image_header
	mov	x5, #3
1:	yield
	wfe
	subs	x5, x5, #1
	b.ne	1b
	print	5
	shutdown 0
	image_end
