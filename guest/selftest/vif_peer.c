/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "vif-peer": the workload the emulated network fuzz target
 * snapshots (tests/fuzz/fuzz_emu_netfront.c). On the first two vifs,
 * connected with every feature they offer (two queues at most), frames
 * of every shape are kept going out (small, full, over several slots,
 * with a blank checksum, GSO over IPv4 and IPv6, multicast requests, a
 * frame too short, one too long) as fast as tx buffers come back, and frames are taken
 * in as they come, forever; "vif-peer: ready" once they are connected.
 * The backend may be anything. The device must hold its promises
 * whatever it does, or the run ends in a panic (the target's findings):
 * a send answered 0, -EAGAIN, the error the frame's shape calls for, or
 * -EIO only once broken; tx buffers pending exactly as many as the slots
 * sent and not answered (no answer counted twice); every rx buffer
 * posted again after each frame; a frame no longer than the device may
 * give, counted once, with offloads and slots it asked for; a broken
 * device broken for good with a reason, every call then -EIO. A device
 * found broken is left alone. No state outside the call: nothing for a
 * new boot to reset. */
#include <xen/errno.h>

#include "dev/netfront.h"
#include "gxen/time.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest.h"

#define PEER_DEVS 2u
#define PEER_SHAPES 10u
/* Long enough that only a backend that answers nothing times out. */
#define PEER_WAIT_NS (1000ull * 1000)
#define PEER_FRAME_PAGES ((NETFRONT_RX_MAX + 4095) / 4096)

struct peer_dev {
	char node[32];
	struct netfront nf;
	uint64_t slots_sent;          /* tx slots that carry a buffer */
	unsigned next;                /* the next frame's shape */
	bool told;                    /* its breaking was said */
};

struct peer {
	struct peer_dev dev[PEER_DEVS];
	unsigned nr;
	uint8_t *frame;               /* what we send, then receive */
};

static void found_vif(const char *nodename, void *arg)
{
	struct peer *p = arg;

	if (p->nr < PEER_DEVS)
		ksnprintf(p->dev[p->nr++].node, sizeof(p->dev[0].node), "%s",
			  nodename);
}

/* A device that cannot be used must say so the same way every time. */
static void check_broken(struct peer *p, struct peer_dev *d)
{
	if (!d->nf.broken)
		return;
	if (!d->nf.why[0])
		panic("vif-peer: %s is broken without a reason", d->node);
	if (netfront_send(&d->nf, p->frame, 60) != -XEN_EIO ||
	    netfront_mcast_add(&d->nf, (const uint8_t *)"\x01\0\x5e\0\0\1") !=
	    -XEN_EIO)
		panic("vif-peer: %s is broken but takes frames", d->node);
	if (!netfront_rx_pending(&d->nf) || !netfront_tx_idle(&d->nf))
		panic("vif-peer: %s is broken but would be waited for",
		      d->node);
}

/* Tx buffers pending: the slots sent that no answer gave back. */
static void check_tx_accounts(struct peer_dev *d)
{
	uint64_t answered = d->nf.stats.tx_packets + d->nf.stats.tx_errors;
	uint64_t pending = 0;

	for (unsigned i = 0; i < d->nf.nr_queues; i++)
		for (unsigned b = 0; b < NETFRONT_TX_BUFS; b++)
			pending += d->nf.q[i].txb[b].pending;
	if (answered > d->slots_sent || pending != d->slots_sent - answered)
		panic("vif-peer: %s: %llu tx slots sent, %llu answered, %llu "
		      "buffers pending", d->node,
		      (unsigned long long)d->slots_sent,
		      (unsigned long long)answered,
		      (unsigned long long)pending);
}

/* Every rx buffer back with the backend after a frame was taken. */
static void check_rx_posted(struct peer_dev *d)
{
	if (d->nf.broken)
		return;
	for (unsigned i = 0; i < d->nf.nr_queues; i++)
		for (unsigned b = 0; b < NETFRONT_RX_BUFS; b++)
			if (!d->nf.q[i].rxb[b].pending)
				panic("vif-peer: %s queue %u: rx buffer %u "
				      "not posted again", d->node, i, b);
}

/* The frame of shape s into f: its length, its offloads, the slots it
 * takes with a buffer, and the error its shape calls for (0: none). */
static size_t shape(const struct netfront *nf, unsigned s, uint8_t *f,
		    struct netfront_tx_offload *off, unsigned *slots,
		    int *want)
{
	static const size_t lens[PEER_SHAPES] = {
		60, 1514, 3000, 700, 8300, 1200, 4200, 13, 4500, 90,
	};
	size_t len = lens[s];
	bool ipv6 = s == 5 || s == 6;

	/* Only the headers change: every guest store costs under the
	 * emulator, and the payload is anything. */
	memset(off, 0, sizeof(*off));
	f[12] = ipv6 ? 0x86 : 0x08;
	f[13] = ipv6 ? 0xdd : 0x00;
	f[14] = 0x45;
	f[23] = s & 1 ? 6 : 17;           /* spread over the queues */
	f[26] = (uint8_t)(s * 37);
	off->csum_blank = s >= 3 && s <= 6;
	if (s == 4 || s == 6 || s == 8) {
		off->gso_type = ipv6 ? XEN_NETIF_GSO_TYPE_TCPV6 :
				       XEN_NETIF_GSO_TYPE_TCPV4;
		off->gso_size = 1448;
	}
	*slots = (unsigned)((len + 4095) / 4096);
	*want = 0;
	if (len < 14)
		*want = -XEN_EINVAL;
	else if ((off->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 &&
		  !nf->nego.gso_tcpv4) ||
		 (off->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 &&
		  !nf->nego.gso_tcpv6))
		*want = -XEN_EOPNOTSUPP;
	else if (!off->gso_type && len > nf->mtu + 14u)
		*want = -XEN_EINVAL;
	else if (off->csum_blank && !(ipv6 ? nf->nego.ipv6_csum :
				      nf->nego.csum))
		*want = -XEN_EOPNOTSUPP;
	else if (*slots > 1 && !nf->nego.sg)
		*want = -XEN_EINVAL;
	return len;
}

/* A multicast request (shape 9): one slot with a buffer, or refused. */
static int mcast(struct peer_dev *d, unsigned n, int *want)
{
	const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0, 0, (uint8_t)n };

	*want = d->nf.nego.mcast_control ? 0 : -XEN_EOPNOTSUPP;
	return n & 1 ? netfront_mcast_del(&d->nf, group) :
		       netfront_mcast_add(&d->nf, group);
}

