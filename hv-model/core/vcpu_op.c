/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_vcpu_op as Xen 4.17 on ARM has it: only register_vcpu_info
 * and register_runstate_memory_area, everything else -EINVAL; plus where a
 * vCPU's vcpu_info lives. The guest picks the frame and offset of its
 * vcpu_info and may point the runstate area anywhere: both are checked. */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/vcpu.h>

#include "hv/machine.h"
#include "hv/mem.h"
#include "hv/vcpu.h"

int hv_vcpu_state_init(struct hv_vcpu *v)
{
	struct hv_vcpu_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -XEN_ENOMEM;
	st->vcpu_info_gfn = UINT64_MAX;
	st->runstate.state = v->online ? RUNSTATE_running : RUNSTATE_offline;
	st->runstate.state_entry_time = v->domain->machine->now_ns;
	v->state = st;
	return 0;
}

void hv_vcpu_state_free(struct hv_vcpu *v)
{
	free(v->state);
	v->state = NULL;
}

struct vcpu_info *hv_vcpu_info(struct hv_vcpu *v)
{
	struct hv_vcpu_state *st = v->state;

	if (st->vcpu_info)
		return st->vcpu_info;
	/* ARM has one legacy slot in shared_info, vCPU 0's. */
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return &((struct shared_info *)
			 hv_domain_shared_info(v->domain))->vcpu_info[v->id];
	return &st->dummy;
}

bool hv_vcpu_info_registered(const struct hv_vcpu *v)
{
	return v->state->vcpu_info != NULL;
}

void hv_vcpu_runstate_get(struct hv_vcpu *v, struct vcpu_runstate_info *out)
{
	const struct vcpu_runstate_info *rs = &v->state->runstate;
	uint64_t now = v->domain->machine->now_ns;

	*out = *rs;
	if (rs->state >= RUNSTATE_running && rs->state <= RUNSTATE_offline &&
	    now > rs->state_entry_time)
		out->time[rs->state] += now - rs->state_entry_time;
}

/* Rewrite the guest's runstate area; a bad address is ignored, as Xen
 * ignores a failed copy there. */
static void runstate_publish(struct hv_vcpu *v)
{
	struct vcpu_runstate_info rs;

	if (!v->state->runstate_gva)
		return;
	hv_vcpu_runstate_get(v, &rs);
	hv_copy_to_guest(v, v->state->runstate_gva, &rs,
			 sizeof(rs));
}

void hv_vcpu_runstate_set(struct hv_vcpu *v, int state)
{
	struct vcpu_runstate_info *rs = &v->state->runstate;

	if (state < RUNSTATE_running || state > RUNSTATE_offline ||
	    state == rs->state)
		return;
	hv_vcpu_runstate_get(v, rs);
	rs->state = state;
	rs->state_entry_time = v->domain->machine->now_ns;
	runstate_publish(v);
}

/* Xen's map_vcpu_info: the checks and their order are Xen's. */
static long register_vcpu_info(struct hv_vcpu *caller, struct hv_vcpu *v,
			       uint64_t gva)
{
	struct vcpu_register_vcpu_info info;
	struct hv_vcpu_state *st = v->state;
	struct vcpu_info *old = hv_vcpu_info(v), *new_info;
	uint8_t *page;

	if (hv_copy_from_guest(caller, &info, gva, sizeof(info)))
		return -XEN_EFAULT;
	if (info.offset > HV_PAGE_SIZE - sizeof(struct vcpu_info) ||
	    info.offset % _Alignof(struct vcpu_info))
		return -XEN_ENXIO;
	if (st->vcpu_info)
		return -XEN_EINVAL;
	/* Only on yourself, or on another vCPU that is offline. */
	if (v != caller && v->online)
		return -XEN_EINVAL;
	page = hv_gpfn_ptr(&v->domain->mem, info.mfn);
	if (!page)
		return -XEN_EINVAL;
	new_info = (struct vcpu_info *)(page + info.offset);
	if (old == &st->dummy)
		memset(new_info, 0, sizeof(*new_info));
	else
		memmove(new_info, old, sizeof(*new_info));
	st->vcpu_info = new_info;
	st->vcpu_info_gfn = info.mfn;
	st->vcpu_info_offset = info.offset;
	/* Xen marks everything pending so no event is lost in the move. */
	__atomic_store_n(&new_info->evtchn_pending_sel, ~(xen_ulong_t)0,
			 __ATOMIC_SEQ_CST);
	__atomic_store_n(&new_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	hv_check_shared_gpfn(caller, info.mfn, "vcpu_info");
	return 0;
}

static long register_runstate(struct hv_vcpu *caller, struct hv_vcpu *v,
			      uint64_t gva)
{
	struct vcpu_register_runstate_memory_area area;

	if (hv_copy_from_guest(caller, &area, gva, sizeof(area)))
		return -XEN_EFAULT;
	/* ARM accepts any handle; a bad one just never gets written. */
	v->state->runstate_gva = area.addr.p;
	runstate_publish(v);
	return 0;
}

long hv_do_vcpu_op(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	uint32_t vcpuid = (uint32_t)arg[1];

	if (vcpuid >= d->nr_vcpus)
		return -XEN_ENOENT;
	switch ((int)arg[0]) {
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, &d->vcpu[vcpuid], arg[2]);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(v, &d->vcpu[vcpuid], arg[2]);
	default:
		/* Xen on ARM refuses every other VCPUOP this way. */
		return -XEN_EINVAL;
	}
}
