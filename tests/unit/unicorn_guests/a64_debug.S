/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug hypercalls: print x5, print the PC, three characters, dump. */
#include "a64.h"
	image_header
	mov	x5, #0x1234
	print	5
	hvc	#0xfffd
	mov	x0, #'o'
	hvc	#0xfffe
	mov	x0, #'k'
	hvc	#0xfffe
	mov	x0, #'\n'
	hvc	#0xfffe
	hvc	#0xffff
	shutdown 0
	image_end
