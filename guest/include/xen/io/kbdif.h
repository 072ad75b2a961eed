/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV keyboard/pointer page (vkbd): 40-byte input events from backend
 * to frontend, and the xenstore field names of the protocol. The backend
 * owns in_prod: check in_prod - in_cons <= XENKBD_IN_RING_LEN before use. */
#ifndef XENSIM_XEN_IO_KBDIF_H
#define XENSIM_XEN_IO_KBDIF_H

#include <stdint.h>

#define XENKBD_TYPE_MOTION   1        /* relative pointer motion */
#define XENKBD_TYPE_RESERVED 2
#define XENKBD_TYPE_KEY      3
#define XENKBD_TYPE_POS      4        /* absolute pointer position */
#define XENKBD_TYPE_MTOUCH   5

/* xenkbd_mtouch.event_type */
#define XENKBD_MT_EV_DOWN    0
#define XENKBD_MT_EV_UP      1
#define XENKBD_MT_EV_MOTION  2
#define XENKBD_MT_EV_SYN     3
#define XENKBD_MT_EV_SHAPE   4
#define XENKBD_MT_EV_ORIENT  5

/* Device name and xenstore fields. */
#define XENKBD_DRIVER_NAME             "vkbd"
#define XENKBD_FIELD_FEAT_DSBL_KEYBRD  "feature-disable-keyboard"
#define XENKBD_FIELD_FEAT_DSBL_POINTER "feature-disable-pointer"
#define XENKBD_FIELD_FEAT_ABS_POINTER  "feature-abs-pointer"
#define XENKBD_FIELD_FEAT_RAW_POINTER  "feature-raw-pointer"
#define XENKBD_FIELD_FEAT_MTOUCH       "feature-multi-touch"
#define XENKBD_FIELD_REQ_ABS_POINTER   "request-abs-pointer"
#define XENKBD_FIELD_REQ_RAW_POINTER   "request-raw-pointer"
#define XENKBD_FIELD_REQ_MTOUCH        "request-multi-touch"
#define XENKBD_FIELD_RING_GREF         "page-gref"
#define XENKBD_FIELD_EVT_CHANNEL       "event-channel"
#define XENKBD_FIELD_WIDTH             "width"
#define XENKBD_FIELD_HEIGHT            "height"
#define XENKBD_FIELD_MT_WIDTH          "multi-touch-width"
#define XENKBD_FIELD_MT_HEIGHT         "multi-touch-height"
#define XENKBD_FIELD_MT_NUM_CONTACTS   "multi-touch-num-contacts"
#define XENKBD_FIELD_UNIQUE_ID         "unique-id"
#define XENKBD_FIELD_RING_REF          "page-ref"

struct xenkbd_motion {
	uint8_t type;                 /* XENKBD_TYPE_MOTION */
	int32_t rel_x;
	int32_t rel_y;
	int32_t rel_z;                /* wheel */
};
_Static_assert(sizeof(struct xenkbd_motion) == 16, "xenkbd_motion");

struct xenkbd_key {
	uint8_t type;                 /* XENKBD_TYPE_KEY */
	uint8_t pressed;              /* 1 down, 0 up */
	uint32_t keycode;             /* Linux KEY_* / BTN_* */
};
_Static_assert(sizeof(struct xenkbd_key) == 8, "xenkbd_key");

struct xenkbd_position {
	uint8_t type;                 /* XENKBD_TYPE_POS */
	int32_t abs_x;
	int32_t abs_y;
	int32_t rel_z;
};
_Static_assert(sizeof(struct xenkbd_position) == 16, "xenkbd_position");

struct xenkbd_mtouch {
	uint8_t type;                 /* XENKBD_TYPE_MTOUCH */
	uint8_t event_type;           /* XENKBD_MT_EV_* */
	uint8_t contact_id;
	uint8_t reserved[5];
	union {
		struct {
			int32_t abs_x;
			int32_t abs_y;
		} pos;
		struct {
			uint32_t major;
			uint32_t minor;
		} shape;
		int16_t orientation;
	} u;
};
_Static_assert(sizeof(struct xenkbd_mtouch) == 16, "xenkbd_mtouch");

#define XENKBD_IN_EVENT_SIZE 40
union xenkbd_in_event {
	uint8_t type;
	struct xenkbd_motion motion;
	struct xenkbd_key key;
	struct xenkbd_position pos;
	struct xenkbd_mtouch mtouch;
	char pad[XENKBD_IN_EVENT_SIZE];
};
_Static_assert(sizeof(union xenkbd_in_event) == XENKBD_IN_EVENT_SIZE, "kbd in event");

#define XENKBD_OUT_EVENT_SIZE 40
union xenkbd_out_event {
	uint8_t type;
	char pad[XENKBD_OUT_EVENT_SIZE];
};
_Static_assert(sizeof(union xenkbd_out_event) == XENKBD_OUT_EVENT_SIZE, "kbd out event");

/* Where the rings sit in the shared page, and their lengths in events. */
#define XENKBD_IN_RING_SIZE  2048
#define XENKBD_IN_RING_LEN   (XENKBD_IN_RING_SIZE / XENKBD_IN_EVENT_SIZE)
#define XENKBD_IN_RING_OFFS  1024
#define XENKBD_OUT_RING_SIZE 1024
#define XENKBD_OUT_RING_LEN  (XENKBD_OUT_RING_SIZE / XENKBD_OUT_EVENT_SIZE)
#define XENKBD_OUT_RING_OFFS (XENKBD_IN_RING_OFFS + XENKBD_IN_RING_SIZE)

/* Event slot of free-running index idx. */
#define XENKBD_IN_RING_REF(page, idx) \
	(((union xenkbd_in_event *)((char *)(page) + XENKBD_IN_RING_OFFS)) \
	 [(idx) % XENKBD_IN_RING_LEN])
#define XENKBD_OUT_RING_REF(page, idx) \
	(((union xenkbd_out_event *)((char *)(page) + XENKBD_OUT_RING_OFFS)) \
	 [(idx) % XENKBD_OUT_RING_LEN])

/* Start of the shared page; the rings follow at the offsets above. */
struct xenkbd_page {
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};
_Static_assert(sizeof(struct xenkbd_page) == 16, "xenkbd_page");

#endif /* XENSIM_XEN_IO_KBDIF_H */
