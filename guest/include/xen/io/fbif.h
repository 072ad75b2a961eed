/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV framebuffer page (vfb): event rings of 40-byte events and the
 * directory of frames holding the framebuffer. Ring lengths are not powers
 * of two: index with idx % LEN, and check prod - cons <= LEN first. */
#ifndef XENSIM_XEN_IO_FBIF_H
#define XENSIM_XEN_IO_FBIF_H

#include "../xen.h"

/* Frontend -> backend: a rectangle changed. */
#define XENFB_TYPE_UPDATE 2
struct xenfb_update {
	uint8_t type;                 /* XENFB_TYPE_UPDATE */
	int32_t x;
	int32_t y;
	int32_t width;
	int32_t height;
};
_Static_assert(sizeof(struct xenfb_update) == 20, "xenfb_update");

/* Frontend -> backend: the mode changed ("feature-resize"). */
#define XENFB_TYPE_RESIZE 3
struct xenfb_resize {
	uint8_t type;                 /* XENFB_TYPE_RESIZE */
	int32_t width;                /* pixels */
	int32_t height;               /* pixels */
	int32_t stride;               /* bytes */
	int32_t depth;                /* bits per pixel */
	int32_t offset;               /* of the framebuffer, bytes */
};
_Static_assert(sizeof(struct xenfb_resize) == 24, "xenfb_resize");

#define XENFB_OUT_EVENT_SIZE 40
union xenfb_out_event {
	uint8_t type;
	struct xenfb_update update;
	struct xenfb_resize resize;
	char pad[XENFB_OUT_EVENT_SIZE];
};
_Static_assert(sizeof(union xenfb_out_event) == XENFB_OUT_EVENT_SIZE, "out event");

/* Backend -> frontend: how often the backend would like updates. */
#define XENFB_TYPE_REFRESH_PERIOD 1
#define XENFB_NO_REFRESH 0
struct xenfb_refresh_period {
	uint8_t type;                 /* XENFB_TYPE_REFRESH_PERIOD */
	uint32_t period;              /* ms, or XENFB_NO_REFRESH */
};
_Static_assert(sizeof(struct xenfb_refresh_period) == 8, "refresh_period");

#define XENFB_IN_EVENT_SIZE 40
union xenfb_in_event {
	uint8_t type;
	struct xenfb_refresh_period refresh_period;
	char pad[XENFB_IN_EVENT_SIZE];
};
_Static_assert(sizeof(union xenfb_in_event) == XENFB_IN_EVENT_SIZE, "in event");

/* Where the rings sit in the shared page, and their lengths in events. */
#define XENFB_IN_RING_SIZE  1024
#define XENFB_IN_RING_LEN   (XENFB_IN_RING_SIZE / XENFB_IN_EVENT_SIZE)
#define XENFB_IN_RING_OFFS  1024
#define XENFB_OUT_RING_SIZE 2048
#define XENFB_OUT_RING_LEN  (XENFB_OUT_RING_SIZE / XENFB_OUT_EVENT_SIZE)
#define XENFB_OUT_RING_OFFS (XENFB_IN_RING_OFFS + XENFB_IN_RING_SIZE)

/* Event slot of free-running index idx. */
#define XENFB_IN_RING_REF(page, idx) \
	(((union xenfb_in_event *)((char *)(page) + XENFB_IN_RING_OFFS)) \
	 [(idx) % XENFB_IN_RING_LEN])
#define XENFB_OUT_RING_REF(page, idx) \
	(((union xenfb_out_event *)((char *)(page) + XENFB_OUT_RING_OFFS)) \
	 [(idx) % XENFB_OUT_RING_LEN])

/*
 * The shared page. pd[] lists the frames that hold the frame lists of the
 * framebuffer. Xen declares pd as unsigned long, so its layout follows the
 * guest's word size; here it is always 64-bit (Xen's arm64 layout, which a
 * 64-bit backend reads for any "arm-abi" frontend). An arm32 guest built
 * against Xen's own header would put 32-bit entries at offset 36.
 */
struct xenfb_page {
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
	int32_t width;                /* pixels */
	int32_t height;               /* pixels */
	uint32_t line_length;         /* bytes per row */
	uint32_t mem_length;          /* bytes of framebuffer */
	uint8_t depth;                /* bits per pixel */
	uint64_aligned_t pd[256];
};
_Static_assert(offsetof(struct xenfb_page, pd) == 40, "xenfb_page.pd");
_Static_assert(sizeof(struct xenfb_page) == 2088, "xenfb_page");

#endif /* XENSIM_XEN_IO_FBIF_H */
