#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# xensim run --seeds A-B: many boots in one process, the emulator and its
# translations kept from one to the next. Each seed's outcome and
# transcript must be byte for byte those of a separate `xensim run --seed
# N` (natively, under arm64 and under arm32 Thumb-2, with and without an
# instruction budget); a seed whose run fails makes the sweep fail; bad
# ranges and options that need one run at a time are refused. Run from the
# top of the tree; one line per check, then "N passed, N failed, N
# skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=15

# same NAME FIRST LAST -- RUN_ARGS...: a sweep over FIRST..LAST against
# separate runs, seed by seed: transcripts identical, each seed's line
# giving the separate run's exit status, the summary counting them all.
same() {
	name=$1 first=$2 last=$3
	shift 4
	rm -rf "$dir/t" && mkdir "$dir/t"
	"$XENSIM" run --seeds "$first-$last" --transcripts "$dir/t" "$@" \
		>"$out" 2>&1 </dev/null
	rc=$?
	why=
	n=$first
	while [ "$n" -le "$last" ]; do
		"$XENSIM" run --seed "$n" "$@" >"$dir/one" 2>/dev/null </dev/null
		want=$?
		if ! cmp -s "$dir/one" "$dir/t/$n.log"; then
			why="seed $n: transcript differs from a separate run"
			break
		fi
		if ! grep -q "^seed $n: .*, exit $want, " "$out"; then
			why="seed $n: no line with exit $want"
			break
		fi
		n=$((n + 1))
	done
	runs=$((last - first + 1))
	if [ -z "$why" ] && [ "$rc" -ne 0 ]; then
		why="exit $rc"
	elif [ -z "$why" ] && ! grep -q "^seeds $first-$last: $runs runs: $runs poweroff;" "$out"; then
		why="no summary of $runs poweroffs"
	elif [ -z "$why" ] && grep -q "Sanitizer" "$out"; then
		why="sanitizer report"
	fi
	if [ -z "$why" ]; then
		ok "$name"
	else
		bad_showing "$name" "$why"
	fi
}

same "native, seeds 0-3 = separate runs" 0 3 -- --native
same "native with a budget, seeds 5-6 = separate runs" 5 6 -- \
	--max-insns "$BUDGET" --native
same "arm64, seeds 0-3 = separate runs" 0 3 -- build/arm64/Image
same "arm64 with a budget, seeds 9-11 = separate runs" 9 11 -- \
	--max-insns "$BUDGET" build/arm64/Image
same "arm64 GICv3, seeds 2-3 = separate runs" 2 3 -- --gic 3 \
	build/arm64/Image
same "arm32 Thumb-2, seeds 0-2 = separate runs" 0 2 -- \
	--max-insns "$BUDGET" build/arm32/zImage-thumb

# A seed that fails: the budget runs out in every run.
"$XENSIM" run --seeds 1-2 --max-insns 10000 build/arm64/Image >"$out" 2>&1 \
	</dev/null
rc=$?
if [ "$rc" -eq 6 ] && [ "$(grep -c '^seed [12]: limit reached (.*), exit 6' "$out")" -eq 2 ] &&
   grep -q '^seeds 1-2: 2 runs: 2 limit reached;' "$out"; then
	ok "a budget used up in each run: exit 6, both seeds say so"
else
	bad_showing "a budget used up in each run: exit 6, both seeds say so" \
		"exit $rc"
fi

expect "--seeds 5-4 refused" 1 "wants A-B" -- run --seeds 5-4 --native
expect "--seeds 5 refused" 1 "wants A-B" -- run --seeds 5 --native
expect "--seeds -1-2 refused" 1 "wants A-B" -- run --seeds -1-2 --native
expect "--seeds with --seed refused" 1 "not with --seed" -- \
	run --seeds 1-2 --seed 3 --native
expect "--seeds with --console refused" 1 "not with --console" -- \
	run --seeds 1-2 --console stdio --native
expect "--seeds with --xenstore-socket refused" 1 \
	"not with --xenstore-socket" -- \
	run --seeds 1-2 --xenstore-socket "$dir/xs" --native
expect "--transcripts without --seeds refused" 1 "goes with --seeds" -- \
	run --transcripts "$dir" --native
expect "--transcripts into a missing directory: exit 1" 1 \
	"cannot write $dir/none/1.log" -- \
	run --seeds 1-1 --transcripts "$dir/none" --native
finish
