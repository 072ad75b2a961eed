/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the arm64 guest Image's netfront, run under Unicorn,
 * facing a malicious network backend. The guest boots once per process
 * with bootarg vif-peer (guest/selftest/vif_peer.c: frames of every
 * shape kept going both ways forever on two vifs, checking every promise
 * the device makes) against two scripted backends of tests/lib/
 * vif_fake.h: vif 0 offering every feature and two queues, vif 1 only
 * rx-copy (one queue, one channel, frames in one slot). They do the
 * xenbus handshake and then leave the rings to this program. Once both
 * devices are connected and the guest waits, the machine is snapshotted
 * (sim_emu); each input starts from it and plays the backends with the
 * moves of the native fuzz_netfront (tests/lib/fuzz_net_backend.h): take
 * tx and rx requests and check them, answer them well or with any id,
 * status, offset, size and flags, put extra-info slots of any type and
 * flags, move a producer index anywhere, rewrite a published response,
 * storm events, let virtual time pass, and run the guest a budget of
 * instructions between moves.
 * Findings: the guest stops. vif-peer panics on a broken promise, the
 * guest's own code panics only on what it cannot go on from, and the
 * model stops a guest that faults: none of that is a right answer to bad
 * data from a peer, which must only mark the device broken. A malformed
 * request on a ring is a finding too, and so is a request whose grant is
 * not its buffer's: the guest's netfront cannot be seen from here, so
 * the model's grant table judges (grant_wrong). Guest coverage, the
 * Image, the boot, the snapshot and the guest's moves:
 * tests/lib/fuzz_emu.h. With FUZZ_DIGEST set, each input's end state is
 * printed (tests/fuzz/fuzz-reset.sh). */
#include <stdbool.h>
#include <stdint.h>

#include <xen/grant_table.h>
#include <xen/io/netif.h>

#include "fuzz_digest.h"
#include "fuzz_emu.h"
#include "fuzz_input.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "sim.h"
#include "vif_fake.h"
#include "fuzz_net_backend.h"

#define DEVS 2                 /* every feature, none */

enum {
	CMD_RUN,         /* n: the guest runs (n + 1) * 256 instructions */
	/* The moves on the rings, enum fuzz_net_move's in its order. */
	CMD_TX_TAKE,
	CMD_RX_PROD = CMD_TX_TAKE + FUZZ_NET_MOVES - 1,
	CMD_REWRITE,     /* back, 8 bytes: rewrite a published rx slot */
	CMD_STORM,       /* n: events with nothing behind them */
	CMD_IDLE,        /* virtual time passes while the guest waits */
	CMD_QUEUE,       /* n: the device (bit 7) and queue dom0 works on */
	CMD_COUNT
};

/* The grants a queue's requests gave dom0, buffer by buffer: each
 * buffer's grant and the page it named when first seen (0: not yet; ref
 * 0 is never a buffer's), and the rings' grants, which no buffer may
 * use. */
struct grants {
	grant_ref_t tx[NETFRONT_TX_BUFS], rx[NETFRONT_RX_BUFS];
	uint32_t tx_frame[NETFRONT_TX_BUFS], rx_frame[NETFRONT_RX_BUFS];
	grant_ref_t tx_ring, rx_ring;
};

struct dev {
	struct vif_dev v;
	struct fuzz_net_seen seen[NETFRONT_MAX_QUEUES];
	struct grants grants[NETFRONT_MAX_QUEUES];
};

static struct {
	struct dev dev[DEVS];
	bool on_rings;               /* connected: the input plays dom0 */
	unsigned cur;                /* the device and queue dom0 works on */
} w, saved_w;

/* dom0's turn: the backends follow the handshake until both devices are
 * connected; then only the input moves, between the guest's slices. */
static bool backend_turn(void *ctx)
{
	struct dev *d = ctx;

	for (unsigned i = 0; i < DEVS && !w.on_rings; i++)
		vif_honest(&d[i].v);
	return false;
}

