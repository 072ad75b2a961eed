/* SPDX-License-Identifier: BSD-2-Clause */
/* Stack-protector support for prebuilt libraries linked into a
 * freestanding image (Debian builds libfdt with -fstack-protector-strong):
 * the canary they compare against, and what a smashed stack does. */
#include <stdint.h>

#include "kern/panic.h"

uintptr_t __stack_chk_guard = (uintptr_t)0x5a17c0de9e2d4b31ull;

_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}
