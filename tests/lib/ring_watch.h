/* SPDX-License-Identifier: BSD-2-Clause */
/* Counting how often code reads each slot of a shared ring (XSA-155,
 * double fetch), natively on x86-64: while watched, the ring's pages are
 * inaccessible; each access faults, is recorded (address, read or write,
 * the instruction), and goes on by one instruction (the trap flag)
 * before the pages close again. One read of a slot is one run of reads
 * of it from neighbouring instructions (one copy: memcpy may load the
 * same bytes twice); a write, an access elsewhere, or code far away ends
 * the run. Header-only, with the file's own state: each test program
 * includes it once, and _GNU_SOURCE is defined before any include. */
#ifndef TESTS_RING_WATCH_H
#define TESTS_RING_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#define RING_WATCH_MAX 4096

static struct {
	unsigned char *base;
	size_t len;
	uintptr_t addr[RING_WATCH_MAX];
	uintptr_t pc[RING_WATCH_MAX];
	bool write[RING_WATCH_MAX];
	unsigned n;
	struct sigaction old[2];
} ring_watch;

static void ring_watch_on_fault(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;

	(void)sig;
	if ((unsigned char *)si->si_addr < ring_watch.base ||
	    (unsigned char *)si->si_addr >= ring_watch.base + ring_watch.len)
		abort();                      /* a real fault */
	if (ring_watch.n < RING_WATCH_MAX) {
		unsigned i = ring_watch.n++;

		ring_watch.addr[i] = (uintptr_t)si->si_addr;
		ring_watch.pc[i] = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
		ring_watch.write[i] = uc->uc_mcontext.gregs[REG_ERR] & 2;
	}
	mprotect(ring_watch.base, ring_watch.len, PROT_READ | PROT_WRITE);
	uc->uc_mcontext.gregs[REG_EFL] |= 0x100;     /* one step */
}

static void ring_watch_on_step(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100;
	mprotect(ring_watch.base, ring_watch.len, PROT_NONE);
}

/* Start recording accesses to len bytes (whole pages) at ring: 0 or -1. */
static inline int ring_watch_start(void *ring, size_t len)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO };

	ring_watch.base = ring;
	ring_watch.len = len;
	ring_watch.n = 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = ring_watch_on_fault;
	if (sigaction(SIGSEGV, &sa, &ring_watch.old[0]))
		return -1;
	sa.sa_sigaction = ring_watch_on_step;
	if (sigaction(SIGTRAP, &sa, &ring_watch.old[1]))
		return -1;
	return mprotect(ring, len, PROT_NONE);
}

static inline void ring_watch_stop(void)
{
	mprotect(ring_watch.base, ring_watch.len, PROT_READ | PROT_WRITE);
	sigaction(SIGSEGV, &ring_watch.old[0], NULL);
	sigaction(SIGTRAP, &ring_watch.old[1], NULL);
}

/* Reads of each of nr slots of slot_size bytes from slots, as recorded,
 * into reads[]. */
static inline void ring_watch_count_reads(const void *slots, size_t slot_size,
					  unsigned nr, unsigned *reads)
{
	uintptr_t first = (uintptr_t)slots, prev_pc = 0;
	int prev_slot = -1;

	for (unsigned s = 0; s < nr; s++)
		reads[s] = 0;
	for (unsigned i = 0; i < ring_watch.n; i++) {
		uintptr_t off = ring_watch.addr[i] - first;
		int here = ring_watch.addr[i] >= first && off < nr * slot_size ?
			   (int)(off / slot_size) : -1;

		if (here >= 0 && !ring_watch.write[i] &&
		    (here != prev_slot ||
		     ring_watch.pc[i] - prev_pc + 64 > 128))
			reads[here]++;
		prev_slot = ring_watch.write[i] ? -1 : here;
		prev_pc = ring_watch.pc[i];
	}
}

#endif
