/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulator: builds a machine and a domain from a config, runs the
 * guest in one of its runtimes, and reports how the run ended. The CLI and
 * the integration tests both drive it through this header. */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/domain.h"
#include "hv/fault.h"
#include "hv/log.h"
#include "hv/toolstack.h"

#include "domcfg.h"

struct sim_disk;
struct hv_blk_audit;
struct sim_channel;
struct sim_engine;
struct sim_gdb;
struct sim_trace;

enum sim_runtime {
	SIM_NATIVE,      /* the guest linked into this process */
	SIM_ARM64,       /* an arm64 Image under the emulated CPU */
	SIM_ARM32,       /* an arm32 zImage under the emulated CPU */
};

/* Longest /chosen/bootargs, with its NUL: Linux's COMMAND_LINE_SIZE on
 * arm64. */
#define SIM_BOOTARGS_MAX 2048

/* The most RAM a guest may have, whatever its layout allows: its banks are
 * host memory reserved for the whole run (filled only as it is touched). */
#define SIM_MEMORY_MAX_MIB 16384

/* --pcap [WHERE=]FILE: every frame of the switch (domid 0) or of one
 * vif, vifD.N (domid D, device N, as dom0 names its interface). */
struct sim_pcap_spec {
	uint16_t domid;
	unsigned devid;
	const char *path;
};
#define SIM_MAX_PCAPS 8

/* What a suspended domain comes back as (--suspend-resume=MODE). */
enum sim_resume_mode {
	SIM_RESUME_NONE,         /* kept suspended, as Xen 4.17 on ARM */
	SIM_RESUME_NEW_HOST,     /* as restored on another host: returns 0 */
	SIM_RESUME_CANCEL,       /* the suspend cancelled: returns 1 */
};

