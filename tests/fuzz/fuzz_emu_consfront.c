/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the arm64 guest Image's two console frontends, run under
 * Unicorn, facing a malicious console backend. The guest boots once per
 * process with bootarg cons-peer (guest/selftest/cons_peer.c: output of
 * every length and input on console 0 and console 1 forever, checking
 * the promises both make). Console 0 is the ring the toolstack wires
 * (hv/console_link.h), console 1 a xenbus console the model's console
 * device connects; once console 1 is connected and the guest waits, the
 * machine sets both aside (it no longer serves either ring) and is
 * snapshotted (sim_emu). Each input starts from it and plays dom0 on both
 * rings with the moves of the native fuzz_consfront (tests/lib/
 * fuzz_cons_backend.h: any out_cons or in_prod, input put honestly,
 * output consumed honestly, the guest's own indexes overwritten, event
 * storms), lets virtual time pass and runs the guest a budget of
 * instructions between moves.
 * Findings: the guest stops (a cons-peer panic on a broken promise, a
 * panic of the guest's own, a fault); a console that finds its ring
 * broken must give it up, never stop the guest. Guest coverage, the
 * Image, the boot, the snapshot and the guest's moves:
 * tests/lib/fuzz_emu.h. With FUZZ_DIGEST set, each input's end state is
 * printed (tests/fuzz/fuzz-reset.sh). */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_digest.h"
#include "fuzz_emu.h"
#include "fuzz_input.h"
#include "fuzz_cons_backend.h"
#include "hv/console_link.h"
#include "hv/consback_xenbus.h"
#include "sim.h"

enum {
	CMD_RUN,         /* n: the guest runs (n + 1) * 256 instructions */
	CMD_IDLE,        /* virtual time passes while the guest waits */
	/* dom0's moves, enum fuzz_cons_move's in its order. */
	CMD_OUT_CONS,
	CMD_COUNT = CMD_OUT_CONS + FUZZ_CONS_MOVES
};

static struct {
	struct hv_domain *dom0;
	struct hv_consback_dev cd;       /* console 1's backend */
	bool on_rings;                   /* connected: the input plays dom0 */
	struct fuzz_cons_ring ring[2];
} w;

static size_t drop_bytes(void *ctx, const char *s, size_t len)
{
	(void)ctx, (void)s;
	return len;
}

/* dom0's turn: the model's console device serves console 1 until it is
 * connected; then only the input moves, between the guest's slices. */
static bool dom0_console(void *ctx)
{
	(void)ctx;
	return !w.on_rings && hv_consback_dev_run(&w.cd);
}

static bool console1_connected(void *ctx)
{
	(void)ctx;
	return w.cd.connected && w.cd.back.page;
}

static void fuzz_emu_setup(const char *argv0)
{
	struct hv_console_link *link;
	struct sim_config cfg;
	struct sim_emu *emu;

	fuzz_emu_config(&cfg, argv0, "console=hvc0 cons-peer");
	cfg.dom0_extra = dom0_console;
	emu = fuzz_emu_start("fuzz_emu_consfront", "cons-peer: ready", &cfg);
	w.dom0 = sim_emu_dom0(emu);
	if (hv_consback_dev_create(&w.cd, sim_emu_xs(emu), w.dom0,
				   sim_emu_domain(emu), 1, NULL, drop_bytes,
				   NULL))
		fuzz_emu_fail("cannot create console 1");
	fuzz_emu_boot(console1_connected, NULL);
	link = sim_emu_console(emu);
	if (!link->connected || !link->back.page)
		fuzz_emu_fail("console 0 has no ring");
	/* Both rings are the input's from here on. */
	link->connected = false;
	w.on_rings = true;
	w.ring[0] = (struct fuzz_cons_ring){ link->back.page,
					     link->back.dom0_port };
	w.ring[1] = (struct fuzz_cons_ring){ w.cd.back.page, w.cd.port };
	fuzz_emu_snapshot();
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct fuzz_input in = { input, size };

	fuzz_emu_reset();
	fuzz_digest_start();
	while (in.left) {
		unsigned c = fuzz_byte(&in) % CMD_COUNT;

		if (c >= CMD_OUT_CONS)
			fuzz_cons_move(w.ring, w.dom0, c - CMD_OUT_CONS, 16,
				       &in);
		else if (c == CMD_RUN)
			fuzz_emu_run(fuzz_byte(&in));
		else
			fuzz_emu_idle();
	}
	fuzz_emu_finish();
	fuzz_digest_report();
	return 0;
}
