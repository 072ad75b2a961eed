/* SPDX-License-Identifier: BSD-2-Clause */
/* The block backend's file I/O: each checked request becomes a job whose
 * pread/pwrite/fdatasync/hole punch runs on libuv's thread pool, so the
 * simulator never waits on the disk while the guest runs. Its response is
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
#include <unistd.h>

#include <xen/errno.h>

#include "blkback_internal.h"
#include "hv/log.h"
#include "hv/machine.h"

#define BASE_LATENCY_NS 20000u    /* 20 us: every job, seed 0 */
#define SEEDED_SPREAD_NS 200000u  /* up to 200 us more, seeded */

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

/* ---- on a pool thread: only the job's own buffer and the fd ---- */

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

static int read_all(int fd, uint8_t *buf, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

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

static void run_job(uv_work_t *work)
{
	struct bb_job *job = work->data;
	int fd = job->q->bb->fd;

	switch (job->kind) {
	case BB_READ:
		job->io_err = read_all(fd, job->buf, job->len, job->offset);
		break;
	case BB_WRITE:
		job->io_err = write_all(fd, job->buf, job->len, job->offset);
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

/* ---- on the simulator's thread ---- */

static void job_finished(uv_work_t *work, int status)
{
	struct bb_job *job = work->data;

	if (status)
		job->io_err = EIO;
	job->finished = true;
	job->q->bb->finished_count++;
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

static void start_ready(struct hv_blkback *bb)
{
	for (struct bb_job *j = bb->jobs; j; j = j->next) {
		if (j->started)
			continue;
		if (blocked(bb, j)) {
			/* Nothing after a waiting barrier may pass it. */
			if (j->barrier)
				return;
			continue;
		}
		j->started = true;
		j->work.data = j;
		if (bb->inline_io) {
			run_job(&j->work);
			job_finished(&j->work, 0);
			continue;
		}
		if (uv_queue_work(&bb->loop, &j->work, run_job, job_finished)) {
			/* The pool refused it: the job fails, in order. */
			j->io_err = EIO;
			j->finished = true;
		}
	}
}

/* Block until job's thread is done (starting what it waits on). */
static void wait_finished(struct hv_blkback *bb, struct bb_job *job)
{
	while (!job->finished) {
		start_ready(bb);
		if (!uv_run(&bb->loop, UV_RUN_ONCE) && !job->finished) {
			/* Nothing in the pool can finish it: never expected,
			 * but never wait forever either. */
			hv_log(bb->m, HV_LOG_ERR, "(d%u) vbd %u: I/O job lost",
			       bb->guest->domid, bb->devid);
			job->io_err = EIO;
			job->finished = true;
		}
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
	bb->budget_used -= job->buf ? job->len : 0;
}

void bb_job_free(struct hv_blkback *bb, struct bb_job *job)
{
	(void)bb;
	free(job->segs);
	free(job->buf);
	free(job);
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
	} else if (job->kind == BB_READ) {
		status = scatter(bb, job);
	}
	unlink_job(bb, job);
	bb_ring_respond(job->q, job->id, job->operation, status);
	/* A response slot is free again: the ring may hold more. */
	job->q->kicked = true;
	bb_job_free(bb, job);
	start_ready(bb);
}

void bb_io_submit(struct hv_blkback *bb, struct bb_job *job)
{
	struct bb_queue *q = job->q;

	job->seq = bb->next_seq++;
	if (bb->jobs_tail)
		bb->jobs_tail->next = job;
	else
		bb->jobs = job;
	bb->jobs_tail = job;
	q->in_flight++;
	if (++bb->st.in_flight > bb->st.max_in_flight)
		bb->st.max_in_flight = bb->st.in_flight;
	bb->budget_used += job->buf ? job->len : 0;
	hv_timer_init(&job->timer, deliver, job);
	hv_timer_arm(bb->m, &job->timer, hv_time_now(bb->m) + latency_ns(bb));
	start_ready(bb);
}

bool bb_io_poll(struct hv_blkback *bb)
{
	uint64_t before = bb->finished_count;

	if (!bb->jobs)
		return false;
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
		unlink_job(bb, j);
		bb_job_free(bb, j);
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
}
