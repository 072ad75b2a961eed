/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding printf: formats into a bounded buffer, never past size. */
#include <stdbool.h>
#include <stdint.h>

#include "kern/console.h"
#include "kern/printf.h"
#include "kern/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len;     /* characters produced, even those that did not fit */
};

struct spec {
	bool left;
	bool zero;
	bool alt;       /* '#': 0x before hex */
	int width;
	int precision;  /* -1: none */
};

static void emit(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		emit(o, c);
}

static void emit_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n = strnlen(s, sp->precision < 0 ? SIZE_MAX : (size_t)sp->precision);

	if (!sp->left)
		pad(o, sp->width - (int)n, ' ');
	for (size_t i = 0; i < n; i++)
		emit(o, s[i]);
	if (sp->left)
		pad(o, sp->width - (int)n, ' ');
}

static void emit_num(struct out *o, uint64_t v, bool neg, unsigned base,
		     bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	int len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg + (sp->alt && base == 16 ? 2 : 0);
	if (!sp->left && !sp->zero)
		pad(o, sp->width - len, ' ');
	if (neg)
		emit(o, '-');
	if (sp->alt && base == 16) {
		emit(o, '0');
		emit(o, upper ? 'X' : 'x');
	}
	if (!sp->left && sp->zero)
		pad(o, sp->width - len, '0');
	while (n)
		emit(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = sp->zero = sp->alt = false;
	sp->width = 0;
	sp->precision = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	return f;
}

/* Fetch an integer argument of the size the length modifier names. */
static uint64_t arg_unsigned(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	if (lng == 3)
		return va_arg(*ap, size_t);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	if (lng == 3)
		return (int64_t)va_arg(*ap, size_t);
	return va_arg(*ap, int);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		int lng = 0;

		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		for (; *f == 'l'; f++)
			lng++;
		if (*f == 'z') {
			lng = 3;
			f++;
		}
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, lng);

			emit_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0,
				 10, false, &sp);
			break;
		}
		case 'u':
			emit_num(&o, arg_unsigned(&ap, lng), false, 10, false, &sp);
			break;
		case 'x':
		case 'X':
			emit_num(&o, arg_unsigned(&ap, lng), false, 16, *f == 'X',
				 &sp);
			break;
		case 'p':
			sp.alt = true;
			emit_num(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				 false, &sp);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			emit_str(&o, s ? s : "(null)", &sp);
			break;
		}
		case 'c':
			emit(&o, (char)va_arg(ap, int));
			break;
		case '%':
			emit(&o, '%');
			break;
		case '\0':
			f--;  /* a lone '%' at the end: stop at the nul */
			break;
		default:
			emit(&o, '%');
			emit(&o, *f);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}
