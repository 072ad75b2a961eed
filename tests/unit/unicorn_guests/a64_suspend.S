/* SPDX-License-Identifier: BSD-2-Clause */
/* a64_block.S through PSCI CPU_SUSPEND. */
#define SUSPEND
#include "a64_block.S"