struct sim_config {
	enum sim_runtime runtime;
	const char *kernel;          /* path of the Image/zImage */
	const char *name;
	uint16_t domid;
	uint64_t memory_mib;
	unsigned vcpus;
	enum hv_gic_version gic;
	const struct hv_layout *layout; /* guest memory map; NULL: Xen 4.5+ */
	const char *bootargs;        /* for the generated tree only */
	const char *ramdisk;         /* initial ramdisk (generated tree only) */
	const char *dtb_file;        /* replace the generated device tree */
	const char *dump_dtb;        /* write the device tree here too */
	/* What becomes of the domain when it shuts down this way (xl.cfg's
	 * on_poweroff, on_reboot, on_crash (a fault too), on_watchdog; all
	 * destroy by default), and how many restarts it may take in a run
	 * (--max-restarts). */
	enum sim_action on_poweroff, on_reboot, on_crash, on_watchdog;
	unsigned max_restarts;
	uint64_t seed;               /* 0: dom0 work runs as soon as it can */
	/* --suspend-resume: a suspend is resumed (sim/resume.c) instead of
	 * kept as Xen 4.17 on ARM keeps it; and how many times the model's
	 * toolstack asks for one before it asks for a poweroff (0: only
	 * others write control/shutdown). */
	enum sim_resume_mode suspend_resume;
	unsigned suspend_cycles;
	bool no_xenstore;            /* like a dom0less domU without xenstore */
	bool xl_domain;              /* built as xl builds a domU (hv_domain_config
					 * xl_built), not as Xen builds a dom0less one */
	bool xen_debug;              /* model a debug build of Xen: the debug
				      * hypercalls hvc #0xFFxx act (a release
				      * build, the default, answers them with
				      * an undefined-instruction exception) */
	const char *xenstore_socket; /* also serve xenstore on this socket */
	/* Limits that end a run that would never end (exit status 6): the
	 * virtual time it may last and the instructions the guest may
	 * execute (natively: calls into the model); 0 means none. */
	uint64_t timeout_ns;
	uint64_t max_insns;
	enum hv_log_level log_level;
	const struct sim_disk *disks;       /* from a domain config */
	unsigned n_disks;
	/* Network interfaces: xl's vif specs (mac=, bridge=), checked by the
	 * config reader; each a netback on the run's bridge. */
	const char (*vifs)[256];
	unsigned n_vifs;
	/* --pcap captures and the --net-socket tunnel (sim/pcap.c,
	 * sim/nettunnel.c): run-wide, the first domain's config counts. */
	const struct sim_pcap_spec *pcaps;
	unsigned n_pcaps;
	const char *net_socket;
	/* --console: NULL shows the first console on the Xen console with no
	 * input; "stdio" adds input from stdin; "pty", "unix:PATH" and
	 * "tcp:127.0.0.1:PORT" carry its raw byte stream instead. */
	const char *console;
	const char *blkback_opts;    /* --blkback: features of every disk */
	/* Channels (secondary consoles device/console/1..): a config's
	 * `channel` list, then --channel's. */
	const struct sim_channel *channels;
	unsigned n_channels;
	hv_console_sink_fn *console_sink;   /* NULL: stdout */
	void *console_ctx;
	/* A test's own model-side peer (a scripted backend): runs at each of
	 * dom0's turns after the model's services; true when it did work. */
	bool (*dom0_extra)(void *ctx);
	void *dom0_extra_ctx;
	bool catch_signals;          /* SIGINT/SIGTERM end the run cleanly
				      * (the CLI's run; one at a time) */
	/* NULL: the emulated runtimes build an emulator for the run and
	 * close it after. Else the emulator is kept there from one run to the
	 * next, with the code it translated (sim_engine_new). */
	struct sim_engine *engine;
	/* Fault runs (hv/fault.h): the faults the seed injects (0: none),
	 * a progress watchdog in virtual time (0: none: the run ends when
	 * no block response came for that long, naming what was waited
	 * on), and a log of the first disk's acknowledged writes to check
	 * the image against afterwards (not owned; NULL: none). */
	unsigned faults;
	uint64_t watchdog_ns;
	struct hv_blk_audit *audit;
	/* --gdb: the stub serving the run's emulated vCPUs (sim/gdb.h); NULL:
	 * none. */
	struct sim_gdb *gdb;
	/* Xen's console keys: a unix socket `xensim debug-keys` sends keys
	 * to (NULL: none), keys whose dumps end the run (NULL: none). */
	const char *control_path;
	const char *dump_keys;
	/* Crash reports of emulated guests (off unless asked: the CLI's runs,
	 * not sweeps or tests): also to this file (NULL: stderr only);
	 * the guest ELF symbols come from (NULL: KERNEL.elf when it exists);
	 * the command line that replays the run (NULL: none known). */
	bool crash_reports;
	const char *crash_report;
	const char *symbols;
	const char *replay;
	/* --trace: the machine's events go there (sim/trace.h; not owned;
	 * NULL: none). */
	struct sim_trace *trace;
};

enum sim_outcome {
	SIM_POWEROFF,
	SIM_REBOOT,
	SIM_CRASH,           /* the guest asked (SHUTDOWN_crash) */
	SIM_FAULT,           /* the model stopped the guest (bad state) */
	SIM_SUSPEND,         /* SHUTDOWN_suspend: kept, never resumed */
	SIM_OTHER_SHUTDOWN,  /* watchdog, soft_reset, unknown */
	SIM_HALTED,          /* the guest stopped its CPU without shutdown */
	SIM_DEADLOCK,        /* idle with nothing that could wake it */
	SIM_SETUP_ERROR,     /* the run never started: bad config or kernel */
	SIM_LIMIT,           /* the run used up its virtual time or budget */
	SIM_INTERRUPTED,     /* SIGINT or SIGTERM stopped the run */
};

/* The limits sim_config_init gives a program that drives the simulator
 * (tests, benchmarks): far more than the guest's boot and battery use
 * (about 3 ms of virtual time, some millions of instructions), small
 * enough that a guest stuck in a loop ends in seconds. `xensim run` keeps
 * the timeout but has no instruction budget unless --max-insns gives
 * one. */
