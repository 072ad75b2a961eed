/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's xenbus handshake (blkfront's, the richest)
 * facing a backend that moves its state in any order, writes any value to
 * any of its keys, removes them, maps the frontend's ring and holds it,
 * and sends events, one move at each of dom0's turns, which come at each
 * of the guest's hypercalls. Meanwhile the guest opens the disk, reads
 * from it if it connected, and closes it. The guest must never crash or
 * hang, and must give back every page and grant it took, unless the
 * backend still maps them (then they are the backend's). When the input
 * runs out the backend follows the frontend honestly, so every input
 * ends. The device's directories are made afresh for each input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "fuzz_digest.h"
#include "fuzz_edges.h"
#include "fuzz_handshake.h"
#include "fuzz_input.h"
#include "gxen/blk.h"
#include "gxen/gnttab.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/xenbus_backend.h"
#include "hv/xs.h"
#include "kern/page.h"
#include "port.h"
#include "sim.h"

#define VDEV 51712u
#define MAX_MAPS 8

enum {
	CMD_STATE,      /* s: the backend goes to state s % 9 */
	CMD_HONEST,     /* follow the frontend as a real backend would */
	CMD_KEY,        /* k, v: write key k, value v */
	CMD_RM_KEY,     /* k: remove key k */
	CMD_MAP,        /* map the frontend's first ring page and hold it */
	CMD_UNMAP,      /* let go of every mapping */
	CMD_EVENT,      /* n: n events on the frontend's channel */
	CMD_NOTHING,
	CMD_COUNT
};

static const char *const keys[] = {
	"sectors", "sector-size", "physical-sector-size", "info",
	"feature-flush-cache", "feature-barrier", "feature-discard",
	"discard-granularity", "discard-alignment", "discard-secure",
	"feature-persistent", "feature-max-indirect-segments",
	"max-ring-page-order", "multi-queue-max-queues", "state",
};

static const char *const values[] = {
	"0", "1", "2", "4", "512", "4096", "8192", "20", "1000", "-1", "",
	"18446744073709551615", "18446744073709551616", "0x10", " 1", "1 ",
	"2048", "3", "4294967296", "65536",
};

static struct {
	struct sim_native *sn;
	struct hv_domain *dom0;
	struct hv_xs *xs;
	struct hv_xenbus_backend xb;
	bool active;
	struct fuzz_input in;
	struct hv_gnttab_mapping map[MAX_MAPS];
	unsigned nr_maps;
	evtchn_port_t port;          /* dom0's end, 0 when unbound */
	bool held;                   /* mapped while the frontend closed */
} w;

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_xenbus: %s\n", what);
	abort();
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static void frontend_changed(struct hv_xenbus_backend *xb,
			     enum xenbus_state state, void *arg)
{
	(void)xb, (void)state, (void)arg;
}

static void unmap_all(void)
{
	for (unsigned i = 0; i < w.nr_maps; i++)
		hv_gnttab_unmap(w.dom0, w.map[i].handle);
	w.nr_maps = 0;
	if (w.port)
		hv_evtchn_close_for(w.dom0, w.port);
	w.port = 0;
}

static unsigned long fe_ulong(const char *node)
{
	unsigned long v;

	if (hv_xenbus_frontend_read_ulong(&w.xb, node, UINT32_MAX, &v))
		return ~0ul;
	return v;
}

static void map_ref(const char *node)
{
	unsigned long ref = fe_ulong(node);

	if (ref != ~0ul && w.nr_maps < MAX_MAPS &&
	    hv_gnttab_map_ref(w.dom0, 1, (grant_ref_t)ref, false,
			      &w.map[w.nr_maps]) == GNTST_okay)
		w.nr_maps++;
}

/* What a real backend does with the frontend's state: map and connect at
 * Initialised, follow it to Closing and Closed, start over after. */
static void honest(void)
{
	unsigned long port;

	switch (hv_xenbus_frontend_state(&w.xb)) {
	case XenbusStateInitialised:
		if (w.xb.be_state == XenbusStateConnected)
			break;
		map_ref("ring-ref0");
		map_ref("ring-ref");
		port = fe_ulong("event-channel");
		if (!w.port && port != ~0ul)
			hv_evtchn_bind_interdomain_for(w.dom0, 1,
						       (evtchn_port_t)port,
						       &w.port);
		hv_xenbus_backend_switch_state(&w.xb, XenbusStateConnected);
		break;
	case XenbusStateClosing:
		hv_xenbus_backend_switch_state(&w.xb, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		unmap_all();
		hv_xenbus_backend_switch_state(&w.xb, XenbusStateClosed);
		break;
	case XenbusStateInitialising:
		if (w.xb.be_state == XenbusStateClosed)
			hv_xenbus_backend_switch_state(&w.xb,
						       XenbusStateInitWait);
		break;
	default:
		break;
	}
}

static bool backend_turn(void *ctx)
{
	struct fuzz_input *in = &w.in;
	uint8_t k, n;

	(void)ctx;
	if (!w.active)
		return false;
	if (!in->left) {
		honest();
		return false;
	}
	switch (fuzz_byte(in) % CMD_COUNT) {
	case CMD_STATE:
		hv_xenbus_backend_switch_state(&w.xb, fuzz_byte(in) % 9);
		break;
	case CMD_HONEST:
		honest();
		break;
	case CMD_KEY:
		k = fuzz_byte(in);
		n = fuzz_byte(in);
		hv_xenbus_backend_printf(&w.xb,
					 keys[k % (sizeof(keys) / sizeof(*keys))],
					 "%s", values[n % (sizeof(values) /
							   sizeof(*values))]);
		break;
	case CMD_RM_KEY: {
		char path[HV_XENBUS_PATH_MAX + 40];

		k = fuzz_byte(in);
		snprintf(path, sizeof(path), "%s/%s", w.xb.be_path,
			 keys[k % (sizeof(keys) / sizeof(*keys))]);
		hv_xs_rm(w.xs, path);
		break;
	}
	case CMD_MAP:
		map_ref("ring-ref0");
		map_ref("ring-ref");
		break;
	case CMD_UNMAP:
		for (unsigned i = 0; i < w.nr_maps; i++)
			hv_gnttab_unmap(w.dom0, w.map[i].handle);
		w.nr_maps = 0;
		break;
	case CMD_EVENT:
		n = fuzz_byte(in) & 15;
		for (unsigned i = 0; i < n && w.port; i++)
			hv_evtchn_send_from(w.dom0, w.port);
		break;
	default:
		break;
	}
	if (w.nr_maps && hv_xenbus_frontend_state(&w.xb) >= XenbusStateClosing)
		w.held = true;
	return false;
}

static void setup_once(void)
{
	struct sim_config cfg;
	struct sim_result res;

	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = drop_line;
	cfg.dom0_extra = backend_turn;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn)
		fail(res.message);
	if (!fuzz_handshake_grow_grants())
		fail("cannot grow the grant table to its limit");
	w.dom0 = sim_native_dom0(w.sn);
	w.xs = sim_native_xs(w.sn);
}

static void make_device(void)
{
	if (hv_xenbus_backend_create(&w.xb, w.xs, 1, "vbd", VDEV,
				     frontend_changed, NULL) ||
	    hv_xenbus_backend_printf(&w.xb, "sectors", "%u", 2048) ||
	    hv_xenbus_backend_printf(&w.xb, "sector-size", "%u", 512) ||
	    hv_xenbus_backend_printf(&w.xb, "max-ring-page-order", "%u", 1) ||
	    hv_xenbus_backend_printf(&w.xb, "feature-flush-cache", "%u", 1))
		fail("cannot create the device");
}

static void use_disk(void)
{
	static unsigned char sector[512];
	struct blk_request req = { .op = BLK_READ, .count = 1,
				   .buf = sector };
	struct blk_dev *dev;

	if (blk_open_vdev(VDEV, &dev))
		return;
	if (blk_submit(dev, &req) == 0)
		blk_wait(dev, &req, 1000000);
	blk_close(dev);
}

/* For fuzz-reset.sh: what the guest and the backend were left with. */
static void digest_outcome(void)
{
	size_t left[2] = { page_free_count(), fuzz_handshake_grants_in_use() };
	unsigned state = hv_xenbus_frontend_state(&w.xb);

	fuzz_digest_add(left, sizeof(left));
	fuzz_digest_add(&state, sizeof(state));
	fuzz_digest_add(&w.nr_maps, sizeof(w.nr_maps));
	fuzz_digest_add(&w.held, sizeof(w.held));
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
	size_t pages, grants;
	struct sim_result res;

	fuzz_edges_start();
	fuzz_digest_start();
	make_device();
	pages = page_free_count();
	grants = fuzz_handshake_grants_in_use();
	w.in = (struct fuzz_input){ data, size };
	w.active = true;
	w.held = false;
	use_disk();
	/* Whatever the backend still maps is its own, not a leak. */
	if (!w.nr_maps && !w.held && (page_free_count() != pages ||
			   fuzz_handshake_grants_in_use() != grants)) {
		fprintf(stderr, "fuzz_xenbus: pages free %zu -> %zu, grants "
			"in use %zu -> %zu\n", pages, page_free_count(), grants,
			fuzz_handshake_grants_in_use());
		fail("the frontend kept pages or grants after closing");
	}
	w.active = false;
	digest_outcome();
	unmap_all();
	hv_xenbus_backend_destroy(&w.xb);
	arch_irq_enable();
	if (!sim_native_running(w.sn, &res))
		fail(res.message);
	fuzz_handshake_afresh(w.sn);
	fuzz_digest_report();
	fuzz_edges_report();
	return 0;
}
