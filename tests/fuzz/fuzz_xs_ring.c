/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the model's xenstored facing a malicious guest on its ring
 * page. The input is what the guest does between kicks: request bytes
 * (framed or raw), index moves, scribbles on the server's fields,
 * reconnects; it takes its replies only when the input says so, so the
 * outstanding-reply limit and a full reply ring are reached. The daemon
 * must not crash, overrun the reply ring or break framing, and once the
 * guest is gone its nodes must be too. The harness touches the page only
 * through masked offsets. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/xs.h>
#include <hv/xs_ring.h>

#include "fuzz_digest.h"
#include "fuzz_edges.h"

#define HDR_LEN ((uint32_t)sizeof(struct xsd_sockmsg))
#define DOMID   1

/*
 * Input layout. Byte 0: bit 0 picks small limits; bits 1-7 start every
 * index that many times 16 bytes before 2^32 (indexes wrap early). Then
 * commands, one byte each (mod CMD_COUNT), with their operands:
 */
enum {
	CMD_REQUEST,    /* type, tx_id, len (2 bytes LE, <= 4096), payload: sent whole, kicking as needed */
	CMD_RAW,        /* n, n bytes: put on the ring with no regard for space; no kick */
	CMD_KICK,
	CMD_TAKE,       /* consume every reply and event, checking their framing */
	CMD_REQ_PROD,   /* shift, 2 bytes: req_prod += value << (shift & 24) */
	CMD_RSP_CONS,   /* shift, 2 bytes: rsp_cons += value << (shift & 24) */
	CMD_RECONNECT,  /* ask for a reset, kick, check the handshake finished */
	CMD_SCRIBBLE,   /* field, 4 bytes: overwrite a field the server owns */
	CMD_TOOLSTACK,  /* value byte: dom0 writes under the guest's home (fires watches) */
	CMD_COUNT
};

/* The guest's view of the reply stream. */
struct rx {
	bool in_sync;   /* rsp_cons and rsp_prod untouched since the last reset */
	uint32_t have;
	uint8_t buf[HDR_LEN + XENSTORE_PAYLOAD_MAX];
};

struct input {
	const uint8_t *p;
	size_t left;
};

static struct xenstore_domain_interface page;
static struct rx rx;
static unsigned notified;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_xs_ring: %s (req %u/%u rsp %u/%u error %u)\n", what,
		page.req_cons, page.req_prod, page.rsp_cons, page.rsp_prod, page.error);
	abort();
}

static uint8_t take(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint32_t take_le(struct input *in, int n)
{
	uint32_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint32_t)take(in) << (8 * i);
	return v;
}

static void notify(void *opaque)
{
	(void)opaque;
	notified++;
}

/*
 * Kicks the server. What it changed on the page must come with exactly
 * one notification (xs_ring.h: "notify once if anything moved").
 */
static void kick(struct hv_xs_ring *ring)
{
	const struct xenstore_domain_interface was = page;
	unsigned before = notified;

	hv_xs_ring_kick(ring);
	if (notified > before + 1)
		fail("more than one notification for one kick");
	if (notified == before &&
	    (page.req_cons != was.req_cons || page.rsp_prod != was.rsp_prod ||
	     page.error != was.error || page.connection != was.connection))
		fail("the page changed without a notification");
}

/* ---- the guest's request side ---- */

static void put_bytes(const uint8_t *data, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		page.req[MASK_XENSTORE_IDX(page.req_prod + i)] = (char)data[i];
	page.req_prod += n;
}

/* Sends a message as a polite guest would: only into free space. */
static void send_whole(struct hv_xs_ring *ring, const uint8_t *msg, uint32_t len)
{
	while (len) {
		uint32_t used = page.req_prod - page.req_cons;
		uint32_t space = used > XENSTORE_RING_SIZE ? 0 : XENSTORE_RING_SIZE - used;
		uint32_t n = len < space ? len : space;

		if (!n) {
			uint32_t before = page.req_cons;

			kick(ring);
			if (page.req_cons == before)
				break; /* the server takes no more: blocked or broken */
			continue;
		}
		put_bytes(msg, n);
		msg += n;
		len -= n;
	}
	kick(ring);
}

static void do_request(struct hv_xs_ring *ring, struct input *in, uint32_t req_id)
{
	static uint8_t msg[HDR_LEN + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .req_id = req_id };

	hdr.type = take(in);
	hdr.tx_id = take(in);
	hdr.len = take_le(in, 2);
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		hdr.len = XENSTORE_PAYLOAD_MAX;
	if (hdr.len > in->left)
		hdr.len = (uint32_t)in->left;
	memcpy(msg, &hdr, HDR_LEN);
	memcpy(msg + HDR_LEN, in->p, hdr.len);
	in->p += hdr.len;
	in->left -= hdr.len;
	send_whole(ring, msg, HDR_LEN + hdr.len);
}

