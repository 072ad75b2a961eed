/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "net-suspend" (with net-test and a peer): the toolstack's
 * suspends taken while the network is busy. The guest pings its peer,
 * one echo request every 500 us or so, and answers the peer's; a request of
 * the toolstack is taken only once the current phase got net-count
 * replies and one UDP echo back intact, and then at once, with a ping and
 * a UDP echo request sent just before it (the backend may not have taken
 * them; their answers may come back only to the old ring) and the peer's
 * frames coming in. In a new domain the netfront resumes (what the old backend
 * never answered is dropped) and a new phase starts: the pings must be
 * answered again, and the grant references the old connection held must
 * be free again (the new one takes as many). The last request (poweroff) ends the pinging; the
 * guest answers its peer until the peer has been quiet for 200 ms, so
 * that a peer still in a phase finishes too. One "net-suspend:" line per
 * suspend and phase, then a summary. */
#include <xen/errno.h>
#include <xen/sched.h>

#include "gxen/control.h"
#include "gxen/gnttab.h"
#include "gxen/time.h"
#include "gxen/xs.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "net_stack.h"
#include "selftest.h"

#define REPLY_WAIT_NS  (100ull * NSEC_PER_MSEC)
#define PING_BYTES     56
#define PING_GAP_NS    (500ull * NSEC_PER_USEC)
#define UDP_BYTES      700
#define PHASE_LOST_MAX 50    /* pings lost in one phase: 5 s unanswered */
#define UDP_TRIES_MAX  20
#define QUIET_NS       (200ull * NSEC_PER_MSEC)
#define LINGER_MAX_NS  (10000ull * NSEC_PER_MSEC)

struct suspend_run {
	struct net_stack *n;
	uint8_t *pattern;
	unsigned want;           /* replies a phase needs */
	int fired;               /* control/shutdown changed */
	uint16_t seq;
	/* This phase. */
	unsigned replies, lost, udp_tries;
	bool udp_ok, said;
	/* The whole run. */
	unsigned phases_ok, suspends, resumed, cancelled;
	unsigned pings, pings_lost, failed;
	unsigned reason;
	unsigned grants_free;    /* free grant references before any suspend */
};

static bool phase_done(const struct suspend_run *r)
{
	return r->replies >= r->want && r->udp_ok;
}

/* What a wait in the phase stops for: the reply, or a request of the
 * toolstack once the phase is done. */
static bool reply_or_request(struct net_stack *n, void *arg)
{
	struct suspend_run *r = arg;

	xs_poll();
	return n->echo_answered || (r->fired && phase_done(r));
}

static void new_phase(struct suspend_run *r)
{
	r->replies = r->lost = r->udp_tries = 0;
	r->udp_ok = r->said = false;
}

/* A phase reached its replies and its echo: say so once. */
static void phase_check(struct suspend_run *r)
{
	if (!phase_done(r) || r->said)
		return;
	r->said = true;
	r->phases_ok++;
	kprintf("net-suspend: phase %u: %u ping replies and a udp echo of "
		"%u bytes, %u ping(s) lost meanwhile\n", r->suspends,
		r->replies, UDP_BYTES, r->lost);
}

static void take_suspend(struct suspend_run *r)
{
	struct netfront *nf = &r->n->nf;
	long rc;
	int nrc;

	r->suspends++;
	kprintf("net-suspend: suspend %u with ping %u and a udp echo request "
		"just sent\n", r->suspends, r->seq + 1u);
	/* Sent right before: the backend may not have taken them yet. */
	r->seq++;
	net_ping_send(r->n, r->seq, PING_BYTES);
	net_udp_send(r->n, UDP_SRC_PORT, NET_PORT_ECHO, r->pattern, UDP_BYTES);
	rc = kern_suspend();
	if (rc == 1)
		r->cancelled++;
	if (rc == 0) {
		nrc = netfront_resume(nf);
		r->resumed += nrc == 0;
		/* What it negotiated again, for the run to compare. */
		if (nrc == 0)
			net_features_print("net-suspend", nf);
		/* The old connection's references came back, the new one
		 * took as many. */
		if (nrc == 0 && gnttab_free_count() != r->grants_free) {
			kprintf("net-suspend: FAIL resume %u: %u grant "
				"reference(s) free, %u before the first "
				"suspend\n", r->suspends, gnttab_free_count(),
				r->grants_free);
			r->failed++;
		}
		if (nrc) {
			kprintf("net-suspend: FAIL resume %u: the netfront "
				"did not reconnect: %d\n", r->suspends, nrc);
			r->failed++;
		}
	}
	new_phase(r);
}

