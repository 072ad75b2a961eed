/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_abort.S in Thumb-2: a store to an address nothing backs. */
#define THUMB
#include "a32_abort.S"
