/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen's debug keys on the model's console: the keys Xen 4.17's
 * keyhandlers answer, with their dumps in Xen's layout (field names,
 * order, units), each line a "(XEN) " line of the machine's console. */
#ifndef HV_KEYHANDLER_H
#define HV_KEYHANDLER_H

#include <stdbool.h>

struct hv_domain;
struct hv_machine;

/* Run the handler of key: its dump goes to the machine's console. False
 * (and nothing printed, as Xen ignores it) for a key with no handler. */
bool hv_debug_key(struct hv_machine *m, unsigned char key);

/* Whether key has a handler. */
bool hv_debug_key_known(unsigned char key);

/* The parts, one per subsystem. */
void hv_evtchn_dump_xen(struct hv_domain *d);       /* 'e', one domain */
void hv_gnttab_dump_xen(struct hv_domain *d);       /* 'g', one domain */
void hv_timer_dump_xen(struct hv_machine *m);       /* 'a' */
void hv_conring_dump(struct hv_machine *m);         /* 'w' */

#endif
