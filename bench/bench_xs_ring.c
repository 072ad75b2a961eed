/* xenstore round trips from the guest: the guest's client sends a request
 * on its ring, kicks the event channel, idles; dom0's xenstored serves the
 * ring and notifies back; the upcall wakes the guest, which takes the
 * reply. Natively, built -O2 without sanitizers. Prints figures only. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gxen/xenstore.h"
#include "gxen/xs.h"
#include "hv/xs.h"
#include "hv/xs_link.h"
#include "native_guest.h"

#define ROUND_TRIPS 200000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void serve(void *ctx)
{
	hv_xs_link_run(ctx);
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
	struct native_guest ng;
	struct hv_xs_link link;
	struct hv_xs *xs;
	int rc;

	if (native_guest_start(&ng, EVTCHN_ABI_2L))
		return 1;
	xs = hv_xs_new(NULL);
	if (!xs || hv_xs_link_connect(&link, xs, ng.dom0, ng.d)) {
		printf("bench_xs_ring: cannot wire xenstore\n");
		return 1;
	}
	ng.dom0_work = serve;
	ng.dom0_ctx = &link;
	rc = xenstore_init();
	if (rc) {
		printf("bench_xs_ring: xenstore_init: %d\n", rc);
		return 1;
	}
	printf("bench_xs_ring: guest xenstore client <-> model xenstored over "
	       "the ring and event channels, native, -O2\n");
	run("read", read_one, ROUND_TRIPS);
	run("write", write_one, ROUND_TRIPS);
	xs_disconnect();
	hv_xs_link_disconnect(&link);
	hv_xs_free(xs);
	native_guest_stop(&ng);
	return 0;
}
