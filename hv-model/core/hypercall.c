/* SPDX-License-Identifier: BSD-2-Clause */
/* Hypercall dispatch: one table from number to handler. Unknown numbers get
 * -ENOSYS here and nowhere else; a dead domain's vCPU gets nothing done. */
#include <stddef.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "hv/evtchn.h"
#include "hv/events.h"
#include "hv/gnttab.h"
#include "hv/hypercall.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

struct hv_hypercall_entry {
	const char *name;
	hv_hypercall_fn *fn;
};

static const struct hv_hypercall_entry hypercall_table[] = {
	[__HYPERVISOR_platform_op] = { "platform_op", hv_do_platform_op },
	[__HYPERVISOR_memory_op] = { "memory_op", hv_do_memory_op },
	[__HYPERVISOR_multicall] = { "multicall", hv_do_multicall },
	[__HYPERVISOR_xen_version] = { "xen_version", hv_do_xen_version },
	[__HYPERVISOR_console_io] = { "console_io", hv_do_console_io },
	[__HYPERVISOR_sched_op] = { "sched_op", hv_do_sched_op },
	[__HYPERVISOR_hvm_op] = { "hvm_op", hv_do_hvm_op },
	[__HYPERVISOR_event_channel_op] = { "event_channel_op",
					    hv_do_event_channel_op },
	[__HYPERVISOR_grant_table_op] = { "grant_table_op",
					  hv_do_grant_table_op },
	[__HYPERVISOR_vm_assist] = { "vm_assist", hv_do_vm_assist },
	[__HYPERVISOR_vcpu_op] = { "vcpu_op", hv_do_vcpu_op },
	[__HYPERVISOR_sysctl] = { "sysctl", hv_do_sysctl },
	[__HYPERVISOR_domctl] = { "domctl", hv_do_domctl },
	[__HYPERVISOR_hypfs_op] = { "hypfs_op", hv_do_hypfs_op },
	/* No set_timer_op: Xen on ARM does not have it (guests program the
	 * architectural timer), so it stays -ENOSYS. */
};

#define NR_HYPERCALLS (sizeof(hypercall_table) / sizeof(hypercall_table[0]))

const char *hv_hypercall_name(uint64_t op)
{
	if (op < NR_HYPERCALLS && hypercall_table[op].name)
		return hypercall_table[op].name;
	return "unknown";
}

long hv_hypercall(struct hv_vcpu *v, uint64_t op, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	long rc;

	if (!hv_domain_running(d))
		return -XEN_EINVAL;
	if (op >= NR_HYPERCALLS || !hypercall_table[op].fn) {
		hv_log(d->machine, HV_LOG_DEBUG, "d%uv%u: unknown hypercall %llu",
		       d->domid, v->id, (unsigned long long)op);
		return -XEN_ENOSYS;
	}
	v->in_hypercall = true;
	v->mmu_read = false;
	d->nr_hypercalls++;
	hv_check_hypercall_mmu(v, op);
	rc = hypercall_table[op].fn(v, arg);
	v->in_hypercall = false;
	hv_trace(d->machine, op, (uint64_t)rc);
	HV_EVENT(d->machine, .kind = HV_EV_HYPERCALL, .domid = d->domid,
		 .vcpu = (uint16_t)v->id, .str = hypercall_table[op].name,
		 .arg = { op, arg[0], arg[1], arg[2], (uint64_t)rc });
	if (d->machine->log_level >= HV_LOG_DEBUG) {
		char a[3][24];

		for (unsigned i = 0; i < 3; i++)
			hv_mem_log_arg(&d->mem, arg[i], a[i], sizeof(a[i]));
		hv_log(d->machine, HV_LOG_DEBUG, "d%uv%u: %s(%s, %s, %s) = %ld",
		       d->domid, v->id, hypercall_table[op].name, a[0], a[1],
		       a[2], rc);
	}
	return rc;
}
