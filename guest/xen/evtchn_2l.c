/* SPDX-License-Identifier: BSD-2-Clause */
/* The 2-level event ABI, guest side: pending and mask bitmaps in
 * shared_info, a selector word in this vCPU's vcpu_info. The scan is fair:
 * it resumes after the last port it handled, so a busy low port cannot
 * starve the others. The hypervisor sets bits while we scan: every bit is
 * taken with an atomic exchange or clear, never a plain write. */
#include "evtchn_internal.h"
#include "gxen/evtchn.h"
#include "gxen/shared.h"
#include "port.h"

#define WORD_BITS 64u
#define NR_WORDS  (EVTCHN_MAX_PORTS / WORD_BITS)

_Static_assert(EVTCHN_MAX_PORTS == EVTCHN_2L_NR_CHANNELS,
	       "the 2-level ABI covers exactly the ports the layer binds");
_Static_assert(NR_WORDS == WORD_BITS,
	       "one selector bit for each word of the pending bitmap");

/* Where the last scan stopped: the next one starts just after. */
static unsigned last_word = NR_WORDS - 1, last_bit = WORD_BITS - 1;

static struct shared_info *sh(void)
{
	return shared_info_page();
}

static struct vcpu_info *this_vcpu(void)
{
	return &sh()->vcpu_info[0];
}

static uint64_t bit_of(evtchn_port_t port)
{
	return (uint64_t)1 << (port % WORD_BITS);
}

static void l2_reset(void)
{
	last_word = NR_WORDS - 1;
	last_bit = WORD_BITS - 1;
}

static int l2_init(void)
{
	/* Nothing to ask the hypervisor: the bitmaps are in shared_info. */
	return 0;
}

/* The bitmaps live in the new shared_info, all clear. */
static int l2_resume(void)
{
	l2_reset();
	return 0;
}

static int l2_prepare_port(evtchn_port_t port)
{
	(void)port;
	return 0;
}

static void l2_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&sh()->evtchn_mask[port / WORD_BITS], bit_of(port),
			  __ATOMIC_SEQ_CST);
}

static bool l2_is_pending(evtchn_port_t port)
{
	return __atomic_load_n(&sh()->evtchn_pending[port / WORD_BITS],
			       __ATOMIC_SEQ_CST) & bit_of(port);
}

static bool l2_is_masked(evtchn_port_t port)
{
	return __atomic_load_n(&sh()->evtchn_mask[port / WORD_BITS],
			       __ATOMIC_SEQ_CST) & bit_of(port);
}

/* A pending port must be unmasked by the hypervisor, which then raises
 * it; clearing the bit ourselves would leave it pending unseen. */
static void l2_unmask(evtchn_port_t port)
{
	if (l2_is_pending(port)) {
		evtchn_unmask_hypercall(port);
		return;
	}
	__atomic_fetch_and(&sh()->evtchn_mask[port / WORD_BITS], ~bit_of(port),
			   __ATOMIC_SEQ_CST);
	/* Raised between the test and the clear: Xen saw it masked and
	 * raised nothing. Mask again and let Xen unmask and raise it. */
	if (l2_is_pending(port)) {
		l2_mask(port);
		evtchn_unmask_hypercall(port);
	}
}

static void l2_clear(evtchn_port_t port)
{
	__atomic_fetch_and(&sh()->evtchn_pending[port / WORD_BITS],
			   ~bit_of(port), __ATOMIC_SEQ_CST);
}

/* The bits [lo, hi) of a word (lo < 64, hi <= 64). */
static uint64_t bits_from_to(unsigned lo, unsigned hi)
{
	uint64_t below_hi = hi == WORD_BITS ? ~(uint64_t)0 :
			    ((uint64_t)1 << hi) - 1;

	return below_hi & ~(((uint64_t)1 << lo) - 1);
}

/* Handle the unmasked pending ports of word w whose bit is in [lo, hi),
 * lowest first. Only set bits are visited: under emulation a scan costs
 * by the instruction, and a word holds one or two live ports. */
