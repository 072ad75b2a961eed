/* SPDX-License-Identifier: BSD-2-Clause */
/* The block self-check's disk pattern: each 8-byte word of the disk is a
 * function of the seed and the word's byte offset alone, so the image is
 * the same whatever sizes, order and queue depth wrote it, and a host tool
 * (tests/blk/blkpattern.c) can check an image file byte for byte. Words
 * are stored little-endian on every target. */
#ifndef GXEN_BLK_PATTERN_H
#define GXEN_BLK_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#define BLK_PATTERN_SEED 0x5eedb10cull

/* splitmix64 of the word index, mixed with the seed. */
static inline uint64_t blk_pattern_word(uint64_t seed, uint64_t offset)
{
	uint64_t z = seed + (offset / 8 + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Fill buf with the pattern of disk bytes [offset, offset + len); both
 * multiples of 8. */
static inline void blk_pattern_fill(uint64_t seed, uint64_t offset,
				    unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = blk_pattern_word(seed, offset + i);

		for (unsigned b = 0; b < 8; b++)
			buf[i + b] = (unsigned char)(w >> (8 * b));
	}
}

/* The offset of the first byte of buf that differs from the pattern, or
 * len when all match. */
static inline size_t blk_pattern_check(uint64_t seed, uint64_t offset,
				       const unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = blk_pattern_word(seed, offset + i);

		for (unsigned b = 0; b < 8; b++)
			if (buf[i + b] != (unsigned char)(w >> (8 * b)))
				return i + b;
	}
	return len;
}

#endif
