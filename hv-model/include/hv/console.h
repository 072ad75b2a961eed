/* SPDX-License-Identifier: BSD-2-Clause */
/* A guest's text on the Xen console: collected into lines and shown as
 * "(dN) ..." (dom0's unprefixed), the way console_io output is shown. The
 * PV console backend uses it too, so a guest's transcript reads the same
 * whichever path its output took. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>

struct hv_domain;

/* Add len characters of d's output to its current line; control characters
 * other than tab and newline are dropped, as Xen drops them. */
void hv_console_guest_chars(struct hv_domain *d, const char *s, size_t len);

#endif
