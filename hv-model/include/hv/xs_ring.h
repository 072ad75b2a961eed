/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hv_xs_ring: xenstored's end of a guest's xenstore ring page
 * (docs/misc/xenstore-ring.txt). The caller owns the page (guest memory)
 * and the event channel; this only needs "here is the page, here is how to
 * notify the guest, call me when the guest notified you". The page is
 * hostile: indexes are loaded once per pass, checked, and masked; a broken
 * ring sets the page's error field and is ignored until the guest asks for
 * a reconnect. Other connections are never affected.
 */
#ifndef HV_XS_RING_H
#define HV_XS_RING_H

#include <stdint.h>

#include <hv/xs.h>

struct hv_xs_ring;

/*
 * Kicks the guest's event channel. It must only mark the event pending:
 * it may not call back into this daemon before it returns.
 */
typedef void (*hv_xs_notify_fn)(void *opaque);

/*
 * Attaches to a page for domid. The server-owned indexes (req_cons,
 * rsp_prod) keep whatever values the page holds: they need not start at 0.
 * Advertises XENSTORE_SERVER_FEATURE_RECONNECTION | _ERROR. NULL when out
 * of memory.
 */
struct hv_xs_ring *hv_xs_ring_new(struct hv_xs *xs, uint16_t domid,
				  struct xenstore_domain_interface *page,
				  hv_xs_notify_fn notify, void *opaque);
/* Detaches (dropping the domain's watches and transactions); the page is not touched. */
void hv_xs_ring_free(struct hv_xs_ring *ring);

/*
 * The guest notified us: handle a reconnect request, take whole requests,
 * put replies and events, then notify once if anything moved.
 */
void hv_xs_ring_kick(struct hv_xs_ring *ring);

/* XENSTORE_ERROR_* if the ring is broken, XENSTORE_ERROR_NONE otherwise. */
uint32_t hv_xs_ring_error(const struct hv_xs_ring *ring);
/*
 * For a fuzzer that runs case after case on one connection: an idle ring
 * (nothing unread either way, no message half taken or half sent, not
 * broken, no transaction open) gets all four indexes back to 0, so the
 * next case's messages wrap where they would on a fresh ring, and its
 * transaction ids start over. The peer must keep no copy of the indexes
 * (a client reads them from the page). -XEN_EBUSY when not idle.
 */
int hv_xs_ring_rewind(struct hv_xs_ring *ring);
struct hv_xs_conn *hv_xs_ring_conn(struct hv_xs_ring *ring);
/* Memory the ring's queued output holds, and events dropped as duplicates. */
size_t hv_xs_ring_out_memory(const struct hv_xs_ring *ring);
uint64_t hv_xs_ring_out_duplicates(const struct hv_xs_ring *ring);

#endif /* HV_XS_RING_H */
