/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's console: Xen's console_io until a PV console takes over. */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <stddef.h>

void console_write(const char *s, size_t len);

/* Back to the console_io hypercall, as at load. */
void console_reset(void);

/* Send further output through fn instead (a PV console driver). */
void console_set_backend(void (*fn)(const char *s, size_t len));

#endif
