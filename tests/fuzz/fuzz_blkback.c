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
#include "fuzz_shapes.h"
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
_Static_assert(sizeof(struct prefix) <= FUZZ_SHAPE_KEY, "a shape's key");

/*
 * The machine (dom0, xenstored, the guest and its grant frames) is built
 * once, on the first input. A backend connected for a prefix is kept, with
 * its mark (hv_blkback_mark, the model's state ranges, the store, the ring
 * pages and grant frames as the handshake left them), in one of a few
 * slots (fuzz_shapes.h). An input whose prefix is the live backend's starts
 * from its mark; one whose prefix another slot holds starts from that
 * backend's mark (the live one put to sleep: hv_blkback_sleep); any other
 * input gets a backend of its own, connected on the machine as setup_once
 * left it (the model put back from the bare snapshot, taken with no
 * backend, or the live backend destroyed and everything reset), its slot
 * the one left longest ago. The image is put back after every input that
 * wrote it. So an input does the same whatever ran before it.
 */
struct shape {
	struct fake f;               /* the frontend as the handshake left it */
	bool marked;
	struct hv_blkback_mark *mark;
	struct model_snapshot *model;   /* kept, taken again in place */
	struct hv_xs_snapshot *store;
	uint8_t rings[HV_BLKBACK_MAX_QUEUES][4 << 12]; /* order 2 at most */
	uint8_t grants[4][4096];     /* the guest's grant frames */
};

