/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest virtual addresses as Xen on ARM sees them: a hypercall's buffer
 * pointer is a virtual address of the calling vCPU, translated through the
 * guest's own stage-1 tables (TTBR0/TTBR1, TCR, SCTLR at the time of the
 * call) one page at a time; with the MMU off it is the IPA. The tables are
 * guest memory, read here and never trusted: any descriptor, any register
 * value gives a translation or a fault, never a crash. */
#ifndef HV_GUEST_VA_H
#define HV_GUEST_VA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/mem.h"

struct hv_vcpu;
struct hv_domain;

/* The translation registers of a vCPU, as its runtime reads them. */
struct hv_mmu_regs {
	bool aarch32;      /* an AArch32 guest (LPAE or short descriptors) */
	uint64_t sctlr;    /* SCTLR_EL1 / SCTLR */
	uint64_t tcr;      /* TCR_EL1 / TTBCR */
	uint64_t ttbr0;    /* TTBR0_EL1 / TTBR0 (64-bit view) */
	uint64_t ttbr1;
	uint64_t mair;     /* MAIR_EL1 / MAIR1:MAIR0, with short descriptors
			    * NMRR:PRRR (the same two registers) */
};

#define HV_SCTLR_M   (1ull << 0)      /* MMU on */
#define HV_SCTLR_C   (1ull << 2)      /* data cache on */
#define HV_SCTLR_TRE (1ull << 28)     /* AArch32: TEX remap */
#define HV_TTBCR_EAE (1ull << 31)     /* AArch32: long descriptors */

/* How the memory an access reaches is mapped. */
enum hv_cacheability {
	HV_CACHE_NONE,     /* Normal Non-cacheable */
	HV_CACHE_WT,       /* write-through */
	HV_CACHE_WB,       /* write-back */
};

struct hv_memattr {
	bool device;                   /* Device / Strongly-ordered */
	enum hv_cacheability inner, outer;
	uint8_t raw;                   /* MAIR byte, or TEX:C:B (short) */
	bool raw_is_mair;
};

/* What a successful translation found. */
struct hv_gva_xlate {
	uint64_t gpa;
	bool mmu_on;
	bool writable;                 /* stage-1 write permission at EL1 */
	bool attr_known;               /* false with the MMU off */
	struct hv_memattr attr;
};

/* Walk the stage-1 tables in regs for va as Xen 4.17's software walk
 * does (its hardware AT path accepts no more than this): descriptors are
 * read from guest RAM, the access flag and EL0 permissions are not looked
 * at, write permission comes from AP[2] and APTable[1]. 0 and *out, or
 * -XEN_EFAULT. */
int hv_stage1_walk(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		   uint64_t va, struct hv_gva_xlate *out);

/* Copy between a hypercall's buffer at gva and the model, page by page
 * through v's tables as Xen's copy_from_guest / copy_to_guest do: 0, or
 * -XEN_EFAULT at the first page that does not translate (for reading, or
 * for writing, as the copy needs), or is not the domain's RAM; the pages
 * before it are copied. */
int hv_copy_from_guest(struct hv_vcpu *v, void *dst, uint64_t gva,
		       size_t len);
int hv_copy_to_guest(struct hv_vcpu *v, uint64_t gva, const void *src,
		     size_t len);

/* Xen's requirement for memory it shares with a guest: Normal, inner and
 * outer write-back or write-through. */
bool hv_memattr_shareable(const struct hv_memattr *a);
/* The attribute as text ("Device-nGnRE (MAIR 0x04)"), for a warning. */
void hv_memattr_name(const struct hv_memattr *a, char *buf, size_t len);

/* Translate a hypercall buffer address of v for a read or a write access:
 * 0 and *out, or -XEN_EFAULT. A native vCPU passes host pointers (see
 * hv_mem's va_mode) and has no tables. */
int hv_gva_translate(struct hv_vcpu *v, uint64_t gva, bool write,
		     struct hv_gva_xlate *out);


/* Every mapping the tables in regs make, in VA order within each half
 * (TTBR0, then TTBR1), to visit(arg, va, gpa, size, attr): a block, page
 * or section of size bytes at va onto gpa (a supersection or large page
 * as each of the 1 MiB or 4 KiB pieces its repeated entries stand for),
 * its attribute as the walk gives it. visit returns true to stop. Reads
 * a bounded number of descriptors: false if they ran out before the
 * tables did. Nothing is visited with the MMU off. */
typedef bool hv_stage1_visit_fn(void *arg, uint64_t va, uint64_t gpa,
				uint64_t size, const struct hv_memattr *attr);
bool hv_stage1_each(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		    hv_stage1_visit_fn *visit, void *arg);

/* Where the tables in regs map guest-physical address gpa (a bounded
 * search, long and short descriptors): the VA and attribute of a mapping
 * Xen cannot share coherently if there is one, else of the first mapping;
 * false if none is found, or the MMU is off. */
bool hv_stage1_find(const struct hv_mem *mem, const struct hv_mmu_regs *regs,
		    uint64_t gpa, uint64_t *va, struct hv_memattr *attr);

/* A page v hands to Xen by frame number (shared_info, vcpu_info, grant
 * frames, event-channel control blocks): warn, once per page and for a
 * few pages per domain, when v's tables map it other than Normal
 * write-back / write-through; what names the page ("shared_info"). */
void hv_check_shared_gpfn(struct hv_vcpu *v, uint64_t gpfn, const char *what);

/* A frame of d's that domain `to` maps or copies through grant ref:
 * warn, once per frame and attribute (within the domain's few), when d's
 * tables map it other than Normal write-back / write-through, naming the
 * virtual addresses. The tables are scanned again when d's translation
 * registers changed, or for a frame not checked yet when d made a
 * hypercall since the last scan; a frame checked under the same
 * registers is not looked at again. */
void hv_check_granted_gfn(struct hv_domain *d, uint64_t gfn, uint32_t ref,
			  uint16_t to);
void hv_grant_attr_free(struct hv_domain *d);

/* v's translation registers: read once per hypercall, at each call out of
 * one; NULL for a vCPU without tables. */
const struct hv_mmu_regs *hv_vcpu_mmu(struct hv_vcpu *v);
/* Warn (once per page and attribute) that v hands Xen page gfn, seen at
 * va, mapped with attr; what names it ("a hypercall buffer"). */
void hv_warn_attr(struct hv_vcpu *v, uint64_t gfn, uint64_t va,
		  const struct hv_memattr *attr, const char *what);

/* A hypercall issued by v: warn once per domain when v's MMU is off (its
 * accesses are then Device-nGnRnE, Xen's cached). */
void hv_check_hypercall_mmu(struct hv_vcpu *v, uint64_t op);

#endif
