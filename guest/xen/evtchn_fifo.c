/* SPDX-License-Identifier: BSD-2-Clause */
/* The FIFO event ABI, guest side: this vCPU's control block (READY bits and
 * queue heads) and the event array, one 32-bit word per port, in pages we
 * give the hypervisor. The consumer walks each ready queue from its head,
 * highest priority first, unlinking one event at a time with an exchange
 * (the hypervisor appends to the same words). HEAD and LINK values come
 * from shared memory: one outside the array ends that queue's walk. */
#include <xen/errno.h>

#include "evtchn_internal.h"
#include "gxen/dt.h"
#include "gxen/evtchn.h"
#include "gxen/hypercall.h"
#include "gxen/shared.h"
#include "kern/page.h"
#include "kern/string.h"
#include "port.h"

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define NR_PAGES       (EVTCHN_MAX_PORTS / WORDS_PER_PAGE)

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY    (1u << EVTCHN_FIFO_BUSY)

/* Bounds one upcall's work even if the queues were made to loop. */
#define MAX_EVENTS_PER_UPCALL (2 * EVTCHN_MAX_PORTS)
/* The hypervisor holds BUSY for a few instructions; give up after this
 * many tries rather than spin on a word it never releases. */
#define MAX_UNMASK_TRIES 1000

/* Each vCPU has its own control block (queues, READY bits); CPU 0's is
 * set up at init, a secondary CPU's by evtchn_cpu_init() before it
 * starts: Xen queues nothing for a vCPU without one. */
struct fifo_cpu {
	struct evtchn_fifo_control_block *cb;
	/* cb is the hypervisor's: false for a secondary's block after a
	 * resume, until that CPU registers it again. */
	bool live;
	/* Where each queue's walk resumes; 0: read HEAD from cb. */
	uint32_t queue_head[EVTCHN_FIFO_MAX_QUEUES];
};

static struct fifo_cpu cpus[DT_MAX_CPUS];
static event_word_t *array[NR_PAGES];
static unsigned nr_words;

static event_word_t *word_of(evtchn_port_t port)
{
	return port < nr_words ?
		array[port / WORDS_PER_PAGE] + port % WORDS_PER_PAGE : NULL;
}

/* Give the hypervisor one more page of event words. */
static int add_array_page(void)
{
	struct evtchn_expand_array op;
	event_word_t *page;
	long rc;

	if (nr_words >= EVTCHN_MAX_PORTS)
		return -XEN_ENOSPC;
	page = page_alloc(1);
	if (!page)
		return -XEN_ENOMEM;
	op.array_gfn = virt_to_pfn(page);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &op);
	if (rc) {
		page_free(page, 1);
		return (int)rc;
	}
	array[nr_words / WORDS_PER_PAGE] = page;
	nr_words += WORDS_PER_PAGE;
	return 0;
}

static void fifo_reset(void)
{
	memset(cpus, 0, sizeof(cpus));
	memset(array, 0, sizeof(array));
	nr_words = 0;
}

/* Give vCPU cpu a control block of its own (EVTCHNOP_init_control names
 * the vCPU; any of the domain's CPUs may ask). After a resume in a new
 * domain the block it had is emptied and registered again. */
static int fifo_cpu_init(unsigned cpu)
{
	struct evtchn_init_control op = { .offset = 0, .vcpu = cpu };
	struct fifo_cpu *c;
	void *page;
	long rc;

	if (cpu >= DT_MAX_CPUS)
		return -XEN_EINVAL;
	c = &cpus[cpu];
	if (c->live)
		return 0;
	page = c->cb ? (void *)c->cb : page_alloc(1);
	if (!page)
		return -XEN_ENOMEM;
	memset(page, 0, PAGE_SIZE);
	memset(c->queue_head, 0, sizeof(c->queue_head));
	op.control_gfn = virt_to_pfn(page);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &op);
	if (rc) {
		if (!c->cb)
			page_free(page, 1);
		return (int)rc;
	}
	c->cb = page;
	c->live = true;
	return 0;
}

static int fifo_init(void)
{
	int rc = fifo_cpu_init(0);

	return rc ? rc : add_array_page();
}

/* The same control block and array pages, emptied: the new domain's
 * hypervisor has no queue and no port yet. */
static int fifo_resume(void)
{
	struct fifo_cpu *boot_cpu = &cpus[0];
	struct evtchn_init_control op = { .offset = 0, .vcpu = 0 };
	unsigned pages = nr_words / WORDS_PER_PAGE;
	long rc;

	if (!boot_cpu->cb)
		return -XEN_EINVAL;
	/* The others' blocks are gone with the old domain: each CPU registers
	 * its own again (evtchn_cpu_init) before it takes events. */
	for (unsigned i = 1; i < DT_MAX_CPUS; i++)
		cpus[i].live = false;
	memset(boot_cpu->cb, 0, PAGE_SIZE);
	memset(boot_cpu->queue_head, 0, sizeof(boot_cpu->queue_head));
	op.control_gfn = virt_to_pfn(boot_cpu->cb);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &op);
	if (rc)
		return (int)rc;
	nr_words = 0;
	for (unsigned i = 0; i < pages; i++) {
		struct evtchn_expand_array add = {
			.array_gfn = virt_to_pfn(array[i]),
		};

		memset(array[i], 0, PAGE_SIZE);
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &add);
		if (rc)
			return (int)rc;
		nr_words += WORDS_PER_PAGE;
	}
	return 0;
}

static int fifo_prepare_port(evtchn_port_t port)
{
	int rc = 0;

	while (rc == 0 && port >= nr_words)
		rc = add_array_page();
	return rc;
}

