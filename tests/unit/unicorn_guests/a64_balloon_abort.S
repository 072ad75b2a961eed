/* SPDX-License-Identifier: BSD-2-Clause */
/* A page given back (XENMEM_decrease_reservation) and then touched: Xen
 * 4.17 injects a data abort (stage-2 translation fault, traps.c
 * inject_dabt64_exception) through the synchronous vector from EL1h
 * (+0x200): ESR_EL1 0x96000000 (EC 0x25, IL 1, ISS 0), FAR_EL1 the address
 * touched, ELR_EL1 the instruction, SPSR_EL1 the boot PSTATE (0x3c5). The
 * vector notes ESR in x12, FAR in x13, counts in x9 the aborts whose ELR
 * (noted in x20 before each access) and SPSR (but its flags) are Xen's,
 * and returns past the access. A read (its ESR and FAR printed from x10,
 * x11), then a
 * write (x12, x13); then the page is populated again and reads zero
 * without a fault. Prints x9 (2) and x14 (the refilled page's word, 0). */
#include "a64.h"
#define HC_memory_op 12
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define PAGE 0x40400000
	image_header
	b	main
	.balign	2048
vectors:
	.rept	0x200 / 4
	udf	#0
	.endr
	mrs	x12, esr_el1
	mrs	x13, far_el1
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	and	x2, x2, #0x3ff		/* without the flags */
	mov	x4, #0x3c5
	cmp	x1, x20
	ccmp	x2, x4, #0, eq
	cinc	x9, x9, eq
	add	x1, x1, #4
	msr	elr_el1, x1
	eret
	.balign	2048
main:
	mov	x9, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x19, =PAGE
	mov	x0, #0x55
	str	x0, [x19]		/* backed: no fault */
	mov	x0, #XENMEM_decrease_reservation
	adr	x1, reservation
	hc	HC_memory_op
	cmp	x0, #1
	b.ne	fail
	adr	x20, 1f
1:	ldr	x5, [x19, #8]
	mov	x10, x12
	mov	x11, x13
	adr	x20, 2f
2:	str	x0, [x19, #16]
	mov	x0, #XENMEM_populate_physmap
	adr	x1, reservation
	hc	HC_memory_op
	cmp	x0, #1
	b.ne	fail
	ldr	x14, [x19]
	print	10
	print	11
	print	12
	print	13
	print	9
	print	14
	shutdown 0
fail:	shutdown 3
	.balign	8
reservation:
	.quad	extent			/* extent_start */
	.quad	1			/* nr_extents */
	.word	0, 0			/* extent_order, mem_flags */
	.hword	0x7ff0			/* DOMID_SELF */
	.hword	0, 0, 0
extent:
	.quad	PAGE >> 12
	image_end
