/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_balloon_abort.S in Thumb-2. */
#define THUMB
#include "a32_balloon_abort.S"
