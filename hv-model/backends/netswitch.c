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

/* A packet on its way through: a frame, or a GSO packet (gso non-NULL)
 * with what cutting it needs. */
struct packet {
	const uint8_t *data;
	size_t len;
	const struct hv_net_gso *gso;
	struct hv_net_l4 l4;
	unsigned mss;
};

/* Where the segments of a GSO packet go. */
struct segments_to {
	struct hv_netswitch *sw;
	int port;
};

static void segment_to_port(void *ctx, const void *frame, size_t len)
{
	struct segments_to *to = ctx;

	deliver(to->sw, to->port, frame, len);
}

/* A frame (or a GSO packet's segment) port sent in, to the switch's
 * capture and the port's. */
static void segment_to_taps(void *ctx, const void *frame, size_t len)
{
	struct segments_to *from = ctx;
	struct hv_netswitch_port *in = &from->sw->port[from->port];

	if (from->sw->tap)
		from->sw->tap(from->sw->tap_ctx, from->port, frame, len);
	if (in->tap)
		in->tap(in->tap_ctx, frame, len);
}

/* A segment of a GSO packet port took whole, to its capture. */
static void segment_to_port_tap(void *ctx, const void *frame, size_t len)
{
	struct segments_to *to = ctx;
	struct hv_netswitch_port *p = &to->sw->port[to->port];

	p->tap(p->tap_ctx, frame, len);
}

static void deliver_packet(struct hv_netswitch *sw, int port,
			   const struct packet *pk)
{
	struct hv_netswitch_port *p = &sw->port[port];
	struct hv_net_gso gso;
	struct segments_to to = { sw, port };

	if (!pk->gso) {
		deliver(sw, port, pk->data, pk->len);
		return;
	}
	gso.type = pk->gso->type;
	gso.mss = (uint16_t)pk->mss;
	if (p->deliver_gso) {
		switch (p->deliver_gso(p->ctx, pk->data, pk->len, &gso)) {
		case HV_NETSWITCH_TAKEN:
			/* A capture holds frames: the segments. */
			if (p->tap)
				hv_net_gso_cut(pk->data, &pk->l4, pk->mss,
					       sw->seg, segment_to_port_tap,
					       &to);
			p->stats.out_frames++;
			p->stats.out_bytes += pk->len;
			return;
		case HV_NETSWITCH_DROPPED:
			p->stats.out_dropped++;
			return;
		case HV_NETSWITCH_CUT:
			break;
		}
	}
	hv_net_gso_cut(pk->data, &pk->l4, pk->mss, sw->seg, segment_to_port,
		       &to);
}

/* A checked packet from port: learn its source, forward or flood it. */
static void forward(struct hv_netswitch *sw, int port, const struct packet *pk)
{
	struct hv_netswitch_port *in = &sw->port[port];
	struct segments_to tap = { sw, port };
	const uint8_t *eth = pk->data;
	int to;

	in->stats.in_frames++;
	in->stats.in_bytes += pk->len;
	sw->clock++;
	if (pk->gso)
		hv_net_gso_cut(pk->data, &pk->l4, pk->mss, sw->seg,
			       segment_to_taps, &tap);
	else
		segment_to_taps(&tap, pk->data, pk->len);
	learn(sw, eth + HV_ETH_ALEN, port);
	to = is_multicast(eth) ? -1 : lookup(sw, eth);
	if (to == port)
		return;           /* it stays on the segment it came from */
	if (to >= 0 && sw->port[to].used) {
		deliver_packet(sw, to, pk);
		return;
	}
	for (int i = 0; i < HV_NETSWITCH_PORTS; i++)
		if (i != port && sw->port[i].used)
			deliver_packet(sw, i, pk);
}

static bool port_ok(const struct hv_netswitch *sw, int port)
{
	return port >= 0 && port < HV_NETSWITCH_PORTS && sw->port[port].used;
}

void hv_netswitch_input(struct hv_netswitch *sw, int port, const void *frame,
			size_t len)
{
	struct packet pk = { .data = frame, .len = len };

	if (!port_ok(sw, port))
		return;
	if (len < HV_ETH_HLEN || len > HV_ETH_FRAME_MAX) {
		sw->port[port].stats.in_errors++;
		return;
	}
	forward(sw, port, &pk);
}

void hv_netswitch_port_gso(struct hv_netswitch *sw, int port,
			   hv_netswitch_deliver_gso_fn *fn)
{
	if (port_ok(sw, port))
		sw->port[port].deliver_gso = fn;
}

void hv_netswitch_input_gso(struct hv_netswitch *sw, int port,
			    const void *pkt, size_t len,
			    const struct hv_net_gso *gso)
{
	struct packet pk = { .data = pkt, .len = len, .gso = gso };

	if (!port_ok(sw, port))
		return;
	if (hv_net_gso_check(pkt, len, gso, HV_ETH_FRAME_MAX, &pk.l4,
			     &pk.mss)) {
		sw->port[port].stats.in_errors++;
		return;
	}
	forward(sw, port, &pk);
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
