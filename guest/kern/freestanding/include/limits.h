/* SPDX-License-Identifier: BSD-2-Clause */
/* <limits.h> for freestanding targets: the compiler's own, told that no C
 * library limits.h lies behind it (this directory comes first). */
#ifndef FREESTANDING_LIMITS_H
#define FREESTANDING_LIMITS_H

#define _LIBC_LIMITS_H_ 1
#include_next <limits.h>

#endif
