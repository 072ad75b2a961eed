/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_hvm_op(cmd, arg). ARM implements only set_param and
 * get_param: that is how a guest finds its xenstore and console rings and
 * picks how event upcalls are delivered (see hvm/params.h). */
#ifndef XENSIM_XEN_HVM_HVM_OP_H
#define XENSIM_XEN_HVM_HVM_OP_H

#include "../xen.h"

#define HVMOP_set_param        0
#define HVMOP_get_param        1
#define HVMOP_flush_tlbs       5
#define HVMOP_pagetable_dying  9
#define HVMOP_get_time        10

/* set_param / get_param: one HVM_PARAM_* of domid. */
struct xen_hvm_param {
	domid_t domid;                /* IN */
	uint16_t pad;
	uint32_t index;               /* IN: HVM_PARAM_* */
	uint64_aligned_t value;       /* IN/OUT */
};
typedef struct xen_hvm_param xen_hvm_param_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_param_t);
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param");

struct xen_hvm_pagetable_dying {
	domid_t domid;
	uint16_t pad[3];
	uint64_aligned_t gpa;         /* top-level page table being freed */
};
typedef struct xen_hvm_pagetable_dying xen_hvm_pagetable_dying_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_pagetable_dying_t);

struct xen_hvm_get_time {
	uint64_aligned_t now;         /* OUT: system time in ns */
};
typedef struct xen_hvm_get_time xen_hvm_get_time_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_time_t);

#endif /* XENSIM_XEN_HVM_HVM_OP_H */
