/* SPDX-License-Identifier: BSD-2-Clause */
/* What boot found, for the rest of the guest to consult. */
#ifndef KERN_BOOT_H
#define KERN_BOOT_H

#include "gxen/dt.h"

extern struct dt_info boot_dt;

/* Forget the device tree's answers, as at load. */
void boot_dt_reset(void);

/* Put every guest subsystem back in its load-time state (kern/reset.c);
 * the first thing a boot does. */
void kern_reset(void);

/* Reset, then bring the guest up to where the battery starts: device tree
 * (dt if the arch already walked it), memory, shared_info, event channels,
 * grant table, timer, interrupts on, xenstore when there is one. NULL, or
 * why the guest cannot run (kern_main panics with it). */
const char *kern_bringup(void *dtb, const struct dt_info *dt);

/* Whether word appears as a whole word in /chosen/bootargs. */
int bootarg_present(const char *word);
/* The decimal value of the bootarg "key=N" (first one wins); dflt when it
 * is absent, not all digits, or above max. */
unsigned bootarg_uint(const char *key, unsigned dflt, unsigned max);

#endif
