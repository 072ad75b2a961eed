/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A connection's output queue: whole messages (header + payload) packed
 * back to back in fixed-size chunks, plus one small record per message.
 * Its memory is what it allocated (chunks, records, the duplicate index),
 * counted here and in the daemon's total, so a bound on it is a bound on
 * memory rather than on payload bytes.
 *
 * A watch event identical to one still queued (fully or partly unsent) is
 * dropped, as Xen's C xenstored does; events on special paths ("@...")
 * always queue. The queue's contents come from the daemon itself; what
 * the peer controls is only how fast it drains.
 *
 * The daemon keeps a few drained chunks for the next queues that need
 * one: a request and its reply would otherwise allocate and free 16 KiB
 * each time. Those belong to no queue, so they count in no queue's memory.
 */
#include <xen/errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

#define NO_SEQ UINT64_MAX

/* What one allocation costs beyond its size: the allocator's header. */
#define ALLOC_OVERHEAD 16u

struct hv_xs_out_chunk {
	struct hv_xs_out_chunk *next;
	uint32_t used;
	uint8_t data[HV_XS_OUT_CHUNK];
};

struct hv_xs_out_rec {
	struct hv_xs_out_chunk *chunk; /* where the message starts */
	uint32_t off;                  /* its offset in that chunk */
	uint32_t len;
	uint32_t hash;
	bool reply;
	uint64_t end;                  /* queue position just past it */
	uint64_t same_bucket;          /* older event in the same bucket, or NO_SEQ */
};

static size_t chunk_cost(void)
{
	return sizeof(struct hv_xs_out_chunk) + ALLOC_OVERHEAD;
}

static size_t index_cost(size_t cap)
{
	return cap ? cap * (sizeof(struct hv_xs_out_rec) + sizeof(uint64_t)) +
			     2 * ALLOC_OVERHEAD : 0;
}

static void account(struct hv_xs_outq *q, size_t add, size_t sub)
{
	q->mem = q->mem + add - sub;
	q->xs->out_mem = q->xs->out_mem + add - sub;
}

void hv_xs_outq_init(struct hv_xs_outq *q, struct hv_xs *xs, size_t limit)
{
	memset(q, 0, sizeof(*q));
	q->xs = xs;
	q->limit = limit;
}

