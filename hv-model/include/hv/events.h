/* SPDX-License-Identifier: BSD-2-Clause */
/* What happens inside the machine, as a stream of small records for tools
 * (the trace writer, a crash report's recent history). One call per event
 * with its kind, virtual time, domain, vCPU, device and a few integers;
 * any number of sinks. With no sink attached an event costs one test of a
 * pointer: the record is not even built. Sinks must not call back into
 * the model; a record and its string live only during the call. */
#ifndef HV_EVENTS_H
#define HV_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/machine.h"

enum hv_event_kind {
	/* str: hypercall name; arg: op, a0, a1, a2, result. */
	HV_EV_HYPERCALL,
	/* domid sent on its port arg[0] to domain arg[1], port arg[2]. */
	HV_EV_EVTCHN_SEND,
	/* vCPU (domid, vcpu) gets its event upcall raised (0 -> 1). */
	HV_EV_UPCALL,
	/* Backend of device (dev, devid) of frontend domid took requests:
	 * arg: queue, req_cons after, count taken. */
	HV_EV_RING_CONSUME,
	/* Backend published responses: arg: queue, rsp_prod after, count. */
	HV_EV_RING_PRODUCE,
	/* An end of device (dev, devid) of domid changed state: arg: end
	 * (HV_EV_END_*), new state (enum xenbus_state). */
	HV_EV_XENBUS_STATE,
	/* A xenstore request from domid: str: its path (NULL when it has
	 * none), arg: XS_* type, 0 or negative Xen errno, transaction id. */
	HV_EV_XS_REQUEST,
	/* Block backend I/O done: arg: BLKIF_OP_*, first sector, sectors,
	 * BLKIF_RSP_* status (as a signed value). */
	HV_EV_BLK_IO,
	HV_EV_NR_KINDS
};

enum { HV_EV_END_FRONTEND, HV_EV_END_BACKEND };

#define HV_EV_NO_VCPU 0xffffu

struct hv_event {
	enum hv_event_kind kind;
	uint64_t time_ns;     /* the machine's virtual time; set by emit */
	uint16_t domid;
	uint16_t vcpu;        /* HV_EV_NO_VCPU when not one vCPU's doing */
	const char *dev;      /* device type ("vbd", "vif", "console") or NULL */
	uint32_t devid;
	const char *str;
	uint64_t arg[5];
};

typedef void hv_event_fn(void *ctx, const struct hv_event *ev);

/* Owned by whoever attaches it; must stay alive until detached. */
struct hv_event_sink {
	hv_event_fn *fn;
	void *ctx;
	struct hv_event_sink *next;
};

/* Sinks are called in the order attached. */
void hv_events_attach(struct hv_machine *m, struct hv_event_sink *sink);
void hv_events_detach(struct hv_machine *m, struct hv_event_sink *sink);

static inline bool hv_events_on(const struct hv_machine *m)
{
	return m && m->event_sinks;
}

/* Stamp ev with the virtual time and hand it to every sink. */
void hv_events_emit(struct hv_machine *m, struct hv_event *ev);

/* HV_EVENT(m, .kind = HV_EV_UPCALL, .domid = 1, .vcpu = 0): builds and
 * emits the record only when a sink listens. */
#define HV_EVENT(m, ...)                                                    \
	do {                                                                \
		if (hv_events_on(m)) {                                      \
			struct hv_event hv_ev_ = { __VA_ARGS__ };           \
			hv_events_emit((m), &hv_ev_);                       \
		}                                                           \
	} while (0)

/* For hv_xs_config.request_done, with the machine as request_opaque. */
void hv_events_xs_request_done(void *machine, uint16_t domid, uint32_t type,
			       uint32_t tx_id, const char *arg, int rc);

/* "hypercall", "evtchn_send", ...: a stable name for each kind. */
const char *hv_event_kind_name(enum hv_event_kind kind);

#endif
