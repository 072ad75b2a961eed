/* What boot found, for the rest of the guest to consult. */
#ifndef KERN_BOOT_H
#define KERN_BOOT_H

#include "gxen/dt.h"

extern struct dt_info boot_dt;

/* Whether word appears as a whole word in /chosen/bootargs. */
int bootarg_present(const char *word);

#endif
