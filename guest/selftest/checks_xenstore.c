/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks of xenstore from inside the guest: the toolstack's layout, the
 * guest's own writes, transactions, watches and the permission rules. A
 * domain without xenstore (dom0 on real Xen) skips them all. */
#include <xen/errno.h>

#include "gxen/evtchn.h"
#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest_checks.h"

#define WATCH_EVENT_WAIT_NS 1000000000ull
#define WATCH_EVENT_WAKES   1000

/* The boot flow connected xenstore, or said why not. */
static bool have_xenstore(struct selftest_ctx *ctx)
{
	int rc = xenstore_init_result();

	if (rc == 0 && xs_connected())
		return true;
	if (rc == -XEN_ENODEV) {
		selftest_skip(ctx, "this domain has no xenstore");
		return false;
	}
	return check_that(ctx, false, "xenstore: init %d, last error \"%s\"", rc,
			  xs_last_error());
}

void check_xenstore_layout(struct selftest_ctx *ctx)
{
	char home[64], path[96], buf[64], want[8];
	domid_t me;

	if (!have_xenstore(ctx))
		return;
	if (!check(ctx, evtchn_own_domid(&me) == 0))
		return;
	check(ctx, xs_get_domain_path(me, home, sizeof(home)) == 0);
	ksnprintf(path, sizeof(path), "%s/domid", home);
	check(ctx, xs_read(XBT_NIL, path, buf, sizeof(buf)) > 0);
	ksnprintf(want, sizeof(want), "%u", (unsigned)me);
	check_that(ctx, strcmp(buf, want) == 0, "domid node \"%s\", want %s",
		   buf, want);
	check(ctx, xs_read(XBT_NIL, "name", buf, sizeof(buf)) > 0);
	check(ctx, xs_read(XBT_NIL, "memory/target", buf, sizeof(buf)) > 0);
}

void check_xenstore_read_write(struct selftest_ctx *ctx)
{
	char buf[32];

	if (!have_xenstore(ctx))
		return;
	check(ctx, xs_write(XBT_NIL, "data/selftest", "written") == 0);
	check(ctx, xs_read(XBT_NIL, "data/selftest", buf, sizeof(buf)) == 7);
	check(ctx, strcmp(buf, "written") == 0);
	check(ctx, xs_rm(XBT_NIL, "data/selftest") == 0);
	check(ctx, xs_read(XBT_NIL, "data/selftest", buf, sizeof(buf)) ==
			   -XEN_ENOENT);
	/* What describes the domain is the toolstack's, not ours. */
	check(ctx, xs_write(XBT_NIL, "name", "renamed") == -XEN_EACCES);
}

static int write_pair(xs_transaction_t t, void *arg)
{
	int rc = xs_write(t, "data/txn/a", "1");

	(void)arg;
	return rc ? rc : xs_write(t, "data/txn/b", "2");
}

void check_xenstore_transaction(struct selftest_ctx *ctx)
{
	xs_transaction_t t;
	char buf[8];

	if (!have_xenstore(ctx))
		return;
	check(ctx, xs_transact(write_pair, NULL) == 0);
	check(ctx, xs_read(XBT_NIL, "data/txn/b", buf, sizeof(buf)) == 1);
	check(ctx, xs_transaction_start(&t) == 0);
	check(ctx, xs_write(t, "data/txn/c", "3") == 0);
	check(ctx, xs_transaction_end(t, true) == 0);
	check(ctx, xs_read(XBT_NIL, "data/txn/c", buf, sizeof(buf)) ==
			   -XEN_ENOENT);
	check(ctx, xs_rm(XBT_NIL, "data/txn") == 0);
}

static void count_event(const char *path, const char *token, void *arg)
{
	(void)path;
	(void)token;
	(*(unsigned *)arg)++;
}

/* Deliver watch events until *events reaches want, for at most a second
 * on the transport's clock (and a bounded number of wake-ups): an event
 * may come after the reply to the request that caused it. C xenstored
 * queues a watch's first event behind the WATCH reply and writes one
 * message per pass of its loop, so the guest can read the reply, and
 * run, before the event is on the ring; the protocol promises it will
 * come. */
static void await_events(unsigned *events, unsigned want)
{
	uint64_t deadline = xs_now_ns() + WATCH_EVENT_WAIT_NS;

	xs_poll();
	for (unsigned wakes = 0; *events < want && wakes < WATCH_EVENT_WAKES &&
	     xs_now_ns() < deadline; wakes++) {
		if (!xs_wait_until(deadline))
			return;
		xs_poll();
	}
}

void check_xenstore_watch(struct selftest_ctx *ctx)
{
	unsigned events = 0;

	if (!have_xenstore(ctx))
		return;
	check(ctx, xs_watch("data/watched", "selftest", count_event,
			    &events) == 0);
	await_events(&events, 1);
	check_that(ctx, events == 1, "%u events on registration", events);
	check(ctx, xs_write(XBT_NIL, "data/watched/x", "1") == 0);
	await_events(&events, 2);
	check_that(ctx, events == 2, "%u events after a write", events);
	check(ctx, xs_unwatch("data/watched", "selftest") == 0);
	check(ctx, xs_rm(XBT_NIL, "data/watched") == 0);
	xs_poll();
	check_that(ctx, events == 2, "%u events after unwatch", events);
}
