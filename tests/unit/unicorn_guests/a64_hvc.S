/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall round trip: XENVER_version and an unknown hypercall, results
 * printed from x0; console_io from a buffer in the image; poweroff. */
#include "a64.h"
	image_header
	mov	x0, #0			/* XENVER_version */
	mov	x1, #0
	hc	HC_xen_version
	print	0
	mov	x0, #0
	mov	x16, #63		/* no such hypercall */
	hvc	#0xea1
	print	0
	mov	x0, #0			/* CONSOLEIO_write */
	mov	x1, #(msg_end - msg)
	adr	x2, msg
	hc	HC_console_io
	shutdown 0
msg:	.ascii	"hello from arm64\n"
msg_end:
	.balign	4
	image_end