/* Both devices connected, their rings mapped. */
static bool connected(void *ctx)
{
	(void)ctx;
	for (unsigned i = 0; i < DEVS; i++)
		if (w.dev[i].v.xb.be_state != XenbusStateConnected ||
		    !w.dev[i].v.nr_queues)
			return false;
	return true;
}

/* Whether gref is a ring's or a buffer's other than mine. */
static bool grant_taken(grant_ref_t gref, const grant_ref_t *mine)
{
	for (unsigned i = 0; i < DEVS; i++)
		for (unsigned j = 0; j < w.dev[i].v.nr_queues; j++) {
			const struct grants *g = &w.dev[i].grants[j];

			if (gref == g->tx_ring || gref == g->rx_ring)
				return true;
			for (unsigned b = 0; b < NETFRONT_TX_BUFS; b++)
				if (g->tx[b] == gref && &g->tx[b] != mine)
					return true;
			for (unsigned b = 0; b < NETFRONT_RX_BUFS; b++)
				if (g->rx[b] == gref && &g->rx[b] != mine)
					return true;
		}
	return false;
}

/* The guest's side of a request cannot be seen from here, its grant
 * table can: the grant a request gives must be one the guest gave dom0,
 * read-only for tx (the backend only reads those pages) and writable for
 * rx, and its buffer's, which is the same grant of the same page each
 * time, no ring's and no other buffer's. */
static const char *grant_wrong(const struct fuzz_net_queue *n, bool tx,
			       uint16_t id, grant_ref_t gref)
{
	struct dev *d = &w.dev[n->q >= w.dev[1].v.q];
	struct grants *g = &d->grants[n->q - d->v.q];
	grant_ref_t *ref = tx ? &g->tx[id] : &g->rx[id];
	uint32_t *frame = tx ? &g->tx_frame[id] : &g->rx_frame[id];
	struct grant_entry_v1 e;

	if (!hv_gnttab_entry(sim_emu_domain(fuzz_emu.emu), gref, &e))
		return "a request's grant is beyond the guest's table";
	if ((e.flags & GTF_type_mask) != GTF_permit_access ||
	    e.domid != d->v.dom0->domid)
		return "a request's grant is not given to the backend";
	if (tx && !(e.flags & GTF_readonly))
		return "a tx request's grant is writable";
	if (!tx && e.flags & GTF_readonly)
		return "an rx request's grant is read-only";
	if (*ref && (*ref != gref || *frame != e.frame))
		return tx ? "a tx request's grant is not its buffer's" :
			    "an rx request's grant is not its buffer's";
	if (!*ref && grant_taken(gref, ref))
		return tx ? "a tx request gives a ring's or another "
			    "buffer's grant" :
			    "an rx request gives a ring's or another "
			    "buffer's grant";
	*ref = gref;
	*frame = e.frame;
	return NULL;
}

/* What dom0 may read at the snapshot, checked and its grants learnt:
 * the rings' grants and the requests already published. */
