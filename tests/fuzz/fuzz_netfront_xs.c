/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's netfront handshake facing a network backend
 * that offers what the input says, writes any value to any of its keys
 * or removes them, moves its state in any order, maps the rings the
 * frontend wrote and holds them, and sends events on every channel, one
 * move at each of dom0's turns (which come at each of the guest's
 * hypercalls). Meanwhile the guest connects with the features the input
 * asks for, sends and receives a frame if it connected, and disconnects.
 * The guest must never crash or hang, be broken without saying why, and
 * must give back every page and grant it took unless the backend still
 * maps them. When the input runs out the backend follows the frontend
 * honestly, so every input ends. The device is made afresh per input.
 * Input: offers (bit k: the backend writes vif_keys[k] = 1), wants (bits
 * 0-1 queues - 1, 2 split channels, sg and GSO, 3 checksum offload and
 * multicast control, 4 rx sg, GSO and blank checksums, 5-7 the backend's
 * multi-queue-max-queues - 1), then the backend's moves. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "dev/netfront.h"
#include "fuzz_digest.h"
#include "fuzz_edges.h"
#include "fuzz_handshake.h"
#include "fuzz_input.h"
#include "gxen/gnttab.h"
#include "kern/page.h"
#include "port.h"
#include "sim.h"
#include "vif_fake.h"

#define DEVID 2u

enum {
	MOVE_STATE,      /* s: the backend goes to state s % 9 */
	MOVE_HONEST,     /* follow the frontend as a real backend would */
	MOVE_KEY,        /* k, v: write key k = value v */
	MOVE_RM_KEY,     /* k: remove key k */
	MOVE_MAP,        /* map the rings the frontend wrote, hold them */
	MOVE_UNMAP,      /* let go of every mapping */
	MOVE_EVENT,      /* n: n events on every bound channel */
	MOVE_NOTHING,
	MOVE_COUNT
};

static const char *const values[] = {
	"0", "1", "2", "3", "4", "5", "8", "-1", "", "65536", " 1", "1 ",
	"0x1", "18446744073709551616", "4294967297", "01",
};
#define NR_VALUES (sizeof(values) / sizeof(values[0]))

static struct {
	struct sim_native *sn;
	struct vif_dev v;
	struct netfront nf;
	struct fuzz_input in;
	bool active;                 /* the backend plays the input */
	bool held;                   /* rings mapped past Closing */
} w;

static uint8_t frame[NETFRONT_RX_MAX];

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_netfront_xs: %s\n", what);
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

static void move(struct vif_dev *d, struct fuzz_input *in)
{
	char path[HV_XENBUS_PATH_MAX + 40];
	uint8_t k, n;

	switch (fuzz_byte(in) % MOVE_COUNT) {
	case MOVE_STATE:
		hv_xenbus_backend_switch_state(&d->xb, fuzz_byte(in) % 9);
		break;
	case MOVE_HONEST:
		vif_honest(d);
		break;
	case MOVE_KEY:
		k = fuzz_byte(in);
		n = fuzz_byte(in);
		hv_xenbus_backend_printf(&d->xb, vif_keys[k % VIF_NR_KEYS],
					 "%s", values[n % NR_VALUES]);
		break;
	case MOVE_RM_KEY:
		snprintf(path, sizeof(path), "%s/%s", d->xb.be_path,
			 vif_keys[fuzz_byte(in) % VIF_NR_KEYS]);
		hv_xs_rm(d->xs, path);
		break;
	case MOVE_MAP:
		vif_map_rings(d);
		break;
	case MOVE_UNMAP:
		vif_unmap_all(d);
		break;
	case MOVE_EVENT:
		n = fuzz_byte(in) & 15;
		for (unsigned i = 0; i < NETFRONT_MAX_QUEUES; i++)
			for (unsigned e = 0; e < n && d->q[i].tx_port; e++) {
				hv_evtchn_send_from(d->dom0, d->q[i].tx_port);
				hv_evtchn_send_from(d->dom0, d->q[i].rx_port);
			}
		break;
	default:
		break;
	}
}

