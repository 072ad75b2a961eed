/* SPDX-License-Identifier: BSD-2-Clause */
/* The port boundary: everything target-specific that guest/kern, guest/xen
 * and guest/dev may use. Each guest/arch/<arch>/ implements exactly this;
 * code outside guest/arch never asks which target it runs on. */
#ifndef GUEST_PORT_H
#define GUEST_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ul << PAGE_SHIFT)

/* Hypercall `op` with five register-sized arguments (`hvc #0xEA1`, number
 * in x16/r12, result in x0/r0: a Xen errno when negative). */
long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3, unsigned long a4);

/* An SMC Calling Convention call to the hypervisor (`hvc #0`: PSCI,
 * SMCCC, Xen's service calls): function id and three arguments in
 * x0-x3/r0-r3; the four result registers go to res[] (register-sized).
 * Returns res[0]. */
unsigned long arch_smccc_call(unsigned long fid, unsigned long a1,
			      unsigned long a2, unsigned long a3,
			      unsigned long res[4]);

/* Debug hypercalls of a debug Xen build (`hvc #0xFFxx`); a release build
 * (Debian's) answers them with an undefined-instruction exception, which
 * crashes the domain as any unexpected exception does. */
void arch_debug_putc(char c);                          /* 0xFFFE */
void arch_debug_print_pc(void);                        /* 0xFFFD */
void arch_debug_dump_state(void);                      /* 0xFFFF */
void arch_debug_print_reg(unsigned n, unsigned long v); /* 0xFFE0+n: xn = v */

/* How `hvc #imm` came back, for an immediate Xen may not take. */
enum arch_hvc_outcome {
	ARCH_HVC_RETURNED,        /* as from a call, to the next instruction */
	ARCH_HVC_UNDEFINED,       /* an undefined-instruction exception as Xen
				   * injects one: its return address (less the
				   * instruction set's offset) is the next
				   * instruction, the state saved the caller's */
	ARCH_HVC_OTHER_EXCEPTION, /* an exception of another kind or place */
	ARCH_HVC_NOT_PROBED,      /* imm is not one of ARCH_HVC_PROBE_IMMS */
};

/* The immediates arch_hvc_probe can issue (the immediate is part of the
 * instruction, so each is its own): X(imm) for each. */
#define ARCH_HVC_PROBE_IMMS(X) \
	X(0x1) X(0xea0) X(0xea2) X(0x8000) X(0xff00) X(0xffe0) X(0xfffd) \
	X(0xfffe) X(0xffff)

/* Issue `hvc #imm` expecting that Xen may answer with an undefined-
 * instruction exception: the port's vectors catch one taken at that hvc
 * and go on after it. The registers hold nothing meaningful (a debug Xen
 * prints them for the debug immediates 0xFFxx). */
enum arch_hvc_outcome arch_hvc_probe(unsigned imm);

/* Memory barriers for shared pages: full, read, write. */
void arch_mb(void);
void arch_rmb(void);
void arch_wmb(void);

/* Guest-physical <-> virtual for RAM, the magic pages and mapped frames. */
paddr_t arch_virt_to_phys(const void *va);
void *arch_phys_to_virt(paddr_t pa);

/* A second virtual address for the page at va (the page's offset kept),
 * in a window of the port's own; NULL when the window already shows
 * another part of memory. A port without page tables (the workstation)
 * returns va itself. For tests of how Xen reads buffers. */
void *arch_alias_page(void *va);

/* A virtual address for the page at pa even where arch_phys_to_virt has
 * none (RAM beyond what the port maps 1:1, as arm32's above 4 GiB): then
 * through a window of the port's own that shows one 2 MiB block at a
 * time, the block shown before going away. NULL if there is no way. */
void *arch_phys_window(paddr_t pa);

/* Clip the RAM bank [*start, *end) to what this port can map and use as
 * RAM (ARM: the RAM the boot page tables map; the workstation: the RAM
 * the runtime gave the guest). False when none of it is usable. A device
 * tree may claim any range; only this answer says what is real. */
bool arch_ram_clip(paddr_t *start, paddr_t *end);

/* The physical range the running image occupies, so the page allocator
 * keeps its hands off it (empty when the image is not in guest RAM). */
void arch_image_range(paddr_t *start, paddr_t *end);

/* Interrupt (event upcall) masking on this CPU. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);

/* Wait for an interrupt (`wfi`); returns after one may have arrived. */
void arch_idle(void);

/* Nanoseconds since boot, from the architectural counter. */
uint64_t arch_time_ns(void);

/* Program this CPU's timer (the virtual architectural timer) to interrupt
 * once arch_time_ns() reaches deadline_ns; 0 stops it. The interrupt
 * arrives through kern_timer_irq() and stays asserted until reprogrammed. */
void arch_timer_set(uint64_t deadline_ns);
/* Whether this CPU's timer is armed and its deadline passed (the line is up:
 * CNTV_CTL.ISTATUS), whether or not interrupts are masked. */
bool arch_timer_fired(void);

/* Secondary CPUs, started through PSCI CPU_ON. The caller fills boot and
 * keeps it until fn runs; the new CPU starts at boot->fn(boot->arg) on the
 * stack that ends at stack_top, with interrupts masked, and goes down
 * (PSCI CPU_OFF) when fn returns. mpidr: the CPU's MPIDR affinity, its
 * /cpus reg. The PSCI status (0 started); -1 (NOT_SUPPORTED) where the
 * port cannot start CPUs. */
struct arch_cpu_boot {
	unsigned long stack_top;     /* first: the entry code reads it */
	void (*fn)(void *arg);
	void *arg;
};
long arch_cpu_start(unsigned long mpidr, struct arch_cpu_boot *boot);

/* Text before any console exists; may be a no-op. */
void arch_early_write(const char *s, size_t len);

/* Stop this CPU for good, after a failed shutdown or a panic. */
_Noreturn void arch_halt(void);

/* An address a store to faults (in the unmapped first block), for tests of
 * crash reports; NULL where a fault would end the host process. */
volatile unsigned *arch_fault_address(void);

static inline uint64_t virt_to_pfn(const void *va)
{
	return arch_virt_to_phys(va) >> PAGE_SHIFT;
}

static inline void *pfn_to_virt(uint64_t pfn)
{
	return arch_phys_to_virt((paddr_t)pfn << PAGE_SHIFT);
}

/* Called by the arch, with interrupts masked, when the event-channel
 * interrupt is taken. */
void kern_irq(void);

/* Called by the arch, with interrupts masked, when the timer interrupt is
 * taken. */
void kern_timer_irq(void);

struct dt_info;

/* The entry every arch jumps to once it has a stack: dtb is the virtual
 * address of the flattened device tree the hypervisor handed over; dt is
 * what dt_discover found in it when the arch already had to look (ARM, to
 * pick its GIC), NULL to have kern_main discover it. */
_Noreturn void kern_main(void *dtb, const struct dt_info *dt);

#endif
