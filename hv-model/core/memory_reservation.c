/* SPDX-License-Identifier: BSD-2-Clause */
/* XENMEM_increase_reservation, decrease_reservation and populate_physmap:
 * the balloon, as Xen 4.17 on ARM runs it for a translated domain. Each
 * answers how many extents it did; anything wrong with the request as a
 * whole answers the extent it started from, never an errno. Decrease
 * frees the page (the gfn is left empty: model accesses to it fail), and
 * populate backs a gfn with a fresh zeroed page, within max_pages. The
 * extent list is guest memory, read one entry at a time. */
#include <string.h>

#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "hv/gnttab.h"
#include "hv/machine.h"
#include "hv/memory_op.h"
#include "hv/p2m.h"

/* Xen's memop-max-order defaults on ARM: a domU may ask for extents of up
 * to 2^9 pages, the control domain 2^18 (PAGEALLOC_MAX_ORDER). */
#define DOMU_MAX_ORDER   9u
#define CTLDOM_MAX_ORDER 18u
/* The largest nr_extents a continuation could still encode. */
#define MAX_NR_EXTENTS   (UINT32_MAX >> HV_MEMOP_EXTENT_SHIFT)
/* XENMEMF_get_node's "no node". */
#define NO_NODE          0xffu

enum reservation_op { INCREASE, DECREASE, POPULATE };

struct memop_args {
	struct hv_domain *d;          /* the domain ballooned */
	struct hv_domain *caller;
	struct hv_vcpu *vcpu;         /* the caller's, whose tables map list */
	uint64_t list;                /* guest address of the extent list */
	uint64_t nr_extents;
	unsigned order;
	bool no_memory;               /* the address limit leaves no host RAM */
};

static unsigned max_order(const struct hv_domain *caller)
{
	return caller->privileged ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
}

/* Xen's construct_memop_from_reservation and propagate_node, for a
 * machine of one NUMA node and 1 GiB of RAM at 1 GiB: an address limit
 * under 31 bits leaves nothing to allocate, one of 12 bits or fewer is
 * refused. false: refuse the whole request. */
static bool read_mem_flags(struct memop_args *a, uint32_t flags)
{
	unsigned bits = XENMEMF_get_address_bits(flags);
	unsigned node = XENMEMF_get_node(flags);

	if (bits != 0 && bits < 31) {
		if (bits <= HV_PAGE_SHIFT)
			return false;
		a->no_memory = ((1ull << bits) <= HV_HOST_RAM_BASE);
	}
	if (flags & XENMEMF_vnode || node == NO_NODE)
		return true;   /* no vNUMA: the vnode request is ignored */
	if (a->caller->privileged)
		return node < 1;
	return !(flags & XENMEMF_exact_node_request);
}

/* Xen's allocation against max_pages (assign_pages). */
static bool allocate(struct memop_args *a)
{
	uint64_t n = 1ull << a->order;

	if (a->no_memory || a->d->tot_pages + n > a->d->max_pages) {
		hv_log(a->d->machine, HV_LOG_INFO, "d%u: over-allocation: %llu "
		       "+ %llu > %llu pages", a->d->domid,
		       (unsigned long long)a->d->tot_pages,
		       (unsigned long long)n,
		       (unsigned long long)a->d->max_pages);
		return false;
	}
	a->d->tot_pages += n;
	return true;
}

static bool read_extent(struct memop_args *a, uint64_t i, uint64_t *gfn)
{
	return hv_copy_from_guest(a->vcpu, gfn, a->list + i * 8, 8) == 0;
}

/* Pages are allocated but, the domain being translated, mapped nowhere:
 * a guest populates the gfns it wants instead. */
static uint64_t increase(struct memop_args *a, uint64_t i)
{
	if (a->order > max_order(a->caller))
		return i;
	for (; i < a->nr_extents; i++)
		if (!allocate(a))
			break;
	return i;
}

