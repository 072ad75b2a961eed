/* SPDX-License-Identifier: BSD-2-Clause */
/* Seeded fault injection and the run's trace hash. A machine has no faults
 * unless a run asks (xensim run --faults, xensim sim); then every fault
 * point draws from one generator seeded by the run's seed, in the order
 * the single-threaded simulation reaches them, so the same seed injects
 * the same faults at the same points. The trace hash folds in what the
 * guest saw (each hypercall's result, each block response, each fault at
 * the virtual time it happened): two runs agree on it exactly when they
 * went the same way. */
#ifndef HV_FAULT_H
#define HV_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hv_machine;

enum hv_fault_kind {
	HV_FAULT_TIMING,     /* backends late, stalled, skipping turns */
	HV_FAULT_EVENTS,     /* notifications late, doubled, spurious */
	HV_FAULT_RESTART,    /* a block backend restarts mid-I/O */
	HV_FAULT_GRANTS,     /* few grant frames: the frontend runs short */
	HV_FAULT_RING,       /* small rings, one queue: the ring fills */
	HV_FAULT_XS_EAGAIN,  /* xenstore transactions end in EAGAIN storms */
	HV_FAULT_CPU_OFF,    /* CPU_ON in CPU_OFF's window: context id lost */
	HV_FAULT_RECLOSE,    /* a block backend closes again as the frontend
			      * reconnects and resubmits */
	HV_FAULT_COUNT
};

#define HV_FAULTS_ALL ((1u << HV_FAULT_COUNT) - 1)

struct hv_faults {
	unsigned mask;                 /* kinds on: 1 << hv_fault_kind */
	uint64_t rng;                  /* xorshift64 state, never 0 */
	uint64_t injected[HV_FAULT_COUNT];
	uint64_t trace;                /* FNV-1a over the run's events */
};

const char *hv_fault_name(enum hv_fault_kind kind);

/* "all", "none" or a comma-separated list of names (timing, events,
 * restart, grants, ring, xs-eagain, cpu-off, reclose): the mask. 0, or -1 with the reason
 * in err. */
int hv_faults_parse(const char *list, unsigned *mask, char *err,
		    size_t errlen);
/* The mask as names ("timing,events"), or "none". */
void hv_faults_describe(unsigned mask, char *buf, size_t len);

/* Turn faults in mask on, their generator seeded from seed. */
void hv_faults_start(struct hv_machine *m, unsigned mask, uint64_t seed);
bool hv_fault_on(const struct hv_machine *m, enum hv_fault_kind kind);
/* With kind on: true once in `one_in` draws (counted and traced);
 * always false with kind off (and nothing drawn). */
bool hv_fault_roll(struct hv_machine *m, enum hv_fault_kind kind,
		   unsigned one_in);
/* A number below bound from the fault generator (kind must be on). */
uint64_t hv_fault_pick(struct hv_machine *m, enum hv_fault_kind kind,
		       uint64_t bound);

/* Fold an event into the trace hash, with the virtual time. */
void hv_trace(struct hv_machine *m, uint64_t tag, uint64_t value);
uint64_t hv_trace_hash(const struct hv_machine *m);

#endif
