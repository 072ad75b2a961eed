/* SPDX-License-Identifier: BSD-2-Clause */
/* What the simulator's runtimes share: the machine being run and the hooks
 * each runtime provides. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <signal.h>
#include <stdio.h>
#include <uv.h>

#include "domcfg.h"
#include "hv/blkback.h"
#include "hv/console_link.h"
#include "hv/consback_xenbus.h"
#include "hv/machine.h"
#include "hv/netback.h"
#include "hv/netswitch.h"
#include "hv/testback.h"
#include "hv/xs_link.h"
#include "loader.h"
#include "sim.h"

/* Idles in a row that end at once, with no hypercall between them, before
 * the run is called a deadlock: far more than any wait loop needs. */
#define SIM_MAX_IDLE_WAKES 100000

/* What one trap into the model (hvc, a trapped or emulated instruction, a
 * clock read) counts for against the instruction budget: a loop that traps
 * on every turn ends about as soon as one that does not. A wait (wfi) is
 * not charged: the timeout and the deadlock rule bound waits. */
#define SIM_EXIT_COST 1000

/* A channel: the model's console device and its outside end. */
struct sim_channel_dev {
	struct hv_consback_dev dev;
	struct sim_console *end;
	char where[200];              /* the end: a pty's path, or a socket */
};

/* Which of the run's limits (--timeout, --max-insns) ended it. */
enum sim_limit {
	SIM_LIMIT_NONE,
	SIM_LIMIT_TIME,              /* virtual time reached cfg->timeout_ns */
	SIM_LIMIT_INSNS,             /* cfg->max_insns used up */
	SIM_LIMIT_WATCHDOG,          /* no progress for cfg->watchdog_ns */
};

/* How a slice of a domain's run ended (runs of several domains). */
enum sim_slice {
	SIM_SLICE_YIELD,             /* runnable: another domain's turn */
	SIM_SLICE_BLOCKED,           /* waits (wfi) with no line up */
	SIM_SLICE_DONE,              /* stopped: its verdict is due */
};

struct sim_world;
struct sim_smp;
struct sim_control;
struct sim_history;
struct sim_tunnel;

/* One --pcap capture file being written. */
struct sim_pcap {
	FILE *f;
	const struct sim_pcap_spec *spec;
	struct hv_machine *machine;   /* its virtual time stamps frames */
	uint64_t frames;
	bool failed;                  /* a write failed: said once, stopped */
};

struct sim {
	const struct sim_config *cfg;
	/* A run of several domains (sim/world.c): every domain's struct sim
	 * points at it; the first one owns what they share (the machine,
	 * dom0, xenstored, the loop, the signals) and the others borrow it.
	 * NULL in a run of one. */
	struct sim_world *world;
	bool borrowed;               /* machine, dom0, xs, loop are not ours */
	bool yield_wanted;           /* the scheduler asks for a switch */
	/* A run of one domain with several vCPUs (sim/unicorn_smp.c): its
	 * scheduler; NULL otherwise. */
	struct sim_smp *smp;
	bool released;               /* its devices and xenstore entries went
				      * when it stopped (sim_dom0_release) */
	struct hv_machine *machine;
	struct hv_domain *domain;
	uint64_t dtb_gpa;
	uint64_t initrd_gpa, initrd_len;  /* the ramdisk; len 0 for none */
	struct sim_kernel kernel;    /* emulated runtimes: the file, */
	struct sim_boot boot;        /* and where it was placed */
	struct sim_result *res;
	bool deadlocked;             /* idle with nothing to wake it */
	uint64_t idle_wakes;         /* idles that woke at once, in a row */
	bool spinning;               /* ...too many of them: a stuck guest */
	/* The runtime's answer to "would wfi wake now?", when it has its own
	 * interrupt controller (NULL: any raised line wakes). */
	bool (*woken)(void *ctx);
	void *woken_ctx;
	bool halted;                 /* the guest stopped its CPU */
	uint64_t hypercalls;         /* made by the guest */
	uint64_t idles;              /* idle steps (wfi) taken */
	enum sim_limit limit;        /* a limit ended the run */
	uint64_t insns;              /* native: the budget's count */
	/* sim_emu: the caller runs the guest a slice at a time: a slice ends
	 * when the guest waits (the caller lets time pass) or has used its
	 * budget (quietly: no limit message, no dump). */
	bool sliced_by_caller;