/* Put a fresh page at gfn: whatever was there goes (shared_info back into
 * the model, an alias ended). false when the model has no memory there. */
static bool put_page_at(struct hv_domain *d, uint64_t gfn)
{
	if (gfn == d->shared_info_gpfn)
		hv_memory_unmap_shared_info(d);
	hv_p2m_alias_remove(d, gfn);
	if (hv_gnttab_frame_at(d, gfn) ||
	    hv_mem_set_populated(&d->mem, gfn, true)) {
		hv_log(d->machine, HV_LOG_WARN, "d%u: populate gfn %#llx: the "
		       "model backs no RAM there", d->domid,
		       (unsigned long long)gfn);
		return false;
	}
	hv_p2m_note_mapped(d, gfn);
	return true;
}

static uint64_t populate(struct memop_args *a, uint64_t i)
{
	uint64_t gfn;

	if (a->order > max_order(a->caller))
		return i;
	for (; i < a->nr_extents; i++) {
		if (!read_extent(a, i, &gfn) || !allocate(a))
			break;
		/* Xen counts the extent whether or not its p2m took it. */
		for (uint64_t j = 0; j < 1ull << a->order; j++)
			put_page_at(a->d, gfn + j);
	}
	return i;
}

/* Xen's guest_remove_page: only a page of the domain's own RAM, mapped
 * where it is asked for. */
static bool remove_page(struct hv_domain *d, uint64_t gfn)
{
	if (gfn == d->shared_info_gpfn || hv_gnttab_frame_at(d, gfn) ||
	    hv_p2m_alias_at(d, gfn) || !hv_gpfn_valid(&d->mem, gfn))
		return false;
	if (hv_mem_set_populated(&d->mem, gfn, false))
		return false;
	d->tot_pages--;
	return true;
}

static uint64_t decrease(struct memop_args *a, uint64_t i)
{
	uint64_t gfn;

	if (a->order > max_order(a->caller))
		return i;
	for (; i < a->nr_extents; i++) {
		if (!read_extent(a, i, &gfn))
			break;
		for (uint64_t j = 0; j < 1ull << a->order; j++)
			if (!remove_page(a->d, gfn + j))
				return i;
	}
	return i;
}

static long reservation(struct hv_vcpu *v, uint64_t start, uint64_t gva,
			enum reservation_op op)
{
	struct xen_memory_reservation r;
	struct memop_args a = { .caller = v->domain, .vcpu = v };

	if (hv_copy_from_guest(v, &r, gva, sizeof(r)))
		return (long)start;
	if (r.nr_extents > MAX_NR_EXTENTS || start >= r.nr_extents)
		return (long)start;
	a.d = hv_domain_lookup(v->domain, r.domid);
	if (!a.d || !read_mem_flags(&a, r.mem_flags))
		return (long)start;
	if (a.d != v->domain && !v->domain->privileged)
		return (long)start;
	a.list = r.extent_start.q;
	a.nr_extents = r.nr_extents;
	a.order = r.extent_order;
	if (a.order >= 64)
		return (long)start;
	switch (op) {
	case INCREASE:
		return (long)increase(&a, start);
	case DECREASE:
		return (long)decrease(&a, start);
	default:
		if (r.mem_flags & XENMEMF_populate_on_demand)
			return (long)start;   /* ARM has no populate-on-demand */
		return (long)populate(&a, start);
	}
}

long hv_memory_increase_reservation(struct hv_vcpu *v, uint64_t start,
				    uint64_t gva)
{
	return reservation(v, start, gva, INCREASE);
}

long hv_memory_decrease_reservation(struct hv_vcpu *v, uint64_t start,
				    uint64_t gva)
{
	return reservation(v, start, gva, DECREASE);
}

long hv_memory_populate_physmap(struct hv_vcpu *v, uint64_t start,
				uint64_t gva)
{
	return reservation(v, start, gva, POPULATE);
}
