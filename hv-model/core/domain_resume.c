/* SPDX-License-Identifier: BSD-2-Clause */
/* Resuming a domain that suspended itself (SCHEDOP_shutdown, reason
 * suspend), as Xen and its toolstack do for x86 guests: Xen 4.17 on ARM has
 * no save or restore, so the runtime asks for this only on request
 * (xensim run --suspend-resume). Memory and vCPU registers stay; what a
 * restore on another host rebuilds from nothing is dropped here. */
#include <string.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/memory_op.h"
#include "hv/vcpu.h"

/* The new domain's shared_info is a fresh page of Xen's, not in the
 * physmap until the guest maps it again; the gfn it had is RAM again. */
static int renew_shared_info(struct hv_domain *d)
{
	uint64_t gpfn = d->shared_info_gpfn;

	if (gpfn != UINT64_MAX) {
		long rc = hv_memory_unmap_shared_info(d);

		if (rc)
			return (int)rc;
		hv_mem_set_populated(&d->mem, gpfn, true);
	}
	memset(d->shared_info, 0, HV_PAGE_SIZE);
	d->shared_info_mapped_once = false;
	return 0;
}

/* vcpu_info back in shared_info's legacy slot, no runstate area: the
 * guest registers both again. Its timer and registers are kept. */
static void forget_vcpu_areas(struct hv_vcpu *v)
{
	struct hv_vcpu_state *st = v->state;

	st->vcpu_info = NULL;
	st->vcpu_info_gfn = UINT64_MAX;
	st->vcpu_info_offset = 0;
	memset(&st->dummy, 0, sizeof(st->dummy));
	st->runstate_gva = 0;
}

/* What Xen's restore gives a domain built anew on another host: no event
 * channel (2-level ABI, nothing pending), a grant table of one frame that
 * nobody maps from, shared_info and vcpu_info unmapped, no watchdog. */
static int renew_xen_state(struct hv_domain *d)
{
	int rc;

	hv_evtchn_domain_destroy(d);
	rc = hv_evtchn_domain_init(d);
	if (!rc)
		rc = hv_gnttab_domain_renew(d);
	if (!rc)
		rc = renew_shared_info(d);
	if (rc)
		return rc;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		forget_vcpu_areas(&d->vcpu[i]);
	hv_watchdog_destroy(d);
	hv_watchdog_init(d);
	return 0;
}

int hv_domain_resume(struct hv_domain *d, bool new_host)
{
	int rc;

	if (d->state != HV_DOMAIN_SHUTDOWN ||
	    d->shutdown_reason != SHUTDOWN_suspend)
		return -XEN_EINVAL;
	if (new_host) {
		rc = renew_xen_state(d);
		if (rc) {
			hv_domain_crash(d, "cannot rebuild it for its resume");
			return rc;
		}
		d->new_host_resumes++;
	}
	/* Xen's domain_resume: the shutdown is forgotten, the code too. */
	d->state = HV_DOMAIN_RUNNING;
	d->shutdown_reason = 0;
	d->shutdown_code = -1;
	hv_log(d->machine, HV_LOG_INFO, "Domain %u resumed (%s)", d->domid,
	       new_host ? "restored as on a new host" : "suspend cancelled");
	return 0;
}
