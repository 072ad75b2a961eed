/* SPDX-License-Identifier: BSD-2-Clause */
/* A domain's reservation counts, its highest mapped gfn and its aliased
 * gfns (hv/p2m.h). An alias shares the owner's memory file page, so it
 * stays valid for as long as it is mapped, whatever the owner does. */
#include <stdlib.h>

#include <xen/errno.h>

#include "hv/machine.h"
#include "hv/p2m.h"

void hv_p2m_init(struct hv_domain *d, uint64_t ram_pages, uint64_t last_gfn)
{
	d->tot_pages = ram_pages;
	d->max_pages = ram_pages;
	d->max_mapped_gfn = last_gfn;
}

uint64_t hv_p2m_host_max_page(const struct hv_machine *m)
{
	const uint64_t gib = 1ull << 30;
	uint64_t largest = 0, size;

	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i] && m->domain[i]->max_pages > largest)
			largest = m->domain[i]->max_pages;
	size = ((largest << HV_PAGE_SHIFT) + HV_HOST_XEN_ROOM + gib - 1) &
	       ~(gib - 1);
	if (size < HV_HOST_RAM_MIN)
		size = HV_HOST_RAM_MIN;
	return (HV_HOST_RAM_BASE + size) >> HV_PAGE_SHIFT;
}

void hv_p2m_destroy(struct hv_domain *d)
{
	free(d->alias);
	d->alias = NULL;
	d->nr_alias = 0;
}

void hv_p2m_note_mapped(struct hv_domain *d, uint64_t gfn)
{
	if (gfn > d->max_mapped_gfn)
		d->max_mapped_gfn = gfn;
}

static struct hv_p2m_alias *find_alias(const struct hv_domain *d, uint64_t gfn)
{
	for (unsigned i = 0; i < d->nr_alias; i++)
		if (d->alias[i].gfn == gfn)
			return &d->alias[i];
	return NULL;
}

const struct hv_p2m_alias *hv_p2m_alias_at(const struct hv_domain *d,
					   uint64_t gfn)
{
	return find_alias(d, gfn);
}

int hv_p2m_alias_remove(struct hv_domain *d, uint64_t gfn)
{
	struct hv_p2m_alias *a = find_alias(d, gfn);

	if (!a)
		return -XEN_ENOENT;
	*a = d->alias[--d->nr_alias];
	return hv_mem_unalias(&d->mem, gfn);
}

int hv_p2m_alias_add(struct hv_domain *d, uint64_t gfn, struct hv_domain *owner,
		     uint64_t owner_gfn, enum hv_p2m_alias_kind kind)
{
	struct hv_p2m_alias *grown;
	int rc;

	if (!hv_gpfn_valid(&owner->mem, owner_gfn))
		return -XEN_EINVAL;
	hv_p2m_alias_remove(d, gfn);
	grown = realloc(d->alias, (d->nr_alias + 1) * sizeof(*grown));
	if (!grown)
		return -XEN_ENOMEM;
	d->alias = grown;
	rc = hv_mem_alias(&d->mem, gfn, &owner->mem, owner_gfn);
	if (rc)
		return rc;
	d->alias[d->nr_alias++] = (struct hv_p2m_alias){
		.gfn = gfn, .owner = owner->domid, .owner_gfn = owner_gfn,
		.kind = kind,
	};
	hv_p2m_note_mapped(d, gfn);
	return 0;
}

uint64_t hv_p2m_mfn(const struct hv_domain *d, uint64_t gfn)
{
	return (uint64_t)(d->domid + 1) << HV_MFN_DOMID_SHIFT | gfn;
}

struct hv_domain *hv_p2m_mfn_owner(struct hv_machine *m, uint64_t mfn,
				   uint64_t *gfn)
{
	uint64_t id = mfn >> HV_MFN_DOMID_SHIFT;
	struct hv_domain *d;

	if (id == 0 || id > HV_MAX_DOMAINS)
		return NULL;
	d = hv_domain_by_id(m, (uint16_t)(id - 1));
	*gfn = mfn & ((1ull << HV_MFN_DOMID_SHIFT) - 1);
	return d && hv_gpfn_valid(&d->mem, *gfn) ? d : NULL;
}
