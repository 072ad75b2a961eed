/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "xs-peer": the workload tests/fuzz/fuzz_emu_xs.c snapshots.
 * Forever: xenstore reads, writes, directory listings, mkdir/rm,
 * transactions, watches, the domain path, and a xenbus device's state
 * walk (enumerate, probe, watch the other end, step our state, wait for
 * theirs); when the connection broke, a fresh one (xenstore_resume).
 * "xs-peer: ready" once it starts. The server may be anything: the
 * client must keep its promises whatever it sends, and a broken one
 * ends the run in a panic (the target's findings): an error outside
 * the documented set, a value or listing not terminated inside the
 * buffer, a transaction id 0, a watch callback for a watch not held or
 * from inside a request, a request on a broken connection that does
 * not fail with -EIO, a xenbus state outside the protocol's or a move
 * the protocol forbids. No state outside the call: nothing for a new
 * boot to reset. */
#include <xen/errno.h>
#include <xen/xen.h>

#include "gxen/xenbus.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/page.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define BUF_BYTES     256u
#define LIST_BYTES    (XENSTORE_PAYLOAD_MAX + 1u)
#define NR_STEPS      8u
/* Short: a backend that never moves costs the fuzzer little time. */
#define WALK_WAIT_NS  (50ull * 1000 * 1000)
#define RECONNECT_PAUSE_NS (10ull * 1000 * 1000)

struct peer_watch {
	const char *path;
	const char *token;
	bool held;                    /* registered and not unwatched */
	unsigned fired;
};

struct peer {
	char *buf;                    /* BUF_BYTES */
	char *list;                   /* LIST_BYTES */
	bool in_request;              /* a callback now breaks a promise */
	unsigned step;
	struct peer_watch watch;
	struct xenbus_device dev;
	unsigned found;
};

/* What a client call may return on failure: the server's error names,
 * the client's own (broken, timed out, too long) and xenbus's (the
 * other end closed, a number out of range). */
static void check_rc(const char *what, int rc)
{
	if (rc >= 0 || rc == -XEN_ETIMEDOUT || rc == -XEN_ENOTCONN ||
	    rc == -XEN_ERANGE)
		return;
	for (unsigned i = 0; i < XSD_ERROR_COUNT; i++)
		if (rc == -xsd_errors[i].errnum)
			return;
	panic("xs-peer: %s returned %d", what, rc);
}

/* The string at s ends inside the size bytes from s. */
static void check_terminated(const char *what, const char *s, size_t size)
{
	if (strnlen(s, size) == size)
		panic("xs-peer: %s not terminated inside its buffer", what);
}

static void watch_fired(const char *path, const char *token, void *arg)
{
	struct peer *p = arg;

	if (p->in_request)
		panic("xs-peer: a watch callback ran inside a request");
	if (!p->watch.held)
		panic("xs-peer: a callback for a watch not held");
	if (strcmp(token, p->watch.token) != 0)
		panic("xs-peer: a callback with token \"%s\"", token);
	check_terminated("a watch event's path", path, 256);
	p->watch.fired++;
}

static void poll_events(struct peer *p)
{
	p->in_request = false;
	xs_poll();
}

static void do_read(struct peer *p, xs_transaction_t t)
{
	int rc = xs_read(t, "data/a", p->buf, BUF_BYTES);

	check_rc("xs_read", rc);
	if (rc >= 0 && ((unsigned)rc >= BUF_BYTES || p->buf[rc] != '\0'))
		panic("xs-peer: xs_read's %d bytes do not end in a nul", rc);
}

static void do_directory(struct peer *p)
{
	int rc = xs_directory(XBT_NIL, "data", p->list, LIST_BYTES);
	const char *at = p->list, *end = p->list + LIST_BYTES;

	check_rc("xs_directory", rc);
	/* rc names, each ending inside the buffer. */
	for (int i = 0; i < rc; i++) {
		check_terminated("a directory entry", at, (size_t)(end - at));
		at += strlen(at) + 1;
	}
}

static int txn_body(xs_transaction_t t, void *arg)
{
	struct peer *p = arg;
	int rc;

	if (t == XBT_NIL)
		panic("xs-peer: a transaction with id 0");
	do_read(p, t);
	rc = xs_write(t, "data/b", "in-txn");
	check_rc("xs_write in a transaction", rc);
	return rc;
}

static void do_transaction(struct peer *p)
{
	xs_transaction_t t = XBT_NIL;
	int rc;

	if (p->step & 8) {
		check_rc("xs_transact", xs_transact(txn_body, p));
		return;
	}
	rc = xs_transaction_start(&t);
	check_rc("xs_transaction_start", rc);
	if (rc)
		return;
	if (t == XBT_NIL)
		panic("xs-peer: a transaction with id 0");
	do_read(p, t);
	check_rc("xs_transaction_end", xs_transaction_end(t, p->step & 16));
}

static void do_watch(struct peer *p)
{
	int rc;

	if (!p->watch.held) {
		rc = xs_watch(p->watch.path, p->watch.token, watch_fired, p);
		check_rc("xs_watch", rc);
		p->watch.held = rc == 0;
		return;
	}
	p->watch.held = false;
	check_rc("xs_unwatch", xs_unwatch(p->watch.path, p->watch.token));
}

static void device_found(const char *nodename, void *arg)
{
	struct peer *p = arg;

	check_terminated("a device's name", nodename, XENBUS_PATH_MAX);
	if (strncmp(nodename, "device/vfz/", 11) != 0)
		panic("xs-peer: enumerated \"%s\"", nodename);
	p->found++;
}

static void check_state(const char *what, enum xenbus_state st)
{
	if ((unsigned)st > XenbusStateReconfigured)
		panic("xs-peer: %s: state %u", what, (unsigned)st);
}

/* Our state moves as asked, or stays where it was. */
static void switch_to(struct peer *p, enum xenbus_state next)
{
	enum xenbus_state before = p->dev.state;
	int rc = xenbus_switch_state(&p->dev, next);

	check_rc("xenbus_switch_state", rc);
	if (p->dev.state != (rc ? before : next))
		panic("xs-peer: state %u after a switch %u -> %u gave %d",
		      (unsigned)p->dev.state, (unsigned)before,
		      (unsigned)next, rc);
}

static void wait_for(struct peer *p, enum xenbus_state st)
{
	int rc = xenbus_wait_for_otherend(&p->dev, st, WALK_WAIT_NS);

	check_rc("xenbus_wait_for_otherend", rc);
	check_state("the other end", p->dev.otherend_state);
	if (rc == 0 && p->dev.otherend_state != st)
		panic("xs-peer: waited for %u, the other end is %u",
		      (unsigned)st, (unsigned)p->dev.otherend_state);
}

static void otherend_changed(struct xenbus_device *dev, enum xenbus_state st)
{
	(void)dev;
	check_state("a watched other end", st);
}

static void probed(struct peer *p)
{
	const struct xenbus_device *d = &p->dev;

	check_terminated("the other end's path", d->otherend, XENBUS_PATH_MAX);
	if (d->otherend[0] != '/' || d->otherend_id >= DOMID_FIRST_RESERVED)
		panic("xs-peer: probed \"%s\" in d%u", d->otherend,
		      (unsigned)d->otherend_id);
	check_state("our probed state", d->state);
	check_state("the probed other end", d->otherend_state);
}

/* The frontend's side of the state dance, whatever the other end does. */
static void do_walk(struct peer *p)
{
	int rc, watched;

	p->found = 0;
	rc = xenbus_enumerate("vfz", device_found, p);
	check_rc("xenbus_enumerate", rc);
	if (rc >= 0 && p->found > (unsigned)rc)
		panic("xs-peer: %u devices found of %d", p->found, rc);
	if (rc <= 0)
		return;
	rc = xenbus_probe(&p->dev, "device/vfz/0");
	check_rc("xenbus_probe", rc);
	if (rc)
		return;
	probed(p);
	watched = xenbus_watch_otherend(&p->dev, otherend_changed);
	check_rc("xenbus_watch_otherend", watched);
	p->dev.state = XenbusStateUnknown;
	switch_to(p, XenbusStateInitialising);
	wait_for(p, XenbusStateInitWait);
	switch_to(p, XenbusStateInitialised);
	wait_for(p, XenbusStateConnected);
	switch_to(p, XenbusStateConnected);
	xs_poll();
	switch_to(p, XenbusStateClosing);
	wait_for(p, XenbusStateClosed);
	switch_to(p, XenbusStateClosed);
	if (watched == 0)
		check_rc("xenbus_unwatch_otherend",
			 xenbus_unwatch_otherend(&p->dev));
}

static void do_step(struct peer *p)
{
	/* xenbus polls inside its waits: only the walk may see callbacks. */
	p->in_request = p->step % NR_STEPS != NR_STEPS - 1;
	switch (p->step++ % NR_STEPS) {
	case 0:
		do_read(p, XBT_NIL);
		break;
	case 1:
		check_rc("xs_write", xs_write(XBT_NIL, "data/a", "value"));
		break;
	case 2:
		do_directory(p);
		break;
	case 3:
		check_rc("xs_mkdir", xs_mkdir(XBT_NIL, "data/d"));
		check_rc("xs_rm", xs_rm(XBT_NIL, "data/d"));
		break;
	case 4:
		do_transaction(p);
		break;
	case 5:
		do_watch(p);
		break;
	case 6:
		check_rc("xs_get_domain_path",
			 xs_get_domain_path(0, p->buf, BUF_BYTES));
		break;
	default:
		do_walk(p);
		break;
	}
}

/* A broken connection refuses every request; then a fresh one. */
static void reconnect(struct peer *p)
{
	int rc = xs_write(XBT_NIL, "data/a", "value");

	if (rc != -XEN_EIO)
		panic("xs-peer: a request on a broken connection gave %d", rc);
	/* Not in a tight loop: the server gets a moment (or sends an event)
	 * first. */
	xs_wait_until(xs_now_ns() + RECONNECT_PAUSE_NS);
	/* A client that never connected starts afresh, without watches;
	 * one that did keeps them (registered again). */
	if (xenstore_init_result())
		p->watch.held = false;
	check_rc("xenstore_resume", xenstore_resume());
}

_Noreturn void xs_peer_run(void)
{
	struct peer p;

	memset(&p, 0, sizeof(p));
	p.buf = page_alloc(1);
	p.list = page_alloc(2);
	if (!p.buf || !p.list)
		panic("xs-peer: no buffers");
	p.watch.path = "data/w";
	p.watch.token = "xs-peer";
	kprintf("xs-peer: ready\n");
	for (;;) {
		if (xs_connected())
			do_step(&p);
		else
			reconnect(&p);
		poll_events(&p);
	}
}
