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
 * request on a ring is a finding too. Guest coverage, the Image, the
 * boot, the snapshot and the guest's moves: tests/lib/fuzz_emu.h. With
 * FUZZ_DIGEST set, each input's end state is printed
 * (tests/fuzz/fuzz-reset.sh). */
#include <stdbool.h>
#include <stdint.h>

#include <xen/io/netif.h>

#include "fuzz_digest.h"
#include "fuzz_emu.h"
#include "fuzz_input.h"
#include "hv/evtchn.h"
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

struct dev {
	struct vif_dev v;
	struct fuzz_net_seen seen[NETFRONT_MAX_QUEUES];
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
