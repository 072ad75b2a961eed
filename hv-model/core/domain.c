/* SPDX-License-Identifier: BSD-2-Clause */
/* Domains: creation with their guest memory layout, lookup by id from a
 * caller's point of view, and the shutdown states a runtime watches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-arm.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/xen.h>

#include "hv/evtchn.h"
#include "hv/gnttab.h"
#include "hv/layout.h"
#include "hv/machine.h"
#include "hv/p2m.h"
#include "hv/vcpu.h"
#include "hv/xs.h"

/* The toolstack places the console and xenstore pages at the start of the
 * magic region; the model backs only those few pages. */
#define HV_NR_MAGIC_PAGES 4

static int domain_add_memory(struct hv_domain *d, uint64_t ram_bytes)
{
	static const char *const bank_name[HV_LAYOUT_MAX_BANKS] = { "ram0",
								    "ram1" };
	const struct hv_layout *l = d->machine->layout;
	uint64_t size[HV_LAYOUT_MAX_BANKS], last_gfn = 0;
	int rc;

	if (ram_bytes == 0 || ram_bytes % HV_PAGE_SIZE ||
	    !hv_layout_split_ram(l, ram_bytes, size))
		return -XEN_EINVAL;
	/* Bank 0 is always region 0: loaders and the toolstack place the
	 * kernel and the device tree there. */
	for (unsigned i = 0; i < HV_LAYOUT_MAX_BANKS && size[i]; i++) {
		rc = hv_mem_add_region(&d->mem, bank_name[i], l->ram[i].base,
				       size[i]);
		if (rc)
			return rc;
		last_gfn = (l->ram[i].base + size[i] - 1) >> HV_PAGE_SHIFT;
	}
	/* Xen counts the RAM it gave the domain; the magic pages are the
	 * toolstack's and left out of the count (a dom0less domU has none),
	 * but they are mapped: where they lie above RAM (Xen 4.4's layout)
	 * they are the highest gfn. */
	hv_p2m_init(d, ram_bytes >> HV_PAGE_SHIFT, last_gfn);
	d->magic_gfn = hv_layout_magic_base(l, ram_bytes) >> HV_PAGE_SHIFT;
	hv_p2m_note_mapped(d, d->magic_gfn + l->nr_magic_pages - 1);
	return hv_mem_add_region(&d->mem, "magic", d->magic_gfn << HV_PAGE_SHIFT,
				 HV_NR_MAGIC_PAGES * HV_PAGE_SIZE);
}

/* vCPU state, event channels and the grant table, once memory exists. */
static int domain_init_xen_state(struct hv_domain *d)
{
	int rc;

	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		rc = hv_vcpu_state_init(&d->vcpu[i]);
		if (rc)
			return rc;
	}
	rc = hv_evtchn_domain_init(d);
	if (rc)
		return rc;
	return hv_gnttab_domain_init(d);
}

/* Undo domain_init_xen_state and free d; safe on a partial init. */
static void domain_free(struct hv_domain *d)
{
	hv_watchdog_destroy(d);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		hv_vcpu_wait_end(&d->vcpu[i]);
	hv_gnttab_domain_destroy(d);
	hv_evtchn_domain_destroy(d);
	hv_p2m_destroy(d);
	hv_grant_attr_free(d);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		hv_vcpu_state_free(&d->vcpu[i]);
	if (d->shared_info_gpfn == UINT64_MAX)
		free(d->shared_info);
	hv_mem_free(&d->mem);
	free(d);
}

/* libxl sets the maximum 1 MiB above the RAM (LIBXL_MAXMEM_CONSTANT);
 * libxenguest populates the magic pages (console, xenstore, memaccess,
 * vuart) beyond it; the domain gets its UUID. */
static void domain_as_xl_builds(struct hv_domain *d)
{
	d->max_pages += HV_XL_MAXMEM_SLACK_PAGES;
	d->tot_pages += HV_XL_MAGIC_PAGES;
	hv_xs_domain_uuid(d->name, d->handle);
}

int hv_domain_create(struct hv_machine *m, const struct hv_domain_config *cfg,
		     struct hv_domain **out)
{
	struct hv_domain *d;
	int rc;

