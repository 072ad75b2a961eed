/* SPDX-License-Identifier: BSD-2-Clause */
/* Big-endian 16-bit fields and the Internet checksum (RFC 1071), for the
 * guest's network layer, the model's netback and the host-side network
 * tests alike: every frame check in the project rests on this arithmetic,
 * so it has one definition. Header-only and freestanding. */
#ifndef NET_INET_SUM_H
#define NET_INET_SUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t inet_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void inet_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The byte lanes of a word: four 16-bit lanes, each one byte of a pair. */
#define INET_SUM_LANES 0x00ff00ff00ff00ffull

/* The sum of a word's four 16-bit lanes. */
static inline uint32_t inet_sum_lanes(uint64_t v)
{
	v = (v & 0x0000ffff0000ffffull) + (v >> 16 & 0x0000ffff0000ffffull);
	return (uint32_t)v + (uint32_t)(v >> 32);
}

/* The one's-complement sum of len bytes added to sum, not yet folded; an
 * odd last byte counts as the high half of a word. The words are
 * 256·(byte at an even offset) + (byte at an odd offset), so the sum is
 * 256 times the even bytes' sum plus the odd bytes': those two are summed
 * eight bytes at a time, in 16-bit lanes of aligned 64-bit reads (256 at
 * most before the lanes are added up: 256 * 255 < 65536, no lane carries),
 * the same value to the bit as adding word by word. */
static inline uint32_t inet_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	uint32_t even = 0, odd = 0;     /* byte sums by offset parity */
	size_t i = 0;

	for (; i < len && ((uintptr_t)(p + i) & 7); i++)
		*(i & 1 ? &odd : &even) += p[i];
	while (len - i >= 8) {
		uint64_t lo = 0, hi = 0;    /* the words' bits 0-7, 16-23, ... | 8-15, ... */
		uint32_t at_i, after_i;

		for (unsigned n = 0; n < 256 && len - i >= 8; n++, i += 8) {
			uint64_t w;

			__builtin_memcpy(&w, __builtin_assume_aligned(p + i, 8), 8);
			lo += w & INET_SUM_LANES;
			hi += w >> 8 & INET_SUM_LANES;
		}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		at_i = inet_sum_lanes(lo), after_i = inet_sum_lanes(hi);
#else
		at_i = inet_sum_lanes(hi), after_i = inet_sum_lanes(lo);
#endif
		/* i has the parity it had when these words began. */
		even += i & 1 ? after_i : at_i;
		odd += i & 1 ? at_i : after_i;
	}
	for (; i < len; i++)
		*(i & 1 ? &odd : &even) += p[i];
	return sum + (even << 8) + odd;
}

/* A sum folded to 16 bits and complemented: the checksum field's value. */
static inline uint16_t inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
