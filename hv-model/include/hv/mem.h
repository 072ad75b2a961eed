/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest memory as the model sees it: a few regions of guest-physical address
 * space, each backed by one host buffer, and the translation of guest
 * addresses into host pointers. Every access a hypercall makes on behalf of
 * a guest goes through here and is bounds-checked; nothing else may turn a
 * guest-supplied number into a pointer. */
#ifndef HV_MEM_H
#define HV_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_PAGE_SHIFT 12
#define HV_PAGE_SIZE  (1u << HV_PAGE_SHIFT)

struct hv_domain;

struct hv_mem_region {
	const char *name;
	uint64_t gpa;      /* guest-physical base, page aligned */
	uint64_t size;     /* bytes, page multiple */
	uint8_t *host;     /* page-aligned host buffer of size bytes */
	uint8_t *present;  /* NULL: every page is backed. Else one bit per
			    * page: a sparse window (the grant-table frames)
			    * whose pages exist only while something is mapped
			    * there, or RAM a guest gave back (ballooning);
			    * the model refuses access to the others. */
	int fd;            /* the memory file behind host, so that another
			    * domain's page can show one of these pages (a
			    * grant mapping); -1 when the host has none */
	uint8_t *aliased;  /* NULL, or one bit per page: another file's page
			    * is mapped there (hv_mem_alias) */
	uint8_t *readonly; /* NULL, or one bit per page the guest may only
			    * read (a grant it mapped GNTMAP_readonly) */
};

#define HV_MAX_REGIONS     4
/* A native guest's image and a stack per vCPU (HV_MAX_VCPUS), with room. */
#define HV_MAX_HOST_RANGES 12

/* How the domain's guest virtual addresses (hypercall pointers) map:
 * an emulated ARM guest runs with an identity map (VA == IPA); a native
 * guest passes host pointers, accepted only inside its RAM or inside the
 * host ranges the runtime declared (its stack, its static image). */
enum hv_va_mode {
	HV_VA_IDENTITY,
	HV_VA_HOST,
};

struct hv_host_range {
	uintptr_t start;
	size_t len;
};

struct hv_mem {
	struct hv_mem_region region[HV_MAX_REGIONS];
	unsigned nr_regions;
	enum hv_va_mode va_mode;
	struct hv_host_range host_range[HV_MAX_HOST_RANGES];
	unsigned nr_host_ranges;
	/* Moves on whenever what the guest may do to one of its pages
	 * changes (hv_mem_page_access): an emulated CPU that enforces it
	 * sees when to look again. */
	uint64_t access_gen;
	/* NULL, or a byte per page of region i, set when the model takes a
	 * pointer into that page (hv_gpa_ptr): a runtime that puts guest
	 * memory back to a snapshot copies those pages too. */
	uint8_t *touched[HV_MAX_REGIONS];
};

/* What the guest's own loads and stores may do to a page, as Xen's
 * stage-2 entry for it allows: read and write; read only (a grant mapped
 * GNTMAP_readonly); nothing (no entry: a page given back, a sparse
 * window's page with nothing mapped, or no region at all). */
enum hv_page_access {
	HV_PAGE_RW,
	HV_PAGE_RO,
	HV_PAGE_NONE,
};

/* Allocate a zeroed, page-aligned region; -XEN_ENOMEM, -XEN_EINVAL (bad
 * alignment, overlap, too many regions). */
int hv_mem_add_region(struct hv_mem *mem, const char *name, uint64_t gpa,
		      uint64_t size);
void hv_mem_free(struct hv_mem *mem);

/* For a process that builds machine after machine of the same shape
 * (xensim run --seeds): while on, hv_mem_free keeps the regions it frees,
 * their touched pages zeroed in place, and hv_mem_add_region hands them
 * out again (the last freed of the same name, address and size first), so
 * a region comes back at the same host address without page faults. Off
 * unmaps what is kept. Not thread-safe: one machine-building thread. */
void hv_mem_recycle(bool on);

/* A region whose pages all start absent (hv_mem_set_present adds them);
 * an emulated CPU may still map the whole buffer. Errors as above. */
