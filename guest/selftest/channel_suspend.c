/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "channel-suspend" (with xensim run --suspend-resume): each
 * secondary console (device/console/M) is connected, says "channel NAME:
 * before the suspend", and stays connected across the toolstack's
 * suspends: after each resume in a new domain it reconnects to the new
 * host's backend and says "channel NAME: resumed K"; after the first it
 * also says "channel NAME: type a line", reads one line typed there and
 * says it back ("channel NAME: echo LINE"), so input typed after a resume
 * is seen to arrive. Console 0 logs each step ("channel-suspend: ok|FAIL
 * NAME: ...", and "channel: NAME echo LINE" as channel-echo does), then
 * "channel-suspend: N passed, N failed, N skipped". */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "dev/xencons_fe.h"
#include "gxen/control.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "selftest.h"

#define MAX_CHANNELS 4
#define LINE_MAX 128

struct channel_run {
	unsigned n, passed, failed;
	char node[MAX_CHANNELS][32];
	char name[MAX_CHANNELS][64];
	struct xencons_fe fe[MAX_CHANNELS];
};

static bool result(struct channel_run *r, bool ok, const char *name,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool result(struct channel_run *r, bool ok, const char *name,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = selftest_step("channel-suspend", &r->passed, &r->failed, ok,
			   name, fmt, ap);
	va_end(ap);
	return ok;
}

static void note_channel(const char *nodename, void *arg)
{
	struct channel_run *r = arg;

	if (r->n < MAX_CHANNELS)
		ksnprintf(r->node[r->n++], sizeof(r->node[0]), "%s", nodename);
}

/* Channel i after resume k: reconnected, it says so; after the first, a
 * line typed there comes back. */
static void after_resume(struct channel_run *r, unsigned i, unsigned k)
{
	struct xencons_fe *fe = &r->fe[i];
	char line[LINE_MAX];
	int rc = xencons_fe_resume(fe);

	if (!rc)
		rc = channel_say(fe, "channel %s: resumed %u\n", r->name[i], k);
	if (!result(r, rc == 0, "reconnect", "%s after resume %u: %d",
		    r->name[i], k, rc) || k != 1)
		return;
	line[0] = '\0';
	rc = channel_say(fe, "channel %s: type a line\n", r->name[i]);
	if (!rc)
		rc = channel_read_line(fe, line, sizeof(line));
	if (rc >= 0)
		rc = channel_say(fe, "channel %s: echo %s\n", r->name[i], line);
	if (result(r, rc == 0, "input-after-resume", "%s: %d", r->name[i], rc))
		kprintf("channel: %s echo %s\n", r->name[i], line);
}

/* Suspends until the toolstack asks for something else: that reason. */
static unsigned take_suspends(struct channel_run *r)
{
	unsigned reason, resumes = 0;
	int rc;

	for (;;) {
		rc = control_wait_shutdown(&reason);
		if (!result(r, rc == 0, "request", "control/shutdown: %d", rc))
			return SHUTDOWN_crash;
		if (reason != SHUTDOWN_suspend)
			return reason;
		/* Not 0: cancelled, the same backends and rings go on. */
		if (kern_suspend() != 0)
			continue;
		resumes++;
		for (unsigned i = 0; i < r->n; i++)
			after_resume(r, i, resumes);
	}
}

unsigned channel_suspend_run(unsigned *reason)
{
	static struct channel_run r;
	int n, rc;

	memset(&r, 0, sizeof(r));
	*reason = SHUTDOWN_crash;
	n = xencons_fe_enumerate(note_channel, &r);
	if (result(&r, n > 0, "channels", "%d secondary console(s)", n)) {
		for (unsigned i = 0; i < r.n; i++) {
			channel_name(r.node[i], r.name[i], sizeof(r.name[0]));
			rc = xencons_fe_connect(&r.fe[i], r.node[i]);
			if (!rc)
				rc = channel_say(&r.fe[i], "channel %s: before "
						 "the suspend\n", r.name[i]);
			result(&r, rc == 0, "connect", "%s: %d", r.name[i], rc);
		}
		if (!r.failed)
			*reason = take_suspends(&r);
		for (unsigned i = 0; i < r.n; i++)
			xencons_fe_disconnect(&r.fe[i]);
	}
	kprintf("channel-suspend: %u passed, %u failed, 0 skipped\n",
		r.passed, r.failed);
	return r.failed;
}
