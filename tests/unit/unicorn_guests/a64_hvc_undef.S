/* SPDX-License-Identifier: BSD-2-Clause */
/* hvc immediates Xen does not take, each answered (on a release Xen) by an
 * undefined-instruction exception: the synchronous vector from EL1h
 * (+0x200) counts in x9 those whose ESR_EL1 (0x02000000: EC 0, IL 1),
 * ELR_EL1 (the instruction after the hvc, noted in x20) and SPSR_EL1 (the
 * boot PSTATE, 0x3c5) are Xen's, and in x8 any other. Three such hvc:
 * poweroff when all three came so, crash otherwise (a debug Xen acts on
 * 0xfffe and 0xffe0 itself). */
#include "a64.h"
	image_header
	b	main
	.balign	2048
vectors:
	.rept	0x200 / 4
	udf	#0
	.endr
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	mov	x3, #0x02000000
	mov	x4, #0x3c5
	cmp	x0, x3
	ccmp	x1, x20, #0, eq
	ccmp	x2, x4, #0, eq
	b.ne	1f
	add	x9, x9, #1
	eret
1:	add	x8, x8, #1
	eret
	.balign	2048
main:
	mov	x8, #0
	mov	x9, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	adr	x20, 2f
	hvc	#0x1234
2:	adr	x20, 3f
	hvc	#0xfffe
3:	adr	x20, 4f
	hvc	#0xffe0
4:	cmp	x9, #3
	ccmp	x8, #0, #0, eq
	b.ne	5f
	shutdown 0
5:	shutdown 3
	image_end
