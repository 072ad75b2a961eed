/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen's ARM public ABI: the hypercall convention, the 64-bit scalar types,
 * guest handles and the guest physical memory map. The layout is ARM's on
 * every target (arm64, arm32 and the x86-64 model): 64-bit fields are 8-aligned.
 */
#ifndef XENSIM_XEN_ARCH_ARM_H
#define XENSIM_XEN_ARCH_ARM_H

/*
 * Hypercalls are "hvc #XEN_HYPERCALL_TAG": op number in x16 (arm64) or r12
 * (arm32), arguments in x0-x4 / r0-r4, result in x0 / r0. The op register
 * and the argument registers used are clobbered. Parameter structs follow
 * AAPCS64 (the 64-bit rules win for arm32 guests too), little endian.
 */
#define XEN_HYPERCALL_TAG 0xEA1

/* Xen's frame size: frame numbers, grants and rings count 4 KiB frames
 * whatever page size the guest itself uses. */
#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1 << XEN_PAGE_SHIFT)

/* Constants that may be used from assembly as well as from C. */
#ifdef __ASSEMBLER__
#define xen_mk_uint(x)   x
#define xen_mk_ullong(x) x
#else
#define xen_mk_uint(x)   x##U
#define xen_mk_ullong(x) x##ULL
#endif

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* 64-bit integers with 8-byte alignment whatever the target says. */
typedef uint64_t uint64_aligned_t __attribute__((aligned(8)));
typedef int64_t int64_aligned_t __attribute__((aligned(8)));

/* Frame numbers and "register-sized" values are 64-bit on arm32 too. */
typedef uint64_aligned_t xen_pfn_t;
typedef uint64_aligned_t xen_ulong_t;

/*
 * A guest handle is a guest pointer stored in a struct: 8 bytes, 8-aligned
 * on every target. The guest fills it with set_xen_guest_handle() (which
 * clears the upper half first on arm32); the model only ever reads .q.
 *   DEFINE_XEN_GUEST_HANDLE(t)       handles "t" and "const_t" to type t
 *   DEFINE_XEN_GUEST_HANDLE_AS(n, t) handles "n" and "const_n" to type t
 *   XEN_GUEST_HANDLE(n)              the handle type, for struct fields
 */
#define XEN_GUEST_HANDLE(name) xen_guest_handle_##name##_t
#define XEN_GUEST_HANDLE_UNION_(name, type) \
	typedef union { type *p; uint64_aligned_t q; } XEN_GUEST_HANDLE(name)
