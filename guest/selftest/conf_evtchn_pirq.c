/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance of EVTCHNOP_bind_pirq on ARM: a pirq in the domain's range
 * (1024 on ARM) finds no physical IRQ state (-ENOMEM); beyond it, or
 * negative as Xen reads it, -EINVAL. */
#include <xen/errno.h>
#include <xen/event_channel.h>

#include "conf.h"
#include "gxen/hypercall.h"

static long bind_pirq(uint32_t pirq)
{
	struct evtchn_bind_pirq b = { .pirq = pirq, .flags = 0 };

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);
}

void check_conf_evtchn_pirq(struct selftest_ctx *ctx)
{
	conf_expect(ctx, "bind_pirq(0)", bind_pirq(0), -XEN_ENOMEM);
	conf_expect(ctx, "bind_pirq(1023)", bind_pirq(1023), -XEN_ENOMEM);
	conf_expect(ctx, "bind_pirq(1024)", bind_pirq(1024), -XEN_EINVAL);
	conf_expect(ctx, "bind_pirq(0x80000000)", bind_pirq(0x80000000u),
		    -XEN_EINVAL);
}
