/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: dom0's network backend facing a malicious frontend. The
 * input is what the backend offers, what the frontend writes to its
 * xenstore directory (queues, split event channels, features, any node
 * spoilt with any value) and everything it then does: tx requests built
 * field by field or raw (slot counts past XEN_NETIF_NR_SLOTS_MIN, empty
 * later fragments, headers split over slots, offsets and sizes beyond
 * the page, bad grant refs, extra-info slots of any type, chains that
 * never end), rx requests (bad ids and refs, or none at all while the
 * host sends), producer indexes anywhere, grants revoked or made
 * read-only, packet bytes, state changes and event storms, while the
 * host side of the switch sends frames and GSO packets. The backend must
 * never crash or leak, answer more requests than were made, queue
 * frames for the guest without bound, or keep a ring mapped after it is
 * destroyed. The machine is built once per process. A backend connected
 * for an input's first bytes (up to the moves) is kept in one of a few
 * slots (fuzz_shapes.h) with its mark: hv_netback_mark, the model's state
 * ranges, the store, the switch, the ring and data pages. An input whose
 * first bytes a slot holds starts from that mark (back_to_mark), the live
 * backend put to sleep if it is another; any other input gets a backend
 * of its own, connected on the machine as setup_once left it (the model
 * put back from the bare snapshot, or the live backend destroyed and
 * everything reset), in the slot left longest ago.
 * Input: offers (bit 0 sg, 1 GSO TCPv4, 2 TCPv6, 3 checksum offload, 4
 * IPv6 checksum, 5 split channels, 6 multicast control, 7 MTU 9000 -
 * clamped - instead of 1500), queues offered (1-4), the frontend's shape
 * (bits 0-1 queues - 1, 2 split channels, 3 multi-queue-num-queues even
 * for one, 4 rx sg, 5 rx GSO, 6 rx checksums, 7 multicast control), a
 * node to spoil (beyond the table: none), its length and value, then
 * moves: a byte (low nibble the move, bits 4-5 the queue) and its
 * operands. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/netif.h>

#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_net_moves.h"
#include "fuzz_shapes.h"
#include "model_snapshot.h"
#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/time.h"
#include "hv/netback.h"
#include "hv/netswitch.h"
#include "hv/xs.h"
#include "../unit/test_gnttab_util.h"

#define FE            "/local/domain/1/device/vif/0"

enum {
	MOVE_TX_REQ,     /* id, ref, offset (2), size (2), flags */
	MOVE_TX_EXTRA,   /* type, flags, 6 bytes */
	MOVE_TX_RAW,     /* 12 bytes: a tx slot as is */
	MOVE_TX_PUSH,    /* publish tx req_prod, notify */
	MOVE_TX_PROD,    /* where: tx req_prod anywhere, notify */
	MOVE_RX_POST,    /* n: n rx buffers, published, notify */
	MOVE_RX_RAW,     /* id (2), ref (4): an rx slot, unpublished */
	MOVE_RX_PROD,    /* where: rx req_prod anywhere, notify */
	MOVE_HOST_FRAME, /* len (2), to: the host sends a frame */
	MOVE_HOST_GSO,   /* len (2), mss (2), how: a GSO packet */
	MOVE_RUN,        /* dom0's turn */
	MOVE_TAKE,       /* the frontend reads the responses */
	MOVE_STATE,      /* s: the frontend's state */
	MOVE_GRANT,      /* page, how: a data grant changed */
	MOVE_DATA,       /* page, offset (2), 8 bytes: packet bytes */
	MOVE_STORM,      /* n: events with nothing behind them */
	MOVE_COUNT
};

static const char *const nodes[] = {
	"request-rx-copy", "feature-rx-notify", "feature-sg",
	"feature-gso-tcpv4", "feature-gso-tcpv6", "feature-no-csum-offload",
	"feature-ipv6-csum-offload", "request-multicast-control",
	"multi-queue-num-queues", "tx-ring-ref", "rx-ring-ref",
	"event-channel", "event-channel-tx", "event-channel-rx",
	"queue-0/tx-ring-ref", "queue-1/rx-ring-ref", "queue-0/event-channel",
	"queue-1/event-channel-tx", "queue-3/event-channel-rx", "state",
	"feature-ctrl-ring", "ctrl-ring-ref", "mac", "mtu",
};
#define NODE_COUNT (sizeof(nodes) / sizeof(nodes[0]))

