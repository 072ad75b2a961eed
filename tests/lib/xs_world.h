/* SPDX-License-Identifier: BSD-2-Clause */
/* For tests of the guest's xenstore client and xenbus: a ring page in
 * memory, the model's xenstored serving it for domain 1 (or no server at
 * all, for tests that play a hostile one), and the client connected through
 * a transport whose kick and wait run the server to completion. Time is a
 * counter each wait moves by 1 ms. One world at a time. */
#ifndef TESTS_XS_WORLD_H
#define TESTS_XS_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "gxen/xs.h"
#include "hv/xs.h"
#include "hv/xs_ring.h"

#define XS_WORLD_DOMID 1

struct xs_world {
	struct xenstore_domain_interface page;
	struct hv_xs *xs;              /* NULL without a server */
	struct hv_xs_ring *ring;
	uint64_t now;                  /* virtual ns */
	unsigned kicks, waits, notifies;
	bool silent;                   /* the server never answers */
	/* Runs at each wait before the server does (a test's scripted peer). */
	void (*on_wait)(struct xs_world *w);
};

/* Build the world (with the toolstack's layout for domain 1 when there is
 * a server) and connect the client, with indexes that start near the top
 * of their range so they wrap early. 0 or -1. */
int xs_world_start(struct xs_world *w, bool with_server);
void xs_world_stop(struct xs_world *w);
/* Connect the client again (the reconnect handshake), same transport. */
int xs_world_reconnect(struct xs_world *w);

#endif
