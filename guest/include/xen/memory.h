/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_memory_op(cmd, arg): ballooning, and placing Xen's pages
 * (shared_info, grant table frames) or a foreign domain's frames into the
 * caller's guest physical address space. */
#ifndef XENSIM_XEN_MEMORY_H
#define XENSIM_XEN_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation     0
#define XENMEM_decrease_reservation     1
#define XENMEM_maximum_ram_page         2
#define XENMEM_current_reservation      3
#define XENMEM_maximum_reservation      4
#define XENMEM_populate_physmap         6
#define XENMEM_add_to_physmap           7
#define XENMEM_memory_map               9
#define XENMEM_machine_memory_map      10
#define XENMEM_exchange                11
#define XENMEM_set_memory_map          13
#define XENMEM_maximum_gpfn            14
#define XENMEM_remove_from_physmap     15
#define XENMEM_add_to_physmap_batch    23
#define XENMEM_claim_pages             24
#define XENMEM_get_vnumainfo           26
#define XENMEM_acquire_resource        28

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

/* increase/decrease_reservation, populate_physmap: nr_extents extents of
 * 2^extent_order frames, listed in extent_start. */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start; /* IN/OUT */
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;           /* XENMEMF_* */
	domid_t domid;
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "memory_reservation");

/* exchange: trade the frames in "in" for new ones described by "out". */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged;     /* OUT */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "memory_exchange");

/* Argument of current/maximum_reservation and maximum_gpfn (a domid_t). */
struct xen_memory_domain {
	domid_t domid;
};

/* add_to_physmap: which Xen page to map at gpfn. */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5
/* With XENMAPSPACE_grant_table: idx names a status frame (v2). */
#define XENMAPIDX_grant_table_status 0x80000000

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;                /* frames, for gmfn_range */
	uint32_t space;               /* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");

/* add_to_physmap_batch: size frames at once, with one error per frame. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;               /* XENMAPSPACE_* */
	uint16_t size;
	union xen_add_to_physmap_batch_extra {
		domid_t foreign_domid; /* gmfn_foreign */
		uint16_t res0;        /* other spaces: 0 */
	} u;
	XEN_GUEST_HANDLE(xen_ulong_t) idxs;
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
	XEN_GUEST_HANDLE(int) errs;   /* OUT */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "add_to_physmap_batch");

struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_from_physmap");

/* memory_map: an E820-style map into buffer (x86; kept for completeness). */
struct xen_memory_map {
	uint32_t nr_entries;          /* IN: capacity, OUT: used */
	XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");

/* acquire_resource: map frames of a resource (grant table, ioreq server). */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;                /* XENMEM_resource_* */
	uint32_t id;
	uint32_t nr_frames;           /* IN/OUT */
	uint32_t pad;
	uint64_aligned_t frame;       /* first frame of the resource */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource");

/* get_vnumainfo: the domain's virtual NUMA topology. */
struct xen_vmemrange {
	uint64_aligned_t start;
	uint64_aligned_t end;
	uint32_t flags;
	uint32_t nid;
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);
_Static_assert(sizeof(struct xen_vmemrange) == 24, "vmemrange");

struct xen_vnuma_topology_info {
	domid_t domid;                /* IN */
	uint16_t pad;
	uint32_t nr_vnodes;           /* IN/OUT */
	uint32_t nr_vcpus;            /* IN/OUT */
	uint32_t nr_vmemranges;       /* IN/OUT */
	union {
		XEN_GUEST_HANDLE(uint) h;
		uint64_aligned_t pad;
	} vdistance;
	union {
		XEN_GUEST_HANDLE(uint) h;
		uint64_aligned_t pad;
	} vcpu_to_vnode;
	union {
		XEN_GUEST_HANDLE(xen_vmemrange_t) h;
		uint64_aligned_t pad;
	} vmemrange;
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);
_Static_assert(sizeof(struct xen_vnuma_topology_info) == 40, "vnuma_topology_info");

#endif /* XENSIM_XEN_MEMORY_H */
