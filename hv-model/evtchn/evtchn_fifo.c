/* SPDX-License-Identifier: BSD-2-Clause */
/* The FIFO event ABI: a 32-bit event word per port in guest pages (the
 * event array), per-vCPU control blocks with 16 priority queues. The model
 * links a newly pending, unmasked port at the tail of its queue (or makes
 * it the head of an empty one and sets the queue's READY bit), as Xen does.
 * The guest edits the same words concurrently: only atomics touch them, a
 * link is changed only while the word is still LINKED, and the model keeps
 * its own tail per queue instead of trusting anything read back. */
#include <stdlib.h>

#include <xen/errno.h>

#include "evtchn_internal.h"
#include "hv/machine.h"
#include "hv/mem.h"

#define WORDS_PER_PAGE  (HV_PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY    (1u << EVTCHN_FIFO_BUSY)

struct fifo_queue {
	uint32_t *head;               /* in the control block */
	evtchn_port_t tail;           /* the model's own idea of the tail */
	uint8_t priority;
};

struct fifo_vcpu {
	struct evtchn_fifo_control_block *cb;  /* NULL until init_control */
	struct fifo_queue q[EVTCHN_FIFO_MAX_QUEUES];
};

struct hv_evtchn_fifo {
	struct fifo_vcpu vcpu[HV_MAX_VCPUS];
	event_word_t *array[MAX_ARRAY_PAGES];
	unsigned nr_words;            /* ports covered by the array */
};

static event_word_t *word_of(struct hv_domain *d, evtchn_port_t port)
{
	struct hv_evtchn_fifo *f = d->evtchn->fifo;

	if (!f || port >= f->nr_words)
		return NULL;
	return f->array[port / WORDS_PER_PAGE] + port % WORDS_PER_PAGE;
}

static bool word_test(event_word_t *w, uint32_t bit)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST) & bit;
}

static bool word_test_and_set(event_word_t *w, uint32_t bit)
{
	return __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST) & bit;
}

