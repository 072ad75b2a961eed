/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated vCPU: one Unicorn engine running vCPU 0 of the domain
 * against the model. The run loop and hooks live in unicorn*.c, each
 * architecture's registers, instruction decoding and exception entry in
 * vcpu_arm64.c / vcpu_arm32.c. Registers, instruction words and memory all
 * belong to the guest: they are decoded and checked, never trusted. */
#ifndef SIM_VCPU_H
#define SIM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "gdb.h"
#include "gic.h"
#include "hv/guest_va.h"
#include "hv/mem.h"
#include "loader.h"
#include "sim_internal.h"

/* The engine's target page for ARM: 1 KiB in Debian's Unicorn 2.0.1 (its
 * uc_ctl query trips the sanitizers on the header's own macro). It chains
 * translated blocks only within one such page. */
#define SIM_CHAIN_PAGE 1024u

/* Hooks the engine calls on every guest block or store: host code a
 * fuzzer learns nothing from covering (clang's sanitizer coverage off). */
#if defined(__clang__)
#define SIM_UC_HOT __attribute__((no_sanitize("coverage")))
#else
#define SIM_UC_HOT
#endif

/* arm32 `yield` / `wfe` sites hooked as the guest meets them. */
#define SIM_MAX_HINT_SITES 64

/* QEMU's exception numbers, as Unicorn's interrupt hook reports them. */
enum sim_excp {
	SIM_EXCP_UDEF = 1,
	SIM_EXCP_SWI = 2,
	SIM_EXCP_PREFETCH_ABORT = 3,
	SIM_EXCP_DATA_ABORT = 4,
	SIM_EXCP_IRQ = 5,
	SIM_EXCP_FIQ = 6,
	SIM_EXCP_BKPT = 7,
	SIM_EXCP_HVC = 11,
	SIM_EXCP_HYP_TRAP = 12,
	SIM_EXCP_SMC = 13,
};

/* Why a hook stopped the engine. */
enum sim_vcpu_stop {
	SIM_STOP_NONE,       /* the engine returned by itself: wfi */
	SIM_STOP_CHECK,      /* look at the domain and the GIC again */
	SIM_STOP_FAULT,      /* the guest did something it cannot go on from */
};

/* The last access to an address nothing backs, as the engine reported it. */
struct sim_bad_access {
	uint64_t addr;
	int64_t value;               /* what a write would have stored */
	int size;
	bool write;
	bool fetch;
};

struct sim_vcpu_arch;

/* Pages that share one protection in the engine. */
struct sim_prot_run {
	uint64_t gpa, size;
	uint32_t prot;               /* UC_PROT_* */
};

