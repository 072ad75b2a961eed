#!/bin/sh
# Runs each test program given, shows its output, and adds up the results.
# A program reports either CMocka's "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)" lines or a plain "N passed, N failed" line.
# A program that exits non-zero without reporting a failure counts as one
# failed test (a crash or a sanitizer report).
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
set -u

total_pass=0
total_fail=0
failed_programs=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for prog in "$@"; do
	name=${prog##*/}
	"$prog" >"$log" 2>&1 </dev/null
	rc=$?
	pass=$(sed -n 's/.*\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p; s/^\(.*: \)\{0,1\}\([0-9][0-9]*\) passed, [0-9][0-9]* failed.*/\2/p' "$log" | tail -n 1)
	fail=$(sed -n 's/.*\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p; s/^\(.*: \)\{0,1\}[0-9][0-9]* passed, \([0-9][0-9]*\) failed.*/\2/p' "$log" | tail -n 1)
	pass=${pass:-0}
	fail=${fail:-0}
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
	fi
	if [ "$fail" -ne 0 ]; then
		cat "$log"
		echo "FAIL $name: $pass passed, $fail failed (exit $rc)"
		failed_programs="$failed_programs $name"
	else
		echo "ok   $name: $pass passed"
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

[ -n "$failed_programs" ] && echo "failing programs:$failed_programs"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