int hv_mem_add_sparse_region(struct hv_mem *mem, const char *name,
			     uint64_t gpa, uint64_t size);
/* Mark a page of a sparse region present or absent; -XEN_EINVAL when gpfn
 * is not inside a sparse region. */
int hv_mem_set_present(struct hv_mem *mem, uint64_t gpfn, bool present);

/* Give a page of any region back (populated false: its contents are gone
 * and every model access to it fails, as Xen's p2m has no entry there) or
 * back it again with a zeroed page. -XEN_EINVAL when no region holds gpfn,
 * -XEN_ENOMEM. */
int hv_mem_set_populated(struct hv_mem *mem, uint64_t gpfn, bool populated);

/* Make page gpfn of mem show page src_gpfn of src, writes included, in the
 * model and in an emulated CPU alike (a grant mapped by the guest). Both
 * must lie in regions; -XEN_EINVAL, or -XEN_ENOSYS when src's memory has
 * no file to share. */
int hv_mem_alias(struct hv_mem *mem, uint64_t gpfn, const struct hv_mem *src,
		 uint64_t src_gpfn);
/* End an alias: gpfn gets its own page back, emptied and not populated
 * (after a grant unmap, Xen leaves no page there). */
int hv_mem_unalias(struct hv_mem *mem, uint64_t gpfn);

/* The guest's access to page gpfn (hv-model/core/mem_access.c). */
enum hv_page_access hv_mem_page_access(const struct hv_mem *mem,
				       uint64_t gpfn);
/* Let the guest only read page gpfn, or write it again; -XEN_EINVAL when
 * no region holds it, -XEN_ENOMEM. */
int hv_mem_set_readonly(struct hv_mem *mem, uint64_t gpfn, bool readonly);
/* The first page of region r at or after index pg that the guest may not
 * both read and write, and its access in *access; r's page count when
 * none is. Whole bytes of the maps are passed over at once. */
uint64_t hv_mem_region_next_restricted(const struct hv_mem_region *r,
				       uint64_t pg, enum hv_page_access *access);

/* Call fn for each run [off, end) of r's memory file that holds data
 * (SEEK_DATA: the rest are holes, never written, zeros that reading would
 * allocate); the whole region when it has no file. false when fn is, or
 * when the runs cannot be known. */
typedef bool hv_mem_run_fn(void *ctx, uint64_t off, uint64_t end);
bool hv_mem_region_data_runs(const struct hv_mem_region *r,
			     hv_mem_run_fn *fn, void *ctx);

/* Declare a host range a native guest may pass pointers into. */
int hv_mem_add_host_range(struct hv_mem *mem, const void *start, size_t len);

/* Host pointer for [gpa, gpa + len) if it lies inside one region, else NULL. */
void *hv_gpa_ptr(const struct hv_mem *mem, uint64_t gpa, size_t len);
/* Host pointer of a whole guest page, or NULL. */
void *hv_gpfn_ptr(const struct hv_mem *mem, uint64_t gpfn);
/* Whether the guest page exists (backed by some region). */
bool hv_gpfn_valid(const struct hv_mem *mem, uint64_t gpfn);
/* Guest-physical address of a host pointer inside a region, or UINT64_MAX. */
uint64_t hv_host_to_gpa(const struct hv_mem *mem, const void *p);

/* A hypercall argument as a log shows it, in buf: a number as it is; a
 * native guest's pointer into its RAM as the guest-physical address (what
 * an emulated guest would pass), into its stack or static image as
 * "(host)": host addresses change from run to run, a log of one seed must
 * not. */
void hv_mem_log_arg(const struct hv_mem *mem, uint64_t v, char *buf,
		    size_t len);

/* Host pointer for [gva, gva + len) of a guest without tables of its own
 * (va_mode: identity or a native guest's host pointers), or NULL. Guests
 * with tables go through hv/guest_va.h. */
void *hv_gva_ptr(const struct hv_mem *mem, uint64_t gva, size_t len);

#endif
