/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack's wiring of a domain to the model's xenstored, as Xen's
 * toolstack does on ARM: the ring page at the magic pages' page 1
 * (GUEST_MAGIC_BASE + 1, or right after RAM in Xen 4.4's layout), an
 * event channel between the domain and dom0, HVM_PARAM_STORE_PFN/_EVTCHN,
 * and the domain's standard layout in the store. The guest's kicks are
 * only recorded; the daemon serves the ring when the machine runs dom0's
 * work (hv_xs_link_run), so guest and daemon interleave as they would. */
#ifndef HV_XS_LINK_H
#define HV_XS_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>

struct hv_domain;
struct hv_xs;
struct hv_xs_ring;

/* Page offsets in the magic region, as Xen's ARM toolstack lays it out. */
#define HV_MAGIC_CONSOLE_PFN_OFFSET  0
#define HV_MAGIC_XENSTORE_PFN_OFFSET 1

struct hv_xs_link {
	struct hv_xs *xs;
	struct hv_domain *guest;
	struct hv_domain *dom0;
	struct hv_xs_ring *ring;
	evtchn_port_t guest_port;      /* what the guest finds in the param */
	evtchn_port_t dom0_port;
	bool kicked;                   /* the guest notified; not yet served */
	bool in_store;                 /* we wrote its layout: remove it */
};

/* Wire guest (with its name and size) to xs; dom0 must exist. 0 or a
 * negative Xen errno; on failure nothing is left behind. */
int hv_xs_link_connect(struct hv_xs_link *link, struct hv_xs *xs,
		       struct hv_domain *dom0, struct hv_domain *guest);
/* Serve the ring if the guest kicked it; whether anything was done. */
bool hv_xs_link_run(struct hv_xs_link *link);
/* The daemon lets go of the guest's ring (its connection, with its
 * watches and transactions, is dropped) while the domain stays in the
 * store and the channel stays bound: from here on something else serves
 * the ring (an emulated fuzz target plays xenstored on it). The guest's
 * kicks are still recorded in `kicked`; nothing acts on them. */
void hv_xs_link_detach(struct hv_xs_link *link);
void hv_xs_link_disconnect(struct hv_xs_link *link);

#endif
