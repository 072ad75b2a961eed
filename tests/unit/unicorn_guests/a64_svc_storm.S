/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest that never calls the hypervisor again once it has said it is
 * ready: it takes an svc exception in a loop, each one handled by its own
 * vectors (eret). Only the exceptions give the runtime a way in, so a
 * signal sent to xensim must be seen there (tests/cli/test-cli.sh). */
#include "a64.h"
	image_header
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x0, #0			/* CONSOLEIO_write */
	mov	x1, #(ready_end - ready)
	adr	x2, ready
	hc	HC_console_io
1:	svc	#0
	b	1b

	/* Every entry returns: the svc's preferred return is the next
	 * instruction. */
	.balign	2048
vectors:
	.rept	16
	eret
	.balign	128
	.endr
ready:	.ascii	"svc storm: ready\n"
ready_end:
	image_end