struct sim_vcpu {
	struct sim *sim;
	struct hv_vcpu *v;
	const struct sim_vcpu_arch *arch;
	uc_engine *uc;
	struct sim_gic gic;
	enum sim_vcpu_stop stop;
	bool have_resume;            /* a hook stopped at a known address */
	uint64_t resume;             /* (arm32 undefined instruction): here */
	/* The model's memory regions as mapped into the engine. */
	struct hv_mem_region mapped[HV_MAX_REGIONS];
	unsigned nr_mapped;
	struct sim_bad_access bad;
	/* The level of the CPU's interrupt input as last given to the
	 * engine: the GIC signals an interrupt (see sim_vcpu_sync_line). */
	bool line;
	bool locating;               /* trials of sim_vcpu_locate_fault */
	/* arm32: `yield` and `wfe` halt the engine with the PC past them,
	 * an undefined instruction with the PC on it. Each hint met is
	 * hooked, so that a halt is known to follow it only if it just ran
	 * (vcpu_arm32.c). */
	uint64_t hint_site[SIM_MAX_HINT_SITES];
	uc_hook hint_hook[SIM_MAX_HINT_SITES];
	unsigned nr_hint_sites;
	uint64_t hint_ran;           /* hooked hint about to run, or ~0 */
	uint64_t yield_pc;           /* past that many sites: last stepped */
	/* arm32: the undefined vector an exception was just taken to from
	 * the invalid-instruction hook, where the engine reports it once
	 * more (unicorn_traps.c); 0 when none is due. */
	uint64_t udef_echo;
	uint64_t nr_hypercalls;
	/* What is left of the instruction budget, in bytes of code: blocks
	 * the CPU enters take their size from it. */
	uint64_t budget_bytes;
	bool budget_hooked;
	/* sim_emu_count_edges: the guest's edges counted, in the budget's
	 * block hook, into edges (NULL: not counted), edge_mask + 1 of them;
	 * edge_prev hashes the block before. */
	uint8_t *edges;
	uint64_t edge_mask;
	uint64_t edge_prev;
	/* The engine ran a boot before (struct sim_engine): the hooks of
	 * its setup are in place, so setup only puts the CPU in its boot
	 * state. */
	bool warm;
	bool remapped;               /* ...but the model's memory moved */
	uint64_t begin;              /* where the engine goes on (resume_at) */
	uint64_t pc;                 /* the PC it last stopped at */
	bool opened;                 /* set up whole: report its use */
	bool rebooted;               /* this run reused a warm engine */
	struct sim_gdb_cpu dbg;       /* the gdb stub's state (--gdb) */
	/* The pages the engine refuses the guest (guest_abort.c), as of the
	 * model's hv_mem.access_gen; access_known false: look again.
	 * wanted: the next sync's list, kept to reuse its allocation. */
	struct sim_prot_list {
		struct sim_prot_run *run;
		unsigned nr, cap;
	} applied, wanted;
	uint64_t access_gen;
	bool access_known;
	/* arm64: a synchronous exception from EL0 rides into EL1 on the
	 * CPU's own IRQ entry, the one way the engine changes exception
	 * level with all its state; a code hook at the IRQ vector then
	 * makes it the exception it is (vcpu_arm64.c). */
	struct sim_carrier {
		bool pending;        /* the line is held up for it */
		bool has_far;
		uint32_t esr, spsr;
		uint64_t far;
		uc_hook hook;
		uint64_t hooked;     /* the IRQ vector hooked, or 0 */
	} carrier;
};


/* Make the engine refuse the guest what Xen's stage-2 refuses it: pages
 * with no p2m entry (given back, an empty grant-window page) neither read
 * nor written, read-only grant mappings not written. Does nothing while
 * the model's access_gen is the one applied. 0, or -1 (run failed). */
int sim_vcpu_sync_access(struct sim_vcpu *vc);
/* Give the guest back every page the engine refuses it and look again at
 * the next sync: the engine's map is about to change under the list. */
void sim_vcpu_access_forget(struct sim_vcpu *vc);
/* The engine stopped on such a page (err a UC_ERR_*_PROT): do what Xen
 * does, and say true; false when it is not one (engine_error reports). */
bool sim_vcpu_guest_abort(struct sim_vcpu *vc, uc_err err);
void sim_vcpu_access_free(struct sim_vcpu *vc);

