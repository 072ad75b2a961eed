/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the data path of the guest's netfront facing a malicious
 * network backend. The guest runs natively on the real model (xenstore,
 * grants, event channels); dom0's end of the rings is this program, and
 * the input is what it does. Byte 0 picks the device: one connected with
 * every feature (two queues, split event channels, sg, GSO, checksum
 * offload, multicast control; rx sg, GSO and blank checksums) or one
 * connected with none (one queue, one channel, frames in one slot). The
 * backend takes tx and rx requests and checks them, answers them well or
 * with any id, status, offset, size and flags, puts extra-info slots of
 * any type (GSO, multicast, unknown) and flags, moves a producer index
 * anywhere (backwards, far ahead), rewrites a response it published and
 * storms events; between its moves the guest sends frames (with and
 * without offloads), multicast requests, receives and collects. The
 * guest must never crash, hand out a frame longer than it may or with
 * offloads it did not ask for, put a malformed request on a ring, answer
 * anything but -EIO once broken, or be broken without saying why. The
 * handshake is fuzz_netfront_xs's. The devices connect once per
 * process; each input starts from a snapshot of them and their rings,
 * and the events it left pending are delivered before it ends, so that
 * an input does the same whatever ran before it (tests/fuzz/
 * fuzz-reset.sh, and AFL++'s stability). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/io/netif.h>

#include "dev/netfront.h"
#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_rewind.h"
#include "fuzz_ring_restore.h"
#include "hv/evtchn.h"
#include "port.h"
#include "sim.h"
#include "vif_fake.h"
#include "fuzz_net_backend.h"

#define PAGE        VIF_PAGE
#define DEVS        2               /* every feature, none */

enum {
	CMD_SEND,        /* len, how: the guest sends a frame */
	CMD_MCAST,       /* how: it adds or deletes a group */
	/* The moves on the rings, enum fuzz_net_move's in its order. */
	CMD_TX_TAKE,
	CMD_RX_PROD = CMD_TX_TAKE + FUZZ_NET_MOVES - 1,
	CMD_RECV,        /* the guest takes a frame */
	CMD_REWRITE,     /* back, 8 bytes: rewrite a published rx slot */
	CMD_STORM,       /* n: events with nothing behind them */
	CMD_IDLE,        /* the guest collects tx completions */
	CMD_QUEUE,       /* q: the queue dom0 works on */
	CMD_COUNT
};

struct dev {
	struct vif_dev v;
	struct netfront nf;
	struct fuzz_net_seen seen[NETFRONT_MAX_QUEUES];
	/* The connected device as it was, to start each input from. */
	struct netfront nf_snap;
	unsigned char tx_snap[NETFRONT_MAX_QUEUES][PAGE];
	unsigned char rx_snap[NETFRONT_MAX_QUEUES][PAGE];
	/* The lowest rx index an input's rewrites reached (at most 8 below
	 * 0), for reset to put back from there. */
	int32_t rx_lo[NETFRONT_MAX_QUEUES];
};

static struct {
	struct sim_native *sn;
	struct dev dev[DEVS];
	bool connecting;             /* dom0 follows the handshake */
	unsigned cur;                /* the queue dom0 works on */
} w;

static uint8_t frame[NETFRONT_RX_MAX];
static uint8_t rxbuf[NETFRONT_RX_MAX];

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_netfront: %s\n", what);
	abort();
}

/* The guest's console, shown when FUZZ_SHOW_CONSOLE is set (to see why
 * the device broke while replaying an input). */
static void console_line(void *ctx, const char *line)
{
	(void)ctx;
	if (getenv("FUZZ_SHOW_CONSOLE"))
		fprintf(stderr, "%s\n", line);
}

/* dom0's turn: honest while the devices connect, then nothing (this
 * program moves between the guest's calls). */
static bool backend_turn(void *ctx)
{
	(void)ctx;
	if (w.connecting)
		for (unsigned i = 0; i < DEVS; i++)
			if (w.dev[i].v.made)
				vif_honest(&w.dev[i].v);
	return false;
}

static void connect_once(struct sim_native *sn, struct dev *d, unsigned devid,
			 const struct netfront_features *want)
{
	char node[32];

	if (vif_make(&d->v, sim_native_dom0(sn), sim_native_xs(sn), devid,
		     VIF_OFFER_ALL, 4))
		fail("cannot make a device");
	snprintf(node, sizeof(node), "device/vif/%u", devid);
	if (netfront_connect_with(&d->nf, node, want))
		fail("cannot connect a device");
	if (d->nf.nr_queues != d->v.nr_queues)
		fail("the device is not the shape this target expects");
	d->nf_snap = d->nf;
	for (unsigned i = 0; i < d->v.nr_queues; i++) {
		memcpy(d->tx_snap[i], d->v.q[i].tx_map.page, PAGE);
		memcpy(d->rx_snap[i], d->v.q[i].rx_map.page, PAGE);
	}
}

