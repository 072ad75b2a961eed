/* SPDX-License-Identifier: BSD-2-Clause */
/* See hv/xs_link.h. The ring page is guest memory: the daemon's ring code
 * treats it as hostile; this file only places and clears it. */
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>
#include <xen/hvm/params.h>

#include "hv/evtchn.h"
#include "hv/machine.h"
#include "hv/xs.h"
#include "hv/xs_link.h"
#include "hv/xs_ring.h"

/* dom0's end: the guest sent on the channel. Only note it; dom0 runs later. */
static void guest_kicked(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct hv_xs_link *link = ctx;

	(void)d;
	(void)port;
	link->kicked = true;
}

/* The daemon's end: tell the guest there is something on the ring. */
static void notify_guest(void *opaque)
{
	struct hv_xs_link *link = opaque;

	hv_evtchn_send_from(link->dom0, link->dom0_port);
}

static int bind_channel(struct hv_xs_link *link)
{
	int rc = hv_evtchn_alloc_unbound_for(link->guest, 0, &link->guest_port);

	if (rc)
		return rc;
	rc = hv_evtchn_bind_interdomain_for(link->dom0, link->guest->domid,
					    link->guest_port, &link->dom0_port);
	if (rc) {
		hv_evtchn_close_for(link->guest, link->guest_port);
		return rc;
	}
	return hv_evtchn_set_consumer(link->dom0, link->dom0_port,
				      guest_kicked, link);
}

int hv_xs_link_connect(struct hv_xs_link *link, struct hv_xs *xs,
		       struct hv_domain *dom0, struct hv_domain *guest)
{
	uint64_t pfn = guest->magic_gfn + HV_MAGIC_XENSTORE_PFN_OFFSET;
	struct hv_xs_domain_info info = {
		.domid = guest->domid,
		.name = guest->name,
		.memory_kb = guest->mem.region[0].size >> 10,
		.vcpus = guest->nr_vcpus,
	};
	void *page = hv_gpfn_ptr(&guest->mem, pfn);
	int rc;

	info.store_gfn = pfn;
	memset(link, 0, sizeof(*link));
	link->xs = xs;
	link->guest = guest;
	link->dom0 = dom0;
	if (!page)
		return -XEN_EINVAL;
	memset(page, 0, HV_PAGE_SIZE);
	rc = bind_channel(link);
	if (rc)
		return rc;
	info.store_port = link->guest_port;
	rc = hv_xs_toolstack_create_domain(xs, &info);
	if (rc) {
		hv_xs_link_disconnect(link);
		return rc;
	}
	link->in_store = true;
	link->ring = hv_xs_ring_new(xs, guest->domid, page, notify_guest, link);
	if (!link->ring) {
		hv_xs_link_disconnect(link);
		return -XEN_ENOMEM;
	}
	guest->hvm_param[HVM_PARAM_STORE_PFN] = pfn;
	guest->hvm_param[HVM_PARAM_STORE_EVTCHN] = link->guest_port;
	return 0;
}

bool hv_xs_link_run(struct hv_xs_link *link)
{
	if (!link->ring || !link->kicked)
		return false;
	link->kicked = false;
	hv_xs_ring_kick(link->ring);
	return true;
}

void hv_xs_link_disconnect(struct hv_xs_link *link)
{
	if (link->ring)
		hv_xs_ring_free(link->ring);
	link->ring = NULL;
	if (link->in_store)
		hv_xs_toolstack_destroy_domain(link->xs, link->guest->domid);
	link->in_store = false;
	if (link->dom0_port)
		hv_evtchn_close_for(link->dom0, link->dom0_port);
	if (link->guest_port)
		hv_evtchn_close_for(link->guest, link->guest_port);
	link->dom0_port = link->guest_port = 0;
}

void hv_xs_link_detach(struct hv_xs_link *link)
{
	hv_xs_ring_free(link->ring);
	link->ring = NULL;
}
