/* SPDX-License-Identifier: BSD-2-Clause */
/* SIGINT and SIGTERM end a run cleanly: the handler only records the
 * signal and wakes the libuv loop (uv_async_send is async-signal-safe); the
 * run acts on it at its next hypercall, idle or loop turn, where it stops
 * the domain, so the verdict, the message and the removal of the xenstore
 * socket all happen as after any other ending. A second signal is not
 * caught (SA_RESETHAND): it ends a guest that never reaches such a point. */
#include <signal.h>
#include <string.h>

#include "hv/domain.h"
#include "sim_internal.h"

/* Signal dispositions are per process, so this state is too: one run at a
 * time catches signals (the CLI's). */
static volatile sig_atomic_t caught_signal;
static uv_async_t *volatile wake_loop;

static const int caught_signals[] = { SIGINT, SIGTERM };
#define NR_CAUGHT (sizeof(caught_signals) / sizeof(caught_signals[0]))

static void on_signal(int signo)
{
	caught_signal = signo;
	if (wake_loop)
		uv_async_send(wake_loop);
}

void sim_signals_catch(struct sim *s)
{
	struct sigaction sa;

	if (!s->cfg->catch_signals)
		return;
	caught_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < NR_CAUGHT; i++)
		sigaction(caught_signals[i], &sa, &s->old_action[i]);
	s->catching = true;
}

void sim_signals_wake_loop(struct sim *s)
{
	if (!s->catching || !s->loop ||
	    uv_async_init(s->loop, &s->signal_wake, NULL))
		return;
	uv_unref((uv_handle_t *)&s->signal_wake);
	wake_loop = &s->signal_wake;
	/* A signal that came before this has no wake-up to send: the run
	 * checks the flag before its first wait, so none is lost. */
}

void sim_signals_release(struct sim *s)
{
	if (!s->catching)
		return;
	for (unsigned i = 0; i < NR_CAUGHT; i++)
		sigaction(caught_signals[i], &s->old_action[i], NULL);
	s->catching = false;
	if (wake_loop) {
		wake_loop = NULL;
		uv_close((uv_handle_t *)&s->signal_wake, NULL);
	}
}

bool sim_signals_check(struct sim *s)
{
	int signo = caught_signal;

	if (!s->catching || !signo || s->interrupted)
		return false;
	s->interrupted = signo;
	hv_domain_kill(s->domain, sim_signal_name(signo));
	return true;
}

bool sim_signal_caught(void)
{
	return caught_signal != 0;
}

const char *sim_signal_name(int signo)
{
	return signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" :
	       signo == SIGKILL ? "gdb's kill" : "a signal";
}