/* The bytes before the moves, read: what the backend offers and the
 * frontend writes before it connects. */
struct prefix {
	uint8_t offers, queues, shape, node;   /* node: NODE_COUNT for none */
	char value[16];
};
_Static_assert(sizeof(struct prefix) <= FUZZ_SHAPE_KEY, "a shape's key");


/* One connected backend, kept with its mark and the frontend it faces. */
struct shape {
	bool marked;
	struct hv_netback *nb;
	struct hv_netback_mark *mark;
	struct model_snapshot *model;     /* kept, taken again in place */
	struct hv_xs_snapshot *store;
	struct hv_netswitch sw;
	struct fe_queue q[QUEUES];
	unsigned nr_queues;
	bool split;
	uint8_t rings[2 * QUEUES][PAGE], pages[DATA_PAGES][PAGE];
	uint8_t grants[4][PAGE];          /* the guest's grant frames */
};

static struct {
	struct hv_machine *m;
	struct hv_domain *dom0, *guest;
	struct hv_xs *xs;
	struct hv_netswitch sw;
	int host_port;
	struct hv_netback *nb;
	struct fe_queue q[QUEUES];
	unsigned nr_queues;
	bool split;
	uint8_t pkt[XEN_NETIF_MAX_TX_SIZE];
	/* As setup_once left them, for the reset after each input. */
	struct hv_xs_snapshot *store;
	struct hv_netswitch sw_base;
	struct model_snapshot *bare;      /* the model with no backend */
	struct shape *live;               /* the backend the machine holds */
	bool asleep;                      /* it holds a sleeping one's state */
	struct fuzz_shapes keys;
	struct shape shape[FUZZ_SHAPES];
} w;

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_netback: %s\n", what);
	abort();
}

static bool host_deliver(void *ctx, const void *frame, size_t len)
{
	(void)ctx, (void)frame;
	if (len < HV_ETH_HLEN || len > HV_ETH_FRAME_MAX)
		fail("the switch handed the host a malformed frame");
	fuzz_digest_add(frame, len);
	return true;
}

static enum hv_netswitch_take host_take_gso(void *ctx, const void *pkt,
				       size_t len,
				       const struct hv_net_gso *gso)
{
	(void)ctx, (void)pkt, (void)gso;
	if (len > XEN_NETIF_MAX_TX_SIZE)
		fail("the switch handed the host an oversized GSO packet");
	fuzz_digest_add(pkt, len);
	return HV_NETSWITCH_TAKEN;
}

/* The model with no backend, as setup_once or a reset left it. */
FUZZ_NO_COVERAGE
static void take_bare(void)
{
	if (!w.bare || !model_snapshot_update(w.bare)) {
		model_snapshot_free(w.bare);
		w.bare = model_snapshot_take_state(w.m);
	}
	if (!w.bare)
		fail("cannot snapshot the model");
}

static void setup_once(void)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_xs_domain_info info = { .domid = 1, .name = "guest",
					   .memory_kb = 16384, .vcpus = 1 };

	w.m = hv_machine_new(NULL, NULL);
	if (!w.m)
		fail("no machine");
	/* The backend's reasons, when FUZZ_SHOW_CONSOLE is set (to see what
	 * it refused while replaying an input). */
	w.m->log_level = getenv("FUZZ_SHOW_CONSOLE") ? HV_LOG_INFO : HV_LOG_ERR;
	w.xs = hv_xs_new(NULL);
	if (!w.xs || hv_domain_create(w.m, &d0, &w.dom0) ||
	    hv_domain_create(w.m, &d1, &w.guest) ||
	    hv_xs_toolstack_create_domain(w.xs, &info))
		fail("cannot build the machine");
	for (unsigned i = 0; i < 4; i++)
		if (ut_map_frame(w.guest, i))
			fail("cannot map the grant table");
	hv_netswitch_init(&w.sw, "fuzz0");
	w.host_port = hv_netswitch_attach(&w.sw, host_deliver, NULL);
	hv_netswitch_port_gso(&w.sw, w.host_port, host_take_gso);
	w.sw_base = w.sw;
	w.store = hv_xs_snapshot_take(w.xs);
	if (!w.store)
		fail("cannot snapshot the store");
	take_bare();
}