static void fifo_mask(evtchn_port_t port)
{
	event_word_t *w = word_of(port);

	if (w)
		__atomic_fetch_or(w, W_MASKED, __ATOMIC_SEQ_CST);
}

/* Clear MASKED while the hypervisor is not relinking the word (BUSY);
 * a pending event then needs the hypervisor to link it. */
static void fifo_unmask(evtchn_port_t port)
{
	event_word_t *w = word_of(port);
	event_word_t seen;

	if (!w)
		return;
	seen = __atomic_load_n(w, __ATOMIC_SEQ_CST) & ~W_BUSY;
	for (unsigned tries = 0;; tries++) {
		if (__atomic_compare_exchange_n(w, &seen, seen & ~W_MASKED,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
		if (tries == MAX_UNMASK_TRIES) {
			evtchn_note_bad_link();
			return;
		}
		seen &= ~W_BUSY;
	}
	if (seen & W_PENDING)
		evtchn_unmask_hypercall(port);
}

static void fifo_clear(evtchn_port_t port)
{
	event_word_t *w = word_of(port);

	if (w)
		__atomic_fetch_and(w, ~W_PENDING, __ATOMIC_SEQ_CST);
}

static bool fifo_is_pending(evtchn_port_t port)
{
	event_word_t *w = word_of(port);

	return w && (__atomic_load_n(w, __ATOMIC_SEQ_CST) & W_PENDING);
}

static bool fifo_is_masked(evtchn_port_t port)
{
	event_word_t *w = word_of(port);

	return !w || (__atomic_load_n(w, __ATOMIC_SEQ_CST) & W_MASKED);
}

/* Take the word off its queue: clear LINKED and LINK at once and return
 * the LINK it held (the next port, 0 at the tail). */
static uint32_t unlink(event_word_t *w)
{
	event_word_t seen = __atomic_load_n(w, __ATOMIC_SEQ_CST);

	while (!__atomic_compare_exchange_n(w, &seen,
					    seen & ~(W_LINKED |
						     EVTCHN_FIFO_LINK_MASK),
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST))
		;
	return seen & EVTCHN_FIFO_LINK_MASK;
}

/* Consume the event at the head of c's queue q; clear q in *ready once
 * the queue is empty. The event's port goes to take, or to its handler
 * when take is 0 or names another port; true if it was take. */
static bool consume_one(struct fifo_cpu *c, unsigned q, uint32_t *ready,
			evtchn_port_t take)
{
	uint32_t port = c->queue_head[q], next;
	event_word_t *w;

	if (port == 0) {
		arch_rmb();   /* the words the head names are up to date */
		port = __atomic_load_n(&c->cb->head[q], __ATOMIC_SEQ_CST);
	}
	w = word_of(port);
	if (!w || port == 0) {
		if (port)
			evtchn_note_bad_link();
		c->queue_head[q] = 0;
		*ready &= ~(1u << q);
		return false;
	}
	next = unlink(w);
	if (next && !word_of(next)) {
		evtchn_note_bad_link();
		next = 0;
	}
	/* A non-zero link means more events: keep q ready. */
	if (next == 0)
		*ready &= ~(1u << q);
	c->queue_head[q] = next;
	/* A masked event stays pending: unmasking links it again. */
	if ((__atomic_load_n(w, __ATOMIC_SEQ_CST) & (W_PENDING | W_MASKED)) !=
	    W_PENDING)
		return false;
	if (!(__atomic_fetch_and(w, ~W_PENDING, __ATOMIC_SEQ_CST) & W_PENDING))
		return false;
	if (take && port == take)
		return true;
	evtchn_dispatch(port);
	return false;
}

/* Walk c's ready queues, highest priority first, as an upcall on its CPU
 * does (vi: that CPU's vcpu_info); true if take was among the events. */
static bool consume_cpu(struct fifo_cpu *c, struct vcpu_info *vi,
			evtchn_port_t take)
{
	unsigned budget = MAX_EVENTS_PER_UPCALL;
	bool taken = false;
	uint32_t ready;

	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	arch_mb();
	ready = atomic_xchg32(&c->cb->ready, 0);
	while (ready && budget--) {
		/* The lowest set bit is the highest priority. */
		taken |= consume_one(c, (unsigned)__builtin_ctz(ready), &ready,
				     take);
		ready |= atomic_xchg32(&c->cb->ready, 0);
	}
	if (ready)
		evtchn_note_bad_link();
	return taken;
}

static void fifo_upcall(void)
{
	consume_cpu(&cpus[0], &shared_info_page()->vcpu_info[0], 0);
}

/* On CPU cpu, which polls with interrupts masked: whether its upcall
 * was flagged and port queued for it; other events on its queues go to
 * their handlers. */
static bool fifo_cpu_take(unsigned cpu, struct vcpu_info *vi,
			  evtchn_port_t port)
{
	bool flagged;

	if (cpu >= DT_MAX_CPUS || !cpus[cpu].live) {
		fifo_clear(port);
		return false;
	}
	flagged = __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
	return consume_cpu(&cpus[cpu], vi, port) && flagged;
}

const struct evtchn_abi_ops evtchn_fifo_ops = {
	.name = "FIFO",
	.reset = fifo_reset,
	.init = fifo_init,
	.resume = fifo_resume,
	.prepare_port = fifo_prepare_port,
	.mask = fifo_mask,
	.unmask = fifo_unmask,
	.clear = fifo_clear,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.upcall = fifo_upcall,
	.cpu_init = fifo_cpu_init,
	.cpu_take = fifo_cpu_take,
};
