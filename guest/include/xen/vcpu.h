/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_vcpu_op(cmd, vcpuid, arg): where Xen writes a vCPU's vcpu_info
 * and runstate, and per-vCPU timers. ARM implements only
 * register_vcpu_info and register_runstate_memory_area. */
#ifndef XENSIM_XEN_VCPU_H
#define XENSIM_XEN_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                     0
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info            10
#define VCPUOP_send_nmi                      11
#define VCPUOP_get_physid                    12
#define VCPUOP_register_vcpu_time_memory_area 13

/* Time a vCPU spent in each RUNSTATE_*, in ns. */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3
struct vcpu_runstate_info {
	int32_t state;                /* RUNSTATE_* */
	uint64_aligned_t state_entry_time; /* XEN_RUNSTATE_UPDATE while updating */
	uint64_aligned_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info");

/* Set in state_entry_time while Xen updates the area (needs
 * VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)

/* register_runstate_memory_area: Xen keeps a copy at addr up to date. */
struct vcpu_register_runstate_memory_area {
	union {
		XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
		struct vcpu_runstate_info *v;
		uint64_aligned_t p;
	} addr;
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
	       "register_runstate_memory_area");

struct vcpu_set_periodic_timer {
	uint64_aligned_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future) /* fail if past */
struct vcpu_set_singleshot_timer {
	uint64_aligned_t timeout_abs_ns; /* absolute system time */
	uint32_t flags;               /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot_timer");

/* register_vcpu_info: move this vCPU's vcpu_info to (mfn, offset); the
 * struct must not cross a page boundary. */
struct vcpu_register_vcpu_info {
	uint64_aligned_t mfn;         /* guest frame on ARM */
	uint32_t offset;
	uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info");

struct vcpu_get_physid {
	uint64_aligned_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);

DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
	union {
		XEN_GUEST_HANDLE(vcpu_time_info_t) h;
		struct vcpu_time_info *v;
		uint64_aligned_t p;
	} addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);

#endif /* XENSIM_XEN_VCPU_H */
