/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV block ring (blkfront <-> blkback): request, response and segment
 * layouts, indirect and discard requests. Sector quantities are 512-byte
 * units unless both ends agreed on "feature-large-sector-size". */
#ifndef XENSIM_XEN_IO_BLKIF_H
#define XENSIM_XEN_IO_BLKIF_H

#include "ring.h"
#include "../grant_table.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_aligned_t blkif_sector_t;

#define BLKIF_OP_READ             0
#define BLKIF_OP_WRITE            1
#define BLKIF_OP_WRITE_BARRIER    2   /* "feature-barrier" */
#define BLKIF_OP_FLUSH_DISKCACHE  3   /* "feature-flush-cache" */
#define BLKIF_OP_RESERVED_1       4
#define BLKIF_OP_DISCARD          5   /* "feature-discard" */
#define BLKIF_OP_INDIRECT         6   /* "feature-max-indirect-segments" */

/* Segments carried in the request itself (so 32 requests fit a page). */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Pages of segments an indirect request may point at. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* One granted frame of I/O: sectors first_sect..last_sect (inclusive). */
struct blkif_request_segment {
	grant_ref_t gref;
	uint8_t first_sect;
	uint8_t last_sect;
};
_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif segment");

/* Read/write (and barrier/flush) request. */
struct blkif_request {
	uint8_t operation;            /* BLKIF_OP_* */
	uint8_t nr_segments;
	blkif_vdev_t handle;
	uint64_aligned_t id;          /* echoed in the response */
	blkif_sector_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
typedef struct blkif_request blkif_request_t;
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request");

/* Same slot, operation == BLKIF_OP_DISCARD. */
#define BLKIF_DISCARD_SECURE (1 << 0)
struct blkif_request_discard {
	uint8_t operation;            /* BLKIF_OP_DISCARD */
	uint8_t flag;                 /* BLKIF_DISCARD_SECURE or 0 */
	blkif_vdev_t handle;
	uint64_aligned_t id;
	blkif_sector_t sector_number;
	uint64_aligned_t nr_sectors;
};
typedef struct blkif_request_discard blkif_request_discard_t;
_Static_assert(sizeof(struct blkif_request_discard) == 32, "blkif discard");

/* Same slot, operation == BLKIF_OP_INDIRECT: the segments live in up to
 * 8 granted pages of BLKIF_SEGS_PER_INDIRECT_FRAME segments each. */
struct blkif_request_indirect {
	uint8_t operation;            /* BLKIF_OP_INDIRECT */
	uint8_t indirect_op;          /* BLKIF_OP_READ or _WRITE */
	uint16_t nr_segments;
	uint64_aligned_t id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};
typedef struct blkif_request_indirect blkif_request_indirect_t;
_Static_assert(sizeof(struct blkif_request_indirect) == 64, "blkif indirect");

#define BLKIF_SEGS_PER_INDIRECT_FRAME \
	(XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))

/* One indirect page, as the backend maps it. */
struct blkif_indirect_page {
	struct blkif_request_segment seg[BLKIF_SEGS_PER_INDIRECT_FRAME];
};
_Static_assert(sizeof(struct blkif_indirect_page) == XEN_PAGE_SIZE, "indirect page");

struct blkif_response {
	uint64_aligned_t id;          /* from the request: do not trust it */
	uint8_t operation;
	int16_t status;               /* BLKIF_RSP_* */
};
typedef struct blkif_response blkif_response_t;
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response");

#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR      (-1)
#define BLKIF_RSP_OKAY         0

XEN_RING_TYPES(blkif, struct blkif_request, struct blkif_response);
_Static_assert(XEN_RING_NR_ENTS(blkif, XEN_PAGE_SIZE) == 32, "blkif ring slots");

/* Bits of the backend's "info" node. */
#define VDISK_CDROM     0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY  0x4

#endif /* XENSIM_XEN_IO_BLKIF_H */
