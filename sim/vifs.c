/* SPDX-License-Identifier: BSD-2-Clause */
/* The domain config's network interfaces (xl's vif list): each one a vif
 * served by dom0's network backend on the run's bridge, xensim0, which
 * every domain of a run shares. A vif without mac= gets 00:16:3e:00:D:N
 * (D the domid, N the vif's number: the Xen OUI, as xl's random ones
 * have, but the same every run). The spec's other keys were checked by
 * the config reader and mean nothing to the model. */
#include <stdio.h>
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