static void word_clear(event_word_t *w, uint32_t bit)
{
	__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

/* Point *w's LINK at link if it is still LINKED: 1 done, 0 not linked,
 * -1 the guest changed the word under us. */
static int try_set_link(event_word_t *w, event_word_t *seen, uint32_t link)
{
	event_word_t want;

	if (!(*seen & W_LINKED))
		return 0;
	want = (*seen & ~(W_BUSY | EVTCHN_FIFO_LINK_MASK)) | link;
	if (__atomic_compare_exchange_n(w, seen, want, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return 1;
	return -1;
}

/* Link the old tail to port. BUSY keeps the guest from unmasking the tail
 * meanwhile, so the exchange fails a bounded number of times. */
static bool set_link(struct hv_domain *d, event_word_t *w, uint32_t link)
{
	event_word_t seen = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	int rc = try_set_link(w, &seen, link);

	if (rc >= 0)
		return rc;
	word_test_and_set(w, W_BUSY);
	seen = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	for (unsigned tries = 0; tries < 4; tries++) {
		rc = try_set_link(w, &seen, link);
		if (rc >= 0) {
			if (rc == 0)
				word_clear(w, W_BUSY);
			return rc;
		}
	}
	hv_log(d->machine, HV_LOG_WARN, "d%u: port %u not linked (event word "
	       "keeps changing)", d->domid, link);
	word_clear(w, W_BUSY);
	return true;
}

static void fifo_set_pending(struct hv_vcpu *v, struct hv_evtchn *chn)
{
	struct hv_domain *d = v->domain;
	struct hv_evtchn_fifo *f = d->evtchn->fifo;
	event_word_t *w = word_of(d, chn->port), *tail_w;
	struct fifo_vcpu *fv = &f->vcpu[v->id];
	struct fifo_queue *q = &fv->q[chn->priority];
	struct fifo_queue *old_q = &f->vcpu[chn->lastq_vcpu].q[chn->lastq_prio];
	bool linked = true;

	if (!w) {
		/* No event word yet: remember it for expand_array. */
		chn->fifo_pending = true;
		return;
	}
	/* PENDING first, as Xen sets it: a poller sees the event even
	 * when the vCPU has no control block to queue it on. */
	word_test_and_set(w, W_PENDING);
	if (!fv->cb) {
		/* The guest must not unmask an event before the block is
		 * there: Xen links nothing and raises no upcall. */
		hv_log(d->machine, HV_LOG_WARN, "d%uv%u has no FIFO event "
		       "channel control block", d->domid, v->id);
		return;
	}
	if (!word_test(w, W_MASKED) && !word_test_and_set(w, W_LINKED)) {
		/* It was the tail of the queue it last sat on: that queue
		 * is empty now and must not link to it again. */
		if (old_q->tail == chn->port)
			old_q->tail = 0;
		if (old_q != q) {
			chn->lastq_vcpu = (uint16_t)v->id;
			chn->lastq_prio = q->priority;
		}
		linked = false;
		tail_w = q->tail ? word_of(d, q->tail) : NULL;
		if (tail_w)
			linked = set_link(d, tail_w, chn->port);
		if (!linked)
			__atomic_store_n(q->head, chn->port, __ATOMIC_SEQ_CST);
		q->tail = chn->port;
	}
	if (!linked && !(__atomic_fetch_or(&fv->cb->ready, 1u << q->priority,
					   __ATOMIC_SEQ_CST) &
			 (1u << q->priority)))
		hv_evtchn_mark_upcall(v);
}

static void fifo_clear_pending(struct hv_domain *d, struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	/* The guest unlinks it itself and skips words not pending. */
	if (w)
		word_clear(w, W_PENDING);
}

static void fifo_unmask(struct hv_domain *d, struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	if (!w)
		return;
	word_clear(w, W_MASKED);
	if (word_test(w, W_PENDING))
		fifo_set_pending(&d->vcpu[chn->notify_vcpu], chn);
}

static bool fifo_is_pending(struct hv_domain *d, const struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	return w && word_test(w, W_PENDING);
}

static bool fifo_is_masked(struct hv_domain *d, const struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	return !w || word_test(w, W_MASKED);
}

static bool fifo_is_busy(struct hv_domain *d, const struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	return w && word_test(w, W_LINKED);
}

static int fifo_set_priority(struct hv_domain *d, struct hv_evtchn *chn,
			     unsigned priority)
{
	(void)d;
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	/* Only future events use the new queue. */
	chn->priority = (uint8_t)priority;
	return 0;
}

static void fifo_init(struct hv_domain *d, struct hv_evtchn *chn)
{
	event_word_t *w = word_of(d, chn->port);

	chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	if (w && word_test(w, W_LINKED))
		hv_log(d->machine, HV_LOG_WARN, "d%u: port %u already on a "
		       "queue", d->domid, chn->port);
}

const struct hv_evtchn_abi hv_evtchn_abi_fifo = {
	.name = "FIFO",
	.init = fifo_init,
	.set_pending = fifo_set_pending,
	.clear_pending = fifo_clear_pending,
	.unmask = fifo_unmask,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.is_busy = fifo_is_busy,
	.set_priority = fifo_set_priority,
};

static struct hv_evtchn_fifo *fifo_new(void)
{
	struct hv_evtchn_fifo *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	for (unsigned v = 0; v < HV_MAX_VCPUS; v++)
		for (unsigned p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++)
			f->vcpu[v].q[p].priority = (uint8_t)p;
	return f;
}

static int map_control_block(struct hv_domain *d, struct hv_evtchn_fifo *f,
			     unsigned vcpu, uint64_t gfn, uint32_t offset)
{
	struct fifo_vcpu *fv = &f->vcpu[vcpu];
	uint8_t *page;

	if (fv->cb)
		return -XEN_EINVAL;
	page = hv_gpfn_ptr(&d->mem, gfn);
	if (!page)
		return -XEN_EINVAL;
	fv->cb = (struct evtchn_fifo_control_block *)(page + offset);
	for (unsigned p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++)
		fv->q[p].head = &fv->cb->head[p];
	return 0;
}

/* Carry the 2-level state over: pending ports stay pending (raised again
 * once their event word exists), every port gets the default priority. */
static void setup_ports(struct hv_domain *d, unsigned prev_ports,
			const xen_ulong_t *pending)
{
	for (evtchn_port_t port = 1; port < prev_ports; port++) {
		struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

		if (!chn)
			break;
		if (__atomic_load_n(&pending[port / 64], __ATOMIC_SEQ_CST) >>
		    (port % 64) & 1)
			chn->fifo_pending = true;
		chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
}

int hv_evtchn_fifo_init_control(struct hv_domain *d,
			     struct evtchn_init_control *ic)
{
	struct hv_evtchn_domain *ed = d->evtchn;
	struct hv_evtchn_fifo *f;
	unsigned prev_ports;
	int rc;

	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (ic->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	/* Inside one page, 8-byte aligned. */
	if (ic->offset > HV_PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) ||
	    ic->offset & 7)
		return -XEN_EINVAL;
	if (ed->fifo)
		return map_control_block(d, ed->fifo, ic->vcpu, ic->control_gfn,
					 ic->offset);
	prev_ports = hv_evtchn_abi_max_ports(d);
	f = fifo_new();
	if (!f)
		return -XEN_ENOMEM;
	rc = map_control_block(d, f, ic->vcpu, ic->control_gfn, ic->offset);
	if (rc) {
		free(f);
		return rc;
	}
	ed->fifo = f;
	ed->abi = &hv_evtchn_abi_fifo;
	setup_ports(d, prev_ports,
		    ((struct shared_info *)hv_domain_shared_info(d))->evtchn_pending);
	return 0;
}

int hv_evtchn_fifo_expand_array(struct hv_domain *d, uint64_t gfn)
{
	struct hv_evtchn_fifo *f = d->evtchn->fifo;
	unsigned slot, first;
	event_word_t *page;

	if (!f)
		return -XEN_EOPNOTSUPP;
	slot = f->nr_words / WORDS_PER_PAGE;
	if (slot >= MAX_ARRAY_PAGES)
		return -XEN_ENOSPC;
	page = hv_gpfn_ptr(&d->mem, gfn);
	if (!page)
		return -XEN_EINVAL;
	f->array[slot] = page;
	first = f->nr_words;
	f->nr_words += WORDS_PER_PAGE;
	/* Raise what arrived while these ports had no word. */
	for (evtchn_port_t port = first; port < f->nr_words; port++) {
		struct hv_evtchn *chn = hv_evtchn_from_port(d, port);

		if (!chn)
			break;
		if (chn->fifo_pending)
			hv_evtchn_raise(d, chn->notify_vcpu, chn);
	}
	return 0;
}

void hv_evtchn_fifo_destroy(struct hv_domain *d)
{
	free(d->evtchn->fifo);
	d->evtchn->fifo = NULL;
}

/* The FIFO ABI's own record (its event array and control blocks are guest
 * pages). */
void hv_evtchn_fifo_state_ranges(struct hv_domain *d, hv_state_range_fn *fn,
				 void *ctx)
{
	if (d->evtchn && d->evtchn->fifo)
		fn(ctx, d->evtchn->fifo, sizeof(*d->evtchn->fifo));
}
