#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The result judges judged: scripts/run-tests.sh (with scripts/judge.awk)
# fed fake test programs, and tests/results/battery.sh fed fake battery
# transcripts, each against a fake expected-skips table. Every way a run
# could look green while checking nothing must come out ERROR or FAILURE.
# Run from the top of the tree; ends with "N passed, N failed, N skipped".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/skips" <<'EOF'
# where      check          reason
fake_cmocka  test_skipped   needs a thing this machine lacks
fake_plain   widget         no widget here
fake_passes  widget         no widget here
xen-test     debug          needs bootarg debug-hvc
EOF

# program NAME: a fake test program whose output is stdin's here-document,
# run as `sh NAME` with the exit status in $exit_with.
program() {
	mkdir -p "$tmp/bin"
	{ echo '#!/bin/sh'; echo 'cat <<"OUT"'; cat; echo 'OUT'
	  echo "exit ${exit_with:-0}"; } >"$tmp/bin/$1"
	chmod +x "$tmp/bin/$1"
}

# runner CHECK WANT_RESULT WANT_LAST_LINE PROGRAM: run-tests.sh on PROGRAM
# must judge it WANT_RESULT, end with WANT_LAST_LINE, and exit non-zero
# unless WANT_RESULT is SUCCESS or SKIP.
runner() {
	EXPECTED_SKIPS=$tmp/skips sh "$root/scripts/run-tests.sh" "$4" \
		>"$tmp/out" 2>&1
	rc=$?
	got=$(sed -n "s/^\([A-Z]*\) *${4##*/}: .*/\1/p" "$tmp/out")
	last=$(tail -n 1 "$tmp/out")
	case $2 in SUCCESS|SKIP) want_rc=0 ;; *) want_rc=1 ;; esac
	if [ "$got" = "$2" ] && [ "$last" = "$3" ] && [ "$rc" -eq "$want_rc" ]; then
		pass=$((pass + 1))
		echo "ok $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: judged \"$got\" (want $2), exit $rc, last line \"$last\" (want \"$3\")"
		sed 's/^/     /' "$tmp/out"
	fi
}

program silent </dev/null
runner "silent program is an ERROR" ERROR "0 passed, 1 failed, 0 skipped" "$tmp/bin/silent"

printf '#!/bin/sh\necho "ok one"\nkill -SEGV $$\n' >"$tmp/bin/crash"
chmod +x "$tmp/bin/crash"
runner "crashing program is an ERROR" ERROR "1 passed, 1 failed, 0 skipped" "$tmp/bin/crash"

program good <<'EOF'
ok first
ok second
2 passed, 0 failed, 0 skipped
EOF
runner "plain program with two checks succeeds" SUCCESS "2 passed, 0 failed, 0 skipped" "$tmp/bin/good"

exit_with=1 program failing <<'EOF'
ok first
FAIL second: 2 != 3
1 passed, 1 failed, 0 skipped
EOF
runner "plain failure is a FAILURE" FAILURE "1 passed, 1 failed, 0 skipped" "$tmp/bin/failing"

exit_with=1 program exit_only <<'EOF'
ok first
1 passed, 0 failed, 0 skipped
EOF
runner "non-zero exit without a failure is an ERROR" ERROR "1 passed, 1 failed, 0 skipped" "$tmp/bin/exit_only"

program zero_checks <<'EOF'
0 passed, 0 failed, 0 skipped
EOF
runner "a summary of nothing is an ERROR" ERROR "0 passed, 1 failed, 0 skipped" "$tmp/bin/zero_checks"

program guest_summary <<'EOF'
booting
(d1) selftest: 3 passed, 0 failed
(d1) selftest: 3 passed, 0 failed, 0 skipped
(d1) 3 passed, 0 failed, 0 skipped
EOF
runner "guest lines that look like a summary count nothing" ERROR "0 passed, 1 failed, 0 skipped" "$tmp/bin/guest_summary"

program summary_not_last <<'EOF'
ok first
1 passed, 0 failed, 0 skipped
(d1) more output after the summary
EOF
runner "a summary that is not the last line is an ERROR" ERROR "1 passed, 1 failed, 0 skipped" "$tmp/bin/summary_not_last"

program inflated <<'EOF'
ok first
12 passed, 0 failed, 0 skipped
EOF
runner "a summary claiming more than its lines is an ERROR" ERROR "1 passed, 1 failed, 0 skipped" "$tmp/bin/inflated"

program old_summary <<'EOF'
ok first
1 passed, 0 failed
EOF
runner "the old two-count summary is an ERROR" ERROR "1 passed, 1 failed, 0 skipped" "$tmp/bin/old_summary"

program fake_plain <<'EOF'
ok first
skip widget: no widget here
1 passed, 0 failed, 1 skipped
EOF
runner "an expected plain skip is a SKIP" SKIP "1 passed, 0 failed, 1 skipped" "$tmp/bin/fake_plain"
if grep -q "skip widget: no widget here" "$tmp/out"; then
	pass=$((pass + 1)); echo "ok the skip is shown with its reason"
