/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's two console frontends facing a malicious
 * backend, natively on the real model. Console 0 (dev/xencons.h) is
 * pointed, through its HVM parameters, at a page and port this program
 * serves; console 1 (dev/xencons_fe.h) connects to the model's console
 * device once, which then stands aside. The input is dom0's moves on both
 * rings (any out_cons or in_prod, input bytes, honest consumption, the
 * guest's own indexes overwritten, event storms) and the guest's calls
 * between them. The guest must never crash, take or put more than it was
 * asked, read back an index it owns, or use a ring it found broken.
 * Each input starts from the consoles as they were just connected, and
 * the events it left pending are delivered before it ends, so that an
 * input does the same whatever ran before it (tests/fuzz/fuzz-reset.sh,
 * and AFL++'s stability). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "dev/xencons.h"
#include "dev/xencons_fe.h"
#include "fuzz_digest.h"
#include "fuzz_input.h"
#include "fuzz_cons_backend.h"
#include "fuzz_rewind.h"
#include "hv/consback_xenbus.h"
#include "hv/evtchn.h"
#include "kern/console.h"
#include "kern/page.h"
#include "port.h"
#include "sim.h"

enum {
	CMD_C0_WRITE,     /* n: console output of 8n bytes */
	CMD_C0_GETC,      /* n: up to n console_getc */
	CMD_C1_WRITE,     /* n: xencons_fe_write of 8n bytes */
	CMD_C1_READ,      /* n: xencons_fe_read of up to 8n bytes */
	/* dom0's moves, enum fuzz_cons_move's in its order. */
	CMD_OUT_CONS,
	CMD_COUNT = CMD_OUT_CONS + FUZZ_CONS_MOVES
};

static struct {
	struct sim_native *sn;
	struct hv_domain *guest, *dom0;
	struct hv_consback_dev cd;
	bool model_serves;
	struct xencons_fe fe, fe_snapshot;
	struct fuzz_cons_ring be[2];
} w;

static char buf[8 * 256];
static size_t buf_dirty = sizeof(buf);  /* from its start, since zeroed */

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "fuzz_consfront: %s\n", what);
	abort();
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static size_t drop_bytes(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	return len;
}

static bool dom0_console(void *ctx)
{
	(void)ctx;
	return w.model_serves && hv_consback_dev_run(&w.cd);
}

/* Console 0's parameters now name a page and port of ours. */
static void hijack_console0(void)
{
	evtchn_port_t guest_port;

	w.be[0].page = page_alloc(1);
	if (!w.be[0].page ||
	    hv_evtchn_alloc_unbound_for(w.guest, 0, &guest_port) ||
	    hv_evtchn_bind_interdomain_for(w.dom0, w.guest->domid, guest_port,
					   &w.be[0].port))
		fail("cannot set up console 0's page and port");
	w.guest->hvm_param[HVM_PARAM_CONSOLE_PFN] = virt_to_pfn(w.be[0].page);
	w.guest->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = guest_port;
}

static void setup_once(void)
{
	struct sim_config cfg;
	struct sim_result res;

	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = drop_line;
	cfg.dom0_extra = dom0_console;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn)
		fail(res.message);
	w.guest = sim_native_domain(w.sn);
	w.dom0 = sim_native_dom0(w.sn);
	w.model_serves = true;
	if (hv_consback_dev_create(&w.cd, sim_native_xs(w.sn), w.dom0, w.guest,
				   1, NULL, drop_bytes, NULL) ||
	    xencons_fe_connect(&w.fe, "device/console/1"))
		fail("cannot connect console 1");
	w.model_serves = false;
	w.be[1].page = w.fe.page;
	w.be[1].port = w.cd.port;
	w.fe_snapshot = w.fe;
	hijack_console0();
}

static void reset(void)
{
	/* Nothing is pending (each input takes its own events). */
	arch_irq_enable();
	fuzz_rewind_guest(w.sn);
	memset(w.be[0].page, 0, 4096);
	memset(w.be[1].page, 0, 4096);
	/* What console 1 writes is what an earlier read of this input left
	 * here, never an earlier input's bytes. */
	memset(buf, 0, buf_dirty);
	buf_dirty = 0;
	w.fe = w.fe_snapshot;
	if (xencons_init())
		fail("console 0 does not attach");
}

static void c0_write(struct fuzz_input *in)
{
	struct xencons_interface *page = w.be[0].page;
	uint32_t before = page->out_prod;
	bool was_active = xencons_active();
	size_t n = fuzz_byte(in) * 8u;

	memset(buf, 'a' + (int)(n & 15), n);
	if (buf_dirty < n)
		buf_dirty = n;
	console_write(buf, n);
	if (!was_active && page->out_prod != before)
		fail("console 0 wrote to a ring it had given up");
}

static void c0_getc(struct fuzz_input *in)
{
	uint8_t n = fuzz_byte(in);

	for (unsigned i = 0; i < n; i++) {
		bool was_active = xencons_active();
		int c = console_getc();

		if (c == -XEN_EAGAIN)
			break;
		if (c == -XEN_ENODEV)
			break;
		if (c < 0 || c > 255 || !was_active)
			fail("console_getc returned what it cannot");
	}
}

static void c1_io(struct fuzz_input *in, bool write)
{
	size_t n = fuzz_byte(in) * 8u;
	bool was_broken = w.fe.broken;
	long r;

	/* A read may write all n. */
	if (!write && buf_dirty < n)
		buf_dirty = n;
	r = write ? xencons_fe_write(&w.fe, buf, n) :
		    xencons_fe_read(&w.fe, buf, n);
	if (was_broken && r != -XEN_EIO)
		fail("console 1 used a ring it had found broken");
	if (r > (long)n || (r < 0 && r != -XEN_EIO))
		fail("console 1 moved more than asked, or a strange error");
	if (r == -XEN_EIO && !w.fe.broken)
		fail("console 1 failed without marking the ring broken");
}

/* What the input made the guest do, for FUZZ_DIGEST: both rings as it
 * left them and console 1's state. */
static void digest(void)
{
	const uint64_t c1[] = { w.fe.broken, xencons_active() };

	if (!fuzz_digest_on())
		return;
	fuzz_digest_add(w.be[0].page, 4096);
	fuzz_digest_add(w.be[1].page, 4096);
	fuzz_digest_add(c1, sizeof(c1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	static bool ready;

	if (!ready) {
		setup_once();
		ready = true;
	}
	reset();
	fuzz_digest_start();
	while (in.left) {
		unsigned c = fuzz_byte(&in) % CMD_COUNT;

		if (c >= CMD_OUT_CONS)
			fuzz_cons_move(w.be, w.dom0, c - CMD_OUT_CONS, 64, &in);
		switch (c) {
		case CMD_C0_WRITE:
			c0_write(&in);
			break;
		case CMD_C0_GETC:
			c0_getc(&in);
			break;
		case CMD_C1_WRITE:
			c1_io(&in, true);
			break;
		case CMD_C1_READ:
			c1_io(&in, false);
			break;
		}
	}
	/* The events this input sent land in it, not in the next one. */
	arch_irq_enable();
	digest();
	fuzz_digest_report();
	/* The next input's console 0 starts from nothing: no output may
	 * reach a ring between now and its reset. */
	xencons_reset();
	console_set_backend(NULL);
	return 0;
}
