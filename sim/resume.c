/* SPDX-License-Identifier: BSD-2-Clause */
/* --suspend-resume: what Xen's toolstack does for an x86 guest that
 * suspends, offered to ARM guests (Xen 4.17 on ARM keeps them suspended).
 * new-host: dom0 loses the domain as if it had moved to another host (its
 * backends unmap and go (a channel's end and its client stay), its
 * xenstore connection, watches and transactions go, its tree is written
 * anew as libxl writes a restored domain's, the backends start again at
 * InitWait) and the model rebuilds its Xen state;
 * the call returns 0. cancel: nothing changes and the call returns 1.
 * --suspend-cycles N: dom0's toolstack asks for N suspends, each at a
 * virtual time the seed picks, then for a poweroff. In a run of several
 * domains both apply to each domain, whose toolstack asks from its own
 * stream; a resume rebuilds that domain's dom0 side alone (its vifs
 * take new ports on the shared bridge). */
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "sim_internal.h"

/* The guest's answer to the toolstack's request, in its own words. */
#define SUSPEND_RETURN_NEW_HOST  0
#define SUSPEND_RETURN_CANCELLED 1

/* How long after the guest is ready the toolstack asks: with seed 0 a
 * fixed 1 ms, else 50 us plus up to 5 ms, as the seed decides. */
#define ASK_DELAY_FIXED_NS  1000000ull
#define ASK_DELAY_MIN_NS    50000ull
#define ASK_DELAY_SPREAD_NS 5000000ull

static void drop_dom0_side(struct sim *s)
{
	sim_vifs_teardown(s);
	sim_disks_teardown(s);
	sim_channels_drop(s);
	hv_testback_destroy(&s->testback);
	/* The ring's last output reaches the console before it goes. */
	hv_console_link_disconnect(&s->console_link);
	hv_xs_link_disconnect(&s->xs_link);
}

/* As at domain creation (dom0.c), on the same pages: the toolstack's
 * tree, the store and console rings, the test device, disks and vifs. */
static int rebuild_dom0_side(struct sim *s)
{
	int rc = 0;

	if (s->xs) {
		rc = hv_xs_link_connect(&s->xs_link, s->xs, s->dom0, s->domain);
		if (!rc)
			rc = hv_testback_create(&s->testback, s->xs, s->dom0,
						s->domain);
	}
	if (!rc)
		rc = sim_disks_setup(s);
	if (!rc)
		rc = sim_vifs_setup(s);
	if (!rc)
		rc = sim_channels_rebuild(s);
	if (!rc)
		rc = hv_console_link_connect(&s->console_link, s->dom0,
					     s->domain, s->xs);
	return rc;
}

static long resume_on_new_host(struct sim *s)
{
	struct hv_domain *d = s->domain;
	int rc;

	drop_dom0_side(s);
	rc = hv_domain_resume(d, true);
	if (!rc)
		rc = rebuild_dom0_side(s);
	if (rc) {
		hv_domain_crash(d, "its resume could not be completed");
		sim_fail(s, SIM_SETUP_ERROR, "d%u: cannot resume it: error %d",
			 d->domid, rc);
		return rc;
	}
	return SUSPEND_RETURN_NEW_HOST;
}

long sim_resume_if_suspended(struct sim *s, long rc)
{
	struct hv_domain *d = s->domain;

	if (s->cfg->suspend_resume == SIM_RESUME_NONE ||
	    d->state != HV_DOMAIN_SHUTDOWN ||
	    d->shutdown_reason != SHUTDOWN_suspend)
		return rc;
	s->resumes++;
	if (s->cfg->suspend_resume == SIM_RESUME_CANCEL) {
		hv_domain_resume(d, false);
		return SUSPEND_RETURN_CANCELLED;
	}
	return resume_on_new_host(s);
}

/* ---- the toolstack's requests (--suspend-cycles) ---- */

static void ask_due(struct hv_timer *t, void *ctx)
{
	struct sim *s = ctx;

	(void)t;
	s->suspend_due = true;
}

static uint64_t ask_delay(struct sim *s)
{
	if (s->cfg->seed == 0)
		return ASK_DELAY_FIXED_NS;
	/* xorshift64 of its own, so the dom0 turns stay the seed's. */
	s->suspend_rng ^= s->suspend_rng << 13;
	s->suspend_rng ^= s->suspend_rng >> 7;
	s->suspend_rng ^= s->suspend_rng << 17;
	return ASK_DELAY_MIN_NS + s->suspend_rng % ASK_DELAY_SPREAD_NS;
}

/* The node's value into value (NUL-terminated); its length or a
 * negative Xen errno (-XEN_ENOENT when absent). */
static int read_node(struct sim *s, const char *leaf, char *value, size_t cap)
{
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/local/domain/%u/%s", s->domain->domid,
		 leaf);
	n = hv_xs_read(s->xs, path, value, cap - 1);
	if (n >= 0 && (size_t)n >= cap)
		return -XEN_E2BIG;
	if (n >= 0)
		value[n] = '\0';
	return n;
}

/* The guest listens (it advertises feature-suspend, which a restored
 * domain's new tree lacks until it writes it again) and took the last
 * request (it empties control/shutdown). */
static bool guest_ready(struct sim *s)
{
	char value[16];
	int n;

	if (!hv_domain_running(s->domain))
		return false;
	n = read_node(s, "control/feature-suspend", value, sizeof(value));
	if (n < 0 || strcmp(value, "1") != 0)
		return false;
	n = read_node(s, "control/shutdown", value, sizeof(value));
	return n == 0 || n == -XEN_ENOENT;
}

static void ask(struct sim *s)
{
	char path[64];
	const char *what = s->suspends_asked < s->cfg->suspend_cycles ?
			   "suspend" : "poweroff";

	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
		 s->domain->domid);
	if (hv_xs_write_str(s->xs, path, what) == 0)
		s->suspends_asked++;
	hv_log(s->machine, HV_LOG_INFO, "toolstack: d%u control/shutdown = %s",
	       s->domain->domid, what);
}

bool sim_suspend_toolstack_work(struct sim *s)
{
	if (!s->cfg->suspend_cycles || !s->xs ||
	    s->suspends_asked > s->cfg->suspend_cycles)
		return false;
	if (s->suspend_due) {
		s->suspend_due = false;
		s->suspend_timer_set = false;
		ask(s);
		return true;
	}
	if (s->suspend_timer_set || !guest_ready(s))
		return false;
	if (!s->suspend_timer.fn) {
		hv_timer_init(&s->suspend_timer, ask_due, s);
		s->suspend_rng = s->cfg->seed ^ 0x9e3779b97f4a7c15ull;
		/* Each domain of a run its own stream: their requests
		 * come at different times, the same ones for the seed. */
		if (s->world)
			s->suspend_rng ^= s->domain->domid *
					  0xbf58476d1ce4e5b9ull;
		if (!s->suspend_rng)
			s->suspend_rng = 1;
	}
	hv_timer_arm(s->machine, &s->suspend_timer,
		     hv_time_now(s->machine) + ask_delay(s));
	s->suspend_timer_set = true;
	return false;
}

void sim_suspend_toolstack_stop(struct sim *s)
{
	if (s->suspend_timer_set)
		hv_timer_cancel(s->machine, &s->suspend_timer);
	s->suspend_timer_set = false;
}
