/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_hvc.S in Thumb-2. */
#define THUMB
#define MESSAGE "hello from thumb\n"
#include "a32_hvc.S"