static void fe_write(const char *node, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), FE "/%s", node);
	hv_xs_write_str(w.xs, path, value);
}

static void fe_writef(const char *node, unsigned v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	fe_write(node, s);
}

/* A TCP/IPv4 frame from the guest to the host in each data page's head,
 * every data page granted to dom0 writable. */
static void reset_data(void)
{
	static const uint8_t ip_tcp[] = {
		0x08, 0x00, 0x45, 0x00, 0x05, 0xdc, 0, 0, 0x40, 0, 64, 6, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1,
		0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0,
	};

	for (unsigned k = 0; k < DATA_PAGES; k++) {
		uint8_t *p = ut_ram_page(w.guest, DATA_PAGE + k);

		memset(p, (int)k, HEADER_BYTES);
		memcpy(p, fuzz_net_host_mac, 6);
		memcpy(p + 6, fuzz_net_guest_mac, 6);
		memcpy(p + 12, ip_tcp, sizeof(ip_tcp));
		ut_grant(w.guest, DATA_REF + k, 0,
			 ut_ram_gfn(w.guest, DATA_PAGE + k), false);
	}
}

/* Queue qi's rings and channels, its keys under dir. */
static void share_queue(unsigned qi, const char *dir)
{
	struct fe_queue *q = &w.q[qi];
	unsigned tx_page = RING_PAGE + 2 * qi;
	netif_tx_sring_t *tx;
	netif_rx_sring_t *rx;
	char node[48];

	memset(q, 0, sizeof(*q));
	for (unsigned r = 0; r < 2; r++) {
		memset(ut_ram_page(w.guest, tx_page + r), 0, PAGE);
		ut_grant(w.guest, RING_REF + 2 * qi + r, 0,
			 ut_ram_gfn(w.guest, tx_page + r), false);
	}
	tx = (netif_tx_sring_t *)ut_ram_page(w.guest, tx_page);
	rx = (netif_rx_sring_t *)ut_ram_page(w.guest, tx_page + 1);
	XEN_SRING_INIT(tx);
	XEN_SRING_INIT(rx);
	XEN_FRONT_RING_INIT(&q->tx, tx, PAGE);
	XEN_FRONT_RING_INIT(&q->rx, rx, PAGE);
	snprintf(node, sizeof(node), "%stx-ring-ref", dir);
	fe_writef(node, RING_REF + 2 * qi);
	snprintf(node, sizeof(node), "%srx-ring-ref", dir);
	fe_writef(node, RING_REF + 2 * qi + 1);
	q->tx_port = (evtchn_port_t)ut_alloc(w.guest, DOMID_SELF, 0);
	q->rx_port = q->tx_port;
	if (w.split) {
		q->rx_port = (evtchn_port_t)ut_alloc(w.guest, DOMID_SELF, 0);
		snprintf(node, sizeof(node), "%sevent-channel-tx", dir);
		fe_writef(node, q->tx_port);
		snprintf(node, sizeof(node), "%sevent-channel-rx", dir);
		fe_writef(node, q->rx_port);
	} else {
		snprintf(node, sizeof(node), "%sevent-channel", dir);
		fe_writef(node, q->tx_port);
	}
}

