/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <string.h>

#include "gxen/time.h"
#include "net_world.h"

const uint8_t net_world_guest_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
const uint8_t net_world_host_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa };

static bool host_deliver(void *ctx, const void *frame, size_t len)
{
	struct net_world *w = ctx;

	if (w->host_n == NET_WORLD_HOST_FRAMES)
		return false;
	memcpy(w->host[w->host_n], frame, len);
	w->host_len[w->host_n++] = len;
	return true;
}

static bool dom0_net(void *ctx)
{
	struct net_world *w = ctx;

	return w->nb ? hv_netback_run(w->nb) : false;
}

int net_world_start(struct net_world *w, hv_console_sink_fn *console_sink)
{
	struct sim_config cfg;
	struct sim_result res;

	memset(w, 0, sizeof(*w));
	sim_config_init(&cfg);
	cfg.log_level = HV_LOG_ERR;
	cfg.console_sink = console_sink;
	cfg.dom0_extra = dom0_net;
	cfg.dom0_extra_ctx = w;
	w->sn = sim_native_start(&cfg, &res);
	if (!w->sn) {
		printf("sim_native_start: %s\n", res.message);
		return -1;
	}
	w->xs = sim_native_xs(w->sn);
	hv_netswitch_init(&w->sw, "xensim0");
	w->host_port = hv_netswitch_attach(&w->sw, host_deliver, w);
	return 0;
}

int net_world_backend(struct net_world *w,
		      const struct hv_netback_features *offer)
{
	struct hv_netback_config nc = { .devid = 0, .sw = &w->sw };
	char err[200];
	int rc;

	memcpy(nc.mac, net_world_guest_mac, 6);
	if (offer)
		nc.offer = *offer;
	else
		hv_netback_features_default(&nc.offer);
	rc = hv_netback_create(sim_native_machine(w->sn), w->xs,
			       sim_native_dom0(w->sn), sim_native_domain(w->sn),
			       &nc, &w->nb, err, sizeof(err));
	if (rc) {
		printf("netback: %s\n", err);
		w->nb = NULL;
	}
	return rc;
}

void net_world_down(struct net_world *w)
{
	if (w->nf.connected)
		netfront_disconnect(&w->nf);
	hv_netback_destroy(w->nb);
	w->nb = NULL;
	w->host_n = 0;
}

void net_world_stop(struct net_world *w)
{
	net_world_down(w);
	sim_native_stop(w->sn);
}

void net_world_settle(void)
{
	time_sleep(1000000);
}

size_t net_world_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		       size_t len, unsigned seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;      /* a local experimental EtherType */
	f[13] = 0xb5;
	for (size_t i = 14; i < len; i++)
		f[i] = (uint8_t)(i * 7 + seed);
	return len;
}
