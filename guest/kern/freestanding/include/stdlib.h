/* SPDX-License-Identifier: BSD-2-Clause */
/* <stdlib.h> for freestanding targets: libfdt includes it and needs
 * nothing from it but size_t and NULL. */
#ifndef FREESTANDING_STDLIB_H
#define FREESTANDING_STDLIB_H

#include <stddef.h>

#endif
