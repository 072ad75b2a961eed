/* SPDX-License-Identifier: BSD-2-Clause */
/* shared_info: mapped once at boot into a page from the allocator. */
#ifndef GXEN_SHARED_H
#define GXEN_SHARED_H

#include <xen/xen.h>

/* Map shared_info (XENMEM_add_to_physmap); 0 or a negative Xen errno. */
int shared_info_map(void);
/* After a resume in a new domain: shared_info mapped again at the same
 * page (the new one, all events clear). */
int shared_info_remap(void);
/* Forget the page, as at load (the next boot maps its own). */
void shared_info_reset(void);
/* The mapped page, or NULL before shared_info_map succeeded. */
struct shared_info *shared_info_page(void);

#endif
