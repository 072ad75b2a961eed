/* SPDX-License-Identifier: BSD-2-Clause */
/* The 'e' debug key: a domain's event channels as Xen 4.17 prints them
 * (domain_dump_evtchn_info): each bound port with its pending, masked and
 * ABI-specific state, its ECS_* state number, the vCPU it notifies,
 * whether Xen itself consumes it (never here: the model's dom0 ends
 * stand for dom0's kernel, x=0 as in Xen), and where it
 * leads. Pending and mask bits live in guest pages: only read. */
#include <stdio.h>

#include <xen/xen.h>

#include "evtchn_internal.h"
#include "hv/keyhandler.h"
#include "hv/machine.h"
#include "hv/vcpu.h"

/* The third field of "[p/m/s]": 2-level, the vCPU's pending_sel bit for
 * the port's word; FIFO, the BUSY flag and the link (here always "-":
 * the model keeps no LINKED queue in the word it could show). */
static void abi_state(struct hv_domain *d, const struct hv_evtchn *chn,
		      char *buf, size_t len)
{
	const struct hv_evtchn_abi *abi = d->evtchn->abi;

	if (abi == &hv_evtchn_abi_2l) {
		unsigned vcpu = chn->notify_vcpu < d->nr_vcpus ?
				chn->notify_vcpu : 0;
		struct vcpu_info *vi = hv_vcpu_info(&d->vcpu[vcpu]);
		uint64_t sel = __atomic_load_n(&vi->evtchn_pending_sel,
					       __ATOMIC_RELAXED);

		snprintf(buf, len, "%d", (int)((sel >> (chn->port / 64)) & 1));
		return;
	}
	snprintf(buf, len, "%c -   ",
		 abi->is_busy && abi->is_busy(d, chn) ? 'B' : ' ');
}

void hv_evtchn_dump_xen(struct hv_domain *d)
{
	struct hv_machine *m = d->machine;
	struct hv_evtchn_domain *ed = d->evtchn;
	char polling[8] = "";

	hv_printk(m, "Event channel information for domain %u:", d->domid);
	hv_printk(m, "Polling vCPUs: {%s}", polling);
	hv_printk(m, "    port [p/m/s]");
	if (!ed)
		return;
	for (evtchn_port_t p = 1; p < ed->nr_valid; p++) {
		const struct hv_evtchn *chn = &ed->chn[p];
		char state[16], where[48] = "";

		if (chn->state == ECS_FREE)
			continue;
		abi_state(d, chn, state, sizeof(state));
		if (chn->state == ECS_UNBOUND)
			snprintf(where, sizeof(where), " d=%u",
				 chn->u.unbound_remote);
		else if (chn->state == ECS_INTERDOMAIN)
			snprintf(where, sizeof(where), " d=%u p=%u",
				 chn->u.inter.dom, chn->u.inter.port);
		else if (chn->state == ECS_VIRQ)
			snprintf(where, sizeof(where), " v=%u", chn->u.virq);
		hv_printk(m, "    %4u [%d/%d/%s]: s=%u n=%u x=%d%s", p,
			  hv_evtchn_is_pending(d, p), hv_evtchn_is_masked(d, p),
			  state, chn->state, chn->notify_vcpu, 0, where);
	}
}

unsigned hv_evtchn_virq_port(struct hv_vcpu *v, unsigned virq)
{
	struct hv_evtchn_domain *ed = v->domain->evtchn;

	if (!ed || v->id >= HV_MAX_VCPUS || virq >= NR_VIRQS)
		return 0;
	return ed->virq_port[v->id][virq];
}
