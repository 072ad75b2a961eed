/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding formatted output: %d %i %u %x %X %p %s %c %% with the l, ll,
 * z length modifiers, a width, '0' and '-' flags and a precision. */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* To the console; returns the number of characters written. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
