#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The same fuzz targets under AFL++ instead of libFuzzer: built unchanged
# by afl-clang-fast (its -fsanitize=fuzzer links AFL++'s driver for
# LLVMFuzzerTestOneInput, persistent mode), each run by afl-fuzz for
# SECONDS, JOBS at a time, from the same seeds as `make fuzz`. One line per
# target: executions, execs/s (afl-fuzz's own, of wall time), stability
# (100% when every input behaves the same each time it runs, which a target
# that keeps its machine between inputs only shows if it resets it fully),
# edges found, and either "ok" or the crashing or hanging inputs, each
# with the command that reproduces it. Exit status 1 when any target
# crashed, hung or did not run.
# Usage: fuzz-afl.sh SECONDS JOBS OUT SEEDS GENERATED TARGET...
set -u
seconds=$1
jobs=$2
out=$3
seeds=$4
generated=$5
shift 5

case $seconds$jobs in
*[!0-9]*|'') echo "fuzz-afl: SECONDS and JOBS must be numbers, got '$seconds' '$jobs'" >&2
	exit 2 ;;
esac
command -v afl-fuzz >/dev/null || {
	echo "fuzz-afl: afl-fuzz not found (Debian package afl++)" >&2
	exit 2
}
mkdir -p "$out/logs"

# afl-fuzz refuses to start on a machine tuned for power saving or with
# cores piped to a handler unless told these are known; the runs are
# measured, not tuned. Each instance must not pin itself to a core other
# instances may have taken.
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_AFFINITY=1

run_one() {
	target=$1
	name=${target##*/}
	in=$out/in/$name
	rm -rf "$in" "$out/$name" "$out/logs/$name.reproduce"
	mkdir -p "$in"
	for dir in "$seeds/$name" "$generated/$name"; do
		[ -d "$dir" ] && cp "$dir"/* "$in"/ 2>/dev/null
	done
	# afl-fuzz wants at least one input of at least one byte.
	[ -n "$(ls "$in")" ] || printf '\0' >"$in/zero"
	afl-fuzz -V "$seconds" -t 10000 \
		-i "$in" -o "$out/$name" -- "$target" >"$out/logs/$name.log" 2>&1
	echo $? >"$out/logs/$name.rc"
}

. "$(dirname "$0")/progress.sh"
progress_batches "$jobs" "make fuzz-afl" "${seconds} s each, $jobs at a time" run_one "$@"

# stat NAME KEY: one value of afl-fuzz's fuzzer_stats.
stat() {
	sed -n "s/^$2 *: *//p" "$out/$1/default/fuzzer_stats" 2>/dev/null | tail -n 1
}

total=0
failed=0
printf '%-18s %10s %8s %9s %6s  %s\n' target inputs exec/s stability edges result
for target in "$@"; do
	name=${target##*/}
	rc=$(cat "$out/logs/$name.rc" 2>/dev/null || echo 1)
	runs=$(stat "$name" execs_done)
	rate=$(stat "$name" execs_per_sec)
	stability=$(stat "$name" stability)
	edges=$(stat "$name" edges_found)
	total=$((total + ${runs:-0}))
	found=$(ls "$out/$name/default/crashes" "$out/$name/default/hangs" 2>/dev/null |
		grep -c '^id:')
	if [ "$found" -gt 0 ]; then
		failed=$((failed + 1))
		result="FOUND $found:"
		for f in "$out/$name/default/crashes"/id:* "$out/$name/default/hangs"/id:*; do
			[ -f "$f" ] || continue
			echo "$target '$f'" >>"$out/logs/$name.reproduce"
		done
		result="$result reproduce with the commands in $out/logs/$name.reproduce"
	elif [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
		failed=$((failed + 1))
		result="ERROR: exit $rc, see $out/logs/$name.log"
	else
		result=ok
	fi
	printf '%-18s %10s %8s %9s %6s  %s\n' "$name" "${runs:-?}" \
		"${rate:-?}" "${stability:-?}" "${edges:-?}" "$result"
done
echo "total: $total inputs in $# targets, $seconds s each, $jobs at a time"
[ "$failed" -eq 0 ]
