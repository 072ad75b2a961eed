#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs each test program given and judges it as XTF judges a test: SUCCESS,
# SKIP (every skip expected), ERROR (it reported nothing, crashed, or its
# counts do not add up) or FAILURE. How a program's output is read:
# scripts/judge.awk. Every skip must be a row of the expected-skips table
# (tests/expected-skips, or $EXPECTED_SKIPS) and is shown with its reason.
# A program's output is shown in full when it did not succeed.
#
# CHECK_JOBS programs (default: the number of CPUs) run at once, each with
# its own output file; their results are printed in the order given, so
# the report reads the same however the runs interleave. An argument
# "--wait" is a barrier: the programs after it start only once every
# program before it has ended (a program that reads what earlier ones
# wrote). Prints the overall result (the worst; expected skips do not
# lower it), then, as the very last line, "N passed, N failed, N skipped".
# Exits non-zero unless the overall result is SUCCESS.
set -u

here=$(cd "$(dirname "$0")" && pwd)
table=${EXPECTED_SKIPS:-$here/../tests/expected-skips}
if [ ! -r "$table" ]; then
	echo "ERROR run-tests: cannot read the expected-skips table $table"
	echo "overall: ERROR"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

jobs=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in
''|*[!0-9]*|0)
	echo "ERROR run-tests: CHECK_JOBS=$jobs is not a positive count"
	echo "overall: ERROR"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1 ;;
esac

total_pass=0
total_fail=0
total_skip=0
overall=SUCCESS
bad_programs=""
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each run, once ended, writes its number here: the runner sleeps on it
# rather than polling. Opened read-write so that it never reads an end of
# file between two writers.
mkfifo "$work/ended"
exec 3<>"$work/ended"

rank() {
	case $1 in
	SUCCESS|SKIP) echo 0 ;;
	ERROR) echo 1 ;;
	*) echo 2 ;;
	esac
}

# judge N: print program N's verdict and add it to the totals.
judge() {
	name=$(cat "$work/$1.name")
	rc=$(cat "$work/$1.rc")
	awk -v prog="$name" -v rc="$rc" -v table="$table" \
		-f "$here/judge.awk" <"$work/$1.log" >"$work/verdict"
	read -r _ result pass fail skip <"$work/verdict"
	if [ "$result" = ERROR ] && [ "$fail" -eq 0 ]; then
		fail=1      # a program that reported nothing counts once
	fi
	case $result in
	SUCCESS|SKIP)
		printf '%-7s %s: %s passed, %s skipped\n' "$result" "$name" \
			"$pass" "$skip" ;;
	*)
		sed 's/^/    | /' "$work/$1.log"
		printf '%-7s %s: %s passed, %s failed, %s skipped (exit %s)\n' \
			"$result" "$name" "$pass" "$fail" "$skip" "$rc"
		bad_programs="$bad_programs $name" ;;
	esac
	tail -n +2 "$work/verdict" | sed 's/^/        /'
	if [ "$(rank "$result")" -gt "$(rank "$overall")" ]; then
		overall=$result
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	rm -f "$work/$1.log"
}

started=0
running=0
reported=0

# wait_one: sleep until a run ends, then print every verdict now due in
# the order given.
wait_one() {
	read -r _ <&3
	running=$((running - 1))
	while [ "$reported" -lt "$started" ] &&
	      [ -f "$work/$((reported + 1)).rc" ]; do
		reported=$((reported + 1))
		judge "$reported"
	done
}

for prog in "$@"; do
	if [ "$prog" = --wait ]; then
		while [ "$running" -gt 0 ]; do wait_one; done
		continue
	fi
	while [ "$running" -ge "$jobs" ]; do wait_one; done
	started=$((started + 1))
	n=$started
	echo "${prog##*/}" >"$work/$n.name"
	{
		"$prog" >"$work/$n.log" 2>&1 </dev/null 3>&-
		echo $? >"$work/$n.rc.tmp"
		mv "$work/$n.rc.tmp" "$work/$n.rc"
		echo "$n" >&3
	} &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait_one; done
exec 3>&-

[ -n "$bad_programs" ] && echo "not successful:$bad_programs"
echo "overall: $overall"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$overall" = SUCCESS ]