	/* dom0's services: xenstored, on the guest's ring and optionally a
	 * unix socket served from a libuv loop. */
	struct hv_domain *dom0;
	struct hv_xs *xs;
	struct hv_xs_link xs_link;
	struct hv_console_link console_link;  /* the first console */
	struct hv_testback testback;  /* the battery's test device */
	/* --suspend-resume (sim/resume.c): suspends resumed so far; the
	 * toolstack's next request (--suspend-cycles), armed once the guest
	 * is ready, and the requests made. */
	unsigned resumes;
	struct hv_timer suspend_timer;
	bool suspend_timer_set, suspend_due;
	unsigned suspends_asked;
	uint64_t suspend_rng;
	struct hv_blkback *disk[SIM_MAX_DISKS]; /* the config's disks */
	unsigned n_disks;
	/* The bridge every vif of the run joins (the first domain's own;
	 * the others borrow it), and this domain's vifs. */
	struct hv_netswitch *sw;
	struct hv_netswitch own_sw;
	struct hv_netback *vif[SIM_MAX_VIFS];
	unsigned n_vifs;
	/* The run's --pcap captures and --net-socket tunnel (the first
	 * domain's; sim/pcap.c, sim/nettunnel.c). */
	struct sim_pcap pcap[SIM_MAX_PCAPS];
	unsigned n_pcaps;
	struct sim_tunnel *tunnel;
	uv_loop_t *loop;
	struct sim_console *console;  /* --console other than the default */
	struct sim_channel_dev channel[SIM_MAX_CHANNELS];
	unsigned n_channels;          /* created so far */
	/* SIGINT/SIGTERM (sim/signals.c): the signal that stopped the run, or
	 * 0; the dispositions to restore; the loop's wake-up. */
	int interrupted;
	bool catching;
	struct sigaction old_action[2];
	uv_async_t signal_wake;
	struct hv_xs_uv *xs_server;
	uint64_t rng;                /* from the seed: when dom0 work runs */
	/* Xen's console keys (sim/keys.c): where the first console's input
	 * goes, the Ctrl-a run so far; the control socket (sim/control.c). */
	bool keys_to_xen;
	unsigned keys_switch_count;
	struct sim_control *control;
	/* Disks detached through it: the run then waits for an attach
	 * instead of calling an idle guest deadlocked. */
	unsigned disks_detached;
	struct sim_history *history;  /* crash reports' recent events */
	/* Fault runs (sim/faults.c): the progress count and when it last
	 * moved; a xenstore EAGAIN storm's commits still to fail. */
	uint64_t progress;
	uint64_t progress_ns;
	unsigned eagain_left;
	bool eagain_calm;
};

/* The config's disks, served by dom0's block backend (sim/disks.c). */
/* sim/resume.c: after a hypercall, a domain that suspended is resumed as
 * --suspend-resume says: the hypercall's value then (0 new host, 1
 * cancelled), else rc unchanged. */
long sim_resume_if_suspended(struct sim *s, long rc);
/* dom0's toolstack asking for suspends (--suspend-cycles); whether it
 * did anything. Stop: its timer disarmed, at teardown. */
bool sim_suspend_toolstack_work(struct sim *s);
void sim_suspend_toolstack_stop(struct sim *s);
int sim_disks_setup(struct sim *s);
void sim_disks_teardown(struct sim *s);
bool sim_disks_work(struct sim *s);
/* xl block-detach / block-attach on the running domain: the disk named
 * vdev (xvda or its number) starts its removal; a DISKSPEC's disk is
 * added. 0 or a negative errno; msg says what was done or why not. */