static void scan_word(unsigned w, unsigned lo, unsigned hi)
{
	uint64_t ready = __atomic_load_n(&sh()->evtchn_pending[w],
					 __ATOMIC_SEQ_CST) &
			 ~__atomic_load_n(&sh()->evtchn_mask[w],
					  __ATOMIC_SEQ_CST) &
			 bits_from_to(lo, hi);

	while (ready) {
		unsigned b = (unsigned)__builtin_ctzll(ready);
		uint64_t m = (uint64_t)1 << b;

		ready &= ~m;
		/* Another CPU's (bound to its vCPU): its own poll takes it. */
		if (evtchn_port_elsewhere(w * WORD_BITS + b))
			continue;
		/* Taken by us only if we are the ones who clear it. */
		if (!(__atomic_fetch_and(&sh()->evtchn_pending[w], ~m,
					 __ATOMIC_SEQ_CST) & m))
			continue;
		last_word = w;
		last_bit = b;
		evtchn_dispatch(w * WORD_BITS + b);
	}
}

/* The whole of each word in words, lowest first. */
static void scan_words(uint64_t words)
{
	while (words) {
		unsigned w = (unsigned)__builtin_ctzll(words);

		words &= words - 1;
		scan_word(w, 0, WORD_BITS);
	}
}

static void l2_upcall(void)
{
	struct vcpu_info *vi = this_vcpu();
	unsigned start_word = (last_bit + 1 == WORD_BITS) ?
		(last_word + 1) % NR_WORDS : last_word;
	unsigned start_bit = (last_bit + 1) % WORD_BITS;
	uint64_t sel, first;

	/* Lower the line first: events arriving during the scan raise it
	 * again and bring us back. */
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	arch_mb();
	sel = atomic_xchg64(&vi->evtchn_pending_sel, 0);
	/* Every word once, from the resume point round to just before it:
	 * the first word's bits after the point, the later words, the
	 * earlier ones, then the first word's bits before the point. */
	first = sel & ((uint64_t)1 << start_word);
	if (first)
		scan_word(start_word, start_bit, WORD_BITS);
	scan_words(sel & ~bits_from_to(0, start_word + 1));
	scan_words(sel & bits_from_to(0, start_word));
	if (first && start_bit)
		scan_word(start_word, 0, start_bit);
}

/* The bitmaps are shared: a CPU needs nothing of its own but the
 * vcpu_info it registers. */
static int l2_cpu_init(unsigned cpu)
{
	(void)cpu;
	return 0;
}

/* On a CPU polling with interrupts masked: whether vi flagged an upcall
 * for port's word; the port and the flags are taken (the CPU's upcall
 * never runs, so no one else reads them). */
static bool l2_cpu_take(unsigned cpu, struct vcpu_info *vi,
			evtchn_port_t port)
{
	uint64_t sel_bit = (uint64_t)1 << (port / WORD_BITS);
	bool flagged;

	(void)cpu;
	flagged = __atomic_load_n(&vi->evtchn_upcall_pending,
				  __ATOMIC_SEQ_CST) &&
		  (__atomic_load_n(&vi->evtchn_pending_sel, __ATOMIC_SEQ_CST) &
		   sel_bit);
	l2_clear(port);
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_and(&vi->evtchn_pending_sel, ~sel_bit, __ATOMIC_SEQ_CST);
	return flagged;
}

const struct evtchn_abi_ops evtchn_2l_ops = {
	.name = "2-level",
	.reset = l2_reset,
	.init = l2_init,
	.resume = l2_resume,
	.prepare_port = l2_prepare_port,
	.mask = l2_mask,
	.unmask = l2_unmask,
	.clear = l2_clear,
	.is_pending = l2_is_pending,
	.is_masked = l2_is_masked,
	.upcall = l2_upcall,
	.cpu_init = l2_cpu_init,
	.cpu_take = l2_cpu_take,
};
