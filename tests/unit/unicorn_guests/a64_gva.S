/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall buffers at virtual addresses that are not their physical ones:
 * one hypercall with the MMU off, then static tables (39-bit halves, 4 KiB
 * pages) alias data pages of the image at low VAs through TTBR0 (VA 0x1000
 * and 0x2000 swapped, 0x3000 read-only, 0x4000 Device, 0x6000 the
 * page given as shared_info, Non-cacheable) and at
 * 0xffffff8000000000 + n pages through TTBR1 (0x7000 and HI + 0x3000 a
 * granted page, Device), while RAM stays identity
 * mapped for the code. The guest itself only ever touches the identity
 * addresses (Unicorn needs that); Xen, and the model, translate. Each
 * result is printed: x0 of each call, and what the model wrote. */
#include "a64.h"
#define HC_memory_op        12
#define HC_event_channel_op 32
#define HC_grant_table_op   20
#define DOMID_SELF          0x7ff0
#define HI                  0xffffff8000000000

#define PAGE      (3 | (1 << 10) | (3 << 8))     /* AF, inner shareable, attr 0 */
#define PAGE_RO   (PAGE | (1 << 7))
#define PAGE_DEV  (3 | (1 << 10) | (1 << 2))
#define PAGE_NC   (PAGE | (2 << 2))                 /* attr 2: Non-cacheable */     /* attr 1: Device-nGnRE */
#define BLOCK     (1 | (1 << 10) | (3 << 8))
#define MAIR      0x4404ff
#define TCR       (25 | (1 << 8) | (1 << 10) | (3 << 12) | (25 << 16) | \
		   (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30))