static void setup_once(void)
{
	struct netfront_features full, none;
	struct sim_config cfg;
	struct sim_result res;

	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = console_line;
	cfg.dom0_extra = backend_turn;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn)
		fail(res.message);
	netfront_features_default(&full);
	full.queues = 2;
	memset(&none, 0, sizeof(none));
	none.queues = 1;
	w.connecting = true;
	connect_once(w.sn, &w.dev[0], 0, &full);
	connect_once(w.sn, &w.dev[1], 1, &none);
	w.connecting = false;
}

/* A ring page's indexes, the guest's requests [g0, g1) and dom0's
 * responses [d0, d1) (free-running indexes) back from snap. */
static void restore_ring(void *page, const void *snap, size_t head,
			 size_t ent, RING_IDX nr, RING_IDX g0, RING_IDX g1,
			 RING_IDX d0, RING_IDX d1)
{
	memcpy(page, snap, head);
	fuzz_ring_restore(page, snap, head, ent, nr, g0, g1);
	fuzz_ring_restore(page, snap, head, ent, nr, d0, d1);
}

/* Back to the connected device as it was: of its rings, the indexes
 * and the entries the last input wrote (the guest's requests from where
 * the snapshot left off, dom0's responses from index 0 or, for rx, from
 * where its rewrites reached). */
static void reset(struct dev *d)
{
	/* Nothing is pending (each input takes its own events). */
	arch_irq_enable();
	fuzz_rewind_guest(w.sn);
	for (unsigned i = 0; i < d->v.nr_queues; i++) {
		struct vif_queue *q = &d->v.q[i];
		const struct netfront_queue *now = &d->nf.q[i];
		const struct netfront_queue *was = &d->nf_snap.q[i];

		restore_ring(q->tx_map.page, d->tx_snap[i],
			     offsetof(netif_tx_sring_t, ring),
			     sizeof(q->tx.sring->ring[0]), q->tx.nr_ents,
			     was->tx.req_prod_pvt, now->tx.req_prod_pvt,
			     0, q->tx.rsp_prod_pvt);
		restore_ring(q->rx_map.page, d->rx_snap[i],
			     offsetof(netif_rx_sring_t, ring),
			     sizeof(q->rx.sring->ring[0]), q->rx.nr_ents,
			     was->rx.req_prod_pvt, now->rx.req_prod_pvt,
			     (RING_IDX)d->rx_lo[i], q->rx.rsp_prod_pvt);
		d->rx_lo[i] = 0;
		q->tx.req_cons = q->tx.rsp_prod_pvt = 0;
		q->rx.req_cons = q->rx.rsp_prod_pvt = 0;
	}
	d->nf = d->nf_snap;
	memset(d->seen, 0, sizeof(d->seen));
	w.cur = 0;
}

/* ---- the guest's moves, and what must hold after them ---- */

static void check_broken(struct dev *d)
{
	if (d->nf.broken && !d->nf.why[0])
		fail("the device is broken without a reason");
}

static void guest_send(struct dev *d, struct fuzz_input *in)
{
	uint16_t len = fuzz_u16(in);
	uint8_t how = fuzz_byte(in);
	struct netfront_tx_offload off = { 0 };
	bool broken = d->nf.broken;
	int rc;

	if (!(how & 0x80))
		len %= 1600;                  /* mostly ordinary frames */
	memset(frame, how, 64);
	frame[12] = how & 1 ? 0x86 : 0x08;
	frame[13] = how & 1 ? 0xdd : 0x00;
	off.csum_blank = how & 2;
	off.gso_type = how >> 2 & 3;
	off.gso_size = off.gso_type ? (uint16_t)(fuzz_byte(in) * 8) : 0;
	rc = netfront_send_offload(&d->nf, frame, len, &off);
	if (broken && rc != -XEN_EIO)
		fail("a broken device took a frame");
	if (rc != 0 && rc != -XEN_EAGAIN && rc != -XEN_EINVAL &&
	    rc != -XEN_EOPNOTSUPP && rc != -XEN_EIO)
		fail("send returned an unexpected error");
}

