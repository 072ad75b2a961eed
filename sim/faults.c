/* SPDX-License-Identifier: BSD-2-Clause */
/* A fault run's simulator side (hv/fault.h): the faults set when the
 * machine is built (a grant table that runs short), dom0 turns skipped
 * (late backends and xenstored), xenstore commits failing in storms of
 * EAGAIN, and the progress watchdog that ends a run which stopped moving
 * in virtual time, saying what it waited on. */
#include <stdio.h>
#include <string.h>

#include "hv/gnttab.h"
#include "hv/time.h"
#include "sim_internal.h"

/* Commits a storm fails, at most: fewer than the guest's retries (8). */
#define MAX_STORM 6u

void sim_faults_setup(struct sim *s)
{
	struct hv_machine *m = s->machine;

	hv_faults_start(m, s->cfg->faults, s->cfg->seed);
	/* One to three frames (512 references each) instead of 64: the
	 * frontends' grants no longer all fit. */
	if (hv_fault_on(m, HV_FAULT_GRANTS))
		hv_gnttab_set_max_frames(s->domain, 1 + (unsigned)
			hv_fault_pick(m, HV_FAULT_GRANTS, 3));
}

bool sim_fault_txn_end(void *opaque, uint16_t domid)
{
	struct sim *s = opaque;
	struct hv_machine *m = s->machine;

	(void)domid;
	if (s->eagain_left) {
		s->eagain_left--;
		return true;
	}
	/* A storm passes: the commit after it goes through. */
	if (s->eagain_calm) {
		s->eagain_calm = false;
		return false;
	}
	if (!hv_fault_roll(m, HV_FAULT_XS_EAGAIN, 3))
		return false;
	s->eagain_left = (unsigned)hv_fault_pick(m, HV_FAULT_XS_EAGAIN,
						 MAX_STORM);
	s->eagain_calm = true;
	return true;
}

bool sim_fault_skip_turn(struct sim *s)
{
	return hv_fault_roll(s->machine, HV_FAULT_TIMING, 3);
}

static uint64_t progress_now(struct sim *s)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < s->n_disks; i++) {
		struct hv_blkback_stats st;

		hv_blkback_get_stats(s->disk[i], &st);
		n += st.responses + st.restarts +
		     hv_blkback_device(s->disk[i])->connects;
	}
	return n;
}

bool sim_watchdog_fired(struct sim *s)
{
	uint64_t now = hv_time_now(s->machine), p;

	if (!s->cfg->watchdog_ns || s->limit)
		return s->limit != SIM_LIMIT_NONE;
	p = progress_now(s);
	if (p != s->progress) {
		s->progress = p;
		s->progress_ns = now;
		return false;
	}
	if (now - s->progress_ns < s->cfg->watchdog_ns)
		return false;
	s->limit = SIM_LIMIT_WATCHDOG;
	return true;
}

void sim_watchdog_message(struct sim *s)
{
	char disks[400] = "", one[300];
	size_t at = 0;

	for (unsigned i = 0; i < s->n_disks && at < sizeof(disks); i++) {
		hv_blkback_describe(s->disk[i], one, sizeof(one));
		at += (size_t)snprintf(disks + at, sizeof(disks) - at, "%s%s",
				       i ? "; " : "", one);
	}
	sim_fail(s, SIM_LIMIT, "d%u: no progress for %llu ms of virtual time "
		 "(watchdog), waiting on: %s", s->domain->domid,
		 (unsigned long long)(s->cfg->watchdog_ns / 1000000),
		 at ? disks : "no block device");
}
