/* SPDX-License-Identifier: BSD-2-Clause */
/* A test device for the battery: a dom0 backend of type "xensim-test" that
 * does, on a tiny scale, what block and network backends do with a
 * frontend's grants and event channel. When the frontend is Initialised it
 * reads src-ref, dst-ref and event-channel from the frontend's directory,
 * copies the source page through the grant table, writes it back
 * byte-inverted to the destination page, tries a write through the
 * read-only source grant (recording the GNTST_* status in its own
 * ro-write-status node), keeps the source mapped, binds the channel,
 * switches to Connected and notifies. Closing follows the xenbus device
 * layer: frontend Closing -> backend Closing; frontend Closed -> unmap,
 * close the channel, backend Closed. Every value from the
 * frontend is parsed strictly; a bad one closes the device with an error
 * node, never crashes the model. */
#ifndef HV_TESTBACK_H
#define HV_TESTBACK_H

#include <stdbool.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "hv/gnttab.h"
#include "hv/xenbus_backend.h"

#define HV_TESTBACK_TYPE "xensim-test"

struct hv_domain;
struct hv_xs;

struct hv_testback {
	struct hv_xenbus_device dev;
	struct hv_domain *dom0;
	struct hv_domain *guest;
	bool mapped;
	struct hv_gnttab_mapping src_map;
	evtchn_port_t port;            /* dom0's end, 0 when unbound */
	unsigned connects;             /* times it reached Connected */
	unsigned char buf[4096];       /* the page on its way through */
};

/* Create device 0 for guest in xenstore. 0 or a negative Xen errno. */
int hv_testback_create(struct hv_testback *tb, struct hv_xs *xs,
		       struct hv_domain *dom0, struct hv_domain *guest);
/* dom0's turn: act on a frontend state change; whether anything was done. */
bool hv_testback_run(struct hv_testback *tb);
void hv_testback_destroy(struct hv_testback *tb);

#endif
