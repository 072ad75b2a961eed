/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_abort_loop.S in Thumb-2. */
#define THUMB
#include "a32_abort_loop.S"
