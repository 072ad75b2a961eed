/* SPDX-License-Identifier: BSD-2-Clause */
/* See hv/console_link.h. The ring page is guest memory: the backend treats
 * it as hostile; this file only places it, clears it and announces it. */
#include <stdio.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "hv/console_link.h"
#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/xs.h"
#include "hv/xs_link.h"

/* dom0's end: the guest sent on the channel. Only note it; dom0 runs later. */
static void guest_kicked(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct hv_console_link *link = ctx;

	(void)d;
	(void)port;
	link->back.kicked = true;
}

static int bind_channel(struct hv_console_link *link)
{
	int rc = hv_evtchn_alloc_unbound_for(link->guest, 0, &link->guest_port);

	if (rc)
		return rc;
	rc = hv_evtchn_bind_interdomain_for(link->dom0, link->guest->domid,
					    link->guest_port, &link->dom0_port);
	if (rc)
		return rc;
	return hv_evtchn_set_consumer(link->dom0, link->dom0_port,
				      guest_kicked, link);
}

static int write_node(struct hv_console_link *link, const char *key,
		      const char *value)
{
	char path[64];

	snprintf(path, sizeof(path), "/local/domain/%u/console/%s",
		 link->guest->domid, key);
	return hv_xs_write_str(link->xs, path, value);
}

/* The frontend entries libxl writes for console 0: dom0's and read-only
 * to the guest (the home directory's permissions), except backend-id,
 * which libxl gives the guest as it does a device's frontend nodes. */
static int announce(struct hv_console_link *link)
{
	const struct hv_xs_perm guest_owned[] = {
		{ link->guest->domid, HV_XS_PERM_NONE }, { 0, HV_XS_PERM_READ } };
	char gfn[24], port[12], limit[12], backend[48], path[64];
	int rc;

	snprintf(gfn, sizeof(gfn), "%llu", (unsigned long long)link->gfn);
	snprintf(port, sizeof(port), "%u", link->guest_port);
	snprintf(limit, sizeof(limit), "%u", HV_CONSOLE_LIMIT);
	snprintf(backend, sizeof(backend),
		 "/local/domain/0/backend/console/%u/0", link->guest->domid);
	snprintf(path, sizeof(path), "/local/domain/%u/console/backend-id",
		 link->guest->domid);
	rc = write_node(link, "backend", backend);
	if (!rc)
		rc = write_node(link, "backend-id", "0");
	if (!rc)
		rc = hv_xs_set_perms(link->xs, path, guest_owned, 2);
	if (!rc)
		rc = write_node(link, "limit", limit);
	if (!rc)
		rc = write_node(link, "type", "xenconsoled");
	if (!rc)
		rc = write_node(link, "output", "pty");
	if (!rc)
		rc = write_node(link, "tty", "");
	if (!rc)
		rc = write_node(link, "ring-ref", gfn);
	if (!rc)
		rc = write_node(link, "port", port);
	return rc;
}

int hv_console_link_connect(struct hv_console_link *link,
			    struct hv_domain *dom0, struct hv_domain *guest,
			    struct hv_xs *xs)
{
	uint64_t gfn = guest->magic_gfn + HV_MAGIC_CONSOLE_PFN_OFFSET;
	void *page = hv_gpfn_ptr(&guest->mem, gfn);
	int rc;

	memset(link, 0, sizeof(*link));
	link->guest = guest;
	link->dom0 = dom0;
	link->xs = xs;
	link->gfn = gfn;
	if (!page)
		return -XEN_EINVAL;
	memset(page, 0, HV_PAGE_SIZE);
	rc = bind_channel(link);
	if (!rc)
		rc = hv_consback_start(&link->back, dom0, guest, page,
				       link->dom0_port, NULL, NULL);
	if (!rc && xs)
		rc = announce(link);
	if (rc) {
		hv_console_link_disconnect(link);
		return rc;
	}
	link->connected = true;
	guest->hvm_param[HVM_PARAM_CONSOLE_PFN] = gfn;
	guest->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = link->guest_port;
	hv_log(guest->machine, HV_LOG_INFO, "d%u console ring at gfn %#llx, "
	       "event channel %u", guest->domid, (unsigned long long)gfn,
	       link->guest_port);
	return 0;
}

int hv_console_link_set_tty(struct hv_console_link *link, const char *tty)
{
	if (!link->connected || !link->xs)
		return 0;
	return write_node(link, "tty", tty);
}

bool hv_console_link_run(struct hv_console_link *link)
{
	return link->connected && hv_consback_run(&link->back);
}

void hv_console_link_disconnect(struct hv_console_link *link)
{
	hv_consback_stop(&link->back);
	link->connected = false;
	if (link->guest) {
		link->guest->hvm_param[HVM_PARAM_CONSOLE_PFN] = 0;
		link->guest->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = 0;
	}
	if (link->dom0_port)
		hv_evtchn_close_for(link->dom0, link->dom0_port);
	if (link->guest_port)
		hv_evtchn_close_for(link->guest, link->guest_port);
	link->dom0_port = link->guest_port = 0;
}