static void guest_mcast(struct dev *d, struct fuzz_input *in)
{
	uint8_t how = fuzz_byte(in);
	uint8_t addr[6] = { (uint8_t)(how | (how & 2 ? 0 : 1)), 0, 0x5e, 0, 0,
			    how };
	bool broken = d->nf.broken;
	int rc = how & 1 ? netfront_mcast_add(&d->nf, addr) :
			   netfront_mcast_del(&d->nf, addr);

	if (broken && rc != -XEN_EIO)
		fail("a broken device took a multicast request");
}

static void guest_recv(struct dev *d)
{
	struct netfront_rx_info info;
	bool broken = d->nf.broken;
	long got = netfront_recv_info(&d->nf, rxbuf, sizeof(rxbuf), &info);

	if (broken && got != -XEN_EIO)
		fail("a broken device gave a frame");
	if (got < 0 && got != -XEN_EIO)
		fail("recv returned an unexpected error");
	if (got > 0 && (size_t)got > d->nf.rx_max)
		fail("a frame longer than the device may give");
	if (got > 0 && info.gso_type != XEN_NETIF_GSO_TYPE_NONE &&
	    !d->nf.nego.rx_gso_tcpv4 && !d->nf.nego.rx_gso_tcpv6)
		fail("a GSO frame the device did not ask for");
	if (got > 0 && (info.slots == 0 || info.slots > NETFRONT_RX_BUFS))
		fail("a frame over an impossible number of slots");
}

/* ---- dom0's moves on the data path (tests/lib/fuzz_net_backend.h) ---- */

/* The queue dom0 works on, as the shared moves see it. */
static struct fuzz_net_queue cur_queue(struct dev *d)
{
	unsigned i = w.cur % d->v.nr_queues;

	return (struct fuzz_net_queue){ &d->v.q[i], &d->seen[i], &d->nf.q[i],
					d->v.dom0, fail };
}

/* A published rx response changed: it may reach 8 entries back, below
 * index 0. */
static void rewrite(struct dev *d, struct fuzz_net_queue *nq,
		    struct fuzz_input *in)
{
	int32_t *lo = &d->rx_lo[w.cur % d->v.nr_queues];

	if ((int32_t)(nq->q->rx.rsp_prod_pvt - 8) < *lo)
		*lo = (int32_t)(nq->q->rx.rsp_prod_pvt - 8);
	fuzz_net_rewrite(nq->q, in);
}

/* One move; what must hold is checked after the guest's (dom0's only
 * write the rings and send events, whose handler does nothing). */
static void data_move(struct dev *d, struct fuzz_input *in, uint8_t cmd)
{
	struct fuzz_net_queue nq = cur_queue(d);
	unsigned c = cmd % CMD_COUNT;

	if (c >= CMD_TX_TAKE && c <= CMD_RX_PROD)
		fuzz_net_move(&nq, c - CMD_TX_TAKE, in);
	switch (c) {
	case CMD_SEND:
		guest_send(d, in);
		check_broken(d);
		break;
	case CMD_MCAST:
		guest_mcast(d, in);
		check_broken(d);
		break;
	case CMD_RECV:
		guest_recv(d);
		check_broken(d);
		break;
	case CMD_REWRITE:
		rewrite(d, &nq, in);
		break;
	case CMD_STORM:
		fuzz_net_storm(&nq, fuzz_byte(in) & 63);
		guest_recv(d);
		check_broken(d);
		break;
	case CMD_IDLE:
		netfront_tx_idle(&d->nf);
		check_broken(d);
		break;
	case CMD_QUEUE:
		w.cur = fuzz_byte(in);
		break;
	}
}

/* What the input made the guest do, for FUZZ_DIGEST: the rings as it
 * left them, and whether it broke and why. */
static void digest(struct dev *d)
{
	if (!fuzz_digest_on())
		return;
	for (unsigned i = 0; i < d->v.nr_queues; i++) {
		fuzz_digest_add(d->v.q[i].tx_map.page, PAGE);
		fuzz_digest_add(d->v.q[i].rx_map.page, PAGE);
	}
	fuzz_digest_add(&(uint64_t){ d->nf.broken }, sizeof(uint64_t));
	fuzz_digest_add(d->nf.why, strlen(d->nf.why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	static bool ready;
	struct dev *d;

	if (!ready) {
		setup_once();
		ready = true;
	}
	d = &w.dev[fuzz_byte(&in) % DEVS];
	reset(d);
	fuzz_digest_start();
	while (in.left)
		data_move(d, &in, fuzz_byte(&in));
	/* Whatever is left published, the guest takes or refuses. */
	guest_recv(d);
	netfront_tx_idle(&d->nf);
	check_broken(d);
	/* The events this input sent land in it, not in the next one. */
	arch_irq_enable();
	check_broken(d);
	digest(d);
	fuzz_digest_report();
	return 0;
}
