/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_timer.S in Thumb-2. */
#define THUMB
#include "a32_timer.S"