int sim_disk_detach(struct sim *s, const char *vdev, char *msg,
		    size_t msglen);
int sim_disk_attach(struct sim *s, const char *spec, char *msg,
		    size_t msglen);

/* The config's vifs, each served by dom0's network backend on the run's
 * bridge (sim/vifs.c). */
int sim_vifs_setup(struct sim *s);
void sim_vifs_teardown(struct sim *s);
bool sim_vifs_work(struct sim *s);

/* --pcap (sim/pcap.c): open every capture of the run and tap the switch
 * (the first domain, once its switch exists); tap vif devid of s, now on
 * port of the switch, if a capture wants it; close them all. */
int sim_pcaps_setup(struct sim *s);
void sim_pcaps_attach_vif(struct sim *s, unsigned devid, int port);
void sim_pcaps_teardown(struct sim *s);

/* --net-socket (sim/nettunnel.c): the host tunnel, a port of the switch.
 * Open it (the first domain); take in
 * what the host sent, at an idle point (whether anything came); close. */
int sim_tunnel_open(struct sim *s);
bool sim_tunnel_poll(struct sim *s);
void sim_tunnel_close(struct sim *s);

/* The config's channels, each a console device served to a pty or a
 * unix socket (sim/channels.c). */
int sim_channels_setup(struct sim *s);
void sim_channels_teardown(struct sim *s);
/* A resume on a new host: the devices go with the old host's dom0 and
 * come back in the new tree; the ends (and their clients) stay. */
void sim_channels_drop(struct sim *s);
int sim_channels_rebuild(struct sim *s);
bool sim_channels_work(struct sim *s);

/* dom0 and its services (sim/dom0.c). */
int sim_dom0_setup(struct sim *s);
void sim_dom0_teardown(struct sim *s);
/* The run's libuv loop, created on first use; NULL without memory. */
uv_loop_t *sim_dom0_loop(struct sim *s);
/* dom0's turn: serve what guests and socket clients asked; whether
 * anything was done. In a run of several domains, every domain's. */
bool sim_dom0_work(struct sim *s);
/* A domain of several stopped: dom0 lets go of its devices and its
 * xenstore entries (@releaseDomain fires), as xl destroy does. */
void sim_dom0_release(struct sim *s);
/* The scheduler's "does dom0 run now?" and "switch now?" coin. */
bool sim_coin(struct sim *s);
/* Whether vCPU 0 has an interrupt line up that wfi would wake for. */
bool sim_vcpu0_woken(struct sim *s);
/* Nothing in the machine can wake the guest: wait for the outside world
 * (a socket client). False when there is no outside world to wait for. */
bool sim_dom0_wait_external(struct sim *s);

/* Runs of several domains (sim/world.c): the domain that owns what they
 * share, f applied to every domain (whether any did work), and the
 * scheduler's count of hypercalls before the running domain yields. */
struct sim *sim_world_first(struct sim_world *w);
bool sim_world_each_domain(struct sim_world *w, bool (*f)(struct sim *s));
void sim_world_after_hypercall(struct sim *s);

/* A domain's vCPUs (sim/unicorn_smp.c): the running one made a hypercall
 * (yield_wanted set when its quantum of them is used up); the most
 * instructions it may run before the next vCPU's turn. */
void sim_smp_after_hypercall(struct sim *s);
uint64_t sim_smp_quantum(struct sim *s);

/* The guest gave up its CPU (wfe, which Xen traps and turns into a
 * yield): dom0's turn, now or later as the seed says. */
void sim_yield(struct sim *s);

/* A hypercall from v, then dom0's turn (now or later, as the seed says). */
long sim_hypercall(struct sim *s, struct hv_vcpu *v, uint64_t op,
		   const uint64_t arg[5]);

