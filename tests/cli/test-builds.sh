#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Which build is which: the binaries users run (build/xensim,
# build/xenstored-sim) are our C compiled -O2 with no sanitizer and link no
# sanitizer runtime; the ones the tests run (build/san/...) are compiled
# with ASan+UBSan, and ASan is live in them (it answers ASAN_OPTIONS=help=1).
# Read from each binary itself: the compiler's command line recorded in its
# debug information (DW_AT_producer) and its symbols.
set -u
BUILD=${BUILD:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# producers FILE: the distinct C compiler command lines FILE was built from.
producers() {
	readelf --debug-dump=info "$1" 2>/dev/null |
		sed -n 's/.*DW_AT_producer.*: \(GNU C[0-9]* .*\)/\1/p' | sort -u
}

# sanitizer_symbols FILE: how many ASan/UBSan symbols FILE defines or needs.
sanitizer_symbols() {
	{ nm "$1" 2>/dev/null; nm -D "$1" 2>/dev/null; } |
		grep -c '__asan_\|__ubsan_'
}

for name in xensim xenstored-sim; do
	fast=$BUILD/$name
	san=$BUILD/san/$name

	producers "$fast" >"$out"
	if [ ! -s "$out" ]; then
		bad "$fast: compiler options readable" "no DW_AT_producer for C"
	elif grep -v -- ' -O2 ' "$out" | grep -q .; then
		bad_showing "$fast: every C file -O2" "some built otherwise"
	elif grep -q -- '-fsanitize' "$out"; then
		bad_showing "$fast: no C file sanitized" "some built -fsanitize"
	else
		ok "$fast: every C file -O2, none sanitized"
	fi
	n=$(sanitizer_symbols "$fast")
	if [ "$n" -eq 0 ]; then
		ok "$fast: no sanitizer symbol"
	else
		bad "$fast: no sanitizer symbol" "$n __asan_/__ubsan_ symbols"
	fi
	ASAN_OPTIONS=help=1 "$fast" --help >"$out" 2>&1 </dev/null
	if grep -q 'flags for AddressSanitizer' "$out"; then
		bad "$fast: no ASan at run time" "ASAN_OPTIONS=help=1 answered"
	else
		ok "$fast: no ASan at run time"
	fi

	producers "$san" >"$out"
	if [ ! -s "$out" ]; then
		bad "$san: compiler options readable" "no DW_AT_producer for C"
	elif grep -v -- '-fsanitize=address,undefined' "$out" | grep -q .; then
		bad_showing "$san: every C file ASan+UBSan" "some built without"
	else
		ok "$san: every C file ASan+UBSan"
	fi
	if [ "$(sanitizer_symbols "$san")" -gt 0 ]; then
		ok "$san: sanitizer symbols"
	else
		bad "$san: sanitizer symbols" "no __asan_/__ubsan_ symbol"
	fi
	ASAN_OPTIONS=help=1 "$san" --help >"$out" 2>&1 </dev/null
	if grep -q 'flags for AddressSanitizer' "$out"; then
		ok "$san: ASan at run time"
	else
		bad_showing "$san: ASan at run time" "ASAN_OPTIONS=help=1 ignored"
	fi
done
finish