#define SIM_DEFAULT_TIMEOUT_NS  (10ull * 1000000000)
#define SIM_DEFAULT_MAX_INSNS   (100ull * 1000000)
/* Restarts a domain may take before it stays down (--max-restarts). */
#define SIM_DEFAULT_MAX_RESTARTS 3
#define SIM_MAX_INSNS_LIMIT     (1ull << 60)

struct sim_result {
	enum sim_outcome outcome;
	unsigned shutdown_reason;
	int signal;                  /* SIM_INTERRUPTED: which signal */
	char message[640];
	/* How far the guest got: hypercalls made, idles (wfi) taken, and the
	 * virtual time when the run ended. The same config gives the same
	 * figures; 0 when the run never started. */
	uint64_t hypercalls;
	uint64_t idles;
	uint64_t virtual_ns;
	struct hv_debug_record debug;   /* the guest's debug hypercalls */
	/* The run's trace hash (hv/fault.h): equal for runs that went the
	 * same way. Faults injected, by kind, and block backend restarts. */
	uint64_t trace_hash;
	uint64_t faults_injected[HV_FAULT_COUNT];
	unsigned backend_restarts;
	/* What the on_* actions did: the domid the domain ended as (a
	 * restart gives a new one, as xl does), its restarts, whether
	 * --max-restarts stopped one, whether it was preserved. */
	uint16_t domid;
	unsigned restarts;
	bool restart_limit;
	bool preserved;
};

/* An emulator kept across runs of the same kernel (xensim run --seeds):
 * the next run restores the CPU to the state the engine was created in,
 * drops its cached address translations, and reuses the code already
 * translated (the image's code is the same bytes at the same place: the
 * kernel must not rewrite its own instructions, which the images' link
 * check ensures). The runs' outcomes and transcripts are those of fresh
 * emulators. NULL without memory. */
struct sim_engine *sim_engine_new(void);
void sim_engine_free(struct sim_engine *e);
/* Runs that reused the engine's translations so far (a run whose guest
 * memory the host placed elsewhere starts translating afresh). */
unsigned sim_engine_warm_runs(const struct sim_engine *e);

/* --net-socket SPEC and --pcap [WHERE=]FILE, checked before anything
 * runs: 0, or -1 with err set. sim_pcaps_check holds the vif captures
 * of a run (its n domains' configs) to vifs that exist, each captured
 * once. */
int sim_tunnel_check(const char *spec, char *err, size_t errlen);
int sim_pcap_parse(const char *arg, struct sim_pcap_spec *spec, char *err,
		   size_t errlen);
int sim_pcaps_check(const struct sim_config *cfgs, unsigned n, char *err,
		    size_t errlen);

/* Default config: native, domid 1, 128 MiB, 1 vCPU, GICv2, xenstore, the
 * default limits (both: SIM_DEFAULT_TIMEOUT_NS, SIM_DEFAULT_MAX_INSNS). */
void sim_config_init(struct sim_config *cfg);

/* Run a guest to the end; always fills res. Returns the CLI exit code. */
int sim_run(const struct sim_config *cfg, struct sim_result *res);

/* The action cfg names for how res ended (a shutdown, or a fault: the
 * model crashed the domain), and its xl.cfg key; deadlocks, limits and
 * signals are no shutdown: destroy, key NULL. A suspend has no key: the
 * domain is kept as it stopped (preserve), as xl 4.17 leaves it. */
enum sim_action sim_action_for(const struct sim_config *cfg,
			       const struct sim_result *res);
const char *sim_action_key(const struct sim_result *res);
const char *sim_action_name(enum sim_action a);

/* The domid a restarted domain gets: the first free one after rover, as
 * Xen 4.17 allocates (wrapping from the last to 1); 0 when none is free.
 * taken(ctx, domid) says whether a domid is in use (NULL: none is, as
 * for a domain alone in its run). */
uint16_t sim_next_domid(uint16_t rover, bool (*taken)(void *ctx, uint16_t),
			void *ctx);

