/* SPDX-License-Identifier: BSD-2-Clause */
/* xenstore across suspends (bootarg "xs-suspend", with xensim run
 * --suspend-resume): each of the toolstack's suspends comes while a
 * transaction of ours is open (started before the request, which comes
 * when the seed says); after a resume in a new domain the transaction's
 * next request ends in EAGAIN and xs_transact starts it again, and the
 * value committed is the retry's. A watch held across the suspends fires
 * again after each resume (the client registered it again) and on a
 * write made after it. One "xs-suspend: ok|FAIL NAME: ..." line per step,
 * then "xs-suspend: N passed, N failed, N skipped". */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "gxen/control.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define WATCHED      "data/xs-suspend/watched"
#define WATCH_TOKEN  "xs-suspend"
#define TXN_NODE     "data/xs-suspend/txn"
#define TXN_NODE2    "data/xs-suspend/txn-second"
#define WAIT_NS      (5000ull * NSEC_PER_MSEC)

struct xs_run {
	unsigned passed, failed;
	unsigned fires;               /* of the held watch */
	int shutdown_fired;
	unsigned cycle, attempts;
	unsigned reason;              /* the request that came */
	bool asked;                   /* it came (in this cycle) */
	long suspend_rc;
	int lost_rc;                  /* the request after the resume */
};

static bool result(struct xs_run *r, bool ok, const char *name,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool result(struct xs_run *r, bool ok, const char *name,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = selftest_step("xs-suspend", &r->passed, &r->failed, ok, name,
			   fmt, ap);
	va_end(ap);
	return ok;
}

static void watched_changed(const char *path, const char *token, void *arg)
{
	(void)path;
	(void)token;
	((struct xs_run *)arg)->fires++;
}

struct fires_past {
	struct xs_run *r;
	unsigned seen;
};

static bool fired_since(void *arg)
{
	struct fires_past *f = arg;

	xs_poll();
	return f->r->fires > f->seen;
}

/* Whether the held watch fires within WAIT_NS after seen fires. */
static bool watch_fires(struct xs_run *r, unsigned seen)
{
	struct fires_past f = { r, seen };

	return time_wait(fired_since, &f, WAIT_NS);
}

static bool asked(void *arg)
{
	struct xs_run *r = arg;
	int rc;

	xs_poll();
	if (!r->shutdown_fired)
		return false;
	r->shutdown_fired = 0;
	rc = control_take_request(&r->reason);
	if (rc < 0)
		r->reason = SHUTDOWN_crash;
	return rc != 0;
}

/* The transaction's body: its first attempt waits, with the transaction
 * open, for the toolstack's request and takes a suspend right there. */
static int body(xs_transaction_t t, void *arg)
{
	struct xs_run *r = arg;
	char value[32];
	int rc;

	r->attempts++;
	ksnprintf(value, sizeof(value), "cycle %u attempt %u", r->cycle,
		  r->attempts);
	if ((rc = xs_write(t, TXN_NODE, value)))
		return rc;
	if (r->attempts == 1) {
		r->asked = time_wait(asked, r, ~0ull);
		if (r->reason != SHUTDOWN_suspend)
			return -XEN_ENODATA;  /* not a suspend: stop */
		kprintf("xs-suspend: suspend %u with transaction %u open\n",
			r->cycle, t);
		r->suspend_rc = kern_suspend();
		r->lost_rc = xs_write(t, TXN_NODE2, value);
		return r->lost_rc;
	}
	return xs_write(t, TXN_NODE2, value);
}

/* One cycle: a transaction across the toolstack's next request. False
 * when the request was not a suspend (the run ends). */
static bool cycle(struct xs_run *r)
{
	char value[32], want[32];
	unsigned before;
	bool fired;
	int rc;

	r->cycle++;
	r->fires = 0;
	r->attempts = 0;
	r->lost_rc = 0;
	r->suspend_rc = -1;
	rc = xs_transact(body, r);
	if (r->reason != SHUTDOWN_suspend)
		return false;
	ksnprintf(want, sizeof(want), "cycle %u attempt %u", r->cycle,
		  r->attempts);
	if (xs_read(XBT_NIL, TXN_NODE2, value, sizeof(value)) < 0)
		value[0] = '\0';
	if (r->suspend_rc == 0) {
		result(r, rc == 0 && r->lost_rc == -XEN_EAGAIN &&
		       r->attempts == 2 && strcmp(value, want) == 0,
		       "txn-eagain-retried", "cycle %u: the open transaction's "
		       "request after the resume: %d, %u attempt(s), commit "
		       "%d, committed \"%s\"", r->cycle, r->lost_rc,
		       r->attempts, rc, value);
	} else {
		result(r, rc == 0 && r->lost_rc == 0 &&
		       strcmp(value, want) == 0, "txn-kept-when-cancelled",
		       "cycle %u: suspend %ld, the transaction went on: %d, "
		       "commit %d, committed \"%s\"", r->cycle, r->suspend_rc,
		       r->lost_rc, rc, value);
	}
	/* In a new domain the watch was registered again, and fires once
	 * for that (nothing else wrote the node since the last cycle). */
	if (r->suspend_rc == 0) {
		fired = watch_fires(r, 0);
		result(r, fired, "watch-registered-again", "cycle %u: %u "
		       "event(s) of the held watch since the last cycle",
		       r->cycle, r->fires);
	}
	/* A write now fires it. */
	before = r->fires;
	ksnprintf(value, sizeof(value), "cycle %u", r->cycle);
	rc = xs_write(XBT_NIL, WATCHED, value);
	fired = rc == 0 && watch_fires(r, before);
	result(r, fired, "watch-fires-after-resume",
	       "cycle %u: a write of the watched node: %d, events %u -> %u",
	       r->cycle, rc, before, r->fires);
	return true;
}

unsigned xs_suspend_run(unsigned *reason)
{
	static struct xs_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.reason = SHUTDOWN_crash;
	rc = xs_write(XBT_NIL, WATCHED, "boot");
	if (rc == 0)
		rc = xs_watch(WATCHED, WATCH_TOKEN, watched_changed, &r);
	if (rc == 0)
		rc = control_watch(&r.shutdown_fired);
	if (result(&r, rc == 0 && watch_fires(&r, 0), "watch",
		   WATCHED " and control/shutdown watched: %d", rc)) {
		while (cycle(&r))
			;
		result(&r, r.asked && r.reason == SHUTDOWN_poweroff, "end",
		       "after %u suspend(s), the toolstack asked for %u",
		       r.cycle - 1, r.reason);
	}
	control_unwatch();
	xs_unwatch(WATCHED, WATCH_TOKEN);
	*reason = r.reason;
	kprintf("xs-suspend: %u passed, %u failed, 0 skipped\n", r.passed,
		r.failed);
	return r.failed;
}
