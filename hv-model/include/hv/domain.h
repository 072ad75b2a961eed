/* SPDX-License-Identifier: BSD-2-Clause */
/* Domains and vCPUs of the model. A domain owns its guest memory, its
 * shared_info page, its HVM parameters and its shutdown state; a vCPU is
 * driven by a runtime (native call-through or an emulated CPU) that the
 * model reaches only through struct hv_vcpu_ops. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/guest_va.h"
#include "hv/mem.h"
#include "hv/time.h"

struct hv_machine;
struct hv_vcpu;
struct hv_vcpu_state;      /* hv/vcpu.h */
struct hv_evtchn_domain;   /* hv-model/evtchn */
struct hv_gnttab;          /* hv-model/gnttab */
struct hv_p2m_alias;       /* hv/p2m.h */
struct hv_grant_attr;      /* core/shared_attr.c */

#define HV_MAX_VCPUS     8
#define HV_NR_HVM_PARAMS 39
#define HV_CONSOLE_LINE  256
#define HV_DEBUG_TRAPS   32
#define HV_ATTR_WARNINGS 8     /* page attributes warned about per domain */
#define HV_NR_WATCHDOGS  2     /* Xen's SCHEDOP_watchdog timers */

/* The debug hypercalls (hvc #0xFFxx) a domain made, in order, so a test
 * can assert what the hypervisor saw and not only what it printed. value
 * is the register for 0xFFE0+n, the PC for 0xFFFD, the character for
 * 0xFFFE, 0 for 0xFFFF. Only the first HV_DEBUG_TRAPS are kept. */
struct hv_debug_record {
	unsigned nr;                   /* traps made, kept or not */
	struct {
		uint16_t imm;
		uint64_t value;
	} trap[HV_DEBUG_TRAPS];
};

/* A vCPU's registers as Xen's dump of a guest shows them (traps.c
 * show_registers). AArch64: x[0..30] (x29 the FP, x30 the LR) and the EL1
 * state; AArch32: x[0..12] r0-r12, each mode's banked SP, LR and SPSR
 * (usr also stands for sys), FIQ's r8-r12 and the fault registers. */
struct hv_banked_regs {
	uint32_t sp, lr, spsr;
};

struct hv_guest_regs {
	bool aarch32;
	uint64_t pc, cpsr;
	uint64_t x[31];
	uint64_t sp_el0, sp_el1, elr_el1, far_el1;
	uint32_t esr_el1;
	uint64_t sctlr, tcr, ttbr0, ttbr1;
	struct hv_banked_regs usr, svc, abt, und, irq, fiq;
	uint32_t fiq_r8[5];
	uint32_t ifar, ifsr, dfar, dfsr;
};

/* What the model may ask of the runtime running a vCPU. */
struct hv_vcpu_ops {
	/* General-purpose register n (x0..x30 / r0..r15) and the PC. */
	uint64_t (*get_reg)(struct hv_vcpu *v, unsigned n);
	uint64_t (*get_pc)(struct hv_vcpu *v);
	/* Print the full register state through hv_log-style lines. */
	void (*dump)(struct hv_vcpu *v);
	/* The stage-1 translation registers; NULL for a vCPU without its own
	 * tables (native: hypercall pointers are host pointers). */
	void (*mmu_regs)(struct hv_vcpu *v, struct hv_mmu_regs *out);
	/* Every register Xen's dump shows; NULL where the runtime has no
	 * such state (native: the dump above instead). */
	void (*guest_regs)(struct hv_vcpu *v, struct hv_guest_regs *out);
};

#define HV_POLL_MAX_PORTS 128   /* Xen's limit for one SCHEDOP_poll */

enum hv_vcpu_wait {
	HV_WAIT_NONE,
	HV_WAIT_BLOCK,                 /* unmask IRQs, wait for one */
	HV_WAIT_POLL,                  /* wait for a port or the timeout */
};

/* Where PSCI CPU_ON starts a vCPU (do_common_cpu_on in Xen 4.17): at
 * entry, x0/r0 = context_id, every other register 0, MMU and caches off
 * (SCTLR reset value), EL1h / SVC with DAIF masked, Thumb when asked by a
 * 32-bit domain. */
struct hv_vcpu_start {
	uint64_t entry;
	uint64_t context_id;
	bool thumb;
};

