/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_multicall: a batch of hypercalls, each entry's result written
 * back into its own slot, as Xen 4.17 on ARM does. The list lives in guest
 * memory: each entry is copied in before its call, and a bad list ends the
 * batch with -EFAULT. A multicall inside a batch is refused (-EINVAL), as
 * Xen refuses to nest them. */
#include <stddef.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry on ARM");

static long call_entry(struct hv_vcpu *v, const struct multicall_entry *e)
{
	uint64_t arg[5];

	if (e->op == __HYPERVISOR_multicall)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < 5; i++)
		arg[i] = e->args[i];
	return hv_hypercall(v, e->op, arg);
}

long hv_do_multicall(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;
	uint64_t list = arg[0];
	uint32_t nr = (uint32_t)arg[1];

	for (uint32_t i = 0; i < nr; i++) {
		uint64_t slot = list + (uint64_t)i * sizeof(struct multicall_entry);
		struct multicall_entry e;

		if (hv_copy_from_guest(v, &e, slot, sizeof(e)))
			return -XEN_EFAULT;
		e.result = (uint64_t)call_entry(v, &e);
		if (hv_copy_to_guest(v,
				     slot + offsetof(struct multicall_entry,
						     result),
				     &e.result, sizeof(e.result)))
			return -XEN_EFAULT;
		/* A call that stopped the domain ends the batch. */
		if (!hv_domain_running(d))
			break;
	}
	return 0;
}