static void do_raw(struct input *in)
{
	uint32_t n = take(in);

	if (n > in->left)
		n = (uint32_t)in->left;
	put_bytes(in->p, n);
	in->p += n;
	in->left -= n;
}

/* ---- the guest's reply side ---- */

static void check_message(const struct xsd_sockmsg *hdr, const uint8_t *payload)
{
	if (hdr->type == XS_WATCH_EVENT) {
		uint32_t nuls = 0;

		for (uint32_t i = 0; i < hdr->len; i++)
			nuls += payload[i] == '\0';
		if (hdr->req_id || hdr->tx_id || nuls != 2 || payload[hdr->len - 1])
			fail("malformed watch event");
	} else if (hdr->type == XS_ERROR) {
		if (!hdr->len || payload[hdr->len - 1])
			fail("error reply without a nul-terminated name");
	} else if (hdr->type >= XS_TYPE_COUNT) {
		fail("reply of an unknown type");
	}
}

static void rx_byte(uint8_t b)
{
	struct xsd_sockmsg hdr;

	rx.buf[rx.have++] = b;
	if (rx.have < HDR_LEN)
		return;
	memcpy(&hdr, rx.buf, HDR_LEN);
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		fail("reply header announces more than XENSTORE_PAYLOAD_MAX");
	if (rx.have == HDR_LEN + hdr.len) {
		check_message(&hdr, rx.buf + HDR_LEN);
		fuzz_digest_add(rx.buf, rx.have);
		rx.have = 0;
	}
}

/* Takes everything the server published; checks it while in sync. */
static void do_take(void)
{
	uint32_t prod = page.rsp_prod, cons = page.rsp_cons;

	if (!rx.in_sync) {
		page.rsp_cons = prod;
		return;
	}
	if (prod - cons > XENSTORE_RING_SIZE)
		fail("server produced more than a ring of replies");
	for (; cons != prod; cons++)
		rx_byte((uint8_t)page.rsp[MASK_XENSTORE_IDX(cons)]);
	page.rsp_cons = prod;
}

static void do_reconnect(struct hv_xs_ring *ring)
{
	page.connection = XENSTORE_RECONNECT;
	kick(ring);
	if (page.connection != XENSTORE_CONNECTED || page.error != XENSTORE_ERROR_NONE ||
	    hv_xs_ring_error(ring) != XENSTORE_ERROR_NONE)
		fail("reconnect did not finish");
	if (page.req_cons != page.req_prod || page.rsp_prod != page.rsp_cons)
		fail("reconnect left a ring non-empty");
	rx.in_sync = true; /* both rings restart at a message boundary */
	rx.have = 0;
}

static void do_scribble(struct input *in)
{
	uint8_t field = take(in);
	uint32_t v = take_le(in, 4);

	switch (field % 5) {
	case 0:
		page.req_cons = v;
		break;
	case 1:
		page.rsp_prod = v;
		rx.in_sync = false;
		break;
	case 2:
		page.error = v;
		break;
	case 3:
		page.server_features = v;
		break;
	default:
		page.connection = v;
		rx.in_sync = false; /* may start a reset we do not wait for */
		break;
	}
}

static void do_toolstack(struct hv_xs *xs, struct input *in)
{
	static const char *const keys[] = {
		"/local/domain/1/data/t", "/local/domain/1/control/shutdown",
		"/local/domain/1/device/vif", "/local/domain/1/name",
	};
	uint32_t rsp_prod = page.rsp_prod, error = page.error;
	unsigned before = notified;
	uint8_t v = take(in);
	char value[4];

	snprintf(value, sizeof(value), "%u", v % 100);
	if (v & 0x80)
		hv_xs_rm(xs, keys[v & 3]);
	else
		hv_xs_write_str(xs, keys[v & 3], value);
	/* Events reach the ring outside a kick: they must notify too. */
	if (notified == before && (page.rsp_prod != rsp_prod || page.error != error))
		fail("an event moved the page without a notification");
}

static void run(struct hv_xs *xs, struct hv_xs_ring *ring, struct input *in)
{
	uint32_t req_id = 1;

	while (in->left) {
		uint8_t cmd = take(in) % CMD_COUNT;
		uint32_t shift, v;

		switch (cmd) {
		case CMD_REQUEST:
			do_request(ring, in, req_id++);
			break;
		case CMD_RAW:
			do_raw(in);
			break;
		case CMD_KICK:
			kick(ring);
			break;
		case CMD_TAKE:
			do_take();
			break;
		case CMD_REQ_PROD:
		case CMD_RSP_CONS:
			shift = take(in) & 24;
			v = take_le(in, 2) << shift;
			if (cmd == CMD_REQ_PROD) {
				page.req_prod += v;
			} else {
				page.rsp_cons += v;
				rx.in_sync = false;
			}
			break;
		case CMD_RECONNECT:
			do_reconnect(ring);
			break;
		case CMD_SCRIBBLE:
			do_scribble(in);
			break;
		default:
			do_toolstack(xs, in);
			break;
		}
	}
}