struct hv_vcpu {
	struct hv_domain *domain;
	unsigned id;
	bool online;                   /* not down (Xen's _VPF_down clear) */
	/* CPU_ON set start and online: the runtime puts the CPU in that
	 * state before it runs the vCPU next, and clears start_pending. */
	bool start_pending;
	/* Down by its own CPU_OFF, not started since (the cpu-off fault's
	 * window). */
	bool went_off;
	struct hv_vcpu_start start;
	const struct hv_vcpu_ops *ops;
	void *runtime;                 /* owned by the runtime */
	struct hv_vcpu_state *state;   /* vcpu_info, runstate, virtual timer */
	/* The translation registers, read once per hypercall (valid while
	 * in_hypercall and mmu_read; mmu_seen: as of the last reading). */
	bool in_hypercall;
	bool mmu_read;
	bool mmu_seen;
	struct hv_mmu_regs mmu;
	/* A wait Xen puts the vCPU in as the call returns (vcpu_wait.c): the
	 * runtime waits until hv_vcpu_wait_over, then hv_vcpu_wait_end. */
	enum hv_vcpu_wait wait;
	uint32_t poll_port[HV_POLL_MAX_PORTS];   /* SCHEDOP_poll's, copied */
	unsigned nr_poll_ports;
	struct hv_timer poll_timer;    /* its timeout */
	bool poll_timed_out;
};

/* SCHEDOP_block and PSCI CPU_SUSPEND: IRQs unmasked (CPSR.I / PSTATE.I),
 * then asleep until an interrupt is pending. SCHEDOP_poll: asleep until a
 * port polled is pending, an interrupt arrives or the timeout passes. */
void hv_vcpu_wait_block(struct hv_vcpu *v);
void hv_vcpu_wait_poll(struct hv_vcpu *v, const uint32_t *ports,
		       unsigned nr, uint64_t timeout_ns);
/* Whether the wait is over; irq: the vCPU's interrupt controller signals
 * an interrupt (masked or not). */
bool hv_vcpu_wait_over(struct hv_vcpu *v, bool irq);
void hv_vcpu_wait_end(struct hv_vcpu *v);

enum hv_domain_state {
	HV_DOMAIN_RUNNING,
	HV_DOMAIN_SHUTDOWN,            /* SCHEDOP_shutdown; reason is valid */
	HV_DOMAIN_CRASHED_BY_MODEL,    /* the model killed it (guest fault) */
	HV_DOMAIN_KILLED,              /* stopped from outside (xl destroy) */
};

struct hv_domain {
	struct hv_machine *machine;
	uint16_t domid;
	char name[64];
	bool privileged;               /* dom0: may act on other domains */
	bool is_console;               /* may use console_io (Xen's is_console) */
	uint8_t handle[16];            /* XENVER_guest_handle: xl's UUID, or 0 */
	/* The runtime runs secondary vCPUs: PSCI CPU_ON starts them and
	 * CPU_OFF stops the caller. Without it CPU_ON answers as for an absent
	 * vCPU and CPU_OFF is DENIED, so the only running vCPU never stops. */
	bool runs_secondaries;
	struct hv_mem mem;
	struct hv_vcpu vcpu[HV_MAX_VCPUS];
	unsigned nr_vcpus;

	enum hv_domain_state state;
	unsigned shutdown_reason;      /* SHUTDOWN_* when state != RUNNING */
	int shutdown_code;             /* SCHEDOP_shutdown_code, -1 unset */
	unsigned new_host_resumes;     /* resumed as on a new host */
	uint8_t watchdog_inuse;        /* SCHEDOP_watchdog slots, bit i = id i+1 */
	struct hv_timer watchdog[HV_NR_WATCHDOGS];
	uint64_t vm_assist;            /* VMASST_TYPE_* bits enabled */

	uint64_t shared_info_gpfn;     /* UINT64_MAX while not mapped */
	uint64_t magic_gfn;            /* first toolstack page (console ring) */
	bool shared_info_mapped_once;  /* its boot contents are written */
	uint8_t *shared_info;          /* a host page until mapped, then the
					 * guest page at shared_info_gpfn */
	uint64_t hvm_param[HV_NR_HVM_PARAMS];

	/* The reservation as Xen counts it (hv/p2m.h): pages the domain owns
	 * (tot_pages), may own (max_pages), and the highest gfn ever mapped. */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t max_mapped_gfn;
	struct hv_p2m_alias *alias;          /* gfns showing another page */
	unsigned nr_alias;

