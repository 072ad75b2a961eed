/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's end of console rings (struct xencons_interface) as a hostile
 * backend plays it, driven by fuzz input: the moves the console targets
 * share (fuzz_consfront on the native guest, fuzz_emu_consfront on the
 * emulated one): any out_cons or in_prod, input bytes put honestly,
 * output consumed honestly, the guest's own indexes overwritten, event
 * storms. The input's byte before each move picks the ring. Header-only:
 * each target includes it once (after fuzz_input.h). */
#ifndef TESTS_FUZZ_CONS_BACKEND_H
#define TESTS_FUZZ_CONS_BACKEND_H

#include <stdint.h>

#include <xen/io/console.h>

#include "hv/evtchn.h"

struct fuzz_cons_ring {
	struct xencons_interface *page;
	evtchn_port_t port;             /* dom0's end */
};

/* The moves, in the order the targets number them. */
enum fuzz_cons_move {
	FUZZ_CONS_OUT_CONS,   /* con, how, value: dom0 sets out_cons */
	FUZZ_CONS_IN_PROD,    /* con, how, value: dom0 sets in_prod */
	FUZZ_CONS_INPUT,      /* con, n, n bytes: dom0 puts input honestly */
	FUZZ_CONS_CONSUME,    /* con, n: dom0 takes up to 8n bytes of output */
	FUZZ_CONS_OWN_INDEX,  /* con, value: dom0 overwrites out_prod, in_cons */
	FUZZ_CONS_STORM,      /* con, n: n (< max) events, no data */
	FUZZ_CONS_MOVES
};

/* An index dom0 writes: a small step from where it is, or anything. */
static uint32_t fuzz_cons_index(struct fuzz_input *in, uint32_t now)
{
	uint8_t how = fuzz_byte(in);

	if (how & 0x80)
		return fuzz_u32(in);
	return now + (uint32_t)(int32_t)(int8_t)(how << 1);
}

static void fuzz_cons_input(struct xencons_interface *page,
			    struct fuzz_input *in)
{
	uint8_t n = fuzz_byte(in);

	for (unsigned i = 0; i < n; i++)
		page->in[MASK_XENCONS_IDX(page->in_prod + i, page->in)] =
			(char)fuzz_byte(in);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	page->in_prod += n;
}

static void fuzz_cons_consume(struct xencons_interface *page,
			      struct fuzz_input *in)
{
	uint32_t n = fuzz_byte(in) * 8u, ready = page->out_prod - page->out_cons;

	if (ready <= sizeof(page->out))
		page->out_cons += n < ready ? n : ready;
}

/* One move (m < FUZZ_CONS_MOVES) on one of the two rings; storms of at
 * most storm_max - 1 events. */
static void fuzz_cons_move(struct fuzz_cons_ring ring[2],
			   struct hv_domain *dom0, unsigned m,
			   unsigned storm_max, struct fuzz_input *in)
{
	struct fuzz_cons_ring *r = &ring[fuzz_byte(in) & 1];
	struct xencons_interface *page = r->page;
	unsigned n;

	switch (m) {
	case FUZZ_CONS_OUT_CONS:
		page->out_cons = fuzz_cons_index(in, page->out_cons);
		break;
	case FUZZ_CONS_IN_PROD:
		page->in_prod = fuzz_cons_index(in, page->in_prod);
		break;
	case FUZZ_CONS_INPUT:
		fuzz_cons_input(page, in);
		break;
	case FUZZ_CONS_CONSUME:
		fuzz_cons_consume(page, in);
		break;
	case FUZZ_CONS_OWN_INDEX:
		page->out_prod = fuzz_u32(in);
		page->in_cons = fuzz_u32(in);
		break;
	case FUZZ_CONS_STORM:
		n = fuzz_byte(in) % storm_max;
		for (unsigned i = 0; i < n; i++)
			hv_evtchn_send_from(dom0, r->port);
		break;
	}
}

#endif
