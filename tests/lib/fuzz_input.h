/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a fuzz input as a stream of commands and operands: past its end
 * every read is 0, so any prefix of an input is an input too. Header-only:
 * each fuzz target includes it once. */
#ifndef TESTS_FUZZ_INPUT_H
#define TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

/* Not instrumented for coverage: its compare of the length left with 0,
 * traced for libFuzzer at every byte read, and its two edges, are about
 * the input, not the code under test, and cost the targets that read
 * their input byte by byte a good part of their time. */
#if defined(__clang__)
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_NO_COVERAGE
#endif

FUZZ_NO_COVERAGE
static inline uint8_t fuzz_byte(struct fuzz_input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint16_t lo = fuzz_byte(in);

	return (uint16_t)(lo | fuzz_byte(in) << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	uint32_t v = fuzz_u16(in);

	return v | (uint32_t)fuzz_u16(in) << 16;
}

static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	uint64_t v = fuzz_u32(in);

	return v | (uint64_t)fuzz_u32(in) << 32;
}

/* A ring index a peer publishes, anywhere: near ours (pvt) mostly, now
 * and then half the ring space away or any value. */
static inline uint32_t fuzz_ring_index(uint32_t pvt, struct fuzz_input *in)
{
	uint8_t b = fuzz_byte(in);

	if (b == 0x80)
		return pvt + 0x80000000u;
	if (b == 0x7f)
		return fuzz_u32(in);
	return pvt + (uint32_t)(int8_t)b;
}

#endif
