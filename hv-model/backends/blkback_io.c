/* SPDX-License-Identifier: BSD-2-Clause */
/* The block backend's file I/O: each checked request becomes a job. A
 * read or write the page cache can serve at once (RWF_NOWAIT) is done
 * there and then, straight between the file and the guest's granted
 * pages (so are small writes where the file system cannot tell, see
 * try_now); anything that would wait on the disk (and flushes, discards
 * and barriers) goes through a buffer of ours to libuv's thread pool, the
 * requests started together in one pool job, so the simulator does not
 * wait on the disk while the guest runs. Its response is
 * delivered on virtual time: each job gets a completion time when taken
 * (a fixed latency, or one the seed picks), and a model timer delivers it
 * then, waiting for the thread only if the disk is slower than virtual
 * time. Jobs that overlap a write, and barriers and flushes, start only
 * after what came before them finished, so the image ends the same
 * whatever the threads do: same seed, same responses, same bytes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/errno.h>

#include "blkback_internal.h"
#include "hv/blk_audit.h"
#include "hv/events.h"
#include "hv/fault.h"
#include "hv/log.h"
#include "hv/machine.h"

#define BASE_LATENCY_NS 20000u    /* 20 us: every job, seed 0 */
#define SEEDED_SPREAD_NS 200000u  /* up to 200 us more, seeded */
#define BB_INLINE_WRITE_MAX (64u * 1024)

static uint64_t latency_ns(struct hv_blkback *bb)
{
	if (!bb->seed)
		return BASE_LATENCY_NS;
	/* xorshift64: the seed's sequence of latencies. */
	bb->rng ^= bb->rng << 13;
	bb->rng ^= bb->rng >> 7;
	bb->rng ^= bb->rng << 17;
	return BASE_LATENCY_NS + bb->rng % SEEDED_SPREAD_NS;
}


/* ---- on a pool thread: only its batch's jobs, their buffers, the fd ---- */

/* Move a read's or write's bytes between the file and job->iov. flags is
 * 0, or RWF_NOWAIT to fail (EAGAIN, EOPNOTSUPP...) rather than wait. */
static int transfer(int fd, const struct bb_job *job, int flags)
{
	struct iovec v[HV_BLKBACK_MAX_INDIRECT_SEGS];
	unsigned first = 0, nr = job->nr_iov;
	off_t off = (off_t)job->offset;

	memcpy(v, job->iov, nr * sizeof(*v));
	while (first < nr) {
		ssize_t n = job->kind == BB_READ ?
			preadv2(fd, v + first, (int)(nr - first), off, flags) :
			pwritev2(fd, v + first, (int)(nr - first), off, flags);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		off += n;
		/* Past what was done: whole pieces, then into one. */
		while (first < nr && (size_t)n >= v[first].iov_len)
			n -= (ssize_t)v[first++].iov_len;
		if (first < nr) {
			v[first].iov_base = (uint8_t *)v[first].iov_base + n;
			v[first].iov_len -= (size_t)n;
		}
	}
	return 0;
}

static int write_all(int fd, const uint8_t *buf, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		buf += n;
		len -= (uint64_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Discarded sectors read back as zeros: a hole where the file system
 * can punch one, written zeros where it cannot or when asked to erase. */
static int discard(int fd, const struct bb_job *job)
{
	static const uint8_t zeros[65536];
	uint64_t off = job->offset, left = job->len;

	if (!left)
		return 0;
	if (!job->secure &&
	    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)left) == 0)
		return 0;
	while (left) {
		uint64_t n = left < sizeof(zeros) ? left : sizeof(zeros);
		int rc = write_all(fd, zeros, n, off);

		if (rc)
			return rc;
		off += n;
		left -= n;
	}
	return job->secure && fdatasync(fd) ? errno : 0;
}

