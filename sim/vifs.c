/* SPDX-License-Identifier: BSD-2-Clause */
/* The domain config's network interfaces (xl's vif list): each one a vif
 * served by dom0's network backend on the run's bridge, xensim0, which
 * every domain of a run shares. A vif without mac= gets 00:16:3e:00:D:N
 * (D the domid, N the vif's number: the Xen OUI, as xl's random ones
 * have, but the same every run). What the backend offers comes from
 * xensim's own keys (queues=1..8, mtu=68..1500, and split-evtchn, sg,
 * gso, gso-tcpv4, gso-tcpv6, csum, ipv6-csum, mcast = 0 or 1; gso sets
 * both GSO types), defaulting to everything Linux's netback offers with
 * 4 queues. The spec's other keys were checked by the config reader and
 * mean nothing to the model. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "sim_internal.h"

/* The value of key in a "k=v, k=v" spec into out; whether present. */
static bool spec_value(const char *spec, const char *key, char *out,
		       size_t len)
{
	size_t n = strlen(key);

	for (const char *p = spec; *p;) {
		const char *end = strchr(p, ',');
		size_t tok = end ? (size_t)(end - p) : strlen(p);

		while (tok && (*p == ' ' || *p == '\t')) {
			p++;
			tok--;
		}
		while (tok && (p[tok - 1] == ' ' || p[tok - 1] == '\t'))
			tok--;
		if (tok > n && strncmp(p, key, n) == 0 && p[n] == '=') {
			snprintf(out, len, "%.*s", (int)(tok - n - 1), p + n + 1);
			return true;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* The offer keys: a flag (0/1) or a number within [min, max]. */
static const struct {
	const char *key;
	size_t flag;             /* offsetof the bool, or NUMBER */
	unsigned min, max;
} offer_keys[] = {
#define FLAG(k, field) { k, offsetof(struct hv_netback_features, field), 0, 1 }
	FLAG("split-evtchn", split_evtchn), FLAG("sg", sg),
	FLAG("gso", gso_tcpv4), FLAG("gso", gso_tcpv6),
	FLAG("gso-tcpv4", gso_tcpv4), FLAG("gso-tcpv6", gso_tcpv6),
	FLAG("csum", csum), FLAG("ipv6-csum", ipv6_csum),
	FLAG("mcast", mcast_control),
#undef FLAG
	{ "queues", SIZE_MAX, 1, HV_NETBACK_MAX_QUEUES },
	{ "mtu", SIZE_MAX - 1, HV_NETBACK_MTU_MIN, HV_NETBACK_MTU_MAX },
};

static int vif_offer(struct sim *s, const char *spec,
		     struct hv_netback_features *f)
{
	hv_netback_features_default(f);
	for (size_t k = 0; k < sizeof(offer_keys) / sizeof(offer_keys[0]);
	     k++) {
		char value[64], *end;
		unsigned long v;

		if (!spec_value(spec, offer_keys[k].key, value, sizeof(value)))
			continue;
		v = strtoul(value, &end, 10);
		if (!value[0] || *end || value[0] == '-' ||
		    v < offer_keys[k].min || v > offer_keys[k].max) {
			sim_fail(s, SIM_SETUP_ERROR, "vif '%s': %s=\"%s\": want "
				 "%u to %u", spec, offer_keys[k].key, value,
				 offer_keys[k].min, offer_keys[k].max);
			return -XEN_EINVAL;
		}
		if (offer_keys[k].flag == SIZE_MAX)
			f->max_queues = (unsigned)v;
		else if (offer_keys[k].flag == SIZE_MAX - 1)
			f->mtu = (unsigned)v;
		else
			*(bool *)((char *)f + offer_keys[k].flag) = v == 1;
	}
	return 0;
}

static int vif_config(struct sim *s, unsigned i, struct hv_netback_config *nc)
{
	const char *spec = s->cfg->vifs[i];
	char value[64];

	memset(nc, 0, sizeof(*nc));
	nc->devid = i;
	nc->sw = s->sw;
	if (spec_value(spec, "bridge", value, sizeof(value)) &&
	    strcmp(value, s->sw->name) != 0) {
		sim_fail(s, SIM_SETUP_ERROR, "vif '%s': bridge \"%s\": the "
			 "only bridge is %s", spec, value, s->sw->name);
		return -XEN_EINVAL;
	}
	if (vif_offer(s, spec, &nc->offer))
		return -XEN_EINVAL;
	if (!spec_value(spec, "mac", value, sizeof(value))) {
		const uint8_t mac[HV_ETH_ALEN] = {
			0x00, 0x16, 0x3e, 0x00, (uint8_t)s->domain->domid,
			(uint8_t)i };

		memcpy(nc->mac, mac, sizeof(mac));
		return 0;
	}
	if (hv_netback_parse_mac(value, nc->mac) || (nc->mac[0] & 1)) {
		sim_fail(s, SIM_SETUP_ERROR, "vif '%s': mac \"%s\" is not a "
			 "unicast address aa:bb:cc:dd:ee:ff", spec, value);
		return -XEN_EINVAL;
	}
	return 0;
}

int sim_vifs_setup(struct sim *s)
{
	char err[300];
	int rc;

	for (unsigned i = 0; i < s->cfg->n_vifs && i < SIM_MAX_VIFS; i++) {
		struct hv_netback_config nc;

		if ((rc = vif_config(s, i, &nc)))
			return rc;
		rc = hv_netback_create(s->machine, s->xs, s->dom0, s->domain,
				       &nc, &s->vif[i], err, sizeof(err));
		if (rc) {
			sim_fail(s, SIM_SETUP_ERROR, "vif %u: %s", i, err);
			return rc;
		}
		s->n_vifs = i + 1;
		sim_pcaps_attach_vif(s, i, s->vif[i]->sw_port);
	}
	return 0;
}

void sim_vifs_teardown(struct sim *s)
{
	for (unsigned i = 0; i < s->n_vifs; i++) {
		hv_netback_destroy(s->vif[i]);
		s->vif[i] = NULL;
	}
	s->n_vifs = 0;
}

bool sim_vifs_work(struct sim *s)
{
	bool did = false;

	for (unsigned i = 0; i < s->n_vifs; i++)
		did |= hv_netback_run(s->vif[i]);
	return did;
}