/* ---- Several domains in one run ----
 * Each config is a domain of one machine (emulated or native: each native
 * one's vCPU a coroutine with its own copy of the guest's globals),
 * with its own domid, memory, event channels, grant table, xenstore
 * subtree and devices, sharing dom0, xenstored and virtual time. One vCPU runs at a
 * time: a domain runs until it waits (wfi) or has made its quantum of
 * hypercalls (32 with seed 0; 1 to 32 as the seed says otherwise), then
 * the next runnable one runs (in turn with seed 0, as the seed picks
 * otherwise; a guest that never traps keeps its vCPU until it does or its
 * instruction budget ends it); virtual time moves only when every domain
 * waits. A domain
 * that stops (shutdown, crash, fault, deadlock, its own instruction
 * budget) leaves the others running; dom0 then releases its devices and
 * xenstore entries (@releaseDomain). The run's timeout, a signal or every
 * domain waiting with nothing to wake any ends them all. res[i] is cfgs[i]'s
 * verdict. Returns 1 if any domain could not be set up (nothing ran),
 * else 0 when every domain powered off, else the exit code of the first
 * domain, in config order, that did not. */
#define SIM_WORLD_MAX 7
int sim_run_world(const struct sim_config *cfgs, unsigned n,
		  struct sim_result *res);

/* The process exit code for an outcome: 0 poweroff, 1 setup error,
 * 2 crash or fault, 3 reboot, 4 other shutdown, 5 halted or deadlock,
 * 6 timeout or instruction budget used up, 7 suspended. */
int sim_exit_code(const struct sim_result *res);

const char *sim_outcome_name(enum sim_outcome o);

/* A duration for --timeout: a whole number with a unit (ns, us, ms, s,
 * min; none: seconds), e.g. "500ms", "10s", "0" (no limit). 0 or -1. */
int sim_parse_duration(const char *text, uint64_t *ns);

/* ---- The native runtime as a library ----
 * For tests and benchmarks that call the guest's layers themselves, on the
 * machine sim_run builds and with the runtime `xensim run --native` uses:
 * each hypercall gives dom0 its turn as the seed says; each idle (wfi) runs
 * dom0, audits the guest's grant table and jumps virtual time, and ends
 * the run as a deadlock when nothing could wake the guest. One at a time
 * per process (the guest has globals), on the calling thread. */
struct sim_native;
struct hv_machine;
struct hv_domain;
struct hv_xs;
struct hv_xs_ring;
struct hv_console_link;

/* Build the machine for cfg (its runtime is taken as native: guest, dom0
 * with xenstored and the test device unless no_xenstore, the generated
 * device tree), make this thread vCPU 0, and bring the guest up to where
 * the battery would start: its state reset, page allocator, shared_info,
 * event channels (bootarg "evtchn-fifo" for FIFO), grant table, timer,
 * xenstore, interrupts on. The run's limits (timeout_ns, max_insns) do
 * not apply: the caller decides how long the guest runs. NULL on failure,
 * res says why. */
struct sim_native *sim_native_start(const struct sim_config *cfg,
				    struct sim_result *res);
/* True while the guest runs (res then holds the figures so far); false
 * once it stopped (shutdown, crash, model fault, deadlock), res saying
 * how, as sim_run would. A stopped guest must not idle again (abort). */
bool sim_native_running(struct sim_native *sn, struct sim_result *res);
/* Free the machine; the guest must not be called after this. */
void sim_native_stop(struct sim_native *sn);

struct hv_machine *sim_native_machine(struct sim_native *sn);
struct hv_domain *sim_native_domain(struct sim_native *sn);   /* the guest */
struct hv_domain *sim_native_dom0(struct sim_native *sn);
/* dom0's xenstored (NULL with no_xenstore). */
struct hv_xs *sim_native_xs(struct sim_native *sn);
/* The model's end of the guest's xenstore ring (NULL with no_xenstore). */
struct hv_xs_ring *sim_native_xs_ring(struct sim_native *sn);