/* Build the machine, dom0 and the guest's device tree (and, for an
 * emulated runtime, load the kernel) from s->cfg; fills s->res on error.
 * With s->borrowed, the machine, dom0 and xenstored are already there
 * (copied from the world's first domain) and only the domain is built. */
int sim_setup(struct sim *s);
/* Turn how the domain stands into s->res: the outcome sim_run reports. */
void sim_verdict(struct sim *s);
/* Free what sim_setup built. */
void sim_teardown(struct sim *s);

/* Run the native domain (its vCPUs as coroutines when it has several,
 * sim/native_dom.c) until it stops; fills s->res on runtime errors. */
int sim_native_run(struct sim *s);

/* A native domain whose vCPUs are coroutines (sim/native_dom.c): one of
 * a run of several, or of several vCPUs. Each domain has its own copy of
 * the guest's globals swapped into the image while it runs; *owner is
 * the run's record of whose copy the image holds. Open at setup (fills
 * s->res on error); a slice runs one of its vCPUs until it yields,
 * blocks or stops (BLOCKED only when every vCPU waits); limit words a
 * --timeout stop; close unwinds every vCPU still inside. */
struct sim_native_dom;
struct sim_native_dom *sim_native_open(struct sim *s,
				       struct sim_native_dom **owner);
enum sim_slice sim_native_slice(struct sim_native_dom *nd);
void sim_native_limit(struct sim_native_dom *nd);
void sim_native_close(struct sim_native_dom *nd);

/* The native guest's writable state (sim/guest_state.c): its size in
 * bytes (0 in a build whose guest objects lack the guest_* sections),
 * and copies of it out of and into the image. */
size_t sim_guest_state_size(void);
void sim_guest_state_save(unsigned char *copy);
void sim_guest_state_load(const unsigned char *copy);

/* One step of the machine while the guest idles: backends, timers. Returns
 * whether anything happened that could wake the guest. */
bool sim_idle_step(struct sim *s);

/* A wait that ended at once because a line was already up: false (and the
 * run a deadlock) once that has happened SIM_MAX_IDLE_WAKES times in a row. */
bool sim_idle_woke_at_once(struct sim *s);

/* Whether virtual time has reached the run's timeout; once it has, the
 * run is over (s->limit) and the runtime stops at its next chance. */
bool sim_time_up(struct sim *s);

/* A native guest called into the model: SIM_EXIT_COST against its
 * budget. Whether the budget is used up (the run is then over). */
bool sim_native_charge(struct sim *s);

/* The result for a run a limit ended: what ran out, then where the guest
 * was (the runtime's words: PC and instruction, or what it knows). */
void sim_limit_message(struct sim *s, const char *where);

/* SIGINT and SIGTERM, when cfg->catch_signals (sim/signals.c): catch
 * before setup (a socket may appear there), let them wake the loop once
 * setup made it, release before teardown. */
void sim_signals_catch(struct sim *s);
void sim_signals_wake_loop(struct sim *s);
void sim_signals_release(struct sim *s);
/* At a point where the run may stop: if a signal came, stop the domain and
 * record it in s->interrupted; whether that happened now. */
bool sim_signals_check(struct sim *s);
/* A signal came and waits to be acted on (async-signal-safe to read). */
bool sim_signal_caught(void);
const char *sim_signal_name(int signo);

/* Fault runs (sim/faults.c). Seed the machine's faults and apply those
 * set at build time (the guest's grant frames); the xenstored hook. */
void sim_faults_setup(struct sim *s);
bool sim_fault_txn_end(void *opaque, uint16_t domid);
/* Whether dom0 skips a turn it would have had (late backends). */
bool sim_fault_skip_turn(struct sim *s);
/* The watchdog: whether the run has gone cfg->watchdog_ns of virtual
 * time without progress (then s->limit says so). */
bool sim_watchdog_fired(struct sim *s);
/* What the run waited on when the watchdog fired. */
void sim_watchdog_message(struct sim *s);

/* Write a formatted message into the result. */
void sim_fail(struct sim *s, enum sim_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