static void learn_grants(struct dev *d)
{
	for (unsigned j = 0; j < d->v.nr_queues; j++) {
		struct vif_queue *q = &d->v.q[j];
		struct fuzz_net_seen seen = { 0 };
		struct fuzz_net_queue nq = { q, &seen, NULL, d->v.dom0,
					     fuzz_emu_fail };
		char dir[16] = "";

		if (d->v.nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", j);
		d->grants[j].tx_ring =
			(grant_ref_t)vif_fe_ulong(&d->v, dir, "tx-ring-ref");
		d->grants[j].rx_ring =
			(grant_ref_t)vif_fe_ulong(&d->v, dir, "rx-ring-ref");
		if (q->tx.sring->req_prod > q->tx.nr_ents ||
		    q->rx.sring->req_prod > q->rx.nr_ents)
			fuzz_emu_fail("the guest overran a ring at the "
				      "snapshot");
		for (RING_IDX i = 0; i != q->tx.sring->req_prod; i++)
			fuzz_net_check_tx(&nq, XEN_RING_REQ(&q->tx, i));
		for (RING_IDX i = 0; i != q->rx.sring->req_prod; i++) {
			const struct netif_rx_request *req =
				XEN_RING_REQ(&q->rx, i);
			const char *why;

			if (req->id >= NETFRONT_RX_BUFS)
				fuzz_emu_fail("an rx request that is not one "
					      "of the buffers");
			why = grant_wrong(&nq, false, req->id, req->gref);
			if (why)
				fuzz_emu_fail(why);
		}
	}
}

static void fuzz_emu_setup(const char *argv0)
{
	struct sim_config cfg;
	struct sim_emu *emu;

	fuzz_emu_config(&cfg, argv0, "console=hvc0 vif-peer");
	cfg.dom0_extra = backend_turn;
	cfg.dom0_extra_ctx = w.dev;
	emu = fuzz_emu_start("fuzz_emu_netfront", "vif-peer: ready", &cfg);
	if (vif_make(&w.dev[0].v, sim_emu_dom0(emu), sim_emu_xs(emu), 0,
		     VIF_OFFER_ALL, 2) ||
	    vif_make(&w.dev[1].v, sim_emu_dom0(emu), sim_emu_xs(emu), 1,
		     1u /* feature-rx-copy */, 1))
		fuzz_emu_fail("cannot create the backends");
	fuzz_emu_boot(connected, NULL);
	w.on_rings = true;
	if (w.dev[0].v.nr_queues != 2 || w.dev[1].v.nr_queues != 1 ||
	    w.dev[1].v.q[0].tx_port != w.dev[1].v.q[0].rx_port)
		fuzz_emu_fail("the devices are not the shape this target "
			      "expects");
	fuzz_net_grant_wrong = grant_wrong;
	for (unsigned i = 0; i < DEVS; i++)
		learn_grants(&w.dev[i]);
	fuzz_emu_snapshot();
	saved_w = w;
}

static struct fuzz_net_queue cur_queue(void)
{
	struct dev *d = &w.dev[w.cur >> 7 & 1];
	unsigned i = (w.cur & 0x7f) % d->v.nr_queues;

	return (struct fuzz_net_queue){ &d->v.q[i], &d->seen[i], NULL,
					d->v.dom0, fuzz_emu_fail };
}

static void move(struct fuzz_input *in, uint8_t cmd)
{
	struct fuzz_net_queue nq = cur_queue();
	unsigned c = cmd % CMD_COUNT;

	if (c >= CMD_TX_TAKE && c <= CMD_RX_PROD)
		fuzz_net_move(&nq, c - CMD_TX_TAKE, in);
	switch (c) {
	case CMD_RUN:
		fuzz_emu_run(fuzz_byte(in));
		break;
	case CMD_REWRITE:
		fuzz_net_rewrite(nq.q, in);
		break;
	case CMD_STORM:
		fuzz_net_storm(&nq, fuzz_byte(in) & 15);
		break;
	case CMD_IDLE:
		fuzz_emu_idle();
		break;
	case CMD_QUEUE:
		w.cur = fuzz_byte(in);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };

	fuzz_emu_reset();
	w = saved_w;
	fuzz_digest_start();
	while (in.left)
		move(&in, fuzz_byte(&in));
	fuzz_emu_finish();
	for (unsigned i = 0; i < DEVS; i++)
		for (unsigned j = 0; j < w.dev[i].v.nr_queues; j++) {
			fuzz_digest_add(&w.dev[i].v.q[j].tx.req_cons,
					sizeof(RING_IDX));
			fuzz_digest_add(&w.dev[i].v.q[j].rx.req_cons,
					sizeof(RING_IDX));
		}
	fuzz_digest_report();
	return 0;
}
