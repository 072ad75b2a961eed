/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's end of one blkif ring as a hostile backend plays it, driven by
 * fuzz input: the moves the blkfront targets share (fuzz_blkfront on the
 * native guest, fuzz_emu_blkfront on the emulated one). It reads requests
 * and checks them (a malformed one is the frontend's bug), answers them
 * well or with any id, operation and status, writes responses nobody
 * asked for, rewrites published ones. Header-only: each target includes
 * it once (after fuzz_input.h). */
#ifndef TESTS_FUZZ_BLK_BACKEND_H
#define TESTS_FUZZ_BLK_BACKEND_H

#include <stdint.h>
#include <string.h>

#include <xen/io/blkif.h>

#define FUZZ_BLK_FIFO 256

struct fuzz_blk_taken {
	uint64_t id;
	uint8_t op;
};

struct fuzz_blk_backend {
	blkif_back_ring_t *ring;
	/* What the frontend may put on the ring: ids below depth, indirect
	 * requests of up to max_indirect segments. */
	unsigned depth, max_indirect;
	void (*fail)(const char *what);    /* does not return */
	/* Requests taken, not answered yet, oldest first. */
	struct fuzz_blk_taken fifo[FUZZ_BLK_FIFO];
	unsigned head, tail;
};

/* A request as dom0 reads it: well formed, whatever came before. */
static void fuzz_blk_check_request(struct fuzz_blk_backend *b,
				   const union blkif_sring_entry *e)
{
	const struct blkif_request_indirect *ind = (const void *)e;

	switch (e->req.operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
		if (e->req.nr_segments == 0 ||
		    e->req.nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			b->fail("a direct request with a bad segment count");
		for (unsigned s = 0; s < e->req.nr_segments; s++)
			if (e->req.seg[s].first_sect > e->req.seg[s].last_sect ||
			    e->req.seg[s].last_sect > 7)
				b->fail("a segment outside its page");
		break;
	case BLKIF_OP_INDIRECT:
		if (ind->nr_segments <= BLKIF_MAX_SEGMENTS_PER_REQUEST ||
		    ind->nr_segments > b->max_indirect)
			b->fail("an indirect request with a bad segment count");
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_DISCARD:
		break;
	default:
		b->fail("a request with an unknown operation");
	}
	if (e->req.id >= b->depth)
		b->fail("a request id beyond the queue's depth");
}

/* Up to n (the next input byte) requests read and checked. */
static void fuzz_blk_take(struct fuzz_blk_backend *b, struct fuzz_input *in)
{
	blkif_back_ring_t *ring = b->ring;
	RING_IDX prod = __atomic_load_n(&ring->sring->req_prod,
					__ATOMIC_ACQUIRE);
	unsigned n = fuzz_byte(in);

	if (prod - ring->req_cons > ring->nr_ents)
		b->fail("the guest overran its request ring");
	while (n-- && ring->req_cons != prod) {
		union blkif_sring_entry e;

		memcpy(&e, XEN_RING_REQ(ring, ring->req_cons), sizeof(e));
		ring->req_cons++;
		fuzz_blk_check_request(b, &e);
		if (b->tail - b->head < FUZZ_BLK_FIFO)
			b->fifo[b->tail++ % FUZZ_BLK_FIFO] =
				(struct fuzz_blk_taken){ e.req.id,
							 e.req.operation };
	}
}

/* Into a slot whose request dom0 has taken (a response written over one
 * it has not would only garble what dom0 itself reads next; answers the
 * guest never asked for are rsp_prod's lies). */
static void fuzz_blk_put_response(struct fuzz_blk_backend *b, uint64_t id,
				  uint8_t op, int16_t status)
{
	blkif_back_ring_t *ring = b->ring;
	struct blkif_response *rsp = XEN_RING_RSP(ring, ring->rsp_prod_pvt);

	if (ring->rsp_prod_pvt == ring->req_cons)
		return;
	memset(rsp, 0xa5, sizeof(*rsp));     /* garbage in the padding */
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	ring->rsp_prod_pvt++;
}

static int16_t fuzz_blk_status_of(struct fuzz_input *in, uint8_t how)
{
	static const int16_t statuses[] = {
		BLKIF_RSP_OKAY, BLKIF_RSP_OKAY, BLKIF_RSP_ERROR,
		BLKIF_RSP_EOPNOTSUPP,
	};

	return how & 0x40 ? (int16_t)fuzz_u16(in) : statuses[how & 3];
}

/* The oldest request taken answered: how says whether its id, operation
 * and status are kept. */
static void fuzz_blk_answer(struct fuzz_blk_backend *b, struct fuzz_input *in)
{
	uint8_t how = fuzz_byte(in);
	struct fuzz_blk_taken t;

	if (b->head == b->tail)
		return;
	t = b->fifo[b->head++ % FUZZ_BLK_FIFO];
	if (how & 0x80)
		t.id ^= (uint64_t)1 << (fuzz_byte(in) & 63);
	if (how & 0x20)
		t.op = fuzz_byte(in);
	fuzz_blk_put_response(b, t.id, t.op, fuzz_blk_status_of(in, how));
}

/* Any response: id, operation, status from the input. */
static void fuzz_blk_raw(struct fuzz_blk_backend *b, struct fuzz_input *in)
{
	uint8_t idb = fuzz_byte(in);
	uint64_t id = idb & 0x80 ? fuzz_u64(in) : idb;
	uint8_t op = fuzz_byte(in);

	fuzz_blk_put_response(b, id, op, (int16_t)fuzz_u16(in));
}

/* rsp_prod published (the caller notifies). */
static void fuzz_blk_publish(struct fuzz_blk_backend *b)
{
	__atomic_store_n(&b->ring->sring->rsp_prod, b->ring->rsp_prod_pvt,
			 __ATOMIC_RELEASE);
}

/* rsp_prod = ours + (int8)delta: ahead of or behind what was written. */
static void fuzz_blk_rsp_prod(struct fuzz_blk_backend *b,
			      struct fuzz_input *in)
{
	b->ring->sring->rsp_prod = b->ring->rsp_prod_pvt +
				   (RING_IDX)(int8_t)fuzz_byte(in);
}

/* One of the last 8 responses published changed: id and status. */
static void fuzz_blk_rewrite(struct fuzz_blk_backend *b,
			     struct fuzz_input *in)
{
	blkif_back_ring_t *ring = b->ring;
	RING_IDX idx = ring->rsp_prod_pvt - 1 - (fuzz_byte(in) & 7);
	struct blkif_response *rsp = XEN_RING_RSP(ring, idx);

	rsp->id = fuzz_byte(in);
	rsp->status = (int16_t)fuzz_u16(in);
}

#endif