else
	fail=$((fail + 1)); echo "FAIL the skip is shown with its reason"
fi

program unlisted <<'EOF'
ok first
skip gadget: no gadget here
1 passed, 0 failed, 1 skipped
EOF
runner "a skip not in the table is a FAILURE" FAILURE "1 passed, 1 failed, 0 skipped" "$tmp/bin/unlisted"

mkdir -p "$tmp/bin/other"
program other/fake_plain <<'EOF'
ok first
skip widget: the widget is broken
1 passed, 0 failed, 1 skipped
EOF
runner "a skip with another reason than the table's is a FAILURE" FAILURE "1 passed, 1 failed, 0 skipped" "$tmp/bin/other/fake_plain"

program fake_passes <<'EOF'
ok first
ok widget
2 passed, 0 failed, 0 skipped
EOF
runner "an expected skip that passes is a FAILURE" FAILURE "2 passed, 1 failed, 0 skipped" "$tmp/bin/fake_passes"

program battery_skip <<'EOF'
ok xen-test/version
skip xen-test/debug: needs bootarg debug-hvc
1 passed, 0 failed, 1 skipped
EOF
runner "a battery skip is matched by its runtime's row" SKIP "1 passed, 0 failed, 1 skipped" "$tmp/bin/battery_skip"

# CMocka as Debian 12's libcmocka prints it.
program fake_cmocka <<'EOF'
[==========] Running 2 test(s).
[ RUN      ] test_works
[       OK ] test_works
[ RUN      ] test_skipped
[  SKIPPED ] test_skipped
[==========] 2 test(s) run.
[  PASSED  ] 1 test(s).
[  SKIPPED ] 1 test(s), listed below:
[  SKIPPED ] test_skipped

 1 SKIPPED TEST(S)
EOF
runner "an expected CMocka skip is a SKIP" SKIP "1 passed, 0 failed, 1 skipped" "$tmp/bin/fake_cmocka"

program cmocka_unlisted <<'EOF'
[==========] Running 2 test(s).
[ RUN      ] test_works
[       OK ] test_works
[ RUN      ] test_skipped
[  SKIPPED ] test_skipped
[==========] 2 test(s) run.
[  PASSED  ] 1 test(s).
[  SKIPPED ] 1 test(s), listed below:
[  SKIPPED ] test_skipped

 1 SKIPPED TEST(S)
EOF
runner "a CMocka skip not in the table is a FAILURE" FAILURE "1 passed, 1 failed, 0 skipped" "$tmp/bin/cmocka_unlisted"

exit_with=1 program cmocka_failed <<'EOF'
[==========] Running 2 test(s).
[ RUN      ] test_works
[       OK ] test_works
[ RUN      ] test_breaks
[  ERROR   ] --- 0
[   LINE   ] --- t.c:8: error: Failure!
[  FAILED  ] test_breaks
[==========] 2 test(s) run.
[  PASSED  ] 1 test(s).
[  FAILED  ] 1 test(s), listed below:
[  FAILED  ] test_breaks

 1 FAILED TEST(S)
EOF
runner "a CMocka failure is a FAILURE" FAILURE "1 passed, 1 failed, 0 skipped" "$tmp/bin/cmocka_failed"

exit_with=1 program cmocka_cut <<'EOF'
[==========] Running 2 test(s).
[ RUN      ] test_works
[       OK ] test_works
[ RUN      ] test_dies
EOF
runner "a CMocka program that dies mid-run is an ERROR" ERROR "0 passed, 1 failed, 0 skipped" "$tmp/bin/cmocka_cut"

# --- several programs at once ---
# at_once JOBS PROGRAM...: run-tests.sh with CHECK_JOBS=JOBS; its report in
# $tmp/out, its exit status in $rc.
at_once() {
	jobs=$1
	shift
	CHECK_JOBS=$jobs EXPECTED_SKIPS=$tmp/skips \
		sh "$root/scripts/run-tests.sh" "$@" >"$tmp/out" 2>&1
	rc=$?
}

# judged CHECK HELD: count CHECK as passed if HELD is "yes", else show the
# report.
judged() {
	if [ "$2" = yes ]; then
		pass=$((pass + 1))
		echo "ok $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: exit $rc, report:"
		sed 's/^/     /' "$tmp/out"
	fi
}

# Two runs at once, results in the order given: the first can end only
# after the second has started (it reads what the second writes through a
# FIFO), yet its verdict is printed first.
mkfifo "$tmp/gate"
printf '#!/bin/sh\nread -r word <"%s"\necho "ok first heard $word"\necho "1 passed, 0 failed, 0 skipped"\n' \
	"$tmp/gate" >"$tmp/bin/first"
printf '#!/bin/sh\necho second >"%s"\necho "ok second"\necho "1 passed, 0 failed, 0 skipped"\n' \
	"$tmp/gate" >"$tmp/bin/second"
