/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: both ends of the PV console ring, each facing a malicious
 * peer. The input drives, in turn, the model's backend (dom0's end, behind
 * the toolstack's console wiring) against a guest that writes what it
 * likes into the page, and the guest's ring code against a backend that
 * does the same. Neither end may crash, read or write outside the page,
 * hand on more than a ring's worth at once, move its own index past the
 * peer's, or serve a ring it found broken. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/console.h>

#include "dev/xencons.h"
#include "fuzz_digest.h"
#include "fuzz_edges.h"
#include "fuzz_input.h"
#include "hv/console_link.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

/* One byte per command (mod CMD_COUNT), then its operands. */
enum {
	CMD_GUEST_OUT,   /* n, n bytes at out_prod (masked), out_prod += n */
	CMD_OUT_PROD,    /* 4 bytes: out_prod = value (the guest lies) */
	CMD_IN_CONS,     /* 4 bytes: in_cons = value */
	CMD_KICK,        /* the guest notifies */
	CMD_RUN,         /* dom0's turn */
	CMD_INPUT,       /* n: dom0 puts n bytes of input */
	CMD_SINK_ROOM,   /* room: what the sink takes per call */
	CMD_FE_PUT,      /* n: the guest's ring code puts n bytes */
	CMD_FE_GET,      /* n: the guest's ring code takes up to n bytes */
	CMD_OUT_CONS,    /* 4 bytes: out_cons = value (the backend lies) */
	CMD_IN_PROD,     /* 4 bytes: in_prod = value */
	CMD_COUNT
};

/* What the guest's ring code puts and gets, and how much of it from the
 * start the input's gets may have overwritten. */
static char buf[4096];
static size_t buf_dirty = sizeof(buf);
static size_t sink_room;
static uint64_t sunk;

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_console: %s\n", what);
	abort();
}

static size_t sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	if (len > sizeof(((struct xencons_interface *)0)->out))
		fail("more than a ring handed to the sink at once");
	len = len < sink_room ? len : sink_room;
	sunk += len;
	return len;
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

/* The backend's own index moves forward by at most what the guest could
 * have produced, and never while the ring is broken. */
static void check_backend(const struct hv_consback *cb, uint32_t out_cons0,
			  uint32_t in_prod0, bool was_broken)
{
	if (cb->out_cons - out_cons0 > sizeof(cb->page->out))
		fail("out_cons jumped more than a ring");
	if (cb->in_prod - in_prod0 > sizeof(cb->page->in))
		fail("in_prod jumped more than a ring");
	if (was_broken && (cb->out_cons != out_cons0 ||
			   cb->in_prod != in_prod0))
		fail("a broken ring was served");
}

static void run(struct fuzz_input *in, struct hv_console_link *link,
		struct hv_domain *guest)
{
	struct xencons_interface *page = link->back.page;
	struct hv_consback *cb = &link->back;
	struct xencons_ring fe;

	/* Each input starts with buf all 'x': only what the last one's gets
	 * may have written is put back. */
	memset(buf, 'x', buf_dirty);
	buf_dirty = 0;
	xencons_ring_attach(&fe, page);
	while (in->left) {
		uint32_t oc = cb->out_cons, ip = cb->in_prod;
		bool broken = cb->broken;
		uint8_t n;
		long r;

		switch (fuzz_byte(in) % CMD_COUNT) {
		case CMD_GUEST_OUT:
			n = fuzz_byte(in);
			for (unsigned i = 0; i < n; i++)
				page->out[MASK_XENCONS_IDX(page->out_prod + i,
							   page->out)] =
					(char)fuzz_byte(in);
			page->out_prod += n;
			break;
		case CMD_OUT_PROD:
			page->out_prod = fuzz_u32(in);
			break;
		case CMD_IN_CONS:
			page->in_cons = fuzz_u32(in);
			break;
		case CMD_KICK:
			hv_evtchn_send_from(guest, link->guest_port);
			break;
		case CMD_RUN:
			hv_console_link_run(link);
			break;
		case CMD_INPUT:
			n = fuzz_byte(in);
			if (hv_consback_input(cb, buf, n) > n)
				fail("input took more than it was given");
			break;
		case CMD_SINK_ROOM:
			sink_room = fuzz_byte(in) * 16u;
			break;
		case CMD_FE_PUT:
			n = fuzz_byte(in);
			r = xencons_ring_put(&fe, buf, (size_t)n * 16);
			if (r > (long)n * 16)
				fail("put more than asked");
			break;
		case CMD_FE_GET:
			n = fuzz_byte(in);
			if (buf_dirty < (size_t)n * 16)
				buf_dirty = (size_t)n * 16;
			r = xencons_ring_get(&fe, buf, (size_t)n * 16);
			if (r > (long)n * 16)
				fail("got more than asked");
			break;
		case CMD_OUT_CONS:
			page->out_cons = fuzz_u32(in);
			break;
		case CMD_IN_PROD:
			page->in_prod = fuzz_u32(in);
			break;
		}
		check_backend(cb, oc, ip, broken);
		if (broken && !cb->broken)
			fail("a broken ring came back");
	}
}

