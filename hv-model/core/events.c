/* SPDX-License-Identifier: BSD-2-Clause */
/* The machine's event sinks (hv/events.h): a list the callers own. */
#include <stddef.h>

#include "hv/events.h"

void hv_events_attach(struct hv_machine *m, struct hv_event_sink *sink)
{
	struct hv_event_sink **at = &m->event_sinks;

	while (*at)
		at = &(*at)->next;
	sink->next = NULL;
	*at = sink;
}

void hv_events_detach(struct hv_machine *m, struct hv_event_sink *sink)
{
	for (struct hv_event_sink **at = &m->event_sinks; *at;
	     at = &(*at)->next) {
		if (*at == sink) {
			*at = sink->next;
			sink->next = NULL;
			return;
		}
	}
}

void hv_events_emit(struct hv_machine *m, struct hv_event *ev)
{
	ev->time_ns = m->now_ns;
	for (struct hv_event_sink *s = m->event_sinks; s; s = s->next)
		s->fn(s->ctx, ev);
}

static const char *const kind_names[HV_EV_NR_KINDS] = {
	[HV_EV_HYPERCALL] = "hypercall",
	[HV_EV_EVTCHN_SEND] = "evtchn_send",
	[HV_EV_UPCALL] = "upcall",
	[HV_EV_RING_CONSUME] = "ring_consume",
	[HV_EV_RING_PRODUCE] = "ring_produce",
	[HV_EV_XENBUS_STATE] = "xenbus_state",
	[HV_EV_XS_REQUEST] = "xs_request",
	[HV_EV_BLK_IO] = "blk_io",
};

const char *hv_event_kind_name(enum hv_event_kind kind)
{
	if ((unsigned)kind < HV_EV_NR_KINDS && kind_names[kind])
		return kind_names[kind];
	return "unknown";
}

void hv_events_xs_request_done(void *machine, uint16_t domid, uint32_t type,
			       uint32_t tx_id, const char *arg, int rc)
{
	HV_EVENT((struct hv_machine *)machine, .kind = HV_EV_XS_REQUEST,
		 .domid = domid, .vcpu = HV_EV_NO_VCPU, .str = arg,
		 .arg = { type, (uint64_t)(int64_t)rc, tx_id });
}