/* One frame (or request) out: whether the device took it. */
static bool send_one(struct peer *p, struct peer_dev *d)
{
	unsigned s = d->next % PEER_SHAPES, slots = 1;
	struct netfront_tx_offload off;
	bool broken = d->nf.broken;
	int rc, want;

	if (s == PEER_SHAPES - 1) {
		rc = mcast(d, d->next, &want);
	} else {
		size_t len = shape(&d->nf, s, p->frame, &off, &slots, &want);

		rc = netfront_send_offload(&d->nf, p->frame, len, &off);
	}
	if (broken ? rc != -XEN_EIO :
	    rc != 0 && rc != -XEN_EAGAIN && rc != want &&
	    !(rc == -XEN_EIO && d->nf.broken))
		panic("vif-peer: %s: send of shape %u answered %d (%d due)",
		      d->node, s, rc, want);
	if (want && rc == 0)
		panic("vif-peer: %s: send of shape %u taken, %d due", d->node,
		      s, want);
	if (rc == 0)
		d->slots_sent += slots;
	if (rc != -XEN_EAGAIN)
		d->next++;
	check_tx_accounts(d);
	return rc == 0 || (rc == want && want);
}

/* Frames in until none waits. */
static void receive(struct peer *p, struct peer_dev *d)
{
	const struct netfront *nf = &d->nf;
	struct netfront_rx_info info;
	long got;

	do {
		uint64_t before = nf->stats.rx_packets;
		bool broken = nf->broken;

		got = netfront_recv_info(&d->nf, p->frame, NETFRONT_RX_MAX,
					 &info);
		if (broken && got != -XEN_EIO)
			panic("vif-peer: %s: a broken device gave %ld", d->node,
			      got);
		if (got < 0 && (got != -XEN_EIO || !nf->broken))
			panic("vif-peer: %s: recv answered %ld", d->node, got);
		if (got > 0 && ((size_t)got > nf->rx_max ||
				nf->stats.rx_packets != before + 1))
			panic("vif-peer: %s: a frame of %ld bytes (at most "
			      "%u), frames counted %llu then %llu", d->node,
			      got, (unsigned)nf->rx_max,
			      (unsigned long long)before,
			      (unsigned long long)nf->stats.rx_packets);
		if (got > 0 && (info.slots == 0 ||
				info.slots > NETFRONT_RX_BUFS ||
				(info.slots > 1 && !nf->nego.rx_sg) ||
				(info.gso_type != XEN_NETIF_GSO_TYPE_NONE &&
				 !nf->nego.rx_gso_tcpv4 &&
				 !nf->nego.rx_gso_tcpv6) ||
				(info.csum_blank && !nf->nego.rx_csum)))
			panic("vif-peer: %s: a frame over %u slots, GSO %u, "
			      "blank checksum %d: not what was asked for",
			      d->node, info.slots, info.gso_type,
			      info.csum_blank);
		check_rx_posted(d);
	} while (got > 0);
}

