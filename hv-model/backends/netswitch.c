/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual switch: see hv/netswitch.h. The forwarding table is small
 * and fixed; when it is full the address used least recently goes. */
#include <string.h>

#include <xen/errno.h>

#include "hv/netswitch.h"

void hv_netswitch_init(struct hv_netswitch *sw, const char *name)
{
	memset(sw, 0, sizeof(*sw));
	for (unsigned i = 0; i < HV_NETSWITCH_MACS; i++)
		sw->fdb[i].port = -1;
	strncpy(sw->name, name ? name : "xensim0", sizeof(sw->name) - 1);
}

int hv_netswitch_attach(struct hv_netswitch *sw, hv_netswitch_deliver_fn *fn,
			void *ctx)
{
	for (int i = 0; i < HV_NETSWITCH_PORTS; i++) {
		struct hv_netswitch_port *p = &sw->port[i];

		if (p->used)
			continue;
		memset(p, 0, sizeof(*p));
		p->used = true;
		p->deliver = fn;
		p->ctx = ctx;
		return i;
	}
	return -XEN_ENOSPC;
}

void hv_netswitch_detach(struct hv_netswitch *sw, int port)
{
	if (port < 0 || port >= HV_NETSWITCH_PORTS)
		return;
	sw->port[port].used = false;
	for (unsigned i = 0; i < HV_NETSWITCH_MACS; i++)
		if (sw->fdb[i].port == port)
			sw->fdb[i].port = -1;
}

static bool is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;    /* the group bit; broadcast has it too */
}

static int lookup(struct hv_netswitch *sw, const uint8_t *mac)
{
	for (unsigned i = 0; i < HV_NETSWITCH_MACS; i++)
		if (sw->fdb[i].port >= 0 &&
		    memcmp(sw->fdb[i].mac, mac, HV_ETH_ALEN) == 0) {
			sw->fdb[i].last_used = sw->clock;
			return sw->fdb[i].port;
		}
	return -1;
}

/* Remember that mac lives behind port (a station may move). */
static void learn(struct hv_netswitch *sw, const uint8_t *mac, int port)
{
	unsigned victim = 0;

	if (is_multicast(mac))
		return;
	for (unsigned i = 0; i < HV_NETSWITCH_MACS; i++) {
		if (sw->fdb[i].port >= 0 &&
		    memcmp(sw->fdb[i].mac, mac, HV_ETH_ALEN) == 0) {
			sw->fdb[i].port = port;
			sw->fdb[i].last_used = sw->clock;
			return;
		}
		if (sw->fdb[victim].port >= 0 &&
		    (sw->fdb[i].port < 0 ||
		     sw->fdb[i].last_used < sw->fdb[victim].last_used))
			victim = i;
	}
	memcpy(sw->fdb[victim].mac, mac, HV_ETH_ALEN);
	sw->fdb[victim].port = port;
	sw->fdb[victim].last_used = sw->clock;
}

static void deliver(struct hv_netswitch *sw, int port, const void *frame,
		    size_t len)
{
	struct hv_netswitch_port *p = &sw->port[port];

	if (p->deliver(p->ctx, frame, len)) {
		if (p->tap)
			p->tap(p->tap_ctx, frame, len);
		p->stats.out_frames++;
		p->stats.out_bytes += len;
	} else {
		p->stats.out_dropped++;
	}
}

void hv_netswitch_input(struct hv_netswitch *sw, int port, const void *frame,
			size_t len)
{
	const uint8_t *eth = frame;
	struct hv_netswitch_port *in;
	int to;

	if (port < 0 || port >= HV_NETSWITCH_PORTS || !sw->port[port].used)
		return;
	in = &sw->port[port];
	if (len < HV_ETH_HLEN || len > HV_ETH_FRAME_MAX) {
		in->stats.in_errors++;
		return;
	}
	in->stats.in_frames++;
	in->stats.in_bytes += len;
	sw->clock++;
	if (sw->tap)
		sw->tap(sw->tap_ctx, port, frame, len);
	if (in->tap)
		in->tap(in->tap_ctx, frame, len);
	learn(sw, eth + HV_ETH_ALEN, port);
	to = is_multicast(eth) ? -1 : lookup(sw, eth);
	if (to == port)
		return;           /* it stays on the segment it came from */
	if (to >= 0 && sw->port[to].used) {
		deliver(sw, to, frame, len);
		return;
	}
	for (int i = 0; i < HV_NETSWITCH_PORTS; i++)
		if (i != port && sw->port[i].used)
			deliver(sw, i, frame, len);
}

void hv_netswitch_port_tap(struct hv_netswitch *sw, int port,
			   void (*fn)(void *ctx, const void *frame, size_t len),
			   void *ctx)
{
	if (port < 0 || port >= HV_NETSWITCH_PORTS || !sw->port[port].used)
		return;
	sw->port[port].tap = fn;
	sw->port[port].tap_ctx = ctx;
}

const struct hv_netswitch_stats *hv_netswitch_stats(
	const struct hv_netswitch *sw, int port)
{
	if (port < 0 || port >= HV_NETSWITCH_PORTS)
		return NULL;
	return &sw->port[port].stats;
}
