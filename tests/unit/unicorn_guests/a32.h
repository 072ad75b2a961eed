/* SPDX-License-Identifier: BSD-2-Clause */
/* Macros for the tiny arm32 guests of the Unicorn runtime tests: the zImage
 * header (ARM state, as the boot protocol enters), hypercalls, debug prints
 * and shutdown, in ARM or Thumb-2 (define THUMB). Linked at RAM base +
 * 0x8000; the first instruction after the header is at 0x40008034. */
#define HC_xen_version 17
#define HC_console_io  18
#define HC_sched_op    29
#define GICD           0x03001000
#define GICC           0x03002000
#define GICR_SGI       0x03030000

	.syntax	unified
	.arch	armv7ve

	.macro zimage_header
	.text
	.arm
	.globl	_start
_start:
	.rept	8
	mov	r0, r0
	.endr
	b	1f			/* 0x20 */
	.word	0x016f2818		/* 0x24 magic */
	.word	0			/* 0x28 start: position independent */
	.word	_end - _start		/* 0x2c end */
	.word	0x04030201		/* 0x30 little endian */
1:
#ifdef THUMB
	adr	r12, 2f + 1
	bx	r12
	.thumb
2:
#endif
	.endm

	.macro hc nr
	mov	r12, #\nr
	hvc	#0xea1
	.endm

	.macro print n
	hvc	#(0xffe0 + \n)
	.endm

	.macro shutdown reason
	mov	r0, #\reason
	adr	r1, 9f
	str	r0, [r1]
	mov	r0, #2
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
