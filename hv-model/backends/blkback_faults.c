/* SPDX-License-Identifier: BSD-2-Clause */
/* What a fault run does to the block backend, each drawn from the run's
 * seeded fault generator (hv/fault.h): late and stalled completions
 * (responses then come back in another order, which blkif allows),
 * notifications held back to a later turn, sent twice, or sent with
 * nothing new on the ring, and a restart mid-I/O: the backend drops its
 * rings as a backend process that went away would (writes it took are
 * written, their responses never sent) and goes Closing; the xenbus
 * state machine then takes it through Closed and back to InitWait as the
 * frontend reconnects. A reclose is the same restart timed for a frontend
 * that has just connected (after a restart, or in a resumed domain): at
 * once, or after the first few requests it resubmits. */
#include "blkback_internal.h"
#include "hv/evtchn.h"
#include "hv/fault.h"
#include "hv/log.h"
#include "hv/machine.h"

#define MAX_LATENCY_NS   2000000u   /* 2 ms */
#define MAX_STALL_NS    20000000u   /* 20 ms: one request in 32 */
#define MAX_RESTARTS     3u         /* per device and run */
/* Per device: the frontend gives up after 8 closes in a row without an
 * answer; restarts and recloses together stay below that. */
#define MAX_RECLOSES     2u
#define MAX_RECLOSE_AFTER 4u        /* requests taken first: 0 to 3 */

uint64_t bb_fault_latency(struct hv_blkback *bb, uint64_t normal_ns)
{
	uint64_t ns;

	if (!hv_fault_on(bb->m, HV_FAULT_TIMING))
		return normal_ns;
	ns = normal_ns + hv_fault_pick(bb->m, HV_FAULT_TIMING, MAX_LATENCY_NS);
	if (hv_fault_roll(bb->m, HV_FAULT_TIMING, 32))
		ns += hv_fault_pick(bb->m, HV_FAULT_TIMING, MAX_STALL_NS);
	return ns;
}

bool bb_fault_hold_notify(struct bb_queue *q)
{
	struct hv_machine *m = q->bb->m;

	if (hv_fault_roll(m, HV_FAULT_EVENTS, 4)) {
		q->notify_later = true;
		return true;
	}
	/* Sent now and once more later: the second finds nothing new. */
	if (hv_fault_roll(m, HV_FAULT_EVENTS, 8))
		q->notify_later = true;
	return false;
}

void bb_fault_connected(struct hv_blkback *bb)
{
	/* A frontend reconnecting with requests to resubmit: after a
	 * restart of ours, or first in a domain resumed on this host (its
	 * backends are new, its requests not). */
	bool again = bb->restarted || (bb->dev.connects == 0 &&
				       bb->guest->new_host_resumes > 0);

	bb->restarted = false;
	bb->reclose_armed = false;
	if (!again || bb->recloses >= MAX_RECLOSES ||
	    !hv_fault_roll(bb->m, HV_FAULT_RECLOSE, 2))
		return;
	bb->recloses++;
	bb->reclose_after = (unsigned)hv_fault_pick(bb->m, HV_FAULT_RECLOSE,
						    MAX_RECLOSE_AFTER);
	bb->reclose_armed = true;
	/* None to wait for: at the next turn, before any request. */
	if (bb->reclose_after == 0)
		bb->restart_due = true;
}

void bb_fault_request_taken(struct hv_blkback *bb)
{
	if (bb->reclose_armed && bb->reclose_after &&
	    --bb->reclose_after == 0)
		bb->restart_due = true;
	if (bb->st.restarts < MAX_RESTARTS &&
	    hv_fault_roll(bb->m, HV_FAULT_RESTART, 120))
		bb->restart_due = true;
}

static void restart(struct hv_blkback *bb)
{
	bool reclose = bb->reclose_armed;

	bb->restart_due = false;
	bb->reclose_armed = false;
	if (bb->dev.xb.be_state != XenbusStateConnected)
		return;
	bb->st.restarts++;
	bb->restarted = true;
	hv_log(bb->m, HV_LOG_INFO, "(d%u) vbd %u: backend %s with %u "
	       "request(s) in flight (fault injected)", bb->guest->domid,
	       bb->devid, reclose ? "closes again as the frontend "
	       "reconnects" : "restarts", bb->st.in_flight);
	hv_trace(bb->m, 0xb10c0000u + bb->devid, bb->st.in_flight);
	/* A crash answers nothing: the frontend resubmits what it sent. */
	bb->drop_in_flight = true;
	bb_xenbus_ops.disconnect(&bb->dev);
	bb->drop_in_flight = false;
	hv_xenbus_backend_switch_state(&bb->dev.xb, XenbusStateClosing);
}

bool bb_fault_run(struct hv_blkback *bb)
{
	bool did = false;

	if (!bb->m->faults.mask)
		return false;
	for (unsigned i = 0; i < bb->nr_queues; i++) {
		struct bb_queue *q = &bb->q[i];

		if (q->notify_later && q->port) {
			q->notify_later = false;
			hv_evtchn_send_from(bb->dom0, q->port);
			did = true;
		}
	}
	if (bb->nr_queues && hv_fault_roll(bb->m, HV_FAULT_EVENTS, 64)) {
		struct bb_queue *q = &bb->q[hv_fault_pick(bb->m,
			HV_FAULT_EVENTS, bb->nr_queues)];

		if (q->port)
			hv_evtchn_send_from(bb->dom0, q->port);
		did = true;
	}
	if (bb->restart_due) {
		restart(bb);
		did = true;
	}
	return did;
}