static void build_machine(struct hv_domain **dom0, struct hv_domain **guest)
{
	struct hv_domain_config d0 = { .name = "Domain-0", .domid = 0,
				       .ram_bytes = 1 << 20, .nr_vcpus = 1,
				       .privileged = true };
	struct hv_domain_config d1 = { .name = "guest", .domid = 1,
				       .ram_bytes = 16 << 20, .nr_vcpus = 1 };
	struct hv_machine *m = hv_machine_new(drop_line, NULL);

	if (!m)
		fail("no machine");
	m->log_level = HV_LOG_ERR;
	if (hv_domain_create(m, &d0, dom0) || hv_domain_create(m, &d1, guest))
		fail("cannot build the machine");
}

/* Each vCPU's event flags as its upcall handler would leave them with
 * nothing pending (the link's ports, closed, are not). No code of the
 * guest or of dom0 runs here to take them, so an input that notified
 * either would else leave its selector bit and upcall flag set and the
 * next input's first event would take another path (AFL++ saw it as
 * edges that change between runs of one input). */
static void clear_upcalls(struct hv_domain *d)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		struct vcpu_info *vi = hv_vcpu_info(&d->vcpu[i]);

		vi->evtchn_upcall_pending = 0;
		vi->evtchn_pending_sel = 0;
	}
}

/* What the input made both ends do, for FUZZ_DIGEST: the page, dom0's
 * indexes and verdict, what reached the sink and the events it raised. */
static void digest(const struct hv_console_link *link,
		   struct hv_domain *dom0, struct hv_domain *guest)
{
	struct vcpu_info *g = hv_vcpu_info(&guest->vcpu[0]);
	struct vcpu_info *z = hv_vcpu_info(&dom0->vcpu[0]);
	const uint64_t v[] = { link->back.out_cons, link->back.in_prod,
			       link->back.broken, link->back.kicked, sunk,
			       g->evtchn_upcall_pending, g->evtchn_pending_sel,
			       z->evtchn_upcall_pending, z->evtchn_pending_sel };

	if (!fuzz_digest_on())
		return;
	fuzz_digest_add(link->back.page, sizeof(*link->back.page));
	fuzz_digest_add(v, sizeof(v));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hv_domain *dom0, *guest;
	struct fuzz_input in = { data, size };
	struct hv_console_link link;

	/* The machine is built once: the link is made afresh per input
	 * (its page zeroed, its channel bound), and the events the input
	 * raised are taken after it: all an input touches. */
	/* The machine's building, and the first look at the environment,
	 * are not the input's edges. */
	if (!guest) {
		build_machine(&dom0, &guest);
		(void)fuzz_digest_on();
	}
	fuzz_edges_start();
	sink_room = SIZE_MAX;
	sunk = 0;
	if (hv_console_link_connect(&link, dom0, guest, NULL))
		fail("cannot connect the console");
	hv_consback_set_sink(&link.back, sink, NULL);
	fuzz_digest_start();
	run(&in, &link, guest);
	digest(&link, dom0, guest);
	fuzz_digest_report();
	hv_console_link_disconnect(&link);
	clear_upcalls(guest);
	clear_upcalls(dom0);
	/* The model's console ring from the start: consback logs a broken
	 * ring there, and a line that wraps it takes a second copy, other
	 * edges every 171st run of one input (AFL++ counts them). */
	guest->machine->conring_prod = 0;
	fuzz_edges_report();
	return 0;
}
