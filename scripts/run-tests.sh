#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs each test program given and judges it as XTF judges a test: SUCCESS,
# SKIP (every skip expected), ERROR (it reported nothing, crashed, or its
# counts do not add up) or FAILURE. How a program's output is read:
# scripts/judge.awk. Every skip must be a row of the expected-skips table
# (tests/expected-skips, or $EXPECTED_SKIPS) and is shown with its reason.
# A program's output is shown in full when it did not succeed.
# Prints the overall result (the worst; expected skips do not lower it),
# then, as the very last line, "N passed, N failed, N skipped".
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

total_pass=0
total_fail=0
total_skip=0
overall=SUCCESS
bad_programs=""
log=$(mktemp)
verdict=$(mktemp)
trap 'rm -f "$log" "$verdict"' EXIT

rank() {
	case $1 in
	SUCCESS|SKIP) echo 0 ;;
	ERROR) echo 1 ;;
	*) echo 2 ;;
	esac
}

for prog in "$@"; do
	name=${prog##*/}
	"$prog" >"$log" 2>&1 </dev/null
	rc=$?
	awk -v prog="$name" -v rc="$rc" -v table="$table" \
		-f "$here/judge.awk" <"$log" >"$verdict"
	read -r _ result pass fail skip <"$verdict"
	if [ "$result" = ERROR ] && [ "$fail" -eq 0 ]; then
		fail=1      # a program that reported nothing counts once
	fi
	case $result in
	SUCCESS|SKIP)
		printf '%-7s %s: %s passed, %s skipped\n' "$result" "$name" \
			"$pass" "$skip" ;;
	*)
		sed 's/^/    | /' "$log"
		printf '%-7s %s: %s passed, %s failed, %s skipped (exit %s)\n' \
			"$result" "$name" "$pass" "$fail" "$skip" "$rc"
		bad_programs="$bad_programs $name" ;;
	esac
	tail -n +2 "$verdict" | sed 's/^/        /'
	if [ "$(rank "$result")" -gt "$(rank "$overall")" ]; then
		overall=$result
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done

[ -n "$bad_programs" ] && echo "not successful:$bad_programs"
echo "overall: $overall"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$overall" = SUCCESS ]