static void run_job(int fd, struct bb_job *job)
{
	switch (job->kind) {
	case BB_READ:
		job->io_err = transfer(fd, job, 0);
		break;
	case BB_WRITE:
		job->io_err = transfer(fd, job, 0);
		if (!job->io_err && job->sync && fdatasync(fd))
			job->io_err = errno;
		break;
	case BB_FLUSH:
		job->io_err = fdatasync(fd) ? errno : 0;
		break;
	case BB_DISCARD:
		job->io_err = discard(fd, job);
		break;
	}
}

static void run_batch(uv_work_t *work)
{
	struct bb_batch *b = work->data;

	for (struct bb_job *j = b->first; j; j = j->batch_next)
		run_job(b->bb->fd, j);
	/* Tells the simulator's thread there is something to collect,
	 * without a system call of its own. */
	__atomic_add_fetch(&b->bb->batches_done, 1, __ATOMIC_RELEASE);
}

/* ---- on the simulator's thread ---- */

static void job_done(struct hv_blkback *bb, struct bb_job *job)
{
	job->finished = true;
	bb->finished_count++;
	bb->may_start = true;
}

static void batch_finished(uv_work_t *work, int status)
{
	struct bb_batch *b = work->data;
	struct hv_blkback *bb = b->bb;

	for (struct bb_job *j = b->first; j; j = j->batch_next) {
		if (status)
			j->io_err = EIO;
		job_done(bb, j);
	}
	b->first = NULL;
	b->busy = false;
	bb->batches_busy--;
	if (!status)
		bb->batches_collected++;
}

/* Hand what started since the last batch to the pool, when it has room
 * (else when a batch comes back). */
static void dispatch(struct hv_blkback *bb)
{
	struct bb_batch *b = NULL;

	if (!bb->pending)
		return;
	for (unsigned i = 0; i < BB_MAX_BATCHES && !b; i++)
		if (!bb->batch[i].busy)
			b = &bb->batch[i];
	if (!b)
		return;
	b->bb = bb;
	b->first = bb->pending;
	b->work.data = b;
	bb->pending = bb->pending_tail = NULL;
	if (uv_queue_work(&bb->loop, &b->work, run_batch, batch_finished)) {
		/* The pool refused it: its jobs fail, in order. */
		for (struct bb_job *j = b->first; j; j = j->batch_next) {
			j->io_err = EIO;
			job_done(bb, j);
		}
		b->first = NULL;
		return;
	}
	b->busy = true;
	bb->batches_busy++;
}

static bool writes(const struct bb_job *j)
{
	return j->kind != BB_READ;
}

/* Whether later must wait for earlier to finish. */
static bool conflicts(const struct bb_job *earlier, const struct bb_job *later)
{
	if (earlier->barrier || later->barrier)
		return true;
	if (!writes(earlier) && !writes(later))
		return false;
	return earlier->offset < later->offset + later->len &&
	       later->offset < earlier->offset + earlier->len;
}

static bool blocked(struct hv_blkback *bb, const struct bb_job *job)
{
	for (const struct bb_job *e = bb->jobs; e != job; e = e->next)
		if (!e->finished && conflicts(e, job))
			return true;
	return false;
}

/* A plain read or write straight between the file and the guest's pages,
 * if the page cache can serve it without waiting; whether it is done. */
static bool try_now(struct hv_blkback *bb, struct bb_job *job)
{
	bool *unsupported = &bb->no_nowait[job->kind == BB_WRITE];
	int rc;

	if ((job->kind != BB_READ && job->kind != BB_WRITE) || job->sync)
		return false;
	if (!job->nowait_tried && !*unsupported) {
		job->nowait_tried = true;
		rc = transfer(bb->fd, job, RWF_NOWAIT);
		/* Any failure goes to the pool, which waits and says what is
		 * wrong; a file system without the flag is not asked again. */
		if (rc == EOPNOTSUPP || rc == EINVAL)
			*unsupported = true;
		if (!rc)
			return true;
	}
	/* Where the file system cannot tell (ext4 refuses RWF_NOWAIT for
	 * buffered writes), a small write is done now all the same: it only
	 * copies into the page cache, and waits on the disk only when the
	 * kernel throttles dirty pages. */
	if (job->kind == BB_WRITE && *unsupported &&
	    job->len <= BB_INLINE_WRITE_MAX) {
		job->io_err = transfer(bb->fd, job, 0);
		return true;
	}
	return false;
}

