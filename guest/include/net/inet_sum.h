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

/* The one's-complement sum of len bytes added to sum, not yet folded; an
 * odd last byte counts as the high half of a word. */
static inline uint32_t inet_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += inet_get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* A sum folded to 16 bits and complemented: the checksum field's value. */
static inline uint16_t inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
