/* SPDX-License-Identifier: BSD-2-Clause */
/* The native guest's writable state: its objects' .data, .bss and
 * relocated data, renamed at build time into guest_* sections (Makefile,
 * GUEST_STATE_SECTIONS) whose bounds the linker provides. A run of several
 * native domains gives each a copy and swaps it into the image before the
 * domain runs, so each guest sees only its own globals. The copies are
 * raw: with ASan the ranges hold the globals' poisoned redzones, which an
 * instrumented memcpy would report. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim_internal.h"

/* Weak: a program built from objects without the sections (the fuzzers')
 * links, and has no state to swap (sim_guest_state_size() is 0). */
#define STATE_SECTION(name) \
	extern unsigned char __start_##name[] __attribute__((weak)); \
	extern unsigned char __stop_##name[] __attribute__((weak));
STATE_SECTION(guest_data)
STATE_SECTION(guest_data_rel_local)
STATE_SECTION(guest_data_rel)
STATE_SECTION(guest_bss)

struct state_range {
	unsigned char *start, *stop;
};

static size_t ranges(struct state_range r[4])
{
	r[0] = (struct state_range){ __start_guest_data, __stop_guest_data };
	r[1] = (struct state_range){ __start_guest_data_rel_local,
				     __stop_guest_data_rel_local };
	r[2] = (struct state_range){ __start_guest_data_rel,
				     __stop_guest_data_rel };
	r[3] = (struct state_range){ __start_guest_bss, __stop_guest_bss };
	return 4;
}

static size_t range_size(const struct state_range *r)
{
	return r->start && r->stop > r->start ?
	       (size_t)(r->stop - r->start) : 0;
}

size_t sim_guest_state_size(void)
{
	struct state_range r[4];
	size_t n = ranges(r), total = 0;

	for (size_t i = 0; i < n; i++)
		total += range_size(&r[i]);
	return total;
}

#if defined(__SANITIZE_ADDRESS__)
/* Through volatile pointers: never turned into a memcpy call, which ASan
 * would intercept. Word by word where both ends are aligned (the sections
 * are), the tail byte by byte. */
__attribute__((no_sanitize_address))
static void raw_copy(volatile unsigned char *dst,
		     const volatile unsigned char *src, size_t n)
{
	size_t i = 0;

	if (!(((uintptr_t)dst | (uintptr_t)src) & 7)) {
		volatile uint64_t *dw = (volatile uint64_t *)dst;
		const volatile uint64_t *sw = (const volatile uint64_t *)src;

		for (; i + 8 <= n; i += 8)
			dw[i / 8] = sw[i / 8];
	}
	for (; i < n; i++)
		dst[i] = src[i];
}
#else
/* Without ASan nothing watches the copy: libc's, several times faster
 * than a word at a time (a run of two native domains swaps at each
 * turn). */
static void raw_copy(unsigned char *dst, const unsigned char *src, size_t n)
{
	memcpy(dst, src, n);
}
#endif

void sim_guest_state_save(unsigned char *copy)
{
	struct state_range r[4];
	size_t n = ranges(r);

	for (size_t i = 0; i < n; i++) {
		raw_copy(copy, r[i].start, range_size(&r[i]));
		copy += range_size(&r[i]);
	}
}

void sim_guest_state_load(const unsigned char *copy)
{
	struct state_range r[4];
	size_t n = ranges(r);

	for (size_t i = 0; i < n; i++) {
		raw_copy(r[i].start, copy, range_size(&r[i]));
		copy += range_size(&r[i]);
	}
}