static struct {
	struct fake base;
	struct hv_xs_snapshot *store;
	struct model_snapshot *bare;    /* the model with no backend */
	char image[64];
	uint8_t pattern[FK_IMAGE_BYTES];
	uint8_t granted[256 / 8];    /* data pages CMD_GRANT gave out */
	struct fake f;               /* the frontend now */
	struct shape *live;          /* the backend the machine holds */
	bool asleep;                 /* it holds a sleeping backend's state */
	struct fuzz_shapes keys;
	struct shape shape[FUZZ_SHAPES];
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

/* The model with no backend, as setup_once or a reset left it. */
FUZZ_NO_COVERAGE
static void take_bare(void)
{
	if (!w.bare || !model_snapshot_update(w.bare)) {
		model_snapshot_free(w.bare);
		w.bare = model_snapshot_take_state(w.base.m);
	}
	if (!w.bare)
		fail("cannot snapshot the model");
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
	take_bare();
}

static void zero_page(struct fake *f, unsigned page)
{
	memset(ut_ram_page(f->guest, page), 0, 4096);
}

/* The guest pages f's backend and the input could have written, zeroed:
 * f's rings, the data pages granted, the indirect page. */
FUZZ_NO_COVERAGE
static void clear_pages(struct fake *f)
{
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		for (unsigned p = 0; p < 1u << f->order; p++)
			zero_page(f, FK_RING_PAGE + 16 * qi + p);
	for (unsigned k = 0; k < 256; k++)
		if (w.granted[k / 8] & 1u << k % 8)
			zero_page(f, FK_DATA_PAGE + k);
	memset(w.granted, 0, sizeof(w.granted));
	zero_page(f, FK_IND_PAGE);
}

/* The grant frames, the pages and the store as setup_once left them (the
 * model: the caller). */
FUZZ_NO_COVERAGE
static void bare_memory(struct fake *f)
{
	for (unsigned frame = 0; frame < 4; frame++)
		memset(ut_entry(f->guest, frame * 512), 0, 4096);
	clear_pages(f);
	if (hv_xs_snapshot_restore(f->xs, w.store))
		fail("cannot restore the store");
}

/* Everything the input could change, back as setup_once left it. */
static void reset(struct fake *f)
{
	if (hv_gnttab_nr_mappings(f->dom0) != 0)
		fail("the backend kept a mapping after it was destroyed");
	hv_evtchn_reset_for(f->guest);
	hv_evtchn_reset_for(f->dom0);
	bare_memory(f);
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
	/* The machine as the backend left it: its grant mappings, and the
	 * guest's channels (which a machine not put back would number
	 * otherwise). */
	fuzz_digest_add(&(unsigned){ hv_gnttab_nr_mappings(f->dom0) },
			sizeof(unsigned));
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		fuzz_digest_add(&f->q[qi].port, sizeof(f->q[qi].port));
}

static void image_restore(void)
{
	int fd = open(w.image, O_WRONLY);

	if (fd < 0 || pwrite(fd, w.pattern, sizeof(w.pattern), 0) !=
		      (ssize_t)sizeof(w.pattern))
		fail("cannot restore the image");
	close(fd);
}

/* s's marks freed and its slot emptied (its model snapshot kept, to be
 * taken again in place). */
FUZZ_NO_COVERAGE
static void unmark(struct shape *s)
{
	hv_blkback_mark_free(s->mark);
	hv_xs_snapshot_free(w.base.xs, s->store);
	s->mark = NULL;
	s->store = NULL;
	s->marked = false;
	s->f.bb = NULL;
	fuzz_shapes_drop(&w.keys, (int)(s - w.shape));
}

/* A sleeping backend let go: the machine holds nothing of it. */
FUZZ_NO_COVERAGE
static void forget(int slot)
{
	struct shape *s = &w.shape[slot];

	hv_blkback_forget(s->f.bb);
	unmark(s);
}

/* The live backend destroyed, and the machine as setup_once left it. */
FUZZ_NO_COVERAGE
static void teardown(void)
{
	hv_blkback_destroy(w.f.bb);
	unmark(w.live);
	w.f.bb = NULL;
	w.live = NULL;
	reset(&w.f);
	take_bare();
}

/* The live backend left for another: asleep, when the machine can be put
 * back under it later (marked, idle, no timer armed, the model's tables
 * as at every snapshot), else destroyed. */
FUZZ_NO_COVERAGE
static void leave(void)
{
	uint64_t ns;

	if (w.live->marked && !hv_time_next_deadline(w.f.m, &ns) &&
	    model_snapshot_fits(w.bare) && model_snapshot_fits(w.live->model) &&
	    !hv_blkback_sleep(w.f.bb)) {
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
	w.live = s;
	s->f = *f;
	fuzz_shapes_put(&w.keys, (int)(s - w.shape), p, sizeof(*p));
	s->mark = hv_blkback_mark(f->bb);
	if (!s->model || !model_snapshot_update(s->model)) {
		model_snapshot_free(s->model);
		s->model = model_snapshot_take_state(f->m);
	}
	s->store = hv_xs_snapshot_take(f->xs);
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		memcpy(s->rings[qi], f->q[qi].ring, 4096u << f->order);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(s->grants[frame], ut_entry(f->guest, frame * 512), 4096);
	s->marked = s->mark && s->model && s->store;
}

/* The machine under s's backend, both back to s's mark: false (nothing
 * changed) when they cannot be, as when a request is in flight or a
 * table of the machine grew. Guest memory is ours to put back: the grant
 * frames and the pages granted to a backend, the only others it can
 * have changed (the rings, the data pages and the indirect page). */
FUZZ_NO_COVERAGE
static bool back_to_mark(int slot)
{
	struct shape *s = &w.shape[slot];
	struct fake *f = &s->f;
	uint64_t ns;

	if (!s->marked || hv_time_next_deadline(f->m, &ns) ||
	    !model_snapshot_fits(s->model))
		return false;
	/* Awake first: the watch's first event may mark a change, which
	 * the rewind drops. */
	if (s != w.live && hv_blkback_wake(f->bb))
		fail("cannot wake a backend");
	if (hv_blkback_rewind(f->bb, s->mark)) {
		if (s != w.live)
			fail("a sleeping backend was busy");
		return false;
	}
	clear_pages(&w.f);
	w.f = *f;
	for (unsigned qi = 0; qi < f->nr_queues; qi++)
		memcpy(f->q[qi].ring, s->rings[qi], 4096u << f->order);
	for (unsigned frame = 0; frame < 4; frame++)
		memcpy(ut_entry(f->guest, frame * 512), s->grants[frame], 4096);
	if (!model_snapshot_restore(s->model) ||
	    hv_xs_snapshot_restore(f->xs, s->store))
		fail("cannot restore the connected backend");
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
	bare_memory(&w.f);
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
	big.shape = 0x0b;            /* four queues, rings of four pages */
	big.node = NODE_COUNT;
	fuzz_shapes_warm_up(&shape_ops, &big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready, warm;
	struct input in = { data, size };
	struct hv_blkback_stats st;
	struct fake *f = &w.f;
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
