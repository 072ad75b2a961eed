/* SPDX-License-Identifier: BSD-2-Clause */
/* A digest of what one fuzz input made the code under test do (its
 * responses, its counters, the ring pages it wrote), printed after each
 * input when FUZZ_DIGEST is set in the environment: a target that resets
 * its machine between inputs must give an input the same digest whatever
 * ran before it (tests/fuzz/fuzz-reset.sh). Header-only: each fuzz target
 * includes it once. */
#ifndef TESTS_FUZZ_DIGEST_H
#define TESTS_FUZZ_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t fuzz_digest_value;

static inline void fuzz_digest_start(void)
{
	fuzz_digest_value = 0xcbf29ce484222325ull;      /* FNV-1a's basis */
}

/* Whether FUZZ_DIGEST is set: a target may skip gathering what it would
 * fold in (the environment is read once). */
static inline int fuzz_digest_on(void)
{
	static int wanted = -1;

	if (wanted < 0)
		wanted = getenv("FUZZ_DIGEST") != NULL;
	return wanted;
}

/* Folds n bytes in; only when asked for, so fuzzing pays nothing. */
static inline void fuzz_digest_add(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; fuzz_digest_on() && i < n; i++)
		fuzz_digest_value = (fuzz_digest_value ^ b[i]) *
				    0x100000001b3ull;
}

static inline void fuzz_digest_report(void)
{
	if (fuzz_digest_on())
		fprintf(stderr, "fuzz-digest %016llx\n",
			(unsigned long long)fuzz_digest_value);
}

#endif
