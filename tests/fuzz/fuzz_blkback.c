/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: dom0's block backend facing a malicious frontend. The input
 * is the frontend's xenbus node values and everything it does to its
 * rings: raw request slots, producer indexes, kicks, state changes, grant
 * changes, while virtual time passes. The backend must not crash, leak,
 * take more requests than its rings hold, or change the image's size. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/blkfront_fake.h"
#include "fuzz_digest.h"
#include "model_snapshot.h"
#include "hv/evtchn.h"

/*
 * Input layout. Byte 0: features (bit 0 no flush, 1 no barrier, 2 no
 * discard, 3 no indirect, 4 sector size 4096, 5 read-only, 6 cdrom).
 * Byte 1: queues (bits 0-1, plus 1) and ring order (bits 2-3; 3 means a
 * single "ring-ref"). Byte 2: a frontend node to spoil (mod NODE_COUNT,
 * beyond it none), then a length byte and that many value bytes. Then
 * commands, one byte each (mod CMD_COUNT), with their operands:
 */
enum {
	CMD_SLOT,       /* queue, 112 bytes: the next request slot, as is */
	CMD_PUSH,       /* queue: publish and kick */
	CMD_PROD,       /* queue, 4 bytes: req_prod = value, kick */
	CMD_RUN,        /* dom0's turn */
	CMD_TIME,       /* let the next deadline come */
	CMD_TAKE,       /* queue: consume responses */
	CMD_STATE,      /* state byte: the frontend's state */
	CMD_GRANT,      /* ref byte, page byte, flags byte: a data grant */
	CMD_INDIRECT,   /* offset (2 bytes), 8 bytes: into indirect page 0 */
	CMD_COUNT
};

static const char *const nodes[] = {
	"protocol", "ring-page-order", "multi-queue-num-queues", "ring-ref",
	"ring-ref0", "ring-ref1", "event-channel", "queue-1/ring-ref0",
	"queue-0/event-channel", "feature-persistent", "state",
};
#define NODE_COUNT (sizeof(nodes) / sizeof(nodes[0]))

/* The bytes before the commands, read: what the backend offers and the
 * frontend writes before it connects. */
struct prefix {
	uint8_t feat, shape, node;   /* node: NODE_COUNT for none */
	char value[64];
};

/*
 * The machine (dom0, xenstored, the guest and its grant frames) is built
 * once, on the first input. An input whose prefix differs from the last
 * one's gets a backend of its own (the last one destroyed, and everything
 * it changed put back as setup_once left it: the store, both domains'
 * event channels, the guest's grant entries, the pages it granted,
 * virtual time), which connects; the connected backend is then marked
 * (hv_blkback_mark, the model's state ranges, the store). An input with
 * the same prefix as the last starts from that mark instead of a
 * handshake of its own: the same state, some fifty store writes fewer.
 * The image is put back after every input that wrote it. So an input
 * does the same whatever ran before it.
 */
static struct {
	struct fake base;
	struct hv_xs_snapshot *store;
	char image[64];
	uint8_t pattern[FK_IMAGE_BYTES];
	uint8_t granted[256 / 8];    /* data pages CMD_GRANT gave out */
	/* The live backend, connected for key, and its marks. */
	bool live, marked;
	struct prefix key;
	struct fake f;               /* the frontend now */
	struct fake f_connected;     /* ... as the handshake left it */
	struct hv_blkback_mark *bb_mark;
	struct model_snapshot *model;   /* kept, taken again in place */
	struct hv_xs_snapshot *connected;
	uint8_t rings[HV_BLKBACK_MAX_QUEUES][4 << 12]; /* order 2 at most */
	uint8_t grants[4][4096];     /* the guest's grant frames */
} w;

struct input {
	const uint8_t *p;
	size_t left;
};