static void write_frontend(uint8_t shape)
{
	w.nr_queues = (shape & 3) + 1u;
	w.split = shape & 4;
	if (w.nr_queues > 1 || shape & 8)
		fe_writef("multi-queue-num-queues", w.nr_queues);
	for (unsigned i = 0; i < w.nr_queues; i++) {
		char dir[16] = "";

		if (w.nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		share_queue(i, dir);
	}
	fe_write("request-rx-copy", "1");
	fe_write("feature-rx-notify", "1");
	fe_writef("feature-sg", shape >> 4 & 1);
	fe_writef("feature-gso-tcpv4", shape >> 5 & 1);
	fe_writef("feature-gso-tcpv6", shape >> 5 & 1);
	fe_writef("feature-no-csum-offload", !(shape >> 6 & 1));
	fe_writef("feature-ipv6-csum-offload", shape >> 6 & 1);
	if (shape & 0x80)
		fe_write("request-multicast-control", "1");
}

/* The frontend gave the backend its ring pages to write into (as rx
 * buffers, or under another ring-ref): responses on them are no longer
 * counted against what was published. */
static void rings_not_ours(void)
{
	for (unsigned i = 0; i < QUEUES; i++)
		w.q[i].tx_lied = w.q[i].rx_lied = true;
}

static void read_prefix(struct fuzz_input *in, struct prefix *p)
{
	uint8_t len;

	memset(p, 0, sizeof(*p));
	p->offers = fuzz_byte(in);
	p->queues = fuzz_byte(in);
	p->shape = fuzz_byte(in);
	p->node = fuzz_byte(in);
	len = fuzz_byte(in) % 16;
	if (p->node >= NODE_COUNT) {
		p->node = NODE_COUNT;
		return;
	}
	for (unsigned i = 0; i < len; i++)
		p->value[i] = (char)fuzz_byte(in);
}

/* ---- the frontend's moves ---- */

static void notify(evtchn_port_t port)
{
	ut_send(w.guest, port);
}

static void publish(volatile RING_IDX *prod, RING_IDX v, RING_IDX *published,
		    evtchn_port_t port)
{
	__atomic_store_n(prod, v, __ATOMIC_RELEASE);
	*published = v;
	notify(port);
}

static void rx_post(struct fe_queue *q, struct fuzz_input *in)
{
	unsigned n = fuzz_byte(in) & 63;

	for (unsigned i = 0; i < n; i++) {
		struct netif_rx_request *req =
			XEN_RING_REQ(&q->rx, q->rx.req_prod_pvt);

		req->id = (uint16_t)(q->rx.req_prod_pvt % DATA_PAGES);
		req->pad = 0;
		req->gref = DATA_REF + req->id;
		q->rx.req_prod_pvt++;
	}
	publish(&q->rx.sring->req_prod, q->rx.req_prod_pvt, &q->rx_published,
		q->rx_port);
}

static void rx_raw(struct fe_queue *q, struct fuzz_input *in)
{
	struct netif_rx_request *req = XEN_RING_REQ(&q->rx,
						    q->rx.req_prod_pvt);

	req->id = fuzz_u16(in);
	req->pad = 0;
	req->gref = fuzz_u32(in);
	/* A ring page handed over as an rx buffer: the backend writes frames
	 * over the frontend's own indexes, which then count nothing. */
	if (req->gref >= RING_REF && req->gref < RING_REF + 2 * QUEUES)
		rings_not_ours();
	q->rx.req_prod_pvt++;
}

/* Responses never outrun the requests made (while the frontend told the
 * truth about its producer index). */
static void take(struct fe_queue *q)
{
	RING_IDX tx = __atomic_load_n(&q->tx.sring->rsp_prod,
				      __ATOMIC_ACQUIRE);
	RING_IDX rx = __atomic_load_n(&q->rx.sring->rsp_prod,
				      __ATOMIC_ACQUIRE);

	if (!q->tx_lied &&
	    tx - q->tx.rsp_cons > q->tx_published - q->tx.rsp_cons)
		fail("more tx responses than requests");
	if (!q->rx_lied &&
	    rx - q->rx.rsp_cons > q->rx_published - q->rx.rsp_cons)
		fail("more rx responses than requests");
	q->tx.rsp_cons = tx;
	q->rx.rsp_cons = rx;
}

static void grant(struct fuzz_input *in)
{
	unsigned k = fuzz_byte(in) % DATA_PAGES;
	uint8_t how = fuzz_byte(in);
	struct grant_entry_v1 *e = ut_entry(w.guest, DATA_REF + k);

	switch (how & 3) {
	case 0:
		e->flags = 0;                        /* revoked */
		break;
	case 1:
		e->flags |= GTF_readonly;
		break;
	case 2:
		e->domid = 7;                        /* someone else's */
		break;
	default:
		e->frame = 0xfffffu;                 /* no such frame */
		break;
	}
}

static void data(struct fuzz_input *in)
{
	unsigned k = fuzz_byte(in) % DATA_PAGES;
	unsigned off = fuzz_u16(in) % (HEADER_BYTES - 8);
	uint8_t *p = ut_ram_page(w.guest, DATA_PAGE + k) + off;

	for (unsigned i = 0; i < 8; i++)
		p[i] = fuzz_byte(in);
}

static void move(struct fuzz_input *in)
{
	uint8_t b = fuzz_byte(in);
	struct fe_queue *q = &w.q[(b >> 4 & 3) % w.nr_queues];
	char s[4];
	unsigned n;

	switch (b & 15) {
	case MOVE_TX_REQ:
		fuzz_net_tx_req(q, in);
		break;
	case MOVE_TX_EXTRA:
		fuzz_net_tx_extra(q, in);
		break;
	case MOVE_TX_RAW:
		fuzz_net_tx_raw(q, in);
		break;
	case MOVE_TX_PUSH:
		publish(&q->tx.sring->req_prod, q->tx.req_prod_pvt,
			&q->tx_published, q->tx_port);
		break;
	case MOVE_TX_PROD:
		q->tx.sring->req_prod = fuzz_ring_index(q->tx.req_prod_pvt, in);
		q->tx_lied = true;
		notify(q->tx_port);
		break;
	case MOVE_RX_POST:
		rx_post(q, in);
		break;
	case MOVE_RX_RAW:
		rx_raw(q, in);
		break;
	case MOVE_RX_PROD:
		q->rx.sring->req_prod = fuzz_ring_index(q->rx.req_prod_pvt, in);
		q->rx_lied = true;
		notify(q->rx_port);
		break;
	case MOVE_HOST_FRAME:
		fuzz_net_host_frame(&w.sw, w.host_port, w.pkt, in);
		break;
	case MOVE_HOST_GSO:
		fuzz_net_host_gso(&w.sw, w.host_port, w.pkt, in);
		break;
	case MOVE_RUN:
		hv_netback_run(w.nb);
		break;
	case MOVE_TAKE:
		take(q);
		break;
	case MOVE_STATE:
		snprintf(s, sizeof(s), "%u", fuzz_byte(in) % 9);
		fe_write("state", s);
		/* The backend may reconnect and start the rings over, which
		 * a frontend answers by starting over too: responses are no
		 * longer counted against what was published before. */
		for (unsigned i = 0; i < QUEUES; i++)
			w.q[i].tx_lied = w.q[i].rx_lied = true;
		break;
	case MOVE_GRANT:
		grant(in);
		break;
	case MOVE_DATA:
		data(in);
		break;
	case MOVE_STORM:
		n = fuzz_byte(in) & 63;
		for (unsigned i = 0; i < n; i++)
			notify(i & 1 ? q->rx_port : q->tx_port);
		break;
	}
	/* Bounded (XSA-392), whatever the frontend does. */
	if (hv_netback_rx_queued(w.nb) > QUEUES * HV_NETBACK_RXQ)
		fail("frames for the guest queued without bound");
}

/* What the input made the backend do, for FUZZ_DIGEST (the frames the
 * host got are folded in as they come). */
static void digest(void)
{
	static const char *const states[] = {
		FE "/state", "/local/domain/0/backend/vif/1/0/state",
	};
	char v[16];

	if (!fuzz_digest_on())
		return;
	fuzz_digest_add(&w.nb->stats, sizeof(w.nb->stats));
	/* Both ends' state as the store has them: the store comes back too. */
	for (unsigned i = 0; i < 2; i++) {
		int n = hv_xs_read(w.xs, states[i], v, sizeof(v));

		fuzz_digest_add(v, n > 0 ? (size_t)n : 0);
	}
	for (unsigned p = 0; p < 2 * QUEUES; p++)
		fuzz_digest_add(ut_ram_page(w.guest, RING_PAGE + p), PAGE);
	for (unsigned k = 0; k < DATA_PAGES; k++)
		fuzz_digest_add(ut_ram_page(w.guest, DATA_PAGE + k), PAGE);
	/* The machine as the backend left it: its grant mappings, and the
	 * guest's channels (which a machine not put back would number
	 * otherwise). */
	fuzz_digest_add(&(unsigned){ hv_gnttab_nr_mappings(w.dom0) },
			sizeof(unsigned));
	for (unsigned i = 0; i < w.nr_queues; i++) {
		fuzz_digest_add(&w.q[i].tx_port, sizeof(w.q[i].tx_port));
		fuzz_digest_add(&w.q[i].rx_port, sizeof(w.q[i].rx_port));
	}
}

/* The guest's grant entries, ring and data pages, the store and the
 * switch as setup_once left them (the model: the caller). */
FUZZ_NO_COVERAGE
static void bare_memory(void)
{
	for (unsigned frame = 0; frame < 4; frame++)
		memset(ut_entry(w.guest, frame * 512), 0, PAGE);
	for (unsigned p = 0; p < 2 * QUEUES; p++)
		memset(ut_ram_page(w.guest, RING_PAGE + p), 0, PAGE);
	for (unsigned k = 0; k < DATA_PAGES; k++)
		memset(ut_ram_page(w.guest, DATA_PAGE + k), 0, PAGE);
	if (hv_xs_snapshot_restore(w.xs, w.store))
		fail("cannot restore the store");
	w.sw = w.sw_base;
}

/* Everything an input could change, back as setup_once left it: both
 * domains' channels, guest memory, the store, the switch and virtual
 * time. */
static void reset(void)
{
	if (hv_gnttab_nr_mappings(w.dom0) != 0)
		fail("the backend kept a mapping after it was destroyed");
	hv_evtchn_reset_for(w.guest);
	hv_evtchn_reset_for(w.dom0);
	bare_memory();
	if (hv_time_rewind(w.m))
		fail("a timer was left armed");
}

static struct hv_netback *create(uint8_t offers, uint8_t queues)
{
	struct hv_netback_config cfg = { .devid = 0, .sw = &w.sw };
	struct hv_netback *nb;
	char err[160];

	memcpy(cfg.mac, fuzz_net_guest_mac, 6);
	hv_netback_features_default(&cfg.offer);
	cfg.offer.sg = offers & 1;
	cfg.offer.gso_tcpv4 = offers & 2;
	cfg.offer.gso_tcpv6 = offers & 4;
	cfg.offer.csum = offers & 8;
	cfg.offer.ipv6_csum = offers & 16;
	cfg.offer.split_evtchn = offers & 32;
	cfg.offer.mcast_control = offers & 64;
	cfg.offer.mtu = offers & 128 ? HV_NETBACK_MTU_MAX : 1500;
	cfg.offer.max_queues = (queues & 3) + 1u;
	if (hv_netback_create(w.m, w.xs, w.dom0, w.guest, &cfg, &nb, err,
			      sizeof(err))) {
		fprintf(stderr, "fuzz_netback: %s\n", err);
		fail("cannot create the backend");
	}
	return nb;
}

/* s's marks freed and its slot emptied (its model snapshot kept, to be
 * taken again in place). */
FUZZ_NO_COVERAGE
static void unmark(struct shape *s)
{
	hv_netback_mark_free(s->mark);
	hv_xs_snapshot_free(w.xs, s->store);
	s->mark = NULL;
	s->store = NULL;
	s->nb = NULL;
	s->marked = false;
	fuzz_shapes_drop(&w.keys, (int)(s - w.shape));
}

/* A sleeping backend let go: the machine holds nothing of it. */
FUZZ_NO_COVERAGE
static void forget(int slot)
{
	struct shape *s = &w.shape[slot];

	hv_netback_forget(s->nb);
	unmark(s);
}

/* The live backend destroyed, and the machine as setup_once left it. */
FUZZ_NO_COVERAGE
static void teardown(void)
{
	hv_netback_destroy(w.nb);
	unmark(w.live);
	w.nb = NULL;
	w.live = NULL;
	reset();
	take_bare();
}

/* The live backend left for another: asleep, when the machine can be put
 * back under it later (marked, no timer armed, the model's tables as at
 * every snapshot), else destroyed. */
FUZZ_NO_COVERAGE
static void leave(void)
{
	uint64_t ns;

	if (w.live->marked && !hv_time_next_deadline(w.m, &ns) &&
	    model_snapshot_fits(w.bare) && model_snapshot_fits(w.live->model)) {
		hv_netback_sleep(w.nb);
		w.live = NULL;
		w.asleep = true;
		return;
	}
	teardown();
}

/* A backend for p in slot s, connected as far as the frontend's nodes let
 * it, on the machine as setup_once left it; marked if it can be. */
static void handshake(const void *key, int slot)
{
	const struct prefix *p = key;
	struct shape *s = &w.shape[slot];

	w.nb = create(p->offers, p->queues);
	reset_data();
	write_frontend(p->shape);
	if (p->node < NODE_COUNT) {
		fe_write(nodes[p->node], p->value);
		if (strstr(nodes[p->node], "ring-ref"))
			rings_not_ours();
	}
	fe_write("state", "4");
	hv_netback_run(w.nb);
	w.live = s;
	s->nb = w.nb;
	fuzz_shapes_put(&w.keys, (int)(s - w.shape), p, sizeof(*p));
	s->mark = hv_netback_mark(w.nb);
	if (!s->model || !model_snapshot_update(s->model)) {
		model_snapshot_free(s->model);
		s->model = model_snapshot_take_state(w.m);
	}
	s->store = hv_xs_snapshot_take(w.xs);
	s->marked = s->mark && s->model && s->store;
	if (!s->marked)
		return;
	s->sw = w.sw;
	memcpy(s->q, w.q, sizeof(w.q));
	s->nr_queues = w.nr_queues;
	s->split = w.split;
	for (unsigned p = 0; p < 2 * QUEUES; p++)
		memcpy(s->rings[p], ut_ram_page(w.guest, RING_PAGE + p), PAGE);
	for (unsigned k = 0; k < DATA_PAGES; k++)
		memcpy(s->pages[k], ut_ram_page(w.guest, DATA_PAGE + k), PAGE);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(s->grants[frame], ut_entry(w.guest, frame * 512), PAGE);
}

/* The machine under s's backend, both back to s's mark: false (nothing
 * changed) when they cannot be, as when a table of the machine grew or a
 * timer is armed. Guest memory is ours to put back: the grant frames and
 * the pages granted to a backend, the only others it can have changed
 * (the rings and the data pages). */
FUZZ_NO_COVERAGE
static bool back_to_mark(int slot)
{
	struct shape *s = &w.shape[slot];
	uint64_t ns;

	if (!s->marked || hv_time_next_deadline(w.m, &ns) ||
	    !model_snapshot_fits(s->model))
		return false;
	/* Awake first: the watch's first event may mark a change, which
	 * the rewind drops. */
	if (s != w.live && hv_netback_wake(s->nb))
		fail("cannot wake a backend");
	hv_netback_rewind(s->nb, s->mark);
	if (!model_snapshot_restore(s->model) ||
	    hv_xs_snapshot_restore(w.xs, s->store))
		fail("cannot restore the connected backend");
	w.nb = s->nb;
	w.sw = s->sw;
	memcpy(w.q, s->q, sizeof(w.q));
	w.nr_queues = s->nr_queues;
	w.split = s->split;
	for (unsigned p = 0; p < 2 * QUEUES; p++)
		memcpy(ut_ram_page(w.guest, RING_PAGE + p), s->rings[p], PAGE);
	for (unsigned k = 0; k < DATA_PAGES; k++)
		memcpy(ut_ram_page(w.guest, DATA_PAGE + k), s->pages[k], PAGE);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(ut_entry(w.guest, frame * 512), s->grants[frame], PAGE);
	w.live = s;
	w.asleep = false;
	return true;
}

/* The machine with no backend, if a sleeping one's state is there. */
FUZZ_NO_COVERAGE
static void bare(void)
{
	if (!w.asleep)
		return;
	if (!model_snapshot_restore(w.bare))
		fail("cannot restore the bare model");
	bare_memory();
	w.asleep = false;
}

FUZZ_NO_COVERAGE
static int live_slot(void)
{
	return w.live ? (int)(w.live - w.shape) : -1;
}

static const struct fuzz_shape_ops shape_ops = {
	live_slot, back_to_mark, leave, forget, teardown, bare, handshake,
};

/* The largest shape, for fuzz_shapes_warm_up. */
FUZZ_NO_COVERAGE
static void warm_up(void)
{
	struct prefix big;

	memset(&big, 0, sizeof(big));
	big.queues = 3;              /* four queues offered and taken, */
	big.shape = 7;               /* their channels split */
	big.offers = 32;
	big.node = NODE_COUNT;
	fuzz_shapes_warm_up(&shape_ops, &big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	static bool ready, warm;
	struct prefix p;

	if (!ready) {
		setup_once();
		ready = true;
	}
	if (!warm && size) {
		warm_up();
		warm = true;
	}
	fuzz_digest_start();
	read_prefix(&in, &p);
	fuzz_shapes_start(&w.keys, &shape_ops, &p, sizeof(p));
	while (in.left)
		move(&in);
	hv_netback_run(w.nb);
	for (unsigned i = 0; i < w.nr_queues; i++)
		take(&w.q[i]);
	digest();
	fuzz_digest_report();
	return 0;
}