static uint32_t msg_hash(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static struct hv_xs_out_rec *rec_at(const struct hv_xs_outq *q, uint64_t seq)
{
	return &q->rec[seq & (q->cap - 1)];
}

static bool dedupable(const uint8_t *msg, size_t len, enum hv_xs_msg_kind kind)
{
	return kind == HV_XS_MSG_EVENT && len > sizeof(struct xsd_sockmsg) &&
	       msg[sizeof(struct xsd_sockmsg)] != '@';
}

/* Compares a queued message, which may run over into the next chunk. */
static bool rec_equals(const struct hv_xs_out_rec *r, const uint8_t *msg, size_t len)
{
	const struct hv_xs_out_chunk *c = r->chunk;
	uint32_t off = r->off;

	if (r->len != len)
		return false;
	while (len) {
		size_t n = c->used - off;

		if (n > len)
			n = len;
		if (memcmp(c->data + off, msg, n))
			return false;
		msg += n;
		len -= n;
		c = c->next;
		off = 0;
	}
	return true;
}

/* The queued event equal to msg, if any; stale seqs end the bucket's chain. */
static bool find_duplicate(const struct hv_xs_outq *q, const uint8_t *msg, size_t len,
			   uint32_t hash)
{
	uint64_t seq;

	if (!q->cap)
		return false;
	for (seq = q->bucket[hash & (q->cap - 1)]; seq != NO_SEQ && seq >= q->first;) {
		const struct hv_xs_out_rec *r = rec_at(q, seq);

		if (r->hash == hash && rec_equals(r, msg, len))
			return true;
		seq = r->same_bucket;
	}
	return false;
}

static void bucket_link(struct hv_xs_outq *q, uint64_t seq)
{
	struct hv_xs_out_rec *r = rec_at(q, seq);
	uint64_t *head = &q->bucket[r->hash & (q->cap - 1)];

	r->same_bucket = *head;
	*head = seq;
}

/* Doubles the record ring and rebuilds the index, oldest event first. */
static int index_grow(struct hv_xs_outq *q)
{
	size_t cap = q->cap ? q->cap * 2 : 16;
	struct hv_xs_out_rec *rec = malloc(cap * sizeof(*rec));
	uint64_t *bucket = malloc(cap * sizeof(*bucket));
	struct hv_xs_outq old = *q;

	if (!rec || !bucket) {
		free(rec);
		free(bucket);
		return -XEN_ENOMEM;
	}
	for (size_t i = 0; i < cap; i++)
		bucket[i] = NO_SEQ;
	q->rec = rec;
	q->bucket = bucket;
	q->cap = cap;
	for (uint64_t seq = q->first; seq < q->next; seq++) {
		*rec_at(q, seq) = *rec_at(&old, seq);
		rec_at(q, seq)->same_bucket = NO_SEQ;
		if (rec_at(q, seq)->hash)
			bucket_link(q, seq);
	}
	free(old.rec);
	free(old.bucket);
	account(q, index_cost(cap), index_cost(old.cap));
	return 0;
}

static size_t chunks_for(const struct hv_xs_outq *q, size_t len)
{
	size_t room = q->tail ? HV_XS_OUT_CHUNK - q->tail->used : 0;

	return len > room ? (len - room + HV_XS_OUT_CHUNK - 1) / HV_XS_OUT_CHUNK : 0;
}

/* What one more message of len bytes would add to the queue's memory. */
static size_t growth_for(const struct hv_xs_outq *q, size_t len)
{
	size_t grow = chunks_for(q, len) * chunk_cost();

	if (q->next - q->first == q->cap)
		grow += index_cost(q->cap ? q->cap * 2 : 16) - index_cost(q->cap);
	return grow;
}

/* Enough for the daemon's and a guest's queue, each with an event queued. */
#define SPARE_CHUNKS 4u

static struct hv_xs_out_chunk *chunk_new(struct hv_xs *xs)
{
	struct hv_xs_out_chunk *c = xs->spare_chunks;

	if (!c)
		return malloc(sizeof(*c));
	xs->spare_chunks = c->next;
	xs->nr_spare_chunks--;
	return c;
}

static void chunk_release(struct hv_xs *xs, struct hv_xs_out_chunk *c)
{
	if (xs->nr_spare_chunks == SPARE_CHUNKS) {
		free(c);
		return;
	}
	c->next = xs->spare_chunks;
	xs->spare_chunks = c;
	xs->nr_spare_chunks++;
}

void hv_xs_outq_fill_spare(struct hv_xs *xs)
{
	while (xs->nr_spare_chunks < SPARE_CHUNKS) {
		struct hv_xs_out_chunk *c = malloc(sizeof(*c));

		if (!c)
			return;
		chunk_release(xs, c);
	}
}

void hv_xs_outq_free_spare(struct hv_xs *xs)
{
	while (xs->spare_chunks) {
		struct hv_xs_out_chunk *c = xs->spare_chunks;

		xs->spare_chunks = c->next;
		free(c);
	}
	xs->nr_spare_chunks = 0;
}

/* Allocates every chunk the message needs before any byte moves. */
static int chunks_reserve(struct hv_xs_outq *q, size_t len, struct hv_xs_out_chunk **spare)
{
	*spare = NULL;
	for (size_t i = chunks_for(q, len); i; i--) {
		struct hv_xs_out_chunk *c = chunk_new(q->xs);

		if (!c) {
			while (*spare) {
				c = *spare;
				*spare = c->next;
				chunk_release(q->xs, c);
			}
			return -XEN_ENOMEM;
		}
		c->used = 0;
		c->next = *spare;
		*spare = c;
	}
	return 0;
}

static void append_bytes(struct hv_xs_outq *q, const uint8_t *p, size_t len,
			 struct hv_xs_out_chunk **spare)
{
	while (len) {
		size_t n;

		if (!q->tail || q->tail->used == HV_XS_OUT_CHUNK) {
			struct hv_xs_out_chunk *c = *spare;

			*spare = c->next;
			c->next = NULL;
			if (q->tail)
				q->tail->next = c;
			else
				q->head = c;
			q->tail = c;
			account(q, chunk_cost(), 0);
		}
		n = HV_XS_OUT_CHUNK - q->tail->used;
		if (n > len)
			n = len;
		memcpy(q->tail->data + q->tail->used, p, n);
		q->tail->used += (uint32_t)n;
		q->pos_tail += n;
		p += n;
		len -= n;
	}
}

int hv_xs_outq_push(struct hv_xs_outq *q, const void *msg, size_t len,
		    enum hv_xs_msg_kind kind, bool bounded)
{
	const struct hv_xs_config *cfg = &q->xs->cfg;
	bool dedup = dedupable(msg, len, kind);
	uint32_t hash = dedup ? msg_hash(msg, len) | 1u : 0; /* 0: not indexed */
	struct hv_xs_out_chunk *spare;
	struct hv_xs_out_rec *r;
	size_t grow;

	if (!len)
		return -XEN_EINVAL;
	if (dedup && find_duplicate(q, msg, len, hash)) {
		q->duplicates++;
		return HV_XS_OUTQ_DUPLICATE;
	}
	grow = growth_for(q, len);
	if (bounded && grow) {
		if (q->limit && q->mem + grow > q->limit)
			return -XEN_ENOSPC;
		if (cfg->max_total_out_bytes && q->xs->out_mem + grow > cfg->max_total_out_bytes)
			return -XEN_ENOBUFS;
	}
	if (q->next - q->first == q->cap && index_grow(q))
		return -XEN_ENOMEM;
	if (chunks_reserve(q, len, &spare))
		return -XEN_ENOMEM;
	r = rec_at(q, q->next);
	if (q->tail && q->tail->used < HV_XS_OUT_CHUNK) {
		r->chunk = q->tail;
		r->off = q->tail->used;
	} else {
		r->chunk = spare; /* the first chunk append_bytes links */
		r->off = 0;
	}
	append_bytes(q, msg, len, &spare);
	r->len = (uint32_t)len;
	r->hash = hash;
	r->reply = kind == HV_XS_MSG_REPLY;
	r->end = q->pos_tail;
	r->same_bucket = NO_SEQ;
	if (dedup)
		bucket_link(q, q->next);
	q->next++;
	if (r->reply)
		q->replies++;
	return 0;
}

size_t hv_xs_outq_peek(const struct hv_xs_outq *q, const uint8_t **data)
{
	if (!q->head) {
		*data = NULL;
		return 0;
	}
	*data = q->head->data + q->head_off;
	return q->head->used - q->head_off;
}

unsigned hv_xs_outq_spans(const struct hv_xs_outq *q, struct hv_xs_span *v, unsigned max)
{
	unsigned n = 0;
	uint32_t off = q->head_off;

	for (const struct hv_xs_out_chunk *c = q->head; c && n < max; c = c->next) {
		if (c->used > off) {
			v[n].data = c->data + off;
			v[n].len = c->used - off;
			n++;
		}
		off = 0;
	}
	return n;
}

static void index_free(struct hv_xs_outq *q)
{
	free(q->rec);
	free(q->bucket);
	account(q, 0, index_cost(q->cap));
	q->rec = NULL;
	q->bucket = NULL;
	q->cap = 0;
	q->first = q->next = 0;
}

/* The chunk where the oldest message not wholly sent starts, if any. */
static const struct hv_xs_out_chunk *oldest_start(const struct hv_xs_outq *q)
{
	return q->first < q->next ? rec_at(q, q->first)->chunk : NULL;
}

static void chunk_free(struct hv_xs_outq *q, struct hv_xs_out_chunk *c)
{
	chunk_release(q->xs, c);
	account(q, 0, chunk_cost());
}

void hv_xs_outq_consume(struct hv_xs_outq *q, size_t n)
{
	q->pos_head += n;
	while (q->head) {
		struct hv_xs_out_chunk *c = q->head;
		size_t have = c->used - q->head_off;
		size_t take = n < have ? n : have;

		q->head_off += (uint32_t)take;
		n -= take;
		if (q->head_off < c->used)
			break;
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
		q->head_off = 0;
		/*
		 * A message partly sent may start in the drained chunk: keep
		 * that chunk while its record may be compared against.
		 */
		if (c == oldest_start(q) && !q->pinned)
			q->pinned = c;
		else
			chunk_free(q, c);
	}
	/* Records of messages now wholly sent go; partly sent ones stay. */
	while (q->first < q->next && rec_at(q, q->first)->end <= q->pos_head) {
		if (rec_at(q, q->first)->reply)
			q->replies--;
		q->first++;
	}
	if (q->pinned && q->pinned != oldest_start(q)) {
		chunk_free(q, q->pinned);
		q->pinned = NULL;
	}
	if (q->first == q->next)
		index_free(q); /* an idle connection holds nothing */
}

size_t hv_xs_outq_pending(const struct hv_xs_outq *q)
{
	return (size_t)(q->pos_tail - q->pos_head);
}

void hv_xs_outq_clear(struct hv_xs_outq *q)
{
	hv_xs_outq_consume(q, hv_xs_outq_pending(q));
	index_free(q);
}
