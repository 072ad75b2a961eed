/* SPDX-License-Identifier: BSD-2-Clause */
/* The coverage one fuzz input gave, as a fuzzer sees it: which edges ran
 * and how often, in AFL's buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127,
 * 128+). An input whose edges are the same whatever ran before it is
 * what AFL++ calls stable. When FUZZ_DIGEST is set, a target clears the
 * counters at the start of each input (libFuzzer clears them only while
 * it fuzzes, not when it runs the files it is given) and prints
 * "fuzz-edges HASH COUNT" at its end (tests/fuzz/fuzz-reset.sh compares
 * them); FUZZ_EDGES=1 lists each edge too, "fuzz-edge INDEX BUCKET
 * OFFSET", OFFSET its address in the program for llvm-symbolizer --obj.
 * Only the edges the build counts: a target with scoped coverage
 * (mk/fuzz.mk) shows those of its scope. */
#ifndef TESTS_FUZZ_EDGES_H
#define TESTS_FUZZ_EDGES_H

void fuzz_edges_start(void);
void fuzz_edges_report(void);

#endif
