/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_hint_undef.S in Thumb-2. */
#define THUMB
#include "a32_hint_undef.S"