/* One step of the phase: a UDP echo once the replies came, else a ping.
 * False when the phase cannot end (the peer stopped answering). */
static bool phase_step(struct suspend_run *r)
{
	struct net_stack *n = r->n;

	if (r->replies >= r->want && !r->udp_ok) {
		if (++r->udp_tries > UDP_TRIES_MAX) {
			kprintf("net-suspend: FAIL phase %u: no udp echo in %u "
				"tries\n", r->suspends, UDP_TRIES_MAX);
			return false;
		}
		r->udp_ok = net_udp_echo_one(n, r->pattern, UDP_BYTES,
					     r->udp_tries);
		phase_check(r);
		return true;
	}
	/* A gap between pings, answering the peer's, lets virtual time
	 * run: the toolstack's request comes at a time of its own. */
	net_serve(n, NULL, NULL, PING_GAP_NS);
	r->seq++;
	r->pings++;
	net_ping_send(n, r->seq, PING_BYTES);
	if (net_serve(n, reply_or_request, r, REPLY_WAIT_NS) &&
	    n->echo_answered) {
		r->replies++;
		phase_check(r);
		return true;
	}
	if (n->echo_answered || (r->fired && phase_done(r)))
		return true;        /* the request came first */
	r->pings_lost++;
	if (++r->lost > PHASE_LOST_MAX) {
		kprintf("net-suspend: FAIL phase %u: %u pings unanswered, %u "
			"of %u replies\n", r->suspends, r->lost,
			r->replies, r->want);
		return false;
	}
	return true;
}

/* The toolstack's request, when one waits and the phase is done: false
 * once it asked for something other than a suspend. */
static bool take_request(struct suspend_run *r)
{
	unsigned reason;
	int rc;

	if (!r->fired || !phase_done(r))
		return true;
	r->fired = 0;
	rc = control_take_request(&reason);
	if (rc < 0) {
		kprintf("net-suspend: FAIL reading control/shutdown: %d\n", rc);
		r->failed++;
		r->reason = SHUTDOWN_crash;
		return false;
	}
	if (rc == 0)
		return true;
	if (reason != SHUTDOWN_suspend) {
		r->reason = reason;
		return false;
	}
	take_suspend(r);
	return true;
}

/* Answer the peer until it has been quiet for QUIET_NS. */
static void linger(struct net_stack *n)
{
	uint64_t start = time_now();
	unsigned seen = n->icmp_answered + n->udp_answered;

	while (time_now() - start < LINGER_MAX_NS) {
		net_serve(n, NULL, NULL, QUIET_NS);
		if (n->icmp_answered + n->udp_answered == seen)
			break;
		seen = n->icmp_answered + n->udp_answered;
	}
}

unsigned net_suspend_run(struct net_stack *n, uint8_t *pattern,
			 unsigned want)
{
	struct suspend_run r;
	struct netfront_stats *st = &n->nf.stats;
	int rc;

	memset(&r, 0, sizeof(r));
	r.n = n;
	r.pattern = pattern;
	r.want = want;
	r.reason = SHUTDOWN_crash;
	r.grants_free = gnttab_free_count();
	rc = control_watch(&r.fired);
	if (rc) {
		kprintf("net-suspend: FAIL cannot watch control/shutdown: %d\n",
			rc);
		return 1;
	}
	while (take_request(&r)) {
		xs_poll();
		if (!phase_step(&r)) {
			r.failed++;
			break;
		}
	}
	control_unwatch();
	if (!phase_done(&r) && !r.failed) {
		kprintf("net-suspend: FAIL the last phase did not end\n");
		r.failed++;
	}
	linger(n);
	kprintf("net-suspend: %u suspend(s): %u resumed in a new domain, %u "
		"cancelled; %u of %u phase(s) answered; %u ping(s), %u lost; "
		"the netfront resumed %u time(s), dropped %u tx request(s) "
		"and %u rx response(s)\n", r.suspends, r.resumed, r.cancelled,
		r.phases_ok, r.suspends + 1, r.pings, r.pings_lost,
		n->nf.resumes, (unsigned)st->tx_dropped,
		(unsigned)st->rx_dropped);
	if (r.phases_ok != r.suspends + 1)
		r.failed++;
	/* The run ends as the toolstack asked; the caller powers off. */
	if (r.reason != SHUTDOWN_poweroff && !r.failed) {
		kprintf("net-suspend: FAIL the toolstack asked for %u, not a "
			"poweroff\n", r.reason);
		r.failed++;
	}
	return r.failed;
}