	if (cfg->domid >= HV_MAX_DOMAINS || cfg->nr_vcpus == 0 ||
	    cfg->nr_vcpus > HV_MAX_VCPUS)
		return -XEN_EINVAL;
	if (m->domain[cfg->domid])
		return -XEN_EEXIST;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -XEN_ENOMEM;
	d->shared_info = calloc(1, HV_PAGE_SIZE);
	if (!d->shared_info) {
		free(d);
		return -XEN_ENOMEM;
	}
	d->machine = m;
	d->domid = cfg->domid;
	snprintf(d->name, sizeof(d->name), "%s", cfg->name ? cfg->name : "guest");
	d->privileged = cfg->privileged;
	d->is_console = cfg->is_console;
	d->shared_info_gpfn = UINT64_MAX;
	d->shutdown_code = -1;
	d->nr_vcpus = cfg->nr_vcpus;
	hv_watchdog_init(d);
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		d->vcpu[i].domain = d;
		d->vcpu[i].id = i;
		d->vcpu[i].online = i == 0;
	}
	rc = domain_add_memory(d, cfg->ram_bytes);
	if (rc == 0)
		rc = domain_init_xen_state(d);
	if (rc == 0 && cfg->xl_built)
		domain_as_xl_builds(d);
	if (rc) {
		domain_free(d);
		return rc;
	}
	m->domain[d->domid] = d;
	hv_log(m, HV_LOG_DEBUG, "d%u: created \"%s\", %llu MiB, %u vCPU(s)",
	       d->domid, d->name, (unsigned long long)(cfg->ram_bytes >> 20),
	       d->nr_vcpus);
	*out = d;
	return 0;
}

void hv_domain_destroy(struct hv_domain *d)
{
	if (!d)
		return;
	if (d->machine->domain[d->domid] == d)
		d->machine->domain[d->domid] = NULL;
	domain_free(d);
}

struct hv_domain *hv_domain_by_id(struct hv_machine *m, uint16_t domid)
{
	return domid < HV_MAX_DOMAINS ? m->domain[domid] : NULL;
}

struct hv_domain *hv_domain_lookup(struct hv_domain *caller, uint16_t domid)
{
	if (domid == DOMID_SELF || domid == caller->domid)
		return caller;
	return hv_domain_by_id(caller->machine, domid);
}

const char *hv_shutdown_reason_name(unsigned reason)
{
	static const char *const names[] = {
		[SHUTDOWN_poweroff] = "poweroff",
		[SHUTDOWN_reboot] = "reboot",
		[SHUTDOWN_suspend] = "suspend",
		[SHUTDOWN_crash] = "crash",
		[SHUTDOWN_watchdog] = "watchdog",
		[SHUTDOWN_soft_reset] = "soft_reset",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "unknown";
}

void hv_domain_shutdown(struct hv_domain *d, unsigned reason)
{
	if (d->state != HV_DOMAIN_RUNNING)
		return;
	d->state = HV_DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	hv_log(d->machine, HV_LOG_INFO, "Domain %u shutdown: reason %u (%s)",
	       d->domid, reason, hv_shutdown_reason_name(reason));
}

void hv_domain_crash(struct hv_domain *d, const char *why)
{
	if (d->state != HV_DOMAIN_RUNNING)
		return;
	d->state = HV_DOMAIN_CRASHED_BY_MODEL;
	d->shutdown_reason = SHUTDOWN_crash;
	hv_log(d->machine, HV_LOG_ERR, "Domain %u crashed: %s", d->domid, why);
}

void hv_domain_kill(struct hv_domain *d, const char *why)
{
	if (d->state != HV_DOMAIN_RUNNING)
		return;
	d->state = HV_DOMAIN_KILLED;
	hv_log(d->machine, HV_LOG_INFO, "Domain %u destroyed: %s", d->domid,
	       why);
}

bool hv_domain_running(const struct hv_domain *d)
{
	return d->state == HV_DOMAIN_RUNNING;
}

void *hv_domain_shared_info(struct hv_domain *d)
{
	return d->shared_info;
}

uint64_t hv_vcpu_affinity(unsigned id)
{
	return (uint64_t)(id & 0xf) | (uint64_t)((id >> 4) & 0xff) << 8;
}
