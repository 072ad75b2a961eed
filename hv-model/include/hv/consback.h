/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's end of a PV console ring (struct xencons_interface), as
 * xenconsoled serves console 0: guest output from the `out` ring goes to a
 * sink, input goes into the `in` ring with an event. The page is guest
 * memory: each index the guest owns is read once per pass and a ring whose
 * producer is more than a ring ahead of its consumer is broken (logged with
 * the domain, then left alone), never trusted. */
#ifndef HV_CONSBACK_H
#define HV_CONSBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/event_channel.h>

struct hv_domain;
struct xencons_interface;

/* Where the guest's output goes: takes up to len bytes and returns how many
 * it took; fewer means "full for now", and the rest stays on the ring. */
typedef size_t hv_consback_write_fn(void *ctx, const char *buf, size_t len);

struct hv_consback {
	struct hv_domain *guest;
	struct hv_domain *dom0;
	struct xencons_interface *page;
	evtchn_port_t dom0_port;       /* our end of the guest's channel */
	hv_consback_write_fn *write;
	void *write_ctx;
	bool kicked;                   /* the guest notified; not yet served */
	bool broken;                   /* bad indexes seen: no longer served */
	uint32_t out_cons;             /* ours: published, never read back */
	uint32_t in_prod;              /* ours: published, never read back */
	uint64_t out_bytes;            /* guest output passed to the sink */
	uint64_t in_bytes;             /* input put on the guest's ring */
};

/* Serve page (guest memory) for guest over dom0's port dom0_port (already
 * bound to the guest's). write NULL: the guest's output is shown on the Xen
 * console as "(dN) " lines, exactly as its console_io output is. 0 or a
 * negative Xen errno. */
int hv_consback_start(struct hv_consback *cb, struct hv_domain *dom0,
		      struct hv_domain *guest, struct xencons_interface *page,
		      evtchn_port_t dom0_port, hv_consback_write_fn *write,
		      void *write_ctx);
/* Point the output elsewhere (NULL: the Xen console). */
void hv_consback_set_sink(struct hv_consback *cb, hv_consback_write_fn *write,
			  void *write_ctx);
/* dom0's turn: move the guest's output to the sink if it notified (or the
 * sink was full last time); whether anything was done. */
bool hv_consback_run(struct hv_consback *cb);
/* Put up to len bytes of input on the guest's `in` ring and notify it;
 * how many fit (0 when the ring is full or broken). */
size_t hv_consback_input(struct hv_consback *cb, const char *buf, size_t len);
/* Room on the guest's `in` ring (0 when broken). */
size_t hv_consback_input_room(struct hv_consback *cb);
/* Stop serving; the channel stays the owner's to close. */
void hv_consback_stop(struct hv_consback *cb);

#endif
