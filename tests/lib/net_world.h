/* SPDX-License-Identifier: BSD-2-Clause */
/* For native tests of the guest's netfront against the model's netback:
 * the native runtime, the xensim0 switch with a host port that keeps what
 * reaches it, and one netback (devid 0, the guest's MAC) that runs at each
 * of dom0's turns. One world at a time. */
#ifndef TESTS_NET_WORLD_H
#define TESTS_NET_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/netfront.h"
#include "hv/netback.h"
#include "hv/xs.h"
#include "sim.h"

#define NET_WORLD_NODE        "device/vif/0"
#define NET_WORLD_HOST_FRAMES 64

extern const uint8_t net_world_guest_mac[6];
extern const uint8_t net_world_host_mac[6];

struct net_world {
	struct sim_native *sn;
	struct hv_xs *xs;
	struct hv_netswitch sw;
	struct hv_netback *nb;         /* NULL between backends */
	int host_port;
	struct netfront nf;
	/* What reached the host port, in order; more is refused. */
	uint8_t host[NET_WORLD_HOST_FRAMES][HV_ETH_FRAME_MAX];
	size_t host_len[NET_WORLD_HOST_FRAMES];
	unsigned host_n;
};

/* The machine and the switch with its host port; no backend yet.
 * console_sink NULL: the guest's console to stdout. 0 or -1, said. */
int net_world_start(struct net_world *w, hv_console_sink_fn *console_sink);

/* A netback offering offer (NULL: the defaults). 0, or the error of
 * hv_netback_create with its message printed. */
int net_world_backend(struct net_world *w,
		      const struct hv_netback_features *offer);

/* The frontend disconnected if it was, the backend gone, the host port
 * emptied. */
void net_world_down(struct net_world *w);

/* net_world_down, then the machine stopped. */
void net_world_stop(struct net_world *w);

/* A frame from src to dst of len bytes, its payload a pattern of seed,
 * into f; its length. */
size_t net_world_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		       size_t len, unsigned seed);

/* Let dom0 run: the guest waits a virtual millisecond. */
void net_world_settle(void);

#endif
