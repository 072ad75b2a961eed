/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for the grant-table tests: map a domain's table frames into its
 * grant window (as the guest would, through XENMEM_add_to_physmap), write
 * entries there, and issue GNTTABOP_* for any domain. Header-only. */
#ifndef TEST_GNTTAB_UTIL_H
#define TEST_GNTTAB_UTIL_H

#include <xen/arch-arm.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "test_evtchn_util.h"

#define UT_GNTTAB_GFN (GUEST_GNTTAB_BASE >> 12)

static inline long ut_add_to_physmap(struct hv_domain *d, unsigned space,
				     uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = space,
					.idx = idx, .gpfn = gpfn };

	return ut_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x,
		       sizeof(x), 0);
}

/* Map frame idx of d's table at the window's page idx. */
static inline long ut_map_frame(struct hv_domain *d, unsigned idx)
{
	return ut_add_to_physmap(d, XENMAPSPACE_grant_table, idx,
				 UT_GNTTAB_GFN + idx);
}

/* Entry ref of d's table (its frame must be mapped in the window). */
static inline struct grant_entry_v1 *ut_entry(struct hv_domain *d,
					      grant_ref_t ref)
{
	return hv_gpa_ptr(&d->mem, GUEST_GNTTAB_BASE + ref * 8ull, 8);
}

/* The guest's way of granting: frame and domid, then the flags. */
static inline void ut_grant(struct hv_domain *d, grant_ref_t ref,
			    uint16_t to, uint64_t gfn, bool readonly)
{
	struct grant_entry_v1 *e = ut_entry(d, ref);

	e->frame = (uint32_t)gfn;
	e->domid = to;
	e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

/* The gfn and host pointer of page n of d's RAM. */
static inline uint64_t ut_ram_gfn(struct hv_domain *d, unsigned n)
{
	return (d->mem.region[0].gpa >> 12) + n;
}

static inline uint8_t *ut_ram_page(struct hv_domain *d, unsigned n)
{
	return hv_gpfn_ptr(&d->mem, ut_ram_gfn(d, n));
}

/* GNTTABOP cmd for d on count structs of len bytes each at *arg. */
static inline long ut_gnttab(struct hv_domain *d, uint32_t cmd, void *arg,
			     size_t len, uint32_t count)
{
	return ut_call(d, __HYPERVISOR_grant_table_op, cmd, arg, len, count);
}

#define GT(d, cmd, s, count) ut_gnttab((d), (cmd), &(s), sizeof(s), (count))

#endif