chmod +x "$tmp/bin/first" "$tmp/bin/second"
at_once 2 "$tmp/bin/first" "$tmp/bin/second"
judged "two programs run at once, reported in the order given" "$(
	[ "$rc" -eq 0 ] &&
	[ "$(grep -o '^SUCCESS [a-z]*' "$tmp/out" | tr '\n' ' ')" = "SUCCESS first SUCCESS second " ] &&
	[ "$(tail -n 1 "$tmp/out")" = "2 passed, 0 failed, 0 skipped" ] && echo yes)"

# --wait: what comes after starts only when what came before has ended.
printf '#!/bin/sh\nsleep 0.3\n: >"%s"\necho "ok wrote"\necho "1 passed, 0 failed, 0 skipped"\n' \
	"$tmp/written" >"$tmp/bin/writer"
printf '#!/bin/sh\nif [ -f "%s" ]; then echo "ok read"; echo "1 passed, 0 failed, 0 skipped"; else echo "FAIL read: not written yet"; echo "0 passed, 1 failed, 0 skipped"; fi\n' \
	"$tmp/written" >"$tmp/bin/reader"
chmod +x "$tmp/bin/writer" "$tmp/bin/reader"
at_once 4 "$tmp/bin/writer" --wait "$tmp/bin/reader"
judged "--wait holds later programs until earlier ones end" "$(
	[ "$rc" -eq 0 ] &&
	[ "$(tail -n 1 "$tmp/out")" = "2 passed, 0 failed, 0 skipped" ] && echo yes)"

at_once two "$tmp/bin/good"
judged "a bad CHECK_JOBS is an ERROR" "$(
	[ "$rc" -ne 0 ] &&
	grep -q "^ERROR run-tests: CHECK_JOBS=two is not a positive count$" "$tmp/out" &&
	[ "$(tail -n 1 "$tmp/out")" = "0 passed, 1 failed, 0 skipped" ] && echo yes)"

# --- the battery judge ---
cat >"$tmp/runner.c" <<'EOF'
static const struct selftest battery[] = {
	{ "version", check_version },
	{ "debug", check_debug },
};
EOF

# battery CHECK WANT_EXIT WANT_LINE RUNTIME: battery.sh on stdin's transcript.
battery() {
	cat >"$tmp/transcript"
	EXPECTED_SKIPS=$tmp/skips BATTERY_SOURCE=$tmp/runner.c \
		sh "$root/tests/results/battery.sh" "$4" "$tmp/transcript" >"$tmp/out"
	rc=$?
	if [ "$rc" -eq "$2" ] && grep -qxF "$3" "$tmp/out"; then
		pass=$((pass + 1))
		echo "ok $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: exit $rc (want $2), no line \"$3\" in:"
		sed 's/^/     /' "$tmp/out"
	fi
}

battery "battery: expected skip on its runtime" 0 "skip xen-test/debug: needs bootarg debug-hvc" xen-test <<'EOF'
(d1) selftest: ok version
(d1) selftest: skip debug: needs bootarg debug-hvc
(d1) selftest: 1 passed, 0 failed, 1 skipped
EOF
battery "battery: the same skip elsewhere fails" 1 "FAIL native/debug: skipped (needs bootarg debug-hvc), but tests/expected-skips has no row \"native debug\"" native <<'EOF'
(d1) selftest: ok version
(d1) selftest: skip debug: needs bootarg debug-hvc
(d1) selftest: 1 passed, 0 failed, 1 skipped
EOF
battery "battery: an expected skip that passes fails" 1 "FAIL xen-test/debug: passed, but tests/expected-skips expects a skip (needs bootarg debug-hvc): remove the row" xen-test <<'EOF'
(d1) selftest: ok version
(d1) selftest: ok debug
(d1) selftest: 2 passed, 0 failed, 0 skipped
EOF
battery "battery: a check that asserted nothing is an ERROR" 1 "ERROR native/debug: ran no assertion" native <<'EOF'
(d1) selftest: ok version
(d1) selftest: ERROR debug: ran no assertion
(d1) selftest: 1 passed, 1 failed, 0 skipped
EOF
battery "battery: a check missing from the transcript is an ERROR" 1 "ERROR native/debug: not in the transcript" native <<'EOF'
(d1) selftest: ok version
(d1) selftest: 1 passed, 0 failed, 0 skipped
EOF
battery "battery: totals that disagree are an ERROR" 1 "ERROR native/totals: the guest says 3 passed, 0 failed, 0 skipped; its lines say 2, 0, 0" native <<'EOF'
(d1) selftest: ok version
(d1) selftest: ok debug
(d1) selftest: 3 passed, 0 failed, 0 skipped
EOF
battery "battery: a failed check is a FAIL" 1 "FAIL native/version: XENVER_version = 0x30000" native <<'EOF'
(d1) selftest: FAIL version: XENVER_version = 0x30000
(d1) selftest: ok debug
(d1) selftest: 1 passed, 1 failed, 0 skipped
EOF

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
