/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen's core public ABI as an ARM guest sees it: hypercall numbers, domain
 * ids, VIRQs, console_io, multicalls and the shared_info / vcpu_info pages
 * the hypervisor writes and the guest reads (and must not trust blindly). */
#ifndef XENSIM_XEN_XEN_H
#define XENSIM_XEN_XEN_H

#include "arch-arm.h"

/* Hypercall numbers (the op in x16 / r12). */
#define __HYPERVISOR_set_trap_table          0
#define __HYPERVISOR_mmu_update              1
#define __HYPERVISOR_set_gdt                 2
#define __HYPERVISOR_stack_switch            3
#define __HYPERVISOR_set_callbacks           4
#define __HYPERVISOR_fpu_taskswitch          5
#define __HYPERVISOR_sched_op_compat         6
#define __HYPERVISOR_platform_op             7
#define __HYPERVISOR_set_debugreg            8
#define __HYPERVISOR_get_debugreg            9
#define __HYPERVISOR_update_descriptor      10
#define __HYPERVISOR_memory_op              12
#define __HYPERVISOR_multicall              13
#define __HYPERVISOR_update_va_mapping      14
#define __HYPERVISOR_set_timer_op           15
#define __HYPERVISOR_event_channel_op_compat 16
#define __HYPERVISOR_xen_version            17
#define __HYPERVISOR_console_io             18
#define __HYPERVISOR_physdev_op_compat      19
#define __HYPERVISOR_grant_table_op         20
#define __HYPERVISOR_vm_assist              21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                   23
#define __HYPERVISOR_vcpu_op                24
#define __HYPERVISOR_set_segment_base       25
#define __HYPERVISOR_mmuext_op              26
#define __HYPERVISOR_xsm_op                 27
#define __HYPERVISOR_nmi_op                 28
#define __HYPERVISOR_sched_op               29
#define __HYPERVISOR_callback_op            30
#define __HYPERVISOR_xenoprof_op            31
#define __HYPERVISOR_event_channel_op       32
#define __HYPERVISOR_physdev_op             33
#define __HYPERVISOR_hvm_op                 34
#define __HYPERVISOR_sysctl                 35
#define __HYPERVISOR_domctl                 36
#define __HYPERVISOR_kexec_op               37
#define __HYPERVISOR_tmem_op                38
#define __HYPERVISOR_argo_op                39
#define __HYPERVISOR_xenpmu_op              40
#define __HYPERVISOR_dm_op                  41
#define __HYPERVISOR_hypfs_op               42
#define __HYPERVISOR_arch_0                 48
#define __HYPERVISOR_arch_1                 49
#define __HYPERVISOR_arch_2                 50
#define __HYPERVISOR_arch_3                 51
#define __HYPERVISOR_arch_4                 52
#define __HYPERVISOR_arch_5                 53
#define __HYPERVISOR_arch_6                 54
#define __HYPERVISOR_arch_7                 55

/* Virtual interrupts, bound to a port with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER       0  /* per vCPU: timer expired */
#define VIRQ_DEBUG       1  /* per vCPU: dump debug state */
#define VIRQ_CONSOLE     2  /* dom0: bytes on the emergency console */
#define VIRQ_DOM_EXC     3  /* dom0: a domain had an exceptional event */
#define VIRQ_TBUF        4  /* dom0: trace buffer has records */
#define VIRQ_DEBUGGER    6  /* dom0: a domain paused for debugging */
#define VIRQ_XENOPROF    7  /* per vCPU: new oprofile sample */
#define VIRQ_CON_RING    8  /* dom0: bytes on the console ring */
#define VIRQ_PCPU_STATE  9  /* dom0: physical CPU state changed */
#define VIRQ_MEM_EVENT  10  /* dom0: a memory event occurred */
#define VIRQ_ARGO       11  /* Argo message notification */
#define VIRQ_ENOMEM     12  /* dom0: hypervisor heap is low */
#define VIRQ_XENPMU     13  /* per vCPU: PMC interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* HYPERVISOR_console_io(cmd, count, buffer). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* HYPERVISOR_vm_assist(cmd, type). */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict           32

/* Domain ids at and above DOMID_FIRST_RESERVED name no real domain. */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0)
#define DOMID_IO             xen_mk_uint(0x7FF1)
#define DOMID_XEN            xen_mk_uint(0x7FF2)
#define DOMID_COW            xen_mk_uint(0x7FF3)
#define DOMID_INVALID        xen_mk_uint(0x7FF4)
#define DOMID_IDLE           xen_mk_uint(0x7FFF)
#define DOMID_MASK           xen_mk_uint(0x7FFF)

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

#ifndef __ASSEMBLER__

typedef uint16_t domid_t;

/* Handles to the basic types. */
DEFINE_XEN_GUEST_HANDLE(char);
DEFINE_XEN_GUEST_HANDLE_AS(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
DEFINE_XEN_GUEST_HANDLE_AS(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);
DEFINE_XEN_GUEST_HANDLE_AS(uint8, uint8_t);
DEFINE_XEN_GUEST_HANDLE_AS(uint16, uint16_t);
DEFINE_XEN_GUEST_HANDLE_AS(uint32, uint32_t);
DEFINE_XEN_GUEST_HANDLE_AS(uint64, uint64_t);

/* One call of a HYPERVISOR_multicall batch; result is written back. */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");

/*
 * Per-vCPU time: system_time (ns since boot) at counter value tsc_timestamp;
 * later, ns = system_time + ((ticks - tsc_timestamp) << tsc_shift) * mul >> 32
 * (a negative tsc_shift shifts right). Xen makes version odd while it
 * updates: a reader retries while version is odd or changed under it.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_aligned_t tsc_timestamp;
	uint64_aligned_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;                /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");

/*
 * Per-vCPU event state. evtchn_upcall_pending is set by Xen when an event
 * arrives; evtchn_pending_sel has one bit per word of shared_info's
 * evtchn_pending[]. ARM has no PV upcall mask: byte 1 is padding.
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t pad0;
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info is 48 bytes on ARM");

/*
 * The shared_info page (mapped with XENMEM_add_to_physmap /
 * XENMAPSPACE_shared_info): the 2-level event channel bitmaps and the
 * wallclock at system time 0 (wc_version works like vcpu_time_info's).
 */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	uint32_t wc_version;
	uint32_t wc_sec;              /* seconds, low 32 bits */
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;           /* seconds, high 32 bits */
	struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 0x30,
	       "evtchn_pending follows the one vcpu_info");
_Static_assert(sizeof(struct shared_info) == 1088, "shared_info");

/* Opaque per-domain handle (a UUID chosen by the toolstack). */
typedef uint8_t xen_domain_handle_t[16];

typedef struct {
	uint8_t a[16];
} xen_uuid_t;

#endif /* !__ASSEMBLER__ */

#endif /* XENSIM_XEN_XEN_H */