/* The job waits or goes to the pool: its bytes move to a buffer of ours
 * and the guest's pages are let go (a write keeps the data it carried
 * when taken). 0, or -1 when memory is out. */
static int detach(struct hv_blkback *bb, struct bb_job *job)
{
	size_t at = 0;

	if (!job->in_place)
		return 0;
	if (job->buf_cap < job->len) {
		bb->bufs_total -= job->buf_cap;
		free(job->buf);
		job->buf_cap = 0;
		job->buf = malloc(job->len);
		if (!job->buf)
			return -1;
		job->buf_cap = job->len;
		bb->bufs_total += job->buf_cap;
	}
	for (unsigned i = 0; job->kind == BB_WRITE && i < job->nr_iov; i++) {
		memcpy(job->buf + at, job->iov[i].iov_base,
		       job->iov[i].iov_len);
		at += job->iov[i].iov_len;
	}
	bb_grants_release(job->q, job);
	job->iov[0].iov_base = job->buf;
	job->iov[0].iov_len = job->len;
	job->nr_iov = 1;
	job->in_place = false;
	job->held = job->len;
	bb->budget_used += job->held;
	return 0;
}

static void start(struct hv_blkback *bb, struct bb_job *job)
{
	job->started = true;
	if (try_now(bb, job)) {
		bb_grants_release(job->q, job);
		job_done(bb, job);
		return;
	}
	if (detach(bb, job)) {
		job->io_err = ENOMEM;
		job_done(bb, job);
		return;
	}
	if (bb->inline_io) {
		run_job(bb->fd, job);
		job_done(bb, job);
		return;
	}
	job->batch_next = NULL;
	if (bb->pending_tail)
		bb->pending_tail->batch_next = job;
	else
		bb->pending = job;
	bb->pending_tail = job;
}

static void start_ready(struct hv_blkback *bb)
{
	if (bb->may_start) {
		for (struct bb_job *j = bb->jobs; j; j = j->next) {
			if (j->started)
				continue;
			if (blocked(bb, j)) {
				/* Nothing after a waiting barrier may pass. */
				if (j->barrier)
					break;
				continue;
			}
			start(bb, j);
		}
		/* What finished during the walk was seen by the walk. */
		bb->may_start = false;
	}
	dispatch(bb);
}

/* Block until job's I/O is done (starting what it waits on). A job still
 * unfinished after start_ready waits on an earlier one in the pool (the
 * earliest unfinished job is never blocked): wait for a batch, then look
 * again, as the batch that came back may be what it waited on. */
static void wait_finished(struct hv_blkback *bb, struct bb_job *job)
{
	for (;;) {
		start_ready(bb);
		if (job->finished)
			return;
		if (!bb->batches_busy && !bb->pending) {
			/* Nothing in the pool can finish it: never expected,
			 * but never wait forever either. */
			hv_log(bb->m, HV_LOG_ERR, "(d%u) vbd %u: I/O job lost",
			       bb->guest->domid, bb->devid);
			job->io_err = EIO;
			job_done(bb, job);
			return;
		}
		uv_run(&bb->loop, UV_RUN_ONCE);
	}
}

static void unlink_job(struct hv_blkback *bb, struct bb_job *job)
{
	struct bb_job **pp = &bb->jobs, *prev = NULL;

	while (*pp && *pp != job) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = job->next;
	if (bb->jobs_tail == job)
		bb->jobs_tail = prev;
	job->q->in_flight--;
	bb->st.in_flight--;
	bb->budget_used -= job->held;
	job->held = 0;
	bb->may_start = true;
}

