/* SPDX-License-Identifier: BSD-2-Clause */
/* <string.h> for freestanding targets: the guest's own declarations. */
#ifndef FREESTANDING_STRING_H
#define FREESTANDING_STRING_H

#include "kern/string.h"

#endif
