#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs each fuzz target for a fixed number of inputs from a fixed seed:
# the same inputs every time, so a failure here is reproducible. A crash,
# a sanitizer report, or a run that did not do its inputs is a failed test.
# Seeds come from CORPUS/<target>/ when it exists; new inputs go to a
# scratch copy, never back into CORPUS.
# Usage: fuzz-smoke.sh RUNS CORPUS TARGET...
set -u
runs=$1
corpus=$2
shift 2
pass=0
fail=0
for target in "$@"; do
	name=${target##*/}
	log=$(mktemp)
	work=$(mktemp -d)
	[ -d "$corpus/$name" ] && cp "$corpus/$name"/* "$work"/
	# libFuzzer's "Done N runs" says the inputs really ran.
	if "$target" -runs="$runs" -seed=1 -max_len=8192 "$work" >"$log" 2>&1 &&
	   grep -q "^Done $runs runs in " "$log"; then
		pass=$((pass + 1))
		echo "ok $name ($runs inputs)"
	else
		fail=$((fail + 1))
		tail -n 40 "$log"
		echo "FAIL $name (reproduce: $target -runs=$runs -seed=1 -max_len=8192 $corpus/$name)"
	fi
	rm -rf "$log" "$work"
done
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