/* ---- setup ---- */

static void quiet(void *opaque, enum hv_xs_log_level level, const char *msg)
{
	(void)opaque, (void)level, (void)msg;
}

static void config_for(uint8_t sel, struct hv_xs_config *cfg)
{
	hv_xs_config_default(cfg);
	cfg->log = quiet; /* formats every message, shows none */
	cfg->log_level = HV_XS_LOG_DEBUG;
	if (!(sel & 1))
		return;
	cfg->max_outstanding = 2;
	cfg->max_guest_out_bytes = 20000; /* one chunk: drops come soon */
	cfg->max_watches = 4;
	cfg->max_transactions = 2;
	cfg->max_nodes_per_domain = 16;
	cfg->max_node_data = 64;
	cfg->max_txn_ops = 4;
}

/*
 * One daemon per set of limits, both built before the first input (a
 * daemon built during one would be coverage only that input shows), with
 * the guest's domain made by the toolstack; each input gets a fresh ring,
 * and after it the domain is destroyed and the store restored from the
 * snapshot (tree, quotas, introductions), so an input does the same
 * whatever ran before it.
 */
static struct daemon {
	struct hv_xs *xs;
	struct hv_xs_snapshot *start;
	size_t nodes;                /* live nodes in the snapshot's store */
} daemons[2];

static void daemon_build(struct daemon *d, uint8_t sel)
{
	const struct hv_xs_domain_info info = { .domid = DOMID, .name = "guest",
						.memory_kb = 65536, .vcpus = 2 };
	struct hv_xs_config cfg;

	config_for(sel, &cfg);
	d->xs = hv_xs_new(&cfg);
	/* /vm stays too once the domain's /vm/UUID goes, as /local/domain. */
	if (!d->xs || hv_xs_mkdir(d->xs, "/local/domain") || hv_xs_mkdir(d->xs, "/vm") ||
	    hv_xs_toolstack_create_domain(d->xs, &info))
		abort();
	d->start = hv_xs_snapshot_take(d->xs);
	if (!d->start)
		abort();
	d->nodes = hv_xs_live_nodes(d->xs);
}

/*
 * The guest can only create nodes below its home (the toolstack's
 * permissions), and freeing its ring ends its transactions: once the
 * domain is destroyed, it owns no node. After the restore, a node the
 * input leaked would still be live.
 */
static void daemon_restore(struct daemon *d)
{
	if (hv_xs_toolstack_destroy_domain(d->xs, DOMID))
		abort();
	if (hv_xs_domain_nodes(d->xs, DOMID)) {
		fprintf(stderr, "fuzz_xs_ring: d%u still owns %u nodes once destroyed\n",
			DOMID, hv_xs_domain_nodes(d->xs, DOMID));
		abort();
	}
	if (hv_xs_snapshot_restore(d->xs, d->start))
		abort();
	if (hv_xs_live_nodes(d->xs) != d->nodes) {
		fprintf(stderr, "fuzz_xs_ring: %zu live nodes after the restore, %zu before\n",
			hv_xs_live_nodes(d->xs), d->nodes);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_digest_on(); /* the environment read before the first input */
	daemon_build(&daemons[0], 0);
	daemon_build(&daemons[1], 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct hv_xs_ring *ring;
	struct daemon *d;
	uint32_t start;
	uint8_t sel;

	fuzz_edges_start();
	fuzz_digest_start();
	sel = take(&in);
	start = 0u - (uint32_t)(sel >> 1) * 16;
	d = &daemons[sel & 1];
	memset(&page, 0, sizeof(page));
	page.req_cons = page.req_prod = page.rsp_cons = page.rsp_prod = start;
	memset(&rx, 0, sizeof(rx));
	rx.in_sync = true;
	notified = 0;
	ring = hv_xs_ring_new(d->xs, DOMID, &page, notify, NULL);
	if (!ring)
		abort();
	run(d->xs, ring, &in);
	hv_xs_ring_free(ring);
	fuzz_digest_add(&page, sizeof(page));
	fuzz_digest_add(&notified, sizeof(notified));
	fuzz_digest_report();
	daemon_restore(d);
	fuzz_edges_report();
	return 0;
}