static bool take(struct input *in, void *dst, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(dst, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

static uint8_t byte(struct input *in)
{
	uint8_t b = 0;

	take(in, &b, 1);
	return b;
}

static void configure(struct fake *f, uint8_t feat)
{
	struct hv_blkback_features *ft = &f->cfg.features;

	ft->flush = !(feat & 1);
	ft->barrier = !(feat & 2);
	ft->discard = !(feat & 4);
	ft->max_indirect_segments = feat & 8 ? 0 : 64;
	ft->sector_size = feat & 16 ? 4096 : 512;
	f->cfg.readonly = feat & 32;
	f->cfg.cdrom = feat & 64;
	f->cfg.seed = feat >> 7;
}

static void read_prefix(struct input *in, struct prefix *p)
{
	uint8_t len;

	memset(p, 0, sizeof(*p));
	p->feat = byte(in);
	p->shape = byte(in);
	p->node = byte(in);
	len = byte(in);
	if (p->node >= NODE_COUNT) {
		p->node = NODE_COUNT;
		return;
	}
	len %= sizeof(p->value);
	take(in, p->value, len);
}

static void command(struct fake *f, struct input *in, uint8_t cmd)
{
	uint8_t qi = byte(in) % (f->nr_queues ? f->nr_queues : 1);
	union blkif_sring_entry slot;
	struct blkif_response rsp[64];
	uint32_t v = 0;
	uint16_t off = 0;
	uint8_t b[8] = { 0 };    /* what a short input leaves untaken */

	switch (cmd % CMD_COUNT) {
	case CMD_SLOT:
		memset(&slot, 0, sizeof(slot));
		take(in, &slot, sizeof(slot));
		fk_put(f, qi, &slot, sizeof(slot));
		break;
	case CMD_PUSH:
		fk_push(f, qi);
		break;
	case CMD_PROD:
		take(in, &v, sizeof(v));
		((struct blkif_sring *)f->q[qi].ring)->req_prod = v;
		ut_send(f->guest, f->q[qi].port);
		break;
	case CMD_RUN:
		hv_blkback_run(f->bb);
		break;
	case CMD_TIME: {
		uint64_t ns;

		if (hv_time_next_deadline(f->m, &ns))
			hv_time_advance_to(f->m, ns);
		break;
	}
	case CMD_TAKE:
		fk_responses(f, qi, rsp, 64);
		break;
	case CMD_STATE: {
		char s[4];

		snprintf(s, sizeof(s), "%u", qi);
		fk_write(f, "state", s);
		break;
	}
	case CMD_GRANT:
		take(in, b, 3);
		w.granted[b[1] / 8] |= (uint8_t)(1u << b[1] % 8);
		ut_grant(f->guest, FK_DATA_REF + b[0], b[2] & 1 ? 5 : 0,
			 ut_ram_gfn(f->guest, FK_DATA_PAGE + b[1]), b[2] & 2);
		break;
	case CMD_INDIRECT:
		take(in, &off, sizeof(off));
		take(in, b, sizeof(b));
		memcpy(ut_ram_page(f->guest, FK_IND_PAGE) + off % (4096 - 8), b,
		       sizeof(b));
		fk_grant(f, FK_IND_REF, FK_IND_PAGE, true);
		break;
	}
}

static void remove_image(void)
{
	unlink(w.image);
}

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_blkback: %s\n", what);
	abort();
}

static void setup_once(void)
{
	/* tmpfs where there is one: flushes cost nothing there. */
	snprintf(w.image, sizeof(w.image), "%s/xensim-fuzz-blk-XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (fk_image_create(w.image))
		fail("cannot create the image");
	atexit(remove_image);
	for (uint64_t i = 0; i < sizeof(w.pattern); i++)
		w.pattern[i] = fk_pattern(i);
	if (fk_machine_for(&w.base, w.image))
		fail("cannot build the machine");
	w.store = hv_xs_snapshot_take(w.base.xs);
	if (!w.store)
		fail("cannot snapshot the store");
}

static void zero_page(struct fake *f, unsigned page)
{
	memset(ut_ram_page(f->guest, page), 0, 4096);
}

/* Everything the input could change, back as setup_once left it. */
static void reset(struct fake *f)
{
	if (hv_gnttab_nr_mappings(f->dom0) != 0)
		fail("the backend kept a mapping after it was destroyed");
	hv_evtchn_reset_for(f->guest);
	hv_evtchn_reset_for(f->dom0);
	for (unsigned frame = 0; frame < 4; frame++)
		memset(ut_entry(f->guest, frame * 512), 0, 4096);
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		for (unsigned p = 0; p < 1u << f->order; p++)
			zero_page(f, FK_RING_PAGE + 16 * qi + p);
	for (unsigned k = 0; k < 256; k++)
		if (w.granted[k / 8] & 1u << k % 8)
			zero_page(f, FK_DATA_PAGE + k);
	memset(w.granted, 0, sizeof(w.granted));
	zero_page(f, FK_IND_PAGE);
	if (hv_xs_snapshot_restore(f->xs, w.store))
		fail("cannot restore the store");
	if (hv_time_rewind(f->m))
		fail("a timer was left armed");
}

/* What the input made the backend do, for FUZZ_DIGEST. */
static void digest(struct fake *f, const struct hv_blkback_stats *st)
{
	/* Field by field: the struct has padding. */
	const uint64_t counts[] = {
		st->requests, st->responses, st->errors, st->unsupported,
		st->in_flight, st->max_in_flight, st->broken_rings,
		st->nr_queues, st->ring_page_order, st->persistent,
		st->persistent_grants, st->restarts, st->image_writes,
	};

	char fe_state[16];
	int n;

	if (!fuzz_digest_on())
		return;
	fuzz_digest_add(counts, sizeof(counts));
	fuzz_digest_add(&(unsigned){ fk_be_state(f) }, sizeof(unsigned));
	/* Both ends' state as the store has them: the store comes back too. */
	n = hv_xs_read(f->xs, FK_FE "/state", fe_state, sizeof(fe_state));
	fuzz_digest_add(fe_state, n > 0 ? (size_t)n : 0);
	fuzz_digest_add(fk_be_read(f, "state"), strlen(fk_be_read(f, "state")));
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		fuzz_digest_add(f->q[qi].ring, 4096u << f->order);
	for (unsigned k = 0; k < 256; k++)
		if (w.granted[k / 8] & 1u << k % 8)
			fuzz_digest_add(fk_data(f, k), 4096);
	fuzz_digest_add(ut_ram_page(f->guest, FK_IND_PAGE), 4096);
}

static void image_restore(void)
{
	int fd = open(w.image, O_WRONLY);

	if (fd < 0 || pwrite(fd, w.pattern, sizeof(w.pattern), 0) !=
		      (ssize_t)sizeof(w.pattern))
		fail("cannot restore the image");
	close(fd);
}

static void forget_marks(void)
{
	hv_blkback_mark_free(w.bb_mark);
	hv_xs_snapshot_free(w.base.xs, w.connected);
	w.bb_mark = NULL;
	w.connected = NULL;
	w.marked = false;
}

/* The live backend away, and the machine as setup_once left it. */
static void teardown(void)
{
	forget_marks();
	hv_blkback_destroy(w.f.bb);
	w.f.bb = NULL;
	reset(&w.f);
	w.live = false;
}

/* A backend for p, connected as far as the frontend's nodes let it. */
static void handshake(const struct prefix *p)
{
	struct fake *f = &w.f;
	int order = (p->shape >> 2 & 3) == 3 ? -1 : p->shape >> 2 & 3;

	*f = w.base;
	configure(f, p->feat);
	f->cfg.inline_io = true;
	if (fk_backend(f))
		fail("cannot create the backend"); /* the image is always good */
	fk_share_rings(f, (p->shape & 3) + 1u, order);
	if (p->node < NODE_COUNT)
		fk_write(f, nodes[p->node], p->value);
	fk_write(f, "state", "3");
	hv_blkback_run(f->bb);
	w.key = *p;
	w.live = true;
	/* Unmarked (the next input handshakes again) if it cannot be. */
	w.bb_mark = hv_blkback_mark(f->bb);
	if (!w.model || !model_snapshot_update(w.model)) {
		model_snapshot_free(w.model);
		w.model = model_snapshot_take_state(f->m);
	}
	w.connected = hv_xs_snapshot_take(f->xs);
	w.f_connected = *f;
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		memcpy(w.rings[qi], f->q[qi].ring, 4096u << f->order);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(w.grants[frame], ut_entry(f->guest, frame * 512), 4096);
	w.marked = w.bb_mark && w.model && w.connected;
	if (!w.marked)
		forget_marks();
}

/* The live backend back to its mark: false (nothing changed) when it
 * cannot be, as when a request is in flight or a table of the machine
 * grew. Guest memory is ours to put back: the grant frames and the
 * pages granted to the backend, the only others it can have changed
 * (the rings, the data pages and the indirect page). */
static bool back_to_mark(void)
{
	struct fake *f = &w.f;
	uint64_t ns;

	if (!w.marked || hv_time_next_deadline(f->m, &ns) ||
	    !model_snapshot_fits(w.model) || hv_blkback_rewind(f->bb, w.bb_mark))
		return false;
	w.f = w.f_connected;
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		memcpy(f->q[qi].ring, w.rings[qi], 4096u << f->order);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(ut_entry(f->guest, frame * 512), w.grants[frame], 4096);
	for (unsigned k = 0; k < 256; k++)
		if (w.granted[k / 8] & 1u << k % 8)
			zero_page(f, FK_DATA_PAGE + k);
	memset(w.granted, 0, sizeof(w.granted));
	zero_page(f, FK_IND_PAGE);
	if (!model_snapshot_restore(w.model) ||
	    hv_xs_snapshot_restore(f->xs, w.connected))
		fail("cannot restore the connected backend");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct input in = { data, size };
	struct hv_blkback_stats st;
	struct fake *f = &w.f;
	struct prefix p;

	if (!ready) {
		setup_once();
		ready = true;
	}
	fuzz_digest_start();
	read_prefix(&in, &p);
	if (!w.live || memcmp(&p, &w.key, sizeof(p)) || !back_to_mark()) {
		if (w.live)
			teardown();
		handshake(&p);
	}
	while (in.left)
		command(f, &in, byte(&in));
	fk_settle(f);
	hv_blkback_get_stats(f->bb, &st);
	/* Never more taken at once than the rings hold. */
	if (st.max_in_flight > HV_BLKBACK_MAX_QUEUES * 512u)
		fail("more requests in flight than the rings hold");
	if (st.in_flight != 0 || st.responses > st.requests)
		fail("requests left unanswered, or answered twice");
	digest(f, &st);
	fuzz_digest_report();
	if (st.image_writes)
		image_restore();
	return 0;
}
