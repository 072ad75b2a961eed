/* SPDX-License-Identifier: BSD-2-Clause */
/* See fuzz_edges.h. The counters are libFuzzer's inline 8-bit counters,
 * found through the linker's bounds of their section. Nothing here is
 * instrumented: an instrumented file may not name those bounds itself
 * (the compiler's own references to them would be renamed and its
 * counters lost), and the report must not count itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_digest.h"
#include "fuzz_edges.h"

#if defined(__clang__)
#define NOT_COUNTED __attribute__((no_sanitize("coverage")))
#else
#define NOT_COUNTED
#endif

/* Weak: absent from a build without the counters (AFL++'s, the tests'). */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));
/* One (address, flags) pair per counter. */
extern const uintptr_t __start___sancov_pcs[] __attribute__((weak));
extern const char __executable_start[] __attribute__((weak));

NOT_COUNTED static uint8_t bucket(uint8_t n)
{
	static const uint8_t top[] = { 0, 1, 2, 3, 7, 15, 31, 127 };
	uint8_t b = 0;

	while (b < sizeof(top) && n > top[b])
		b++;
	return b;
}

NOT_COUNTED static size_t counters(void)
{
	if (!fuzz_digest_on() || !__start___sancov_cntrs)
		return 0;
	return (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs);
}

NOT_COUNTED void fuzz_edges_start(void)
{
	size_t n = counters();

	if (n)
		memset(__start___sancov_cntrs, 0, n);
}

NOT_COUNTED void fuzz_edges_report(void)
{
	size_t n = counters(), hit = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	int list = n && getenv("FUZZ_EDGES");

	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = bucket(__start___sancov_cntrs[i]);

		if (!b)
			continue;
		hit++;
		h = (h ^ i) * 0x100000001b3ull;
		h = (h ^ b) * 0x100000001b3ull;
		if (list)
			fprintf(stderr, "fuzz-edge %zu %u %#lx\n", i, b,
				__start___sancov_pcs ? (unsigned long)(__start___sancov_pcs[2 * i] -
				(uintptr_t)__executable_start) : 0ul);
	}
	fprintf(stderr, "fuzz-edges %016llx %zu\n", (unsigned long long)h, hit);
}