int bb_job_reserve(struct bb_job *job, unsigned n)
{
	struct bb_seg *segs;
	struct iovec *iov;

	if (n <= job->seg_cap)
		return 0;
	segs = realloc(job->segs, n * sizeof(*segs));
	if (!segs)
		return -1;
	job->segs = segs;
	iov = realloc(job->iov, n * sizeof(*iov));
	if (!iov)
		return -1;
	job->iov = iov;
	memset(segs + job->seg_cap, 0, (n - job->seg_cap) * sizeof(*segs));
	job->seg_cap = n;
	return 0;
}

struct bb_job *bb_job_get(struct hv_blkback *bb)
{
	struct bb_job *job = bb->free_jobs, keep;

	if (job) {
		bb->free_jobs = job->next;
	} else {
		job = calloc(1, sizeof(*job));
		if (!job)
			return NULL;
		if (bb_job_reserve(job, BLKIF_MAX_SEGMENTS_PER_REQUEST)) {
			free(job->segs);
			free(job);
			return NULL;
		}
	}
	/* Only its memory carries over. */
	keep = *job;
	memset(job, 0, sizeof(*job));
	job->segs = keep.segs;
	job->iov = keep.iov;
	job->seg_cap = keep.seg_cap;
	job->buf = keep.buf;
	job->buf_cap = keep.buf_cap;
	return job;
}

void bb_job_put(struct hv_blkback *bb, struct bb_job *job)
{
	bb_grants_release(job->q, job);
	/* Buffers are kept for the next job while they stay within the
	 * budget; past it they go back to the system. */
	if (bb->bufs_total > BB_IO_BUDGET) {
		bb->bufs_total -= job->buf_cap;
		free(job->buf);
		job->buf = NULL;
		job->buf_cap = 0;
	}
	job->next = bb->free_jobs;
	bb->free_jobs = job;
}

/* A read's data goes to the guest's pages now, through the grant table:
 * a grant the guest ended meanwhile fails the request. */
static int16_t scatter(struct hv_blkback *bb, const struct bb_job *job)
{
	size_t at = 0;

	for (unsigned i = 0; i < job->nr_segs; i++) {
		const struct bb_seg *s = &job->segs[i];

		if (hv_gnttab_copy_to_ref(bb->dom0, bb->guest->domid, s->gref,
					  s->offset, job->buf + at, s->len) !=
		    GNTST_okay)
			return BLKIF_RSP_ERROR;
		at += s->len;
	}
	return BLKIF_RSP_OKAY;
}

static void audit_answered(struct hv_blkback *bb, const struct bb_job *job,
			   int16_t status)
{
	if (job->kind == BB_WRITE && status == BLKIF_RSP_OKAY)
		hv_blk_audit_acked(bb->audit, job->seq);
	else if (job->kind == BB_WRITE)
		hv_blk_audit_dropped(bb->audit, job->seq);
	else if (job->kind == BB_DISCARD && status == BLKIF_RSP_OKAY)
		hv_blk_audit_discarded(bb->audit, job->offset, job->len);
}

static void deliver(struct hv_timer *t, void *ctx)
{
	struct bb_job *job = ctx;
	struct hv_blkback *bb = job->q->bb;
	int16_t status = BLKIF_RSP_OKAY;

	(void)t;
	wait_finished(bb, job);
	if (job->io_err) {
		hv_log(bb->m, HV_LOG_WARN, "(d%u) vbd %u: %s at byte %llu: %s",
		       bb->guest->domid, bb->devid,
		       job->kind == BB_READ ? "read" : "write",
		       (unsigned long long)job->offset, strerror(job->io_err));
		status = BLKIF_RSP_ERROR;
	} else if (job->kind == BB_READ && !job->in_place) {
		status = scatter(bb, job);
	}
	unlink_job(bb, job);
	if (bb->audit)
		audit_answered(bb, job, status);
	hv_trace(bb->m, 0xb10c5000u + job->id, (uint64_t)(uint16_t)status);
	HV_EVENT(bb->m, .kind = HV_EV_BLK_IO, .domid = bb->guest->domid,
		 .vcpu = HV_EV_NO_VCPU, .dev = "vbd", .devid = bb->devid,
		 .arg = { job->operation, job->offset / 512, job->len / 512,
			  (uint64_t)(int64_t)status });
	bb_ring_respond(job->q, job->id, job->operation, status);
	/* A response slot is free again: the ring may hold more. */
	job->q->kicked = true;
	bb_job_put(bb, job);
	start_ready(bb);
}

