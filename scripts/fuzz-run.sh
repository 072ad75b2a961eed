#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A fuzzing campaign: each target runs for SECONDS, JOBS targets at a
# time, each from its own corpus under OUT/corpus/<target> (kept between
# campaigns, started from the repository's seeds and the generated ones),
# and one line per target says what it did: inputs run, execs/s (of wall
# time, and per CPU second: what one core does on a shared machine), coverage
# (libFuzzer's cov: edges, ft: features), corpus size, and either "ok" or
# the crashing input, kept under OUT/crashes with the command that
# reproduces it. The last line gives the total inputs run. Exit status 1
# when any target crashed or did not run.
# Usage: fuzz-run.sh SECONDS JOBS OUT SEEDS GENERATED TARGET...
set -u
seconds=$1
jobs=$2
out=$3
seeds=$4
generated=$5
shift 5

mkdir -p "$out/corpus" "$out/crashes" "$out/logs"

# One target: its corpus, its run, its log.
run_one() {
	target=$1
	name=${target##*/}
	corpus=$out/corpus/$name
	mkdir -p "$corpus"
	for dir in "$seeds/$name" "$generated/$name"; do
		[ -d "$dir" ] && cp -n "$dir"/* "$corpus"/ 2>/dev/null
	done
	# CPU seconds too: on a shared machine execs/s of wall time
	# understates what one core does.
	$timer "$out/logs/$name.cpu" "$target" -max_total_time="$seconds" \
		-timeout=30 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$name-" \
		"$corpus" >"$out/logs/$name.log" 2>&1
	echo $? >"$out/logs/$name.rc"
}

timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %U+%S -o"
if [ -z "$timer" ]; then
	no_timer() { shift; "$@"; }
	timer=no_timer
fi

. "$(dirname "$0")/progress.sh"
progress_batches "$jobs" "make fuzz" "${seconds} s each, $jobs at a time" run_one "$@"

total=0
failed=0
printf '%-18s %10s %8s %9s %6s %7s %7s  %s\n' target inputs exec/s exec/cpu-s \
	cov ft corpus result
for target in "$@"; do
	name=${target##*/}
	log=$out/logs/$name.log
	rc=$(cat "$out/logs/$name.rc" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	# The last status line, "#N STATUS cov: X ft: Y corp: ...": the fields
	# right after the status word; the rest of the line may quote input
	# bytes (a dictionary entry, DE: "...") holding " cov: " itself.
	status=$(awk '/^#[0-9]+[[:space:]]/ && $3 == "cov:" && $5 == "ft:" {
			cov = $4; ft = $6 } END { print cov, ft }' "$log")
	cov=${status% *}
	ft=${status#* }
	corp=$(ls "$out/corpus/$name" | wc -l)
	cpu=$(tail -n 1 "$out/logs/$name.cpu" 2>/dev/null)
	per_cpu=$(echo "${runs:-0} ${cpu:-0}" |
		  awk '{ split($2, t, "+"); c = t[1] + t[2];
			 if (c > 0) printf "%d", $1 / c; else print "?" }')
	crash=$(sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$log" | tail -n 1)
	total=$((total + ${runs:-0}))
	if [ -n "$crash" ]; then
		failed=$((failed + 1))
		echo "$target $crash" >"$crash.cmd"
		result="CRASH: reproduce with: $target $crash (log $log)"
	elif [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
		failed=$((failed + 1))
		result="ERROR: exit $rc, see $log"
	else
		result=ok
	fi
	printf '%-18s %10s %8s %9s %6s %7s %7s  %s\n' "$name" "${runs:-?}" \
		"${rate:-?}" "$per_cpu" "${cov:-?}" "${ft:-?}" "$corp" "$result"
done
echo "total: $total inputs in $# targets, $seconds s each, $jobs at a time"
[ "$failed" -eq 0 ]