/* dom0's turn, at each of the guest's hypercalls and idles. */
static bool backend_turn(void *ctx)
{
	(void)ctx;
	if (!w.active)
		return false;
	if (w.in.left)
		move(&w.v, &w.in);
	else
		vif_honest(&w.v);
	if (vif_has_maps(&w.v) &&
	    hv_xenbus_frontend_state(&w.v.xb) >= XenbusStateClosing)
		w.held = true;
	return false;
}

static void setup_once(void)
{
	struct sim_config cfg;
	struct sim_result res;

	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = console_line;
	cfg.dom0_extra = backend_turn;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn)
		fail(res.message);
	if (!fuzz_handshake_grow_grants())
		fail("cannot grow the grant table to its limit");
}

static void wants_of(uint8_t wants, struct netfront_features *want)
{
	memset(want, 0, sizeof(*want));
	want->queues = (wants & 3) + 1u;
	want->split_evtchn = want->sg = wants & 4;
	want->gso_tcpv4 = want->gso_tcpv6 = wants & 4;
	want->csum = want->ipv6_csum = want->mcast_control = wants & 8;
	want->rx_sg = want->rx_csum = wants & 16;
	want->rx_gso_tcpv4 = want->rx_gso_tcpv6 = wants & 16;
	want->rx_notify = true;
}

/* A connected device works or says why not. */
static void use(struct netfront *nf)
{
	long got;
	int rc;

	memset(frame, 0, 64);
	rc = netfront_send(nf, frame, 60);
	if (rc && rc != -XEN_EAGAIN && rc != -XEN_EIO)
		fail("a connected device refused a good frame");
	got = netfront_recv(nf, frame, sizeof(frame));
	if (got < 0 && got != -XEN_EIO)
		fail("recv returned an unexpected error");
	netfront_tx_idle(nf);
	if (nf->broken && !nf->why[0])
		fail("the device is broken without a reason");
}

/* For fuzz-reset.sh: what the guest and the backend were left with. */
static void digest_outcome(void)
{
	size_t left[2] = { page_free_count(), fuzz_handshake_grants_in_use() };
	unsigned state = hv_xenbus_frontend_state(&w.v.xb);
	bool maps = vif_has_maps(&w.v);

	fuzz_digest_add(left, sizeof(left));
	fuzz_digest_add(&state, sizeof(state));
	fuzz_digest_add(&maps, sizeof(maps));
	fuzz_digest_add(&w.held, sizeof(w.held));
	fuzz_digest_add(w.nf.why, strlen(w.nf.why));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The machine is built before the first input, whose coverage it would
 * otherwise be. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_digest_on(); /* the environment read before the first input */
	setup_once();
	fuzz_handshake_afresh(w.sn); /* the first as every other */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct netfront_features want;
	uint8_t offers, wants;
	size_t pages, grants;
	struct sim_result res;

	fuzz_edges_start();
	fuzz_digest_start();
	offers = fuzz_byte(&in);
	wants = fuzz_byte(&in);
	if (vif_make(&w.v, sim_native_dom0(w.sn), sim_native_xs(w.sn), DEVID,
		     offers, (unsigned)(wants >> 5) + 1u))
		fail("cannot make the device");
	wants_of(wants, &want);
	pages = page_free_count();
	grants = fuzz_handshake_grants_in_use();
	w.in = in;
	w.held = false;
	w.active = true;
	if (netfront_connect_with(&w.nf, "device/vif/2", &want) == 0) {
		if (w.nf.nr_queues < 1 || w.nf.nr_queues > want.queues)
			fail("more queues than asked for");
		use(&w.nf);
		netfront_disconnect(&w.nf);
	}
	/* Whatever the backend still maps is its own, not a leak. */
	if (!vif_has_maps(&w.v) && !w.held &&
	    (page_free_count() != pages || fuzz_handshake_grants_in_use() != grants)) {
		fprintf(stderr, "fuzz_netfront_xs: pages free %zu -> %zu, "
			"grants in use %zu -> %zu\n", pages, page_free_count(),
			grants, fuzz_handshake_grants_in_use());
		fail("the frontend kept pages or grants after closing");
	}
	w.active = false;
	digest_outcome();
	vif_destroy(&w.v);
	arch_irq_enable();
	if (!sim_native_running(w.sn, &res))
		fail(res.message);
	fuzz_handshake_afresh(w.sn);
	fuzz_digest_report();
	fuzz_edges_report();
	return 0;
}
