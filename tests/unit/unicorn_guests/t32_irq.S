/* SPDX-License-Identifier: BSD-2-Clause */
/* a32_irq.S with the main code in Thumb-2 (the handler stays ARM). */
#define THUMB
#include "a32_irq.S"