struct sim_vcpu_arch {
	const char *name;
	uc_arch uc_arch;
	uc_mode uc_mode;
	int cpu_model;
	int pc_reg;                  /* the engine's id of the PC */
	/* Hypervisor-level CPU setup, boot registers and the arch's hooks. */
	int (*setup)(struct sim_vcpu *vc, const struct sim_boot *boot);
	/* Address of the next instruction, and the value uc_emu_start needs
	 * to resume there (arm32: bit 0 set in Thumb state). */
	uint64_t (*pc)(struct sim_vcpu *vc);
	uint64_t (*resume_at)(struct sim_vcpu *vc, uint64_t pc);
	uint64_t (*reg)(struct sim_vcpu *vc, unsigned n);
	/* Write general-purpose register n (x0..x30 / r0..r14). */
	void (*set_reg)(struct sim_vcpu *vc, unsigned n, uint64_t value);
	/* The vCPU runs AArch32 code (no 64-bit SMCCC calls). */
	bool aarch32;
	/* Where the instruction at pc may hand control to without leaving
	 * the engine's translated code: the next instruction and/or a direct
	 * branch target (next[]); how many (0 to 2). */
	unsigned (*successors)(struct sim_vcpu *vc, uint64_t pc,
			       uint64_t next[2]);
	/* Length of the svc / smc the PC is past (these trap after it). */
	unsigned (*call_len)(struct sim_vcpu *vc, uint32_t intno);
	/* The immediate of the hvc that ends just before pc; -1 if the
	 * instruction there is no hvc or cannot be read. */
	int (*hvc_imm)(struct sim_vcpu *vc, uint64_t pc);
	void (*hypercall_args)(struct sim_vcpu *vc, uint64_t *op,
			       uint64_t arg[5]);
	void (*hypercall_ret)(struct sim_vcpu *vc, long rc);
	/* Take an undefined-instruction exception into the guest's vectors
	 * for the hvc just before the PC, as Xen 4.17 injects it (traps.c,
	 * inject_undef64/32_exception). */
	void (*inject_undef)(struct sim_vcpu *vc);
	/* Emulate the undefined instruction at pc if it is a system-register
	 * access we model; 0 done (the PC or have_resume moved on), -1 not. */
	int (*emulate_undef)(struct sim_vcpu *vc, uint64_t pc);
	/* A data abort (fetch: a prefetch abort) on addr by the instruction
	 * at pc, as Xen 4.17 injects one for a stage-2 translation fault
	 * (traps.c, inject_abt64/32_exception). */
	void (*inject_abort)(struct sim_vcpu *vc, uint64_t pc, uint64_t addr,
			     bool fetch);
	/* A synchronous exception the engine reported by number (intno,
	 * the engine's PC at pc) taken into the guest's vectors as the CPU
	 * takes it: true if done; false leaves it to end the run (unknown,
	 * or no vector to go to). NULL: none are. */
	bool (*take_exception)(struct sim_vcpu *vc, uint32_t intno,
			       uint64_t pc);
	bool (*irq_masked)(struct sim_vcpu *vc);
	/* Clear PSTATE.I / CPSR.I, as Xen does for SCHEDOP_block. */
	void (*unmask_irq)(struct sim_vcpu *vc);
	/* Drive the CPU's (virtual) IRQ input: the CPU itself takes the
	 * exception, at an instruction boundary, once PSTATE/CPSR.I lets it. */
	void (*set_irq_line)(struct sim_vcpu *vc, bool level);
	/* Whether the instruction just before pc is a wfi. */
	bool (*after_wfi)(struct sim_vcpu *vc, uint64_t pc);
	/* The instruction word(s) at pc, as text for a message. */
	void (*insn_text)(struct sim_vcpu *vc, uint64_t pc, char *buf,
			  size_t len);
	void (*dump)(struct sim_vcpu *vc);
	/* The stage-1 translation registers, for the model's table walks. */
	void (*mmu_regs)(struct sim_vcpu *vc, struct hv_mmu_regs *out);
	/* The registers Xen's dump of a guest shows (hvc #0xFFFF). */
	void (*guest_regs)(struct sim_vcpu *vc, struct hv_guest_regs *out);
	/* A kept engine's next run, its CPU state just restored: drop every
	 * address translation the CPU cached (not the translated code; the
	 * boot starts with the MMU off) and the hooks the last run added as
	 * it went. */
	int (*rewind)(struct sim_vcpu *vc);
};

extern const struct sim_vcpu_arch sim_vcpu_arm64;
extern const struct sim_vcpu_arch sim_vcpu_arm32;

/* Run the domain's vCPU 0 under Unicorn from boot until it stops. */
int sim_unicorn_run(struct sim *s, const struct sim_vcpu_arch *arch,
		    const struct sim_boot *boot);

/* The same runtime in slices, for a run of several domains (sim/world.c):
 * open builds the engine (NULL with s->res filled on failure), each slice
 * runs it until the domain stops, blocks or is asked to yield, limit
 * reports the run's limit reached while the vCPU waited, close frees. */
