/* SPDX-License-Identifier: BSD-2-Clause */
/* arm32 (LPAE) version of a64_gva.S: one hypercall with the MMU off, then
 * static long-descriptor tables: TTBR0 (T0SZ 0) maps RAM as is at 1 GiB
 * and aliases data pages of the image at VA 0x1000 and 0x2000 (swapped),
 * 0x3000 (read-only), 0x4000 (Device) and 0x6000 (the page given as
 * shared_info, Non-cacheable); TTBR1 (T1SZ 2) maps the top GiB,
 * 0xc0000000 + n pages, onto the same pages (VA 0x7000 and HI + 0x3000:
 * a granted page, Device). The guest touches only the
 * identity addresses; every buffer handed to Xen is an alias. */
#include "a32.h"
#define HC_memory_op        12
#define HC_event_channel_op 32
#define HC_grant_table_op   20
#define DOMID_SELF          0x7ff0
#define HI                  0xc0000000

#define PAGE      (3 | (1 << 10) | (3 << 8))
#define PAGE_RO   (PAGE | (1 << 7))
#define PAGE_DEV  (3 | (1 << 10) | (1 << 2))
#define PAGE_NC   (PAGE | (2 << 2))                 /* attr 2: Non-cacheable */
#define BLOCK     (1 | (1 << 10) | (3 << 8))
#define MAIR0     0x4404ff
/* EAE, T1SZ 2, write-back inner-shareable walks from both TTBRs. */
#define TTBCR     ((1 << 31) | (2 << 16) | (1 << 8) | (1 << 10) | (3 << 12) | \
		   (1 << 24) | (1 << 26) | (3 << 28))

	zimage_header
	mov	r0, #0			/* XENVER_version, MMU off */
	mov	r1, #0
	hc	HC_xen_version
	print	0

	ldr	r0, =MAIR0
	mcr	p15, 0, r0, c10, c2, 0	/* MAIR0 */
	mov	r0, #0
	mcr	p15, 0, r0, c10, c2, 1	/* MAIR1 */
	ldr	r0, =TTBCR
	mcr	p15, 0, r0, c2, c0, 2
	ldr	r0, =l1
	mov	r1, #0
	mcrr	p15, 0, r0, r1, c2	/* TTBR0 */
	ldr	r0, =l2hi
	mcrr	p15, 1, r0, r1, c2	/* TTBR1 */
	isb
	mrc	p15, 0, r0, c1, c0, 0
	ldr	r1, =((1 << 0) | (1 << 2) | (1 << 12))
	orr	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0
	isb

	/* console_io through TTBR1: p0 + 0x100. */
	mov	r0, #0
	mov	r1, #(hello_end - hello)
	ldr	r2, =(HI + 0x100)
	hc	HC_console_io
	print	0
	/* Across VA 0x1ff0..0x2005: the end of p1, then p0. */
	mov	r0, #0
	mov	r1, #22
	ldr	r2, =0x1ff0
	hc	HC_console_io
	print	0
	/* extraversion into p2 through TTBR1, shown from p2. */
	mov	r0, #1
	ldr	r1, =(HI + 0x2000)
	hc	HC_xen_version
	print	0
	mov	r0, #0
	mov	r1, #17
	ldr	r2, =p2
	hc	HC_console_io
	/* add_to_physmap(shared_info) from p2 + 0x100. */
	ldr	r3, =p2
	ldr	r4, =DOMID_SELF
	add	r5, r3, #0x100
	strh	r4, [r5]
	ldr	r4, =p5
	lsr	r4, r4, #12
	str	r4, [r5, #0x10]		/* gpfn, low word */
	mov	r0, #7			/* XENMEM_add_to_physmap */
	ldr	r1, =(HI + 0x2100)
	hc	HC_memory_op
	print	0
	/* alloc_unbound(self, self) in p2 + 0x200. */
	ldr	r3, =p2
	ldr	r4, =DOMID_SELF
	add	r5, r3, #0x200
	strh	r4, [r5]
	strh	r4, [r5, #2]
	mov	r0, #6
	ldr	r1, =(HI + 0x2200)
	hc	HC_event_channel_op
	print	0
	ldr	r3, =p2
	ldr	r5, [r3, #0x204]
	print	5
	/* setup_table in p2 + 0x300, frame list at p2 + 0x400. */
	ldr	r3, =p2
	add	r5, r3, #0x300
	ldr	r4, =DOMID_SELF
	strh	r4, [r5]
	mov	r4, #1
	str	r4, [r5, #4]
	ldr	r4, =(HI + 0x2400)
	str	r4, [r5, #0x10]		/* frame_list, low word */
	mov	r0, #2
	ldr	r1, =(HI + 0x2300)
	mov	r2, #1
	hc	HC_grant_table_op
	print	0
	ldr	r3, =p2
	add	r5, r3, #0x300
	ldrsh	r6, [r5, #8]
	print	6
	ldr	r7, [r3, #0x400]
	print	7
	/* grant copy p0 + 0x200 -> p2 + 0x800, op in p2 + 0x500. */
	ldr	r3, =p2
	add	r5, r3, #0x500
	ldr	r4, =p0
	lsr	r4, r4, #12
	str	r4, [r5]
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #8]
	mov	r4, #0x200
	strh	r4, [r5, #10]
	lsr	r4, r3, #12
	str	r4, [r5, #0x10]
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #0x18]
	mov	r4, #0x800
	strh	r4, [r5, #0x1a]
	mov	r4, #(copied_end - copied)
	strh	r4, [r5, #0x20]
	mov	r0, #5
	ldr	r1, =(HI + 0x2500)
	mov	r2, #1
	hc	HC_grant_table_op
	print	0
	ldr	r3, =p2
	add	r5, r3, #0x500
	ldrsh	r8, [r5, #0x24]
	print	8
	mov	r0, #0
	mov	r1, #(copied_end - copied)
	ldr	r2, =p2
	add	r2, r2, #0x800
	hc	HC_console_io

	/* Bad addresses: -EFAULT. */
	mov	r0, #0
	mov	r1, #4
	ldr	r2, =0x5000
	hc	HC_console_io
	print	0
	mov	r0, #1
	ldr	r1, =0x3000
	hc	HC_xen_version
	print	0
	mov	r0, #0
	mov	r1, #(ro_end - ro)
	ldr	r2, =0x3000
	hc	HC_console_io
	print	0
	mov	r0, #6
	ldr	r1, =(HI + 0x10000)
	hc	HC_event_channel_op
	print	0
	/* The Device alias: works, with a warning. */
	mov	r0, #0
	mov	r1, #(dev_end - dev)
	ldr	r2, =0x4000
	hc	HC_console_io
	print	0
	/* Granted pages: table frame 0 at p7 (write-back); ref 0 grants
	 * p6 (Device at VA 0x7000 and HI + 0x3000), ref 1 grants p0
	 * (write-back); each read by a GNTTABOP_copy (op at p2 + 0x600
	 * through TTBR1, 8 bytes to p2 + 0x900): ref 0 alone is warned
	 * about, with both VAs. */
	ldr	r3, =p2
	add	r5, r3, #0x100
	ldr	r4, =DOMID_SELF
	strh	r4, [r5]
	mov	r4, #1			/* XENMAPSPACE_grant_table */
	str	r4, [r5, #4]
	mov	r4, #0
	str	r4, [r5, #8]		/* idx 0 */
	str	r4, [r5, #12]
	ldr	r4, =p7
	lsr	r4, r4, #12
	str	r4, [r5, #0x10]
	mov	r4, #0
	str	r4, [r5, #0x14]
	mov	r0, #7			/* XENMEM_add_to_physmap */
	ldr	r1, =(HI + 0x2100)
	hc	HC_memory_op
	print	0
	ldr	r5, =p7			/* frame, domid 1, then the flags */
	ldr	r4, =p6
	lsr	r4, r4, #12
	str	r4, [r5, #4]
	ldr	r4, =p0
	lsr	r4, r4, #12
	str	r4, [r5, #12]
	mov	r4, #1
	strh	r4, [r5, #2]
	strh	r4, [r5, #10]
	strh	r4, [r5, #0]		/* GTF_permit_access */
	strh	r4, [r5, #8]
	mov	r6, #0			/* ref */
1:	ldr	r3, =p2
	add	r5, r3, #0x600
	str	r6, [r5]		/* source.u.ref */
	mov	r4, #0
	str	r4, [r5, #4]
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #8]
	mov	r4, #0
	strh	r4, [r5, #10]
	lsr	r4, r3, #12
	str	r4, [r5, #0x10]		/* dest.u.gmfn */
	mov	r4, #0
	str	r4, [r5, #0x14]
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #0x18]
	mov	r4, #0x900
	strh	r4, [r5, #0x1a]
	mov	r4, #8
	strh	r4, [r5, #0x20]		/* len */
	mov	r4, #1
	strh	r4, [r5, #0x22]		/* GNTCOPY_source_gref */
	mov	r0, #5			/* GNTTABOP_copy */
	ldr	r1, =(HI + 0x2600)
	mov	r2, #1
	hc	HC_grant_table_op
	print	0
	ldr	r3, =p2
	add	r5, r3, #0x600
	ldrsh	r9, [r5, #0x24]
	print	9
	add	r6, r6, #1
	cmp	r6, #2
	blo	1b
	shutdown 0
	.ltorg

	/* ---- tables ---- */
	.balign	4096
l1:	.word	l2 + 3, 0
	.word	0x40000000 + BLOCK, 0	/* RAM, identity */
	.fill	510, 8, 0
l2:	.word	l3 + 3, 0
	.fill	511, 8, 0
l3:	.word	0, 0
	.word	p1 + PAGE, 0		/* VA 0x1000 */
	.word	p0 + PAGE, 0		/* VA 0x2000 */
	.word	p3 + PAGE_RO, 0		/* VA 0x3000 */
	.word	p4 + PAGE_DEV, 0		/* VA 0x4000 */
	.word	0, 0
	.word	p5 + PAGE_NC, 0		/* VA 0x6000 */
	.word	p6 + PAGE_DEV, 0	/* VA 0x7000 */
	.fill	504, 8, 0
l2hi:	.word	l3hi + 3, 0		/* the top GiB starts at level 2 */
	.fill	511, 8, 0
l3hi:	.word	p0 + PAGE, 0		/* HI + 0x0000 */
	.word	p1 + PAGE, 0		/* HI + 0x1000 */
	.word	p2 + PAGE, 0		/* HI + 0x2000 */
	.word	p6 + PAGE_DEV, 0	/* HI + 0x3000 */
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
