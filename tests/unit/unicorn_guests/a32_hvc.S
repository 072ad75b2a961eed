/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall round trip: XENVER_version and an unknown hypercall, results
 * printed from r0; console_io from a buffer in the image; poweroff. */
#include "a32.h"
#ifndef MESSAGE
#define MESSAGE "hello from arm32\n"
#endif
	zimage_header
	mov	r0, #0			/* XENVER_version */
	mov	r1, #0
	hc	HC_xen_version
	print	0
	mov	r0, #0
	mov	r12, #63		/* no such hypercall */
	hvc	#0xea1
	print	0
	mov	r0, #0			/* CONSOLEIO_write */
	mov	r1, #(msg_end - msg)
	adr	r2, msg
	hc	HC_console_io
	shutdown 0
	.balign	4
msg:	.ascii	MESSAGE
msg_end:
	.balign	4
	image_end
