/* SPDX-License-Identifier: BSD-2-Clause */
/* The toolstack's wiring of a domain's first console, as Xen's toolstack
 * does on ARM: the ring page at the magic pages' page 0 (the console's
 * slot; xenstore's is page 1: GUEST_MAGIC_BASE, or right after RAM in
 * Xen 4.4's layout), an event channel
 * between the domain and dom0, HVM_PARAM_CONSOLE_PFN/_EVTCHN, and, when
 * there is a xenstore, /local/domain/N/console/{ring-ref, port, type,
 * limit, output, backend-id, tty} as libxl and xenconsoled write them
 * (ring-ref is a frame number, not a grant). The ring needs no xenstore:
 * the guest finds it through the parameters alone. dom0's end is a
 * struct hv_consback; the guest's kicks are recorded and served when the
 * machine runs dom0's work. */
#ifndef HV_CONSOLE_LINK_H
#define HV_CONSOLE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>

#include "hv/consback.h"

struct hv_domain;
struct hv_xs;

/* What libxl writes as console/limit: xenconsoled's buffer cap, bytes. */
#define HV_CONSOLE_LIMIT 1048576

struct hv_console_link {
	struct hv_domain *guest;
	struct hv_domain *dom0;
	struct hv_xs *xs;              /* NULL: no xenstore entries */
	uint64_t gfn;                  /* the ring page */
	evtchn_port_t guest_port;      /* what the guest finds in the param */
	evtchn_port_t dom0_port;
	bool connected;
	struct hv_consback back;       /* dom0's end of the ring */
};

/* Give guest its console ring, served by dom0; xs may be NULL. 0 or a
 * negative Xen errno; on failure nothing is left behind. */
int hv_console_link_connect(struct hv_console_link *link,
			    struct hv_domain *dom0, struct hv_domain *guest,
			    struct hv_xs *xs);
/* Record where the console can be reached (a pty path), as xenconsoled
 * writes console/tty. 0 or a negative Xen errno; 0 without xenstore. */
int hv_console_link_set_tty(struct hv_console_link *link, const char *tty);
/* Serve the ring if the guest kicked it; whether anything was done. */
bool hv_console_link_run(struct hv_console_link *link);
void hv_console_link_disconnect(struct hv_console_link *link);

#endif
