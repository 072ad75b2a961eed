/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_short.S with the shared and granted pages mapped write-back. */
#define SHARED_WB
#include "a32_short.S"