#define DEFINE_XEN_GUEST_HANDLE_AS(name, type)   \
	XEN_GUEST_HANDLE_UNION_(name, type);     \
	XEN_GUEST_HANDLE_UNION_(const_##name, const type)
#define DEFINE_XEN_GUEST_HANDLE(type) DEFINE_XEN_GUEST_HANDLE_AS(type, type)

/* Point a handle at guest memory; hnd is evaluated twice. */
#define set_xen_guest_handle(hnd, ptr) \
	do { (hnd).q = 0; (hnd).p = (ptr); } while (0)

/* Only vCPU 0 has a vcpu_info inside shared_info; the others register
 * theirs with VCPUOP_register_vcpu_info (ARM guests do so for vCPU 0 too). */
#define XEN_LEGACY_MAX_VCPUS 1

/* ARM keeps nothing arch-specific in vcpu_info or shared_info: both are
 * empty (size 0, a GNU C extension that Xen's headers rely on as well). */
__extension__ struct arch_vcpu_info {};
typedef struct arch_vcpu_info arch_vcpu_info_t;
_Static_assert(sizeof(struct arch_vcpu_info) == 0, "arch_vcpu_info is empty");

__extension__ struct arch_shared_info {};
typedef struct arch_shared_info arch_shared_info_t;
_Static_assert(sizeof(struct arch_shared_info) == 0, "arch_shared_info is empty");

/* Callback addresses (unused on ARM, where events arrive as a PPI). */
typedef uint64_t xen_callback_t;
#endif /* !__ASSEMBLER__ */

/*
 * Guest physical memory map that Xen's toolstack builds for an ARM domU.
 * The guest should take the same facts from the device tree.
 */
#define GUEST_VIRTIO_MMIO_BASE   xen_mk_ullong(0x02000000)
#define GUEST_VIRTIO_MMIO_SIZE   xen_mk_ullong(0x00100000)

/* GICv2: distributor and CPU interface. */
#define GUEST_GICD_BASE          xen_mk_ullong(0x03001000)
#define GUEST_GICD_SIZE          xen_mk_ullong(0x00001000)
#define GUEST_GICC_BASE          xen_mk_ullong(0x03002000)
#define GUEST_GICC_SIZE          xen_mk_ullong(0x00002000)

/* GICv3: distributor and one redistributor region (vCPUs 0..127). */
#define GUEST_GICV3_GICD_BASE     xen_mk_ullong(0x03001000)
#define GUEST_GICV3_GICD_SIZE     xen_mk_ullong(0x00010000)
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE    xen_mk_ullong(0x03020000)
#define GUEST_GICV3_GICR0_SIZE    xen_mk_ullong(0x01000000)

#define GUEST_ACPI_BASE          xen_mk_ullong(0x20000000)
#define GUEST_ACPI_SIZE          xen_mk_ullong(0x02000000)

/* Emulated SBSA UART (vpl011). */
#define GUEST_PL011_BASE         xen_mk_ullong(0x22000000)
#define GUEST_PL011_SIZE         xen_mk_ullong(0x00001000)

/* 16 MiB (4096 frames) where the guest maps its grant table. */
#define GUEST_GNTTAB_BASE        xen_mk_ullong(0x38000000)
#define GUEST_GNTTAB_SIZE        xen_mk_ullong(0x01000000)

/* Toolstack "magic" pages: console ring, xenstore ring, ... */
#define GUEST_MAGIC_BASE         xen_mk_ullong(0x39000000)
#define GUEST_MAGIC_SIZE         xen_mk_ullong(0x01000000)

/* RAM: 3 GiB at 1 GiB, then 1016 GiB at 8 GiB. */
#define GUEST_RAM_BANKS          2
#define GUEST_RAM0_BASE          xen_mk_ullong(0x40000000)
#define GUEST_RAM0_SIZE          xen_mk_ullong(0xc0000000)
#define GUEST_RAM1_BASE          xen_mk_ullong(0x0200000000)
#define GUEST_RAM1_SIZE          xen_mk_ullong(0xfe00000000)
#define GUEST_RAM_BASE           GUEST_RAM0_BASE
#define GUEST_RAM_MAX            (GUEST_RAM0_SIZE + GUEST_RAM1_SIZE)
#define GUEST_RAM_BANK_BASES     { GUEST_RAM0_BASE, GUEST_RAM1_BASE }
#define GUEST_RAM_BANK_SIZES     { GUEST_RAM0_SIZE, GUEST_RAM1_SIZE }

#define GUEST_MAX_VCPUS          128

/* Interrupts: arch timer PPIs, the event channel upcall PPI, the vpl011 SPI. */
#define GUEST_TIMER_VIRT_PPI     27
#define GUEST_TIMER_PHYS_S_PPI   29
#define GUEST_TIMER_PHYS_NS_PPI  30
#define GUEST_EVTCHN_PPI         31
#define GUEST_VPL011_SPI         32
#define GUEST_VIRTIO_MMIO_SPI_FIRST 33
#define GUEST_VIRTIO_MMIO_SPI_LAST  43

/* PSCI 0.1 function numbers Xen advertises in the guest device tree. */
#define PSCI_cpu_suspend 0
#define PSCI_cpu_off     1
#define PSCI_cpu_on      2
#define PSCI_migrate     3

#endif /* XENSIM_XEN_ARCH_ARM_H */
