/* SPDX-License-Identifier: BSD-2-Clause */
/* Events per second natively: the guest sends on a loopback channel, the
 * model marks the peer pending, the workstation port takes the upcall at
 * the hypercall's return and the guest's demultiplexer runs the handler.
 * Measured for both event ABIs; prints figures, asserts nothing on time. */
#include <stdio.h>
#include <time.h>

#include "gxen/evtchn.h"
#include "sim.h"

#define EVENTS 1000000u

static unsigned long handled;

static void count(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	handled++;
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(enum evtchn_abi abi)
{
	struct sim_native *sn;
	struct sim_config cfg;
	struct sim_result res;
	evtchn_port_t a, b;
	double t0, dt;

	sim_config_init(&cfg);
	cfg.bootargs = abi == EVTCHN_ABI_FIFO ? "evtchn-fifo" : NULL;
	cfg.console_sink = drop_line;
	sn = sim_native_start(&cfg, &res);
	if (!sn) {
		printf("bench_evtchn: %s\n", res.message);
		return -1;
	}
	if (evtchn_abi() != abi ||
	    evtchn_alloc_unbound(DOMID_SELF, count, NULL, &a) ||
	    evtchn_bind_interdomain(DOMID_SELF, a, count, NULL, &b)) {
		printf("bench_evtchn: cannot bind a loopback channel\n");
		sim_native_stop(sn);
		return -1;
	}
	handled = 0;
	t0 = seconds();
	for (unsigned i = 0; i < EVENTS; i++)
		evtchn_notify(a);
	dt = seconds() - t0;
	sim_native_stop(sn);
	if (handled != EVENTS) {
		printf("bench_evtchn: %lu of %u events handled\n", handled,
		       EVENTS);
		return -1;
	}
	printf("evtchn %-8s send -> upcall -> handler: %u events in %.3f s, "
	       "%.2f M events/s (%.0f ns each)\n",
	       abi == EVTCHN_ABI_FIFO ? "FIFO" : "2-level", EVENTS, dt,
	       EVENTS / dt / 1e6, dt / EVENTS * 1e9);
	return 0;
}

int main(void)
{
	if (run(EVTCHN_ABI_2L) || run(EVTCHN_ABI_FIFO))
		return 1;
	return 0;
}
