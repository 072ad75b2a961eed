# SPDX-License-Identifier: BSD-2-Clause
# Shared by the plain test scripts: one line per check ("ok NAME" or
# "FAIL NAME: why"), and the closing "N passed, N failed, N skipped" line
# that scripts/run-tests.sh judges. A script sets $out (the file whose
# tail a failure shows) and $XENSIM, sources this, and ends with finish.
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok $1"
}

# bad NAME WHY: a failed check.
bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
}

# bad_showing NAME WHY: a failed check, with the end of what the program
# printed ($out).
bad_showing() {
	bad "$1" "$2"
	[ -f "$out" ] && sed 's/^/     /' "$out" | tail -n "${SHOW_LINES:-20}"
	return 0
}

# expect NAME WANTED_EXIT PATTERN -- ARGS...: run $XENSIM ARGS, bounded by
# $LIMIT seconds (a hang fails as exit 124); it passes when xensim exits
# WANTED_EXIT, prints a line matching PATTERN and no sanitizer report.
# A `run` gets the test budget first (--max-insns $BUDGET): xensim run has
# none by default, and a guest stuck in a loop must end in seconds, not
# at the wall-clock limit; ARGS may give their own.
BUDGET=${BUDGET:-100000000}
expect() {
	name=$1 want=$2 pattern=$3
	shift 4
	if [ "${1:-}" = run ]; then
		shift
		set -- run --max-insns "$BUDGET" "$@"
	fi
	timeout "${LIMIT:-120}" "$XENSIM" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$out" &&
	   ! grep -q "Sanitizer" "$out"; then
		ok "$name"
	else
		bad_showing "$name" "exit $rc (want $want), output:"
	fi
}

# The closing line and the exit status.
finish() {
	echo "$pass passed, $fail failed, 0 skipped"
	[ "$fail" -eq 0 ]
}
