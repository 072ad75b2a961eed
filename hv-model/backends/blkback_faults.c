/* SPDX-License-Identifier: BSD-2-Clause */
/* What a fault run does to the block backend, each drawn from the run's
 * seeded fault generator (hv/fault.h): late and stalled completions
 * (responses then come back in another order, which blkif allows),
 * notifications held back to a later turn, sent twice, or sent with
 * nothing new on the ring, and a restart mid-I/O: the backend drops its
 * rings as a backend process that went away would (writes it took are
 * written, their responses never sent) and goes Closing; the xenbus
 * state machine then takes it through Closed and back to InitWait as the
 * frontend reconnects. */
#include "blkback_internal.h"
#include "hv/evtchn.h"
#include "hv/fault.h"
#include "hv/log.h"
#include "hv/machine.h"

#define MAX_LATENCY_NS   2000000u   /* 2 ms */
#define MAX_STALL_NS    20000000u   /* 20 ms: one request in 32 */
#define MAX_RESTARTS     3u         /* per device and run */

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

void bb_fault_request_taken(struct hv_blkback *bb)
{
	if (bb->st.restarts < MAX_RESTARTS &&
	    hv_fault_roll(bb->m, HV_FAULT_RESTART, 120))
		bb->restart_due = true;
}

static void restart(struct hv_blkback *bb)
{
	bb->restart_due = false;
	if (bb->dev.xb.be_state != XenbusStateConnected)
		return;
	bb->st.restarts++;
	hv_log(bb->m, HV_LOG_INFO, "(d%u) vbd %u: backend restarts with %u "
	       "request(s) in flight (fault injected)", bb->guest->domid,
	       bb->devid, bb->st.in_flight);
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