/* ---- The emulated runtime as a library, with snapshots ----
 * For emulated fuzz targets: the machine sim_run builds for an arm64 or
 * arm32 Image, its vCPU run a budget of instructions at a time by the
 * caller, which plays dom0's part between the slices (no limits of
 * cfg apply). One snapshot of the whole machine may be taken between
 * slices and restored any number of times: the CPU (uc_context), guest
 * memory (the pages written since, which the host's write protection
 * sees, sim/emu_watch.h, and those the model took pointers into), the model's state (hv/state.h) and the
 * runtime's (the run, the vCPU, its GIC). dom0's xenstored and backends
 * are not in it: a caller that lets the guest change them must not
 * restore. One at a time per process. */
struct sim_emu;

enum sim_emu_slice {
	SIM_EMU_BUDGET,      /* the budget is used up: the guest runs on */
	SIM_EMU_WAITING,     /* it waits with nothing that could wake it */
	SIM_EMU_STOPPED,     /* it stopped: shutdown, crash, model fault */
};

/* Build the machine and open the vCPU at the kernel's entry; NULL on
 * failure, res saying why. */
struct sim_emu *sim_emu_start(const struct sim_config *cfg,
			      struct sim_result *res);
/* Run the guest for at most insns instructions (the budget's count: a
 * trap into the model costs SIM_EXIT_COST). */
enum sim_emu_slice sim_emu_run(struct sim_emu *e, uint64_t insns);
/* The guest waits: let the machine run (dom0's turn, virtual time jumping
 * to the next timer) until something wakes it, at most steps times; false
 * when nothing ever would, or steps ran out, or it stopped. */
bool sim_emu_idle(struct sim_emu *e, unsigned steps);
/* The verdict sim_run would give if the run ended now. */
void sim_emu_result(struct sim_emu *e, struct sim_result *res);
/* Take the snapshot (0, or -1 without memory); put everything back to
 * it: 0, or -1 with why set when the machine changed shape since (a
 * table grew, a guest store went outside guest memory, the engine was
 * hooked anew): the caller must not go on. */
/* From now on (before the snapshot), count the guest's edges into
 * counters (size a power of two) as a fuzzer's coverage: for each block
 * the CPU enters, one counter for it and the block before (the hash a
 * restore puts back with the vCPU). 0, or -1. */
int sim_emu_count_edges(struct sim_emu *e, uint8_t *counters, size_t size);
int sim_emu_snapshot(struct sim_emu *e);
int sim_emu_restore(struct sim_emu *e, const char **why);
/* FNV-1a over guest memory, the CPU's registers, the model's state
 * ranges and the runtime's: equal after each restore to the value at
 * the snapshot. Host pointers are among them: compare only within one
 * process. The guest's part alone (memory, registers, virtual time) is
 * the same from process to process for the same run. */
uint64_t sim_emu_digest(struct sim_emu *e);
uint64_t sim_emu_guest_digest(struct sim_emu *e);
void sim_emu_stop(struct sim_emu *e);

/* The engine (a uc_engine *, for the caller's own hooks), the machine,
 * the guest and dom0. */
void *sim_emu_engine(struct sim_emu *e);
struct hv_machine *sim_emu_machine(struct sim_emu *e);
struct hv_domain *sim_emu_domain(struct sim_emu *e);
struct hv_domain *sim_emu_dom0(struct sim_emu *e);
struct hv_xs *sim_emu_xs(struct sim_emu *e);
/* The model's xenstored lets go of the guest's ring (hv_xs_link_detach):
 * the caller serves it from here on, on the page (a struct
 * xenstore_domain_interface) and dom0's end of the store's channel it
 * is given. Before the snapshot: the store is not in it. -1 when the
 * guest has no store. */
int sim_emu_xs_detach(struct sim_emu *e, void **page, uint32_t *dom0_port);
/* The guest's first console as the toolstack wired it (its ring page and
 * dom0's port): a caller that plays its backend sets it aside
 * (connected = false) and the machine no longer serves it. */
struct hv_console_link *sim_emu_console(struct sim_emu *e);

#endif
