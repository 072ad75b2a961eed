/* SPDX-License-Identifier: BSD-2-Clause */
/* For tests of the guest's blkfront: the native runtime (the guest brought
 * up with xenstore, dom0 and its services) plus a scripted block backend
 * in dom0 that speaks the blkif ABI over a RAM disk: it answers well, or
 * breaks the protocol the way a script says. It runs at each of dom0's
 * turns, as the model's own backends do. One world at a time. */
#ifndef TESTS_BLK_WORLD_H
#define TESTS_BLK_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/io/blkif.h>

#include <xen/event_channel.h>

#include "hv/gnttab.h"
#include "hv/xenbus_backend.h"
#include "hv/xs.h"
#include "sim.h"

#define BLK_WORLD_VDEV   51712
#define BLK_WORLD_FE     "/local/domain/1/device/vbd/51712"
#define BLK_WORLD_BE     "/local/domain/0/backend/vbd/1/51712"
#define BLK_WORLD_QUEUES 4

/* How the backend misbehaves, from its `after`-th response on. */
enum blk_world_mode {
	BW_GOOD,
	BW_BAD_ID,            /* an id far out of range */
	BW_DUPLICATE_ID,      /* answers the same request twice */
	BW_ID_NOT_PENDING,    /* answers an id with nothing in flight */
	BW_WRONG_OP,          /* echoes another operation */
	BW_UNKNOWN_STATUS,    /* status 7 */
	BW_RSP_PROD_OVERFLOW, /* rsp_prod beyond the requests made */
	BW_SILENT,            /* never answers */
};

struct blk_world_queue {
	struct hv_gnttab_mapping map[4];
	unsigned nr_maps;
	blkif_back_ring_t ring;
	evtchn_port_t port;           /* dom0's end */
};

struct blk_world {
	struct sim_native *sn;
	struct hv_domain *dom0;
	struct hv_xs *xs;
	struct hv_xenbus_backend xb;
	enum xenbus_state seen;       /* frontend state to act on */
	bool pending;
	/* The disk: sector_size-byte sectors in RAM. */
	unsigned char *disk;
	uint64_t disk_bytes;
	/* Script. */
	enum blk_world_mode mode;
	unsigned after;               /* good responses before misbehaving */
	bool flush_unsupported;       /* EOPNOTSUPP on flush and barrier */
	bool discard_unsupported;     /* EOPNOTSUPP on discard */
	bool flush_error;             /* ERROR on flush */
	bool corrupt_reads;           /* flip a bit in what reads return */
	bool manual;                  /* answer nothing: the test itself
				       * writes responses on the mapped rings */
	bool keep_maps;               /* hold the rings at the frontend's
				       * Closed (a backend slow to let go) */
	/* Runs at each of dom0's turns before the backend acts: a test's
	 * own moves (events, state flips, rewriting the rings). */
	void (*on_turn)(struct blk_world *w);
	/* Observed. */
	unsigned responses, requests, connects;
	unsigned nr_queues;
	unsigned ring_order;          /* what the frontend wrote */
	bool wrote_ring_ref;          /* the single-page key */
	uint8_t last_op;
	struct blk_world_queue queue[BLK_WORLD_QUEUES];
};

/* The world with one vbd of disk_bytes; keys[] is a NULL-terminated list
 * of name, value pairs written into the backend directory before the
 * frontend sees InitWait (they override the defaults: 512-byte sectors,
 * flush, barrier, discard, persistent, 32 indirect segments, ring order
 * 2, 1 queue). 0 or -1. */
int blk_world_start(struct blk_world *w, uint64_t disk_bytes,
		    const char *const *keys);
/* The same with the Xen console's lines going to sink (NULL: stdout). */
int blk_world_start_with(struct blk_world *w, uint64_t disk_bytes,
			 const char *const *keys, hv_console_sink_fn *sink,
			 void *sink_ctx);
/* The backend alone, on a machine someone else runs (an emulated guest):
 * the device's keys as above, dom0's part played by blk_world_dom0_work,
 * which that machine's config must give as its dom0_extra with w as its
 * context (w zeroed before the machine starts). 0 or -1. Detach undoes
 * attach. */
int blk_world_attach(struct blk_world *w, struct hv_domain *dom0,
		     struct hv_xs *xs, uint64_t disk_bytes,
		     const char *const *keys);
void blk_world_detach(struct blk_world *w);
bool blk_world_dom0_work(void *ctx);

/* Stop; false when the guest had stopped running (a crash, a deadlock, a
 * model fault such as a grant violation), said on stdout. */
bool blk_world_stop(struct blk_world *w);

/* What the backend wrote to its node, for checks. */
int blk_world_read_fe(struct blk_world *w, const char *node, char *buf,
		      unsigned size);

#endif
