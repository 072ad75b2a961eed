/* SPDX-License-Identifier: BSD-2-Clause */
/* Grant tables: the entries a guest writes to share its frames, and the
 * HYPERVISOR_grant_table_op(cmd, ops, count) operations that map, unmap,
 * copy and transfer them. Entries are shared: peers may change them at will. */
#ifndef XENSIM_XEN_GRANT_TABLE_H
#define XENSIM_XEN_GRANT_TABLE_H

#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* Version 1 entry: the granting guest fills frame and domid, then flags. */
struct grant_entry_v1 {
	uint16_t flags;               /* GTF_* */
	domid_t domid;                /* who may use it */
	uint32_t frame;               /* frame shared, or accepting a transfer */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");

/* The first entries belong to the toolstack. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry.flags: type in bits 0-1, then flags. */
#define GTF_invalid          (0U << 0)
#define GTF_permit_access    (1U << 0)
#define GTF_accept_transfer  (2U << 0)
#define GTF_transitive       (3U << 0)
#define GTF_type_mask        (3U << 0)
#define _GTF_readonly        (2)
#define GTF_readonly         (1U << _GTF_readonly)   /* peer may only read */
#define _GTF_reading         (3)
#define GTF_reading          (1U << _GTF_reading)    /* Xen: in use, read */
#define _GTF_writing         (4)
#define GTF_writing          (1U << _GTF_writing)    /* Xen: in use, write */
#define _GTF_PWT             (5)
#define GTF_PWT              (1U << _GTF_PWT)
#define _GTF_PCD             (6)
#define GTF_PCD              (1U << _GTF_PCD)
#define _GTF_PAT             (7)
#define GTF_PAT              (1U << _GTF_PAT)
#define _GTF_sub_page        (8)
#define GTF_sub_page         (1U << _GTF_sub_page)
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* Version 2 entries (16 bytes) and their separate status words. */
struct grant_entry_header {
	uint16_t flags;
	domid_t domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
	grant_entry_header_t hdr;
	struct {
		grant_entry_header_t hdr;
		uint32_t pad0;
		uint64_aligned_t frame;
	} full_page;
	struct {
		grant_entry_header_t hdr;
		uint16_t page_off;
		uint16_t length;
		uint64_aligned_t frame;
	} sub_page;
	struct {
		grant_entry_header_t hdr;
		domid_t trans_domid;
		uint16_t pad0;
		grant_ref_t gref;
	} transitive;
	uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2");

typedef uint16_t grant_status_t;

#define GNTTABOP_map_grant_ref      0
#define GNTTABOP_unmap_grant_ref    1
#define GNTTABOP_setup_table        2
#define GNTTABOP_dump_table         3
#define GNTTABOP_transfer           4
#define GNTTABOP_copy               5
#define GNTTABOP_query_size         6
#define GNTTABOP_unmap_and_replace  7
#define GNTTABOP_set_version        8
#define GNTTABOP_get_status_frames  9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* map_grant_ref: map dom's entry ref at host_addr (a guest frame on ARM). */
struct gnttab_map_grant_ref {
	uint64_aligned_t host_addr;   /* IN */
	uint32_t flags;               /* IN: GNTMAP_* */
	grant_ref_t ref;              /* IN */
	domid_t dom;                  /* IN */
	int16_t status;               /* OUT: GNTST_* */
	grant_handle_t handle;        /* OUT: for unmap */
	uint64_aligned_t dev_bus_addr; /* OUT */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");

struct gnttab_unmap_grant_ref {
	uint64_aligned_t host_addr;   /* IN */
	uint64_aligned_t dev_bus_addr; /* IN */
	grant_handle_t handle;        /* IN */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");

/* setup_table: grow dom's table to nr_frames and list its frames. */
struct gnttab_setup_table {
	domid_t dom;                  /* IN */
	uint32_t nr_frames;           /* IN */
	int16_t status;               /* OUT: GNTST_* */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");

/* dump_table: print dom's table on the Xen console. */
struct gnttab_dump_table {
	domid_t dom;                  /* IN */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* transfer: give our frame mfn to domid through its accept-transfer ref. */
struct gnttab_transfer {
	xen_pfn_t mfn;                /* IN */
	domid_t domid;                /* IN */
	grant_ref_t ref;              /* IN */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer");

/* copy: len bytes between two (granted or local) frames, within a page. */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;          /* with GNTCOPY_*_gref */
		xen_pfn_t gmfn;           /* otherwise: our own frame */
	} u;
	domid_t domid;
	uint16_t offset;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source; /* IN */
	struct gnttab_copy_ptr dest;  /* IN */
	uint16_t len;                 /* IN */
	uint16_t flags;               /* IN: GNTCOPY_* */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy");

/* query_size: current and maximum table size of dom. */
struct gnttab_query_size {
	domid_t dom;                  /* IN */
	uint32_t nr_frames;           /* OUT */
	uint32_t max_nr_frames;       /* OUT */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");

struct gnttab_unmap_and_replace {
	uint64_aligned_t host_addr;   /* IN */
	uint64_aligned_t new_addr;    /* IN */
	grant_handle_t handle;        /* IN */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/* set_version / get_version: grant table format, 1 or 2. */
struct gnttab_set_version {
	uint32_t version;             /* IN/OUT */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

struct gnttab_get_status_frames {
	uint32_t nr_frames;           /* IN */
	domid_t dom;                  /* IN */
	int16_t status;               /* OUT: GNTST_* */
	XEN_GUEST_HANDLE(uint64_t) frame_list; /* OUT */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames");

struct gnttab_get_version {
	domid_t dom;                  /* IN */
	uint16_t pad;
	uint32_t version;             /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;            /* IN */
	grant_ref_t ref_b;            /* IN */
	int16_t status;               /* OUT: GNTST_* */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* cache_flush: clean/invalidate part of a granted or local frame. */
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)
struct gnttab_cache_flush {
	union {
		uint64_aligned_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op;                  /* GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush");

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      (0)
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        (1)
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    (4)
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes (the hypercall itself returns 0 or -XEN_E*). */
#define GNTST_okay               (0)
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg     (-10)   /* copy crosses a page boundary */
#define GNTST_address_too_big  (-11)
#define GNTST_eagain           (-12)
#define GNTST_no_space         (-13)

#endif /* XENSIM_XEN_GRANT_TABLE_H */
