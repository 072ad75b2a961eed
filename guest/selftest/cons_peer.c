/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "cons-peer": the workload the emulated console fuzz target
 * snapshots (tests/fuzz/fuzz_emu_consfront.c). Console 1
 * (device/console/1) connected; then forever: output of every length on
 * console 0 (the ring the toolstack wired) and console 1, input taken
 * from both, then a wait for the backend. "cons-peer: ready" once
 * console 1 is connected. The backend may be anything. The consoles must
 * hold their promises whatever it does, or the run ends in a panic (the
 * target's findings): console 1 moves no more than asked, fails only
 * with -EIO and only once it marked its ring broken, and stays broken;
 * console 0 gives bytes 0..255, -EAGAIN, or -ENODEV only once it gave up
 * its ring, and never takes it back. No state outside the call: nothing
 * for a new boot to reset. */
#include <xen/errno.h>

#include "dev/xencons.h"
#include "dev/xencons_fe.h"
#include "gxen/time.h"
#include "kern/console.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest.h"

#define PEER_CHUNK 1500u             /* more than a ring's output holds */
#define PEER_WAIT_NS (1000ull * 1000)

struct peer {
	struct xencons_fe fe;
	char buf[PEER_CHUNK];
	unsigned next;                   /* the next output's length */
	bool c0_gone;                    /* console 0 gave up its ring */
};

static void console1_io(struct peer *p, bool write, size_t n)
{
	bool broken = p->fe.broken;
	long r = write ? xencons_fe_write(&p->fe, p->buf, n) :
			 xencons_fe_read(&p->fe, p->buf, n);

	if (broken && r != -XEN_EIO)
		panic("cons-peer: console 1 used a ring it found broken: %ld",
		      r);
	if (r > (long)n || (r < 0 && r != -XEN_EIO))
		panic("cons-peer: console 1 %s %ld of %u bytes",
		      write ? "wrote" : "read", r, (unsigned)n);
	if (r == -XEN_EIO && !p->fe.broken)
		panic("cons-peer: console 1 failed without marking its ring "
		      "broken");
}

static void console0_input(struct peer *p)
{
	for (unsigned i = 0; i < 2 * PEER_CHUNK; i++) {
		bool active = xencons_active();
		int c = console_getc();

		if (c == -XEN_EAGAIN && active)
			return;
		if (c == -XEN_ENODEV) {
			p->c0_gone = true;
			return;
		}
		if (c < 0 || c > 255 || !active)
			panic("cons-peer: console 0 gave %d", c);
	}
}

static void check_console0(struct peer *p)
{
	if (p->c0_gone && xencons_active())
		panic("cons-peer: console 0 took back a ring it gave up");
	p->c0_gone = !xencons_active();
}

static bool want_looking_at(void *arg)
{
	struct peer *p = arg;
	const struct xencons_interface *c1 = p->fe.page;

	/* Console 0's input and both outputs' room are looked at when the
	 * wait times out. */
	return !p->fe.broken && c1->in_prod != c1->in_cons;
}

_Noreturn void cons_peer_run(void)
{
	struct peer *p = page_alloc((sizeof(struct peer) + 4095) / 4096);
	static const unsigned lens[] = { 1, 80, 700, 1024, PEER_CHUNK, 13 };

	if (!p)
		panic("cons-peer: no memory");
	memset(p, 0, sizeof(*p));
	memset(p->buf, 'c', sizeof(p->buf));
	if (xencons_fe_connect(&p->fe, "device/console/1"))
		panic("cons-peer: console 1 does not connect");
	kprintf("cons-peer: ready\n");
	for (;;) {
		size_t n = lens[p->next++ % (sizeof(lens) / sizeof(lens[0]))];

		check_console0(p);
		console_write(p->buf, n);
		check_console0(p);
		console0_input(p);
		check_console0(p);
		console1_io(p, true, n);
		console1_io(p, false, n);
		time_wait(want_looking_at, p, PEER_WAIT_NS);
	}
}
