#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs each fuzz target over its seed corpus, then for a fixed number of
# inputs in all from a fixed seed: the same inputs every time, so a failure
# here is reproducible. A crash, a sanitizer report, or a run that did not
# do its inputs is a failed test. Seeds come from SEEDS/<target>/ (in the
# repository: regression inputs included) and CORPUS/<target>/ (generated
# at build time) when they exist; new inputs go to a scratch copy, never
# back into either.
# Usage: fuzz-smoke.sh RUNS CORPUS SEEDS TARGET[:RUNS]...
set -u
runs=$1
corpus=$2
seeds=$3
shift 3
pass=0
fail=0
for arg in "$@"; do
	target=${arg%%:*}
	n=$runs
	[ "$target" != "$arg" ] && n=${arg#*:}
	name=${target##*/}
	log=$(mktemp)
	work=$(mktemp -d)
	for dir in "$seeds/$name" "$corpus/$name"; do
		[ -d "$dir" ] && cp "$dir"/* "$work"/ 2>/dev/null
	done
	# libFuzzer's "Done N runs" says the inputs really ran.
	if "$target" -runs="$n" -seed=1 -max_len=8192 -timeout=60 "$work" \
		>"$log" 2>&1 && grep -q "^Done $n runs in " "$log"; then
		pass=$((pass + 1))
		echo "ok $name ($n inputs)"
	else
		fail=$((fail + 1))
		tail -n 40 "$log"
		echo "FAIL $name (reproduce: $target -runs=$n -seed=1 -max_len=8192 $seeds/$name $corpus/$name)"
	fi
	rm -rf "$log" "$work"
done
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
