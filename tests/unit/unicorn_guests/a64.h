/* SPDX-License-Identifier: BSD-2-Clause */
/* Macros for the tiny arm64 guests of the Unicorn runtime tests: the Image
 * header, hypercalls, debug prints and shutdown. Linked at RAM base +
 * 0x80000 (the text_offset below); the first instruction after the header
 * is at 0x40080040. */
#define HC_xen_version 17
#define HC_console_io  18
#define HC_sched_op    29
#define GICD           0x03001000
#define GICC           0x03002000
#define GICR_SGI       0x03030000

	.macro image_header
	.text
	.globl	_start
_start:
	b	1f
	.long	0
	.quad	0x80000			/* text_offset */
	.quad	_end - _start		/* image_size */
	.quad	0xa			/* LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0
1:
	.endm

	.macro hc nr
	mov	x16, #\nr
	hvc	#0xea1
	.endm

	/* Print xN on the Xen console (N < 16). */
	.macro print n
	hvc	#(0xffe0 + \n)
	.endm

	/* SCHEDOP_shutdown(reason); never returns. */
	.macro shutdown reason
	mov	w0, #\reason
	adr	x1, 9f
	str	w0, [x1]
	mov	x0, #2
	hc	HC_sched_op
	b	.
	.balign	4
9:	.word	0
	.endm

	.macro image_end
	.ltorg
	.balign	8
	.globl	_end
_end:
	.endm
