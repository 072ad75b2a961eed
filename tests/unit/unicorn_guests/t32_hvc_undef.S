/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_hvc_undef.S in Thumb-2. */
#define THUMB
#include "a32_hvc_undef.S"
