/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's self-check battery: the same checks run natively, emulated
 * and on real Xen, and print one transcript line each. A check reports
 * through check() so a failing condition names itself. */
#ifndef GUEST_SELFTEST_H
#define GUEST_SELFTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct selftest_ctx {
	const char *name;
	unsigned assertions;   /* conditions checked; none and no skip: ERROR */
	unsigned failures;
	const char *skipped;   /* why the check could not run here */
};

struct selftest {
	const char *name;
	void (*run)(struct selftest_ctx *ctx);
};

/* Record cond; on failure print "FAIL <check>: <what>". Returns cond. */
bool check_that(struct selftest_ctx *ctx, bool cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The check does not apply to this run (say why). */
void selftest_skip(struct selftest_ctx *ctx, const char *why);

/* A device self-check's step (selftest/step.c): prints "TAG: ok NAME: msg"
 * or "TAG: FAIL NAME: msg" and counts it in *passed or *failed; returns ok. */
bool selftest_step(const char *tag, unsigned *passed, unsigned *failed,
		   bool ok, const char *name, const char *fmt, va_list ap);

#define check(ctx, cond) check_that((ctx), (cond), "%s", #cond)

/* Run every check; each ends in one line: "selftest: ok NAME", one or more
 * "selftest: FAIL NAME: what", "selftest: skip NAME: why", or "selftest:
 * ERROR NAME: why" for a check that neither asserted anything nor skipped.
 * Then "selftest: N passed, N failed, N skipped" (ERROR counts as failed);
 * returns the number failed. */
unsigned selftest_run(void);

/* Bootarg "blk-selftest": the block self-check on the first vbd (its own
 * "blk-selftest: ..." lines); returns the number of steps failed. */
unsigned blk_selftest_run(void);
/* Bootarg "blk-reattach": reads in flight on the first vbd until the
 * toolstack detaches it, then the block self-check on the disk attached
 * next (selftest/blk_reattach.c); returns the number of steps failed. */
unsigned blk_reattach_run(void);
/* Bootarg "blk-suspend": writes and reads on the first vbd with the
 * toolstack's suspends taken while they are in flight, until it asks for
 * something else, whose SHUTDOWN_* reason goes to *reason
 * (selftest/blk_suspend.c); returns the number of steps failed. */
unsigned blk_suspend_run(unsigned *reason);
/* Bootarg "xs-suspend": a transaction open and a watch held across each
 * of the toolstack's suspends (selftest/xs_suspend.c); the request that
 * ended the run goes to *reason; returns the number of steps failed. */
unsigned xs_suspend_run(unsigned *reason);
/* Bootarg "smp-suspend": the secondary CPUs online and busy across each of
 * the toolstack's suspends, parked by CPU 0 and registered again by
 * themselves after a resume (selftest/smp_suspend.c); the request that
 * ended the run goes to *reason; returns the number of steps failed. */
unsigned smp_suspend_run(unsigned *reason);
/* Bootarg "net-test": the network test on vif 0 (selftest/net_test.c);
 * 0 when every echo request was answered. */
unsigned net_test_run(void);
/* Bootarg "net-offload=1|2": checksum offload and GSO between two guests,
 * 1 sending, 2 receiving (selftest/net_offload.c); 0 when all arrived. */
unsigned net_offload_run(void);
/* The network frontend's features from bootargs net-queues, net-split,
 * net-sg, net-gso, net-csum, net-ipv6-csum, net-mcast, net-rx-notify;
 * and the line "<tag>: features ..." saying what was negotiated. */
struct netfront;
struct netfront_features;
void net_features_from_bootargs(struct netfront_features *f);
void net_features_print(const char *tag, const struct netfront *nf);

/* Bootarg "channel-echo": on each secondary console (device/console/M),
 * say a prompt, read a line and say it back; returns the number that
 * failed. */
unsigned channel_echo_run(void);
/* Its pieces, for channel-suspend too: say fmt on the channel (all of
 * it, waiting while the ring is full); read one line (a '\n' or '\r'
 * ends it; the rest of a line longer than cap is dropped): its length;
 * each 0 or a negative Xen errno. The channel's name at node, or "". */
struct xencons_fe;
int channel_say(struct xencons_fe *fe, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int channel_read_line(struct xencons_fe *fe, char *buf, size_t cap);
void channel_name(const char *node, char *name, size_t cap);
/* Bootarg "channel-suspend" (with xensim run --suspend-resume): each
 * secondary console stays connected across the toolstack's suspends and
 * reconnects after each resume in a new domain; a line typed after the
 * first resume is echoed (selftest/channel_suspend.c). Ends at the
 * toolstack's first request other than a suspend (*reason); returns the
 * number of steps failed. */
unsigned channel_suspend_run(unsigned *reason);
/* Bootarg "blk-bench": the block benchmark's workloads on the first vbd
 * (overwritten), timed by the host from the console; errors seen. */
unsigned blk_bench_run(void);
/* Bootarg "blk-fuzz=SEED": the seeded block workload of a fault run
 * (xensim sim), its own "blk-fuzz: ..." lines; returns the steps failed. */
unsigned blk_fuzz_run(void);
/* Bootarg "blk-peer": the emulated fuzz target's workload on the first
 * vbd, its slots kept busy forever (panics on a broken promise). */
_Noreturn void blk_peer_run(void);
/* Bootarg "vif-peer": the emulated network fuzz target's workload on the
 * first two vifs, frames kept going both ways forever (panics on a
 * broken promise). */
_Noreturn void vif_peer_run(void);
/* Bootarg "xs-peer": the emulated xenstore fuzz target's workload: the
 * xenstore client and a xenbus state walk forever (panics on a broken
 * promise). */
_Noreturn void xs_peer_run(void);
/* Bootarg "cons-peer": the emulated console fuzz target's workload on
 * consoles 0 and 1, output and input forever (panics on a broken
 * promise). */
_Noreturn void cons_peer_run(void);

#endif
