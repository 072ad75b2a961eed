#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# scripts/fuzz-run.sh judged on fake targets that print a canned libFuzzer
# log: the table must give the inputs, execs/s, cov and ft of the log's
# last status line (never numbers quoted from an input on that line, as a
# dictionary entry's bytes are), and a target that did not run must come
# out as an error. Run from the top of the tree; ends with
# "N passed, N failed, N skipped".
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
mkdir -p "$tmp/bin" "$tmp/seeds" "$tmp/generated"

# target NAME EXIT: a fake target printing stdin's here-document on stderr,
# as libFuzzer does, and exiting with EXIT.
target() {
	{ echo '#!/bin/sh'; echo 'cat >&2 <<"LOG"'; cat; echo 'LOG'
	  echo "exit $2"; } >"$tmp/bin/$1"
	chmod +x "$tmp/bin/$1"
}

# The last status line quotes a dictionary entry that reads like fields.
target fuzz_dict 0 <<'LOG'
INFO: Seed: 1
#2	INITED cov: 17 ft: 18 corp: 1/1b exec/s: 0 rss: 30Mb
#1024	pulse  cov: 120 ft: 400 corp: 20/1000b lim: 4 exec/s: 512 rss: 31Mb
#1500	NEW    cov: 123 ft: 456 corp: 21/1030b lim: 4 exec/s: 500 rss: 31Mb L: 30/30 MS: 2 CMP-PersAutoDict- DE: " cov: 9 ft: 7 "-
Done 2000 runs in 4 second(s)
stat::number_of_executed_units: 2000
stat::average_exec_per_sec:     500
LOG
# Plain: the last line is DONE; an earlier line quotes an entry.
target fuzz_plain 0 <<'LOG'
#3	NEW    cov: 5 ft: 6 corp: 2/2b lim: 4 exec/s: 0 rss: 30Mb L: 1/1 MS: 1 ManualDict- DE: "#9	NEW    cov: 8"-
#4000	DONE   cov: 31 ft: 77 corp: 5/40b lim: 4096 exec/s: 4000 rss: 32Mb
Done 4000 runs in 1 second(s)
stat::number_of_executed_units: 4000
stat::average_exec_per_sec:     4000
LOG
# Did not run: no status line, no final stats, exit 1.
target fuzz_broken 1 <<'LOG'
ERROR: something went wrong before the first input
LOG

# expect NAME WANT: the table's row for NAME, from its second column on,
# must read WANT (columns: inputs exec/s exec/cpu-s cov ft corpus result;
# exec/cpu-s is dropped: it depends on the CPU time the fake took).
expect() {
	got=$(awk -v name="$1" '$1 == name {
		$1 = ""; $4 = ""; sub(/^ +/, ""); gsub(/  +/, " "); print }' "$tmp/out")
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
		echo "ok $1: $got"
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$got', want '$2'"
	fi
}

sh "$root/scripts/fuzz-run.sh" 1 3 "$tmp/out.d" "$tmp/seeds" "$tmp/generated" \
	"$tmp/bin/fuzz_dict" "$tmp/bin/fuzz_plain" "$tmp/bin/fuzz_broken" \
	>"$tmp/out" 2>/dev/null
rc=$?
expect fuzz_dict "2000 500 123 456 0 ok"
expect fuzz_plain "4000 4000 31 77 0 ok"
expect fuzz_broken "? ? ? ? 0 ERROR: exit 1, see $tmp/out.d/logs/fuzz_broken.log"
if [ "$rc" -ne 0 ]; then
	pass=$((pass + 1))
	echo "ok fuzz-run.sh exits non-zero when a target did not run"
else
	fail=$((fail + 1))
	echo "FAIL fuzz-run.sh exited 0 though fuzz_broken did not run"
fi
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
