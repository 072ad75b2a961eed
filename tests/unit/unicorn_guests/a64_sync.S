/* SPDX-License-Identifier: BSD-2-Clause */
/* Synchronous exceptions taken to EL1 as the CPU takes them, from EL1 and
 * from an EL0 context the guest sets up and erets to. With the MMU on
 * (4 KiB pages over the image, identity mapped) some pages are special:
 * hole (no entry), ro (read-only at EL1, none at EL0), noaf (access flag
 * clear), el0_text (read-only and executable at both), el0_data (read and
 * write at both); every other page is EL1's and never executable at EL0.
 * Each case names its instruction in x20 and the address it expects in
 * FAR_EL1 in x21; the handler prints ESR_EL1 (R10), FAR_EL1 - x21 (R11),
 * ELR_EL1 - x20 (R12) and SPSR_EL1 (R13), then resumes after the case (x22),
 * at EL1h once x23 is set. The test holds each print to the CPU's value. */
#include "a64.h"

#define PG_EL1    (3 | (1 << 10) | (3 << 8) | (1 << 54))  /* AF, ISH, UXN */
#define PG_EL0X   (3 | (1 << 10) | (3 << 8) | (3 << 6))   /* RO at both */
#define PG_EL0RW  (PG_EL1 | (1 << 53) | (1 << 6))         /* RW at both */
#define PG_RO     (PG_EL1 | (1 << 7))
#define PG_NOAF   (PG_EL1 & ~(1 << 10))
#define TCR       (25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))

	/* The l3 entry of page \label: \attrs (0: no entry). */
	.macro	setpte label, attrs
	adr	x1, \label
	ldr	x2, =\attrs
	orr	x2, x2, x1
	and	x3, x1, #0x1fffff
	lsr	x3, x3, #12
	str	x2, [x0, x3, lsl #3]
	.endm

	/* One case: the trapping instruction, resumed after. */
	.macro	trap insn:vararg
	adr	x20, 101f
	adr	x22, 102f
101:	\insn
102:
	.endm

	image_header
	adr	x0, l3
	setpte	el0_text, PG_EL0X
	setpte	el0_data, PG_EL0RW
	setpte	ro, PG_RO
	setpte	noaf, PG_NOAF
	setpte	hole, 0
	mov	x0, #0xff
	msr	mair_el1, x0
	ldr	x0, =TCR
	msr	tcr_el1, x0
	adr	x0, l1
	msr	ttbr0_el1, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	mov	x0, #(3 << 20)		/* SIMD&FP at EL0 and EL1 */
	msr	cpacr_el1, x0
	isb
	mrs	x0, sctlr_el1
	mov	x1, #((1 << 0) | (1 << 2) | (1 << 12))	/* M, C, I */
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	mov	x23, #0

	/* ---- from EL1 ---- */
	mov	x21, #0
	trap	udf #0
	trap	brk #0x123
	trap	svc #0x42
	adr	x21, hole
	adr	x1, hole
	trap	ldr x0, [x1]
	add	x21, x21, #8
	trap	str w0, [x1, #8]
	adr	x21, hole
	trap	ldp x2, x3, [x1]
	sub	x1, x21, #8		/* the second register's store faults */
	trap	stp x2, x3, [x1]
	adr	x1, hole
	trap	ldxr x0, [x1]
	trap	ldar w0, [x1]
	trap	stlr x0, [x1]
	trap	ldr q0, [x1]
	sub	x1, x21, #32		/* the third of four registers faults */
	trap	ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]
	adr	x1, hole
	trap	st1 {v0.2d}, [x1], #16
	trap	ldr w0, [x1], #4
	sub	x1, x21, #0x100
	mov	x2, #0x20
	trap	ldr x0, [x1, x2, lsl #3]
	trap	ldr x0, hole
	adr	x1, hole
	mov	x2, x1
	trap	.inst 0xf8200041	/* ldadd x0, x1, [x2]: no LSE on a A57 */
	adr	x21, ro
	adr	x1, ro
	trap	str x0, [x1]
	adr	x21, noaf
	adr	x1, noaf
	trap	ldrb w0, [x1, #0]
	adr	x21, data
	add	x21, x21, #4
	mov	x1, x21
	trap	ldxr x0, [x1]		/* unaligned exclusive */
	adr	x1, hole		/* fetch from a page with no entry */
	mov	x20, x1
	mov	x21, x1
	adr	x22, 1f
	br	x1
1:
	/* ---- to EL0 ---- */
	adr	x0, el0_start
	msr	elr_el1, x0
	msr	spsr_el1, xzr
	adr	x24, el0_data + 4096
	msr	sp_el0, x24
	eret
el1_done:
	mrs	x5, sp_el0		/* EL0's SP kept across each entry: 0 */
	sub	x5, x5, x24
	print	5
	mov	x6, sp			/* SP_EL1 (never set) in use: 0 */
	print	6
	shutdown 0
	.ltorg

	.balign	2048
vectors:
	.rept	4
	b	bad_vector
	.balign	0x80
	.endr
	b	report			/* current EL, SP_EL1: +0x200 */
	.balign	0x80
	.rept	3
	b	bad_vector
	.balign	0x80
	.endr
	b	report			/* lower EL, AArch64: +0x400 */
	.balign	0x80
	.rept	7
	b	bad_vector
	.balign	0x80
	.endr

report:
	mrs	x10, esr_el1
	print	10
	mrs	x11, far_el1
	sub	x11, x11, x21
	print	11
	mrs	x12, elr_el1
	sub	x12, x12, x20
	print	12
	mrs	x13, spsr_el1
	print	13
	cbz	x23, 1f
	mov	x13, #0x3c5		/* done at EL0: back to EL1h */
	msr	spsr_el1, x13
1:	msr	elr_el1, x22
	eret

bad_vector:
	mov	x9, #0xbad
	print	9
	shutdown 1

	/* ---- EL0 code ---- */
	.balign	4096
el0_text:
el0_start:
	mov	x21, #0
	trap	svc #7
	trap	udf #1
	trap	brk #0x3c
	trap	hvc #1			/* undefined at EL0 */
	trap	mrs x0, sctlr_el1	/* undefined at EL0 */
	adr	x21, vectors		/* EL1's page: a permission fault */
	mov	x1, x21
	trap	ldr x0, [x1]
	adr	x21, hole
	add	x21, x21, #16
	mov	x1, x21
	trap	str x0, [x1]
	adr	x21, hole
	mov	x1, x21
	trap	ld1 {v0.16b}, [x1]
	adr	x21, ro			/* the store into ro faults */
	sub	x1, x21, #8
	trap	stp x0, x0, [x1]
	adr	x1, vectors		/* fetch from EL1's page */
	mov	x20, x1
	mov	x21, x1
	adr	x22, 1f
	br	x1
1:	mov	x23, #1
	mov	x21, #0
	adr	x20, 2f
	adr	x22, el1_done
2:	svc	#0xff

	.balign	4096
data:	.fill	4096, 1, 0
hole:	.fill	4096, 1, 0
el0_data:
	.fill	4096, 1, 0
ro:	.fill	4096, 1, 0
noaf:	.fill	4096, 1, 0

	/* ---- tables: 39-bit VAs, 4 KiB pages, RAM's first 2 MiB ---- */
l1:	.quad	0
	.quad	l2 + 3			/* 0x40000000 */
	.fill	510, 8, 0
l2:	.quad	l3 + 3
	.fill	511, 8, 0
l3:
	.set	page, 0
	.rept	512
	.quad	0x40000000 + page * 0x1000 + PG_EL1
	.set	page, page + 1
	.endr
	image_end
