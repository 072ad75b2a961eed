/* SPDX-License-Identifier: BSD-2-Clause */
/* Typed shared rings for PV devices: a 64-byte header of producer and event
 * indexes, then a power-of-two array of request/response slots (Xen's
 * layout). Index arithmetic only: callers add the barriers, and check every
 * index read from the shared header before they use it. */
#ifndef XENSIM_XEN_IO_RING_H
#define XENSIM_XEN_IO_RING_H

#include <stddef.h>
#include <stdint.h>

/* Free-running index: it only grows (mod 2^32); its slot is idx & (n - 1). */
typedef uint32_t RING_IDX;

/* Header size: slots start here, as in Xen. */
#define XEN_RING_HEADER_BYTES 64

/*
 * XEN_RING_TYPES(name, req_t, rsp_t) declares
 *   union name##_sring_entry   one slot: a request, later its response
 *   struct name##_sring        the shared ring: header, then ring[]
 *   struct name##_front_ring   the frontend's private indexes
 *   struct name##_back_ring    the backend's private indexes
 * and the matching _t typedefs. In the header, req_prod / rsp_prod are the
 * producers' published indexes; req_event / rsp_event are the index at
 * which the consumer wants to be notified.
 */
#define XEN_RING_TYPES(name, req_t, rsp_t)                                   \
	union name##_sring_entry {                                           \
		req_t req;                                                   \
		rsp_t rsp;                                                   \
	};                                                                   \
	struct name##_sring {                                                \
		RING_IDX req_prod, req_event;                                \
		RING_IDX rsp_prod, rsp_event;                                \
		uint8_t pad[XEN_RING_HEADER_BYTES - 4 * sizeof(RING_IDX)];   \
		union name##_sring_entry ring[];                             \
	};                                                                   \
	struct name##_front_ring {                                           \
		RING_IDX req_prod_pvt;  /* requests written so far */        \
		RING_IDX rsp_cons;      /* responses consumed so far */      \
		uint32_t nr_ents;                                            \
		struct name##_sring *sring;                                  \
	};                                                                   \
	struct name##_back_ring {                                            \
		RING_IDX rsp_prod_pvt;  /* responses written so far */       \
		RING_IDX req_cons;      /* requests consumed so far */       \
		uint32_t nr_ents;                                            \
		struct name##_sring *sring;                                  \
	};                                                                   \
	typedef struct name##_sring name##_sring_t;                          \
	typedef struct name##_front_ring name##_front_ring_t;                \
	typedef struct name##_back_ring name##_back_ring_t;                  \
	_Static_assert(offsetof(struct name##_sring, ring) ==                \
		       XEN_RING_HEADER_BYTES, #name " ring header")

/*
 * Slots in a ring of `bytes` bytes (usually one page) with slots of
 * entry_bytes: the largest power of two that fits after the header. At
 * least one slot must fit. A constant expression for constant arguments.
 */
#define XEN_RING_SIZE(bytes, entry_bytes)                                    \
	(1u << (31 - __builtin_clz((unsigned int)                            \
		(((bytes) - XEN_RING_HEADER_BYTES) / (entry_bytes)))))
#define XEN_RING_NR_ENTS(name, bytes) \
	XEN_RING_SIZE(bytes, sizeof(union name##_sring_entry))

/* Slot of index idx in a ring of nr_ents (a power of two) slots. */
static inline uint32_t xen_ring_slot(RING_IDX idx, uint32_t nr_ents)
{
	return idx & (nr_ents - 1);
}

/* The slot of index idx, through a front or back ring r. */
#define XEN_RING_REQ(r, idx) (&(r)->sring->ring[xen_ring_slot((idx), (r)->nr_ents)].req)
#define XEN_RING_RSP(r, idx) (&(r)->sring->ring[xen_ring_slot((idx), (r)->nr_ents)].rsp)

/*
 * The producer moved its index from old to new_; the consumer asked for an
 * event at index `event`. Notify if event lies in (old, new_], wrap-safe.
 */
static inline int xen_ring_need_notify(RING_IDX old, RING_IDX new_, RING_IDX event)
{
	return (RING_IDX)(new_ - event) < (RING_IDX)(new_ - old);
}

/* Is a producer index read from the peer within max entries of cons? */
static inline int xen_ring_prod_ok(RING_IDX prod, RING_IDX cons, uint32_t max)
{
	return (RING_IDX)(prod - cons) <= max;
}

/* Only the frontend resets the shared header; events start at index 1. */
#define XEN_SRING_INIT(s)                                                    \
	do {                                                                 \
		(s)->req_prod = 0;                                           \
		(s)->rsp_prod = 0;                                           \
		(s)->req_event = 1;                                          \
		(s)->rsp_event = 1;                                          \
		for (size_t pad_i_ = 0; pad_i_ < sizeof((s)->pad); pad_i_++) \
			(s)->pad[pad_i_] = 0;                                \
	} while (0)

/* Attach private state to shared ring s of `bytes` bytes. */
#define XEN_FRONT_RING_INIT(fr, s, bytes)                                    \
	do {                                                                 \
		(fr)->req_prod_pvt = 0;                                      \
		(fr)->rsp_cons = 0;                                          \
		(fr)->nr_ents = XEN_RING_SIZE((bytes), sizeof((s)->ring[0]));\
		(fr)->sring = (s);                                           \
	} while (0)
#define XEN_BACK_RING_INIT(br, s, bytes)                                     \
	do {                                                                 \
		(br)->rsp_prod_pvt = 0;                                      \
		(br)->req_cons = 0;                                          \
		(br)->nr_ents = XEN_RING_SIZE((bytes), sizeof((s)->ring[0]));\
		(br)->sring = (s);                                           \
	} while (0)

/* Frontend: request slots free (not awaiting a response). */
#define XEN_FRONT_RING_FREE(fr) \
	((fr)->nr_ents - (RING_IDX)((fr)->req_prod_pvt - (fr)->rsp_cons))
/* Frontend: a backend's rsp_prod may not pass the requests we made. */
#define XEN_FRONT_RING_RSP_PROD_OK(fr, rsp_prod) \
	xen_ring_prod_ok((rsp_prod), (fr)->rsp_cons, \
			 (RING_IDX)((fr)->req_prod_pvt - (fr)->rsp_cons))
/* Backend: a frontend's req_prod may not overwrite unanswered requests. */
#define XEN_BACK_RING_REQ_PROD_OK(br, req_prod) \
	xen_ring_prod_ok((req_prod), (br)->req_cons, (br)->nr_ents - \
			 (RING_IDX)((br)->req_cons - (br)->rsp_prod_pvt))

#endif /* XENSIM_XEN_IO_RING_H */