struct sim_vcpu *sim_unicorn_open(struct sim *s,
				  const struct sim_vcpu_arch *arch,
				  const struct sim_boot *boot);
enum sim_slice sim_unicorn_slice(struct sim_vcpu *vc);
void sim_unicorn_limit(struct sim_vcpu *vc);
void sim_unicorn_close(struct sim_vcpu *vc);

/* A domain with several vCPUs (sim/unicorn_smp.c): vCPU 0 as above, each
 * other an engine of its own, opened as PSCI CPU_ON starts it (boot: its
 * entry point, the context id in the device tree's slot) and closed
 * when the run ends or it is started again; woken: whether a vCPU that
 * waits would run again now. */
int sim_unicorn_run_smp(struct sim *s, const struct sim_vcpu_arch *arch,
			const struct sim_boot *boot);
/* The same in slices, for a run of several domains: each slice runs one
 * vCPU for its quantum (BLOCKED only when every vCPU waits). */
struct sim_smp *sim_unicorn_smp_open(struct sim *s,
				     const struct sim_vcpu_arch *arch,
				     const struct sim_boot *boot);
enum sim_slice sim_unicorn_smp_slice(struct sim_smp *m);
void sim_unicorn_smp_limit(struct sim_smp *m);
void sim_unicorn_smp_close(struct sim_smp *m);
struct sim_vcpu *sim_unicorn_open_cpu(struct sim *s,
				      const struct sim_vcpu_arch *arch,
				      struct hv_vcpu *v,
				      const struct sim_boot *boot);
void sim_unicorn_close_cpu(struct sim_vcpu *vc);
bool sim_unicorn_woken(struct sim_vcpu *vc);

/* Helpers the architectures share (unicorn.c). */

/* Copy guest memory at an identity-mapped address; false if unbacked. */
bool sim_vcpu_read(struct sim_vcpu *vc, uint64_t addr, void *buf, size_t len);
/* Copy guest memory at a virtual address of the vCPU, through its own
 * stage-1 tables (the address itself with the MMU off); false if a page
 * does not translate or is unbacked. */
bool sim_vcpu_read_va(struct sim_vcpu *vc, uint64_t va, void *buf,
		      size_t len);

/* The counter value for the model's virtual time now; the read lets one
 * tick pass, and at the run's timeout stops the engine. */
uint64_t sim_vcpu_counter(struct sim_vcpu *vc);

/* A hook emulated the instruction it stopped at: continue at next. Only
 * from a trap, or from a code hook (which runs before its instruction):
 * the engine resumes there at once. A hook called from inside an
 * instruction (memory, MRS/MSR) must not move the PC: the engine would
 * resume there later, running again what the block did in between. */
void sim_vcpu_emulated(struct sim_vcpu *vc, uint64_t next);

/* Give the CPU's interrupt input the level the GIC asks for now. Safe from
 * any hook: raising the line never cuts a block short, the engine looks at
 * it whenever it leaves its translated code (traps, wfi, exception return,
 * PSTATE writes, branches it has not chained yet). */
void sim_vcpu_sync_line(struct sim_vcpu *vc);

/* Hook `wfi` at addr (found by the arch's scan of the image): a wfi with
 * IRQs masked must come back to the model even with the line up. */
int sim_vcpu_hook_wfi(struct sim_vcpu *vc, uint64_t addr);

/* The PC of the instruction whose access to unbacked memory stopped the
 * engine (vc->bad), or UINT64_MAX if it cannot be found. */
uint64_t sim_vcpu_locate_fault(struct sim_vcpu *vc);

/* End the run: the guest faulted. Logs the message as Xen would and makes
 * it the run's result. */
void sim_vcpu_fault(struct sim_vcpu *vc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Register reads and writes that cannot fail for valid register ids. */
uint64_t sim_uc_get(struct sim_vcpu *vc, int regid);
void sim_uc_set(struct sim_vcpu *vc, int regid, uint64_t val);

#endif