static bool want_looking_at(void *arg)
{
	struct peer *p = arg;

	for (unsigned i = 0; i < p->nr; i++) {
		struct netfront *nf = &p->dev[i].nf;

		if (nf->broken)
			continue;
		if (netfront_rx_pending(nf))
			return true;
		for (unsigned q = 0; q < nf->nr_queues; q++)
			if (((volatile netif_tx_sring_t *)nf->q[q].tx.sring)
			    ->rsp_prod != nf->q[q].tx.rsp_cons)
				return true;
	}
	return false;
}

static void connect_all(struct peer *p)
{
	struct netfront_features want;

	netfront_features_default(&want);
	want.queues = 2;
	if (netfront_enumerate(found_vif, p) <= 0)
		panic("vif-peer: no vif");
	for (unsigned i = 0; i < p->nr; i++)
		if (netfront_connect_with(&p->dev[i].nf, p->dev[i].node, &want))
			panic("vif-peer: %s does not connect",
			      p->dev[i].node);
}

_Noreturn void vif_peer_run(void)
{
	struct peer *p = page_alloc((sizeof(struct peer) + 4095) / 4096);

	if (!p)
		panic("vif-peer: no memory");
	memset(p, 0, sizeof(*p));
	p->frame = page_alloc(PEER_FRAME_PAGES);
	if (!p->frame)
		panic("vif-peer: no frame buffer");
	memset(p->frame, 0x5a, PEER_FRAME_PAGES * 4096u);
	connect_all(p);
	kprintf("vif-peer: ready\n");
	for (;;) {
		unsigned usable = 0;

		for (unsigned i = 0; i < p->nr; i++) {
			struct peer_dev *d = &p->dev[i];

			for (unsigned n = 0; n < 2 * PEER_SHAPES; n++)
				if (!send_one(p, d))
					break;
			receive(p, d);
			check_tx_accounts(d);
			check_broken(p, d);
			if (d->nf.broken && !d->told) {
				kprintf("vif-peer: %s is broken: %s\n", d->node,
					d->nf.why);
				d->told = true;
			}
			usable += !d->nf.broken;
		}
		if (!usable)
			for (;;)
				arch_idle();
		time_wait(want_looking_at, p, PEER_WAIT_NS);
	}
}
