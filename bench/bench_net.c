/* SPDX-License-Identifier: BSD-2-Clause */
/* The PV network's data path natively, in one process: the native
 * guest's netfront sends frames through dom0's netback into the switch,
 * whose other port is a sink that counts them (a host on the bridge).
 * 1514-byte frames give the throughput (Gb/s of frame bytes), 64-byte
 * frames the frame rate (Mpps); memcpy of the same frames in the same run
 * gives the bound (a frame is copied twice on its way: the grant copy out
 * of the guest's page and the switch's delivery). Prints figures, asserts
 * nothing on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/errno.h>

#include "dev/netfront.h"
#include "gxen/time.h"
#include "hv/netback.h"
#include "sim.h"

static struct {
	struct sim_native *sn;
	struct hv_netswitch sw;
	struct hv_netback *nb;
	struct netfront nf;
	uint64_t sunk, sunk_bytes;
} w;

static const uint8_t guest_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
static const uint8_t sink_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x09 };

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool sink(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	w.sunk++;
	w.sunk_bytes += len;
	return true;
}

static bool dom0_net(void *ctx)
{
	(void)ctx;
	return hv_netback_run(w.nb);
}

static void drop_line(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static int start(void)
{
	struct sim_config cfg;
	struct sim_result res;
	struct hv_netback_config nc = { .devid = 0, .sw = &w.sw };
	char err[200];
	uint8_t learn[60] = { 0 };

	memcpy(nc.mac, guest_mac, 6);
	hv_netback_features_default(&nc.offer);
	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = drop_line;
	cfg.dom0_extra = dom0_net;
	w.sn = sim_native_start(&cfg, &res);
	if (!w.sn) {
		printf("bench_net: %s\n", res.message);
		return -1;
	}
	hv_netswitch_init(&w.sw, "xensim0");
	int port = hv_netswitch_attach(&w.sw, sink, NULL);
	if (hv_netback_create(sim_native_machine(w.sn), sim_native_xs(w.sn),
			      sim_native_dom0(w.sn), sim_native_domain(w.sn),
			      &nc, &w.nb, err, sizeof(err)) ||
	    netfront_connect(&w.nf, "device/vif/0")) {
		printf("bench_net: cannot connect the vif: %s\n", err);
		return -1;
	}
	/* The sink speaks once, so the switch forwards to it, not floods. */
	memcpy(learn, guest_mac, 6);
	memcpy(learn + 6, sink_mac, 6);
	hv_netswitch_input(&w.sw, port, learn, sizeof(learn));
	return 0;
}

/* Send frames of len bytes to the sink; the seconds it took, or < 0. */
static double blast(unsigned frames, size_t len)
{
	static uint8_t frame[NETFRONT_FRAME_MAX];
	double t0;
	unsigned sent = 0;

	memcpy(frame, sink_mac, 6);
	memcpy(frame + 6, guest_mac, 6);
	frame[12] = 0x88;             /* a local experimental EtherType */
	frame[13] = 0xb5;
	memset(frame + 14, 0x5a, len - 14);
	w.sunk = w.sunk_bytes = 0;
	t0 = seconds();
	while (sent < frames) {
		int rc = netfront_send(&w.nf, frame, len);

		if (rc == 0)
			sent++;
		else if (rc == -XEN_EAGAIN)
			time_sleep(1000);      /* dom0 gives buffers back */
		else
			return -1;
	}
	while (!netfront_tx_idle(&w.nf))
		time_sleep(1000);
	return seconds() - t0;
}

/* memcpy of frames of len bytes, each from and to its own page as the
 * grant copies do: the seconds for frames of them, twice each. */
static double copy_bound(unsigned frames, size_t len)
{
	enum { PAGES = 64 };
	uint8_t *src = malloc(PAGES * 4096), *dst = malloc(PAGES * 4096);
	double t0, dt;

	if (!src || !dst) {
		free(src);
		free(dst);
		return -1;
	}
	memset(src, 0x5a, PAGES * 4096);
	memset(dst, 0, PAGES * 4096);
	t0 = seconds();
	for (unsigned i = 0; i < 2 * frames; i++) {
		memcpy(dst + (i % PAGES) * 4096, src + (i * 7 % PAGES) * 4096,
		       len);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	dt = seconds() - t0;
	free(src);
	free(dst);
	return dt;
}

static int measure(const char *what, unsigned frames, size_t len)
{
	double dt = blast(frames, len), bound = copy_bound(frames, len);

	if (dt <= 0 || w.sunk != frames || w.nf.broken) {
		printf("bench_net: %s: %llu of %u frames reached the sink%s%s\n",
		       what, (unsigned long long)w.sunk, frames,
		       w.nf.broken ? "; device broken: " : "",
		       w.nf.broken ? w.nf.why : "");
		return -1;
	}
	printf("net native guest -> netback -> switch -> sink, %s: %u frames "
	       "of %zu bytes in %.3f s: %.2f Gb/s, %.3f Mpps (memcpy bound, "
	       "two copies a frame: %.2f Gb/s, %.3f Mpps)\n", what, frames, len,
	       dt, frames * len * 8.0 / dt / 1e9, frames / dt / 1e6,
	       frames * len * 8.0 / bound / 1e9, frames / bound / 1e6);
	return 0;
}

int main(void)
{
	int rc;

	if (start())
		return 1;
	rc = measure("throughput", 400000, NETFRONT_FRAME_MAX) ||
	     measure("frame rate", 1000000, 64);
	netfront_disconnect(&w.nf);
	hv_netback_destroy(w.nb);
	sim_native_stop(w.sn);
	return rc ? 1 : 0;
}