void bb_io_submit(struct hv_blkback *bb, struct bb_job *job)
{
	struct bb_queue *q = job->q;

	job->seq = bb->next_seq++;
	/* What the guest asked written, before any of it moves. */
	if (bb->audit && job->kind == BB_WRITE)
		hv_blk_audit_taken(bb->audit, job->seq, job->offset, job->iov,
				   job->nr_iov);
	bb_fault_request_taken(bb);
	if (bb->jobs_tail)
		bb->jobs_tail->next = job;
	else
		bb->jobs = job;
	bb->jobs_tail = job;
	q->in_flight++;
	if (++bb->st.in_flight > bb->st.max_in_flight)
		bb->st.max_in_flight = bb->st.in_flight;
	hv_timer_init(&job->timer, deliver, job);
	hv_timer_arm(bb->m, &job->timer, hv_time_now(bb->m) +
		     bb_fault_latency(bb, latency_ns(bb)));
	bb->may_start = true;
	start_ready(bb);
	/* Waiting behind another: off the guest's pages until it starts. */
	if (!job->started && detach(bb, job)) {
		job->started = true;
		job->io_err = ENOMEM;
		job_done(bb, job);
	}
}

void bb_io_answer_all(struct hv_blkback *bb)
{
	struct bb_job *job;

	while ((job = bb->jobs)) {
		hv_timer_cancel(bb->m, &job->timer);
		deliver(&job->timer, job);
	}
}

bool bb_io_poll(struct hv_blkback *bb)
{
	uint64_t before = bb->finished_count;

	if (!bb->jobs)
		return false;
	/* Only when a pool thread said it finished: no system call per
	 * poll otherwise. */
	if (bb->batches_busy &&
	    __atomic_load_n(&bb->batches_done, __ATOMIC_ACQUIRE) !=
	    bb->batches_collected)
		uv_run(&bb->loop, UV_RUN_NOWAIT);
	start_ready(bb);
	return bb->finished_count != before;
}

void bb_io_drain(struct hv_blkback *bb, struct bb_queue *q)
{
	struct bb_job *j, *next;

	/* Writes taken are written (the frontend was told nothing yet, but
	 * a disk does not forget what it was given); responses are not. */
	for (j = bb->jobs; j; j = j->next)
		if (!q || j->q == q)
			wait_finished(bb, j);
	for (j = bb->jobs; j; j = next) {
		next = j->next;
		if (q && j->q != q)
			continue;
		hv_timer_cancel(bb->m, &j->timer);
		if (bb->audit && j->kind == BB_WRITE)
			hv_blk_audit_dropped(bb->audit, j->seq);
		unlink_job(bb, j);
		bb_job_put(bb, j);
	}
	start_ready(bb);
}

int bb_io_init(struct hv_blkback *bb)
{
	if (uv_loop_init(&bb->loop))
		return -XEN_ENOMEM;
	bb->loop_ready = true;
	return 0;
}

void bb_io_fini(struct hv_blkback *bb)
{
	if (!bb->loop_ready)
		return;
	bb_io_drain(bb, NULL);
	uv_run(&bb->loop, UV_RUN_DEFAULT);
	uv_loop_close(&bb->loop);
	bb->loop_ready = false;
	while (bb->free_jobs) {
		struct bb_job *job = bb->free_jobs;

		bb->free_jobs = job->next;
		free(job->segs);
		free(job->iov);
		free(job->buf);
		free(job);
	}
	bb->bufs_total = 0;
}
