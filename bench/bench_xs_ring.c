/* SPDX-License-Identifier: BSD-2-Clause */
/* xenstore round trips from the guest: the guest's client sends a request
 * on its ring, kicks the event channel, idles; dom0's xenstored serves the
 * ring and notifies back; the upcall wakes the guest, which takes the
 * reply. Natively, on the runtime xensim ships (dom0 runs after each
 * hypercall and at each idle, the grant table is audited at each idle),
 * built -O2 without sanitizers. Prints figures only. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gxen/xs.h"
#include "sim.h"

#define ROUND_TRIPS 200000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

/* n requests of one kind; the rate, or -1 on a failed request. */
static double run(const char *what, int (*one)(int i), unsigned n)
{
	double t0 = now_s(), dt;

	for (unsigned i = 0; i < n; i++) {
		if (one((int)i) < 0) {
			printf("bench_xs_ring: %s failed: %s\n", what,
			       xs_last_error());
			return -1;
		}
	}
	dt = now_s() - t0;
	printf("bench_xs_ring: %-10s %8.0f round trips/s (%.2f us each)\n", what,
	       n / dt, dt / n * 1e6);
	return n / dt;
}

static int read_one(int i)
{
	char buf[32];

	(void)i;
	return xs_read(XBT_NIL, "name", buf, sizeof(buf));
}

static int write_one(int i)
{
	char value[16];

	snprintf(value, sizeof(value), "%d", i);
	return xs_write(XBT_NIL, "data/bench", value);
}

int main(void)
{
	struct sim_native *sn;
	struct sim_config cfg;
	struct sim_result res;

	/* The guest comes up connected to dom0's xenstored, as in xensim. */
	sim_config_init(&cfg);
	cfg.console_sink = drop_line;
	sn = sim_native_start(&cfg, &res);
	if (!sn) {
		printf("bench_xs_ring: %s\n", res.message);
		return 1;
	}
	if (!xs_connected()) {
		printf("bench_xs_ring: the guest has no xenstore connection\n");
		sim_native_stop(sn);
		return 1;
	}
	printf("bench_xs_ring: guest xenstore client <-> model xenstored over "
	       "the ring and event channels, native, -O2\n");
	run("read", read_one, ROUND_TRIPS);
	run("write", write_one, ROUND_TRIPS);
	xs_disconnect();
	sim_native_stop(sn);
	return 0;
}
