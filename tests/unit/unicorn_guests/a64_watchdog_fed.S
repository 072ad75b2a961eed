/* SPDX-License-Identifier: BSD-2-Clause */
/* a64_watchdog.S feeding its watchdog every 0.5 s: it never fires. */
#define FEED
#include "a64_watchdog.S"