#define TCR_IPS40 (2 << 32)

	/* reg = HI + off (off < 4 GiB) */
	.macro	hi_addr reg, off
	movz	\reg, #((\off) & 0xffff)
	movk	\reg, #((\off) >> 16), lsl #16
	movk	\reg, #0xff80, lsl #32
	movk	\reg, #0xffff, lsl #48
	.endm

	image_header
	mov	x0, #0			/* XENVER_version, MMU off */
	mov	x1, #0
	hc	HC_xen_version
	print	0

	ldr	x0, =MAIR
	msr	mair_el1, x0
	ldr	x0, =TCR
	mov	x1, #TCR_IPS40
	orr	x0, x0, x1
	msr	tcr_el1, x0
	adr	x0, l1
	msr	ttbr0_el1, x0
	adr	x0, l1hi
	msr	ttbr1_el1, x0
	isb
	mrs	x0, sctlr_el1
	mov	x1, #((1 << 0) | (1 << 2) | (1 << 12))
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb

	/* console_io through TTBR1: p0 + 0x100. */
	mov	x0, #0
	mov	x1, #(hello_end - hello)
	hi_addr	x2, 0x100
	hc	HC_console_io
	print	0
	/* A buffer across VA 0x1ff0..0x2005: the end of p1, then p0. */
	mov	x0, #0
	mov	x1, #22
	mov	x2, #0x1ff0
	hc	HC_console_io
	print	0
	/* xen_version extraversion into p2 through TTBR1, shown from p2. */
	mov	x0, #1
	hi_addr	x1, 0x2000
	hc	HC_xen_version
	print	0
	mov	x0, #0
	mov	x1, #17
	adr	x2, p2
	hc	HC_console_io
	/* add_to_physmap(shared_info) from a struct in p2 + 0x100. */
	adr	x3, p2
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x100]	/* domid; size, space 0: shared_info */
	adr	x4, p5
	lsr	x4, x4, #12
	str	x4, [x3, #0x110]	/* gpfn */
	mov	x0, #7			/* XENMEM_add_to_physmap */
	hi_addr	x1, 0x2100
	hc	HC_memory_op
	print	0
	/* alloc_unbound(self, self): the port comes back through TTBR1. */
	adr	x3, p2
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x200]
	strh	w4, [x3, #0x202]
	mov	x0, #6			/* EVTCHNOP_alloc_unbound */
	hi_addr	x1, 0x2200
	hc	HC_event_channel_op
	print	0
	ldr	w5, [x3, #0x204]
	print	5
	/* setup_table: op in p2 + 0x300, frame list at p2 + 0x400, both
	 * through TTBR1. */
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x300]
	mov	w4, #1
	str	w4, [x3, #0x304]	/* nr_frames */
	hi_addr	x4, 0x2400
	str	x4, [x3, #0x310]	/* frame_list */
	mov	x0, #2			/* GNTTABOP_setup_table */
	hi_addr	x1, 0x2300
	mov	x2, #1
	hc	HC_grant_table_op
	print	0
	ldrsh	x6, [x3, #0x308]
	print	6
	ldr	x7, [x3, #0x400]
	print	7
	/* grant copy, gmfn to gmfn: p0 + 0x200 to p2 + 0x800, op in p2 +
	 * 0x500 through TTBR1; then the copied line is printed from p2. */
	adr	x4, p0
	lsr	x4, x4, #12
	str	x4, [x3, #0x500]	/* source.u.gmfn */
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x508]
	mov	w4, #0x200
	strh	w4, [x3, #0x50a]	/* source.offset */
	lsr	x4, x3, #12
	str	x4, [x3, #0x510]	/* dest.u.gmfn */
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x518]
	mov	w4, #0x800
	strh	w4, [x3, #0x51a]	/* dest.offset */
	mov	w4, #(copied_end - copied)
	strh	w4, [x3, #0x520]	/* len; flags 0 */
	mov	x0, #5			/* GNTTABOP_copy */
	hi_addr	x1, 0x2500
	mov	x2, #1
	hc	HC_grant_table_op
	print	0
	ldrsh	x8, [x3, #0x524]
	print	8
	mov	x0, #0
	mov	x1, #(copied_end - copied)
	add	x2, x3, #0x800
	hc	HC_console_io

	/* Bad addresses: -EFAULT. An unmapped VA; a write to the read-only
	 * alias (reading it is fine); an unmapped TTBR1 page. */
	mov	x0, #0
	mov	x1, #4
	mov	x2, #0x5000
	hc	HC_console_io
	print	0
	mov	x0, #1
	mov	x1, #0x3000
	hc	HC_xen_version
	print	0
	mov	x0, #0
	mov	x1, #(ro_end - ro)
	mov	x2, #0x3000
	hc	HC_console_io
	print	0
	mov	x0, #6
	hi_addr	x1, 0x10000
	hc	HC_event_channel_op
	print	0
	/* A buffer on the Device alias: works, with a warning. */
	mov	x0, #0
	mov	x1, #(dev_end - dev)
	mov	x2, #0x4000
	hc	HC_console_io
	print	0
	/* Granted pages: table frame 0 at p7 (write-back); ref 0 grants
	 * p6 (Device at VA 0x7000 and HI + 0x3000), ref 1 grants p0
	 * (write-back); each read by a GNTTABOP_copy (op at p2 + 0x600
	 * through TTBR1, 8 bytes to p2 + 0x900): ref 0 alone is warned
	 * about, with both VAs. */
	adr	x3, p2
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x100]
	mov	w4, #1			/* XENMAPSPACE_grant_table */
	str	w4, [x3, #0x104]
	str	xzr, [x3, #0x108]	/* idx 0 */
	adr	x4, p7
	lsr	x4, x4, #12
	str	x4, [x3, #0x110]
	mov	x0, #7			/* XENMEM_add_to_physmap */
	hi_addr	x1, 0x2100
	hc	HC_memory_op
	print	0
	adr	x5, p7			/* frame, domid 1, then the flags */
	adr	x4, p6
	lsr	x4, x4, #12
	str	w4, [x5, #4]
	adr	x4, p0
	lsr	x4, x4, #12
	str	w4, [x5, #12]
	mov	w4, #1
	strh	w4, [x5, #2]
	strh	w4, [x5, #10]
	strh	w4, [x5, #0]		/* GTF_permit_access */
	strh	w4, [x5, #8]
	mov	x6, #0			/* ref */
1:	adr	x3, p2
	str	x6, [x3, #0x600]	/* source.u.ref */
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x608]
	strh	wzr, [x3, #0x60a]
	lsr	x4, x3, #12
	str	x4, [x3, #0x610]	/* dest.u.gmfn */
	mov	w4, #DOMID_SELF
	strh	w4, [x3, #0x618]
	mov	w4, #0x900
	strh	w4, [x3, #0x61a]
	mov	w4, #8
	strh	w4, [x3, #0x620]	/* len */
	mov	w4, #1
	strh	w4, [x3, #0x622]	/* GNTCOPY_source_gref */
	mov	x0, #5			/* GNTTABOP_copy */
	hi_addr	x1, 0x2600
	mov	x2, #1
	hc	HC_grant_table_op
	print	0
	adr	x3, p2
	ldrsh	x9, [x3, #0x624]
	print	9
	add	x6, x6, #1
	cmp	x6, #2
	b.lo	1b
	shutdown 0
	.ltorg

	/* ---- tables ---- */
	.balign	4096
l1:	.quad	l2 + 3
	.quad	0x40000000 + BLOCK	/* RAM, identity */
	.fill	510, 8, 0
l2:	.quad	l3 + 3
	.fill	511, 8, 0
l3:	.quad	0
	.quad	p1 + PAGE		/* VA 0x1000 */
	.quad	p0 + PAGE		/* VA 0x2000 */
	.quad	p3 + PAGE_RO		/* VA 0x3000 */
	.quad	p4 + PAGE_DEV		/* VA 0x4000 */
	.quad	0
	.quad	p5 + PAGE_NC		/* VA 0x6000 */
	.quad	p6 + PAGE_DEV		/* VA 0x7000 */
	.fill	504, 8, 0
l1hi:	.quad	l2hi + 3
	.fill	511, 8, 0
l2hi:	.quad	l3hi + 3
	.fill	511, 8, 0
l3hi:	.quad	p0 + PAGE		/* HI + 0x0000 */
	.quad	p1 + PAGE		/* HI + 0x1000 */
	.quad	p2 + PAGE		/* HI + 0x2000 */
	.quad	p6 + PAGE_DEV		/* HI + 0x3000 */
	.fill	508, 8, 0

	/* ---- data pages ---- */
p0:	.ascii	"pages\n"
	.balign	0x100, 0
hello:	.ascii	"hello through TTBR1\n"
hello_end:
	.balign	0x100, 0
copied:	.ascii	"copied by grant copy\n"
copied_end:
	.balign	4096, 0
p1:	.fill	0xff0, 1, 0
	.ascii	"text across the "
p2:	.fill	16, 1, 0
	.ascii	"\n"
	.balign	4096, 0
p3:
ro:	.ascii	"read-only alias\n"
ro_end:
	.balign	4096, 0
p4:
dev:	.ascii	"device alias\n"
dev_end:
	.balign	4096, 0
p5:	.fill	4096, 1, 0
p6:	.ascii	"granted\n"
	.balign	4096, 0
p7:	.fill	4096, 1, 0
	image_end