	char console_line[HV_CONSOLE_LINE];  /* console_io line being built */
	unsigned console_len;
	char debug_line[HV_CONSOLE_LINE];    /* hvc 0xFFFE characters */
	unsigned debug_len;
	struct hv_debug_record debug_record;

	/* Warnings about memory shared with Xen, each given once: per page
	 * and attribute. grant_attr: what the granted pages were checked
	 * against (the guest's tables, scanned). */
	bool mmu_off_warned;
	struct {
		uint64_t gfn;
		struct hv_memattr attr;
	} attr_warned[HV_ATTR_WARNINGS];
	unsigned nr_attr_warned;
	uint64_t nr_hypercalls;              /* made by any of its vCPUs */
	struct hv_grant_attr *grant_attr;

	struct hv_evtchn_domain *evtchn;     /* ports and delivery ABI */
	struct hv_gnttab *gnttab;            /* grant table and maptrack */
};

/* What xl 4.17 gives a domU on ARM beyond its RAM (hv_domain_config
 * xl_built): LIBXL_MAXMEM_CONSTANT, 1 MiB of headroom, and libxenguest's
 * magic pages. */
#define HV_XL_MAXMEM_SLACK_PAGES 256
#define HV_XL_MAGIC_PAGES        4

struct hv_domain_config {
	const char *name;
	uint16_t domid;
	uint64_t ram_bytes;            /* RAM, over the machine layout's banks */
	unsigned nr_vcpus;
	bool privileged;
	bool is_console;
	/* Built as xl 4.17 builds a domU on ARM, where that differs from
	 * Xen's own (dom0less) builder: no console_io (is_console must be
	 * false), the UUID hv_xs_domain_uuid gives as its handle, a maximum
	 * 1 MiB above its RAM and 4 magic pages populated beyond it. */
	bool xl_built;
};

/* Create a domain with its RAM, the magic-page region and the grant-table
 * window; 0 or a negative Xen errno (-XEN_EEXIST, -XEN_EINVAL, -XEN_ENOMEM). */
int hv_domain_create(struct hv_machine *m, const struct hv_domain_config *cfg,
		     struct hv_domain **out);
void hv_domain_destroy(struct hv_domain *d);

/* The MPIDR affinity Xen gives vCPU id (vcpuid_to_vaffinity): Aff0 its low
 * 4 bits, Aff1 the rest; the guest DT's cpu@ reg and PSCI's target ids. */
uint64_t hv_vcpu_affinity(unsigned id);

struct hv_domain *hv_domain_by_id(struct hv_machine *m, uint16_t domid);
/* Resolve a domid argument from the caller's view: DOMID_SELF or an id. */
struct hv_domain *hv_domain_lookup(struct hv_domain *caller, uint16_t domid);

/* SCHEDOP_shutdown and friends. */
void hv_domain_shutdown(struct hv_domain *d, unsigned reason);
/* A domain suspended (reason suspend) runs again with its memory and
 * vCPU registers; new_host: as restored on another host, its event
 * channels, grant table, shared_info and vcpu_info registrations, and
 * watchdogs gone (domain_resume.c). -XEN_EINVAL if it is not suspended. */
int hv_domain_resume(struct hv_domain *d, bool new_host);

/* SCHEDOP_watchdog (watchdog.c): id 0 takes a slot and answers its id,
 * else re-arms slot id, or frees it with timeout 0; seconds of virtual
 * time. A timer that fires shuts the domain down (SHUTDOWN_watchdog). */
long hv_watchdog_op(struct hv_domain *d, uint32_t id, uint32_t timeout);
void hv_watchdog_init(struct hv_domain *d);
void hv_watchdog_destroy(struct hv_domain *d);
/* The model ends a domain because of a fault it cannot continue from. */
void hv_domain_crash(struct hv_domain *d, const char *why);
/* The toolstack stops the domain where it is, as `xl destroy` does. */
void hv_domain_kill(struct hv_domain *d, const char *why);
bool hv_domain_running(const struct hv_domain *d);
const char *hv_shutdown_reason_name(unsigned reason);

/* The shared_info page as the model writes it (wherever it is mapped). */
void *hv_domain_shared_info(struct hv_domain *d);

#endif
