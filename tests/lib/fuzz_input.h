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

#endif
