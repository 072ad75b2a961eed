/* SPDX-License-Identifier: BSD-2-Clause */
/* A non-LPAE arm32 guest (TTBCR.EAE 0, short descriptors, ARM state):
 * a first-level table maps the first MiB of RAM as is (a write-back
 * section) and VA 0 through a second-level table whose small pages alias
 * pshared at VA 0x5000 and pgrant at VA 0x6000, Non-cacheable (TEX 1 C 0
 * B 0), or write-back (TEX 0 C 1 B 1) when SHARED_WB is defined
 * (a32_short_wb.S). With the MMU on it gives pshared as shared_info and
 * grants pgrant (ref 0, table frame 0 at pframe), read by a GNTTABOP_copy
 * of its own: the Non-cacheable build is warned about both pages, the
 * write-back one about neither. */
#include "a32.h"
#define HC_memory_op        12
#define HC_grant_table_op   20
#define DOMID_SELF          0x7ff0

#define SECTION   (2 | (3 << 10))                 /* AP 0b011: read/write */
#define SECT_WB   (SECTION | (1 << 3) | (1 << 2))  /* TEX 0 C 1 B 1 */
#define SMALL     (2 | (3 << 4))
#ifdef SHARED_WB
#define SMALL_SHARED (SMALL | (1 << 3) | (1 << 2))
#else
#define SMALL_SHARED (SMALL | (1 << 6))            /* TEX 1 C 0 B 0 */
#endif

	zimage_header
	ldr	r0, =0x55555555		/* every domain a client */
	mcr	p15, 0, r0, c3, c0, 0	/* DACR */
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2	/* TTBCR: N 0, short descriptors */
	ldr	r0, =l1
	mcr	p15, 0, r0, c2, c0, 0	/* TTBR0 */
	isb
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(3 << 28)	/* no TEX remap, no access flag */
	ldr	r1, =((1 << 0) | (1 << 2) | (1 << 12))
	orr	r0, r0, r1
	mcr	p15, 0, r0, c1, c0, 0	/* SCTLR: MMU and caches on */
	isb

	/* add_to_physmap(shared_info at pshared) from pargs. */
	ldr	r5, =pargs
	ldr	r4, =DOMID_SELF
	strh	r4, [r5]
	ldr	r4, =pshared
	lsr	r4, r4, #12
	str	r4, [r5, #0x10]
	mov	r0, #7			/* XENMEM_add_to_physmap */
	mov	r1, r5
	hc	HC_memory_op
	print	0
	/* Grant-table frame 0 at pframe. */
	ldr	r5, =pargs
	add	r5, r5, #0x100
	ldr	r4, =DOMID_SELF
	strh	r4, [r5]
	mov	r4, #1			/* XENMAPSPACE_grant_table */
	str	r4, [r5, #4]
	ldr	r4, =pframe
	lsr	r4, r4, #12
	str	r4, [r5, #0x10]
	mov	r0, #7
	mov	r1, r5
	hc	HC_memory_op
	print	0
	/* ref 0: pgrant to ourselves (domid 1); then the flags. */
	ldr	r5, =pframe
	ldr	r4, =pgrant
	lsr	r4, r4, #12
	str	r4, [r5, #4]
	mov	r4, #1
	strh	r4, [r5, #2]
	strh	r4, [r5]		/* GTF_permit_access */
	/* GNTTABOP_copy: 8 bytes of ref 0 into pargs + 0x800. */
	ldr	r3, =pargs
	add	r5, r3, #0x200
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #8]		/* source: ref 0 */
	lsr	r4, r3, #12
	str	r4, [r5, #0x10]		/* dest.u.gmfn */
	ldr	r4, =DOMID_SELF
	strh	r4, [r5, #0x18]
	mov	r4, #0x800
	strh	r4, [r5, #0x1a]
	mov	r4, #8
	strh	r4, [r5, #0x20]		/* len */
	mov	r4, #1
	strh	r4, [r5, #0x22]		/* GNTCOPY_source_gref */
	mov	r0, #5			/* GNTTABOP_copy */
	mov	r1, r5
	mov	r2, #1
	hc	HC_grant_table_op
	print	0
	ldr	r5, =pargs
	add	r5, r5, #0x200
	ldrsh	r9, [r5, #0x24]
	print	9
	shutdown 0
	.ltorg

	/* ---- tables ---- */
	.balign	16384
l1:	.word	l2 + 1			/* VA 0: second-level table */
	.fill	0x3ff, 4, 0
	.word	0x40000000 + SECT_WB	/* VA 0x40000000: RAM, identity */
	.fill	0xbff, 4, 0
l2:	.fill	5, 4, 0
	.word	pshared + SMALL_SHARED	/* VA 0x5000 */
	.word	pgrant + SMALL_SHARED	/* VA 0x6000 */
	.fill	249, 4, 0

	/* ---- data pages ---- */
	.balign	4096
pargs:	.fill	4096, 1, 0
pshared: .fill	4096, 1, 0
pgrant:	.ascii	"granted\n"
	.balign	4096, 0
pframe:	.fill	4096, 1, 0
	image_end
