#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Judges one run of the guest's self-check battery from its transcript.
# Usage: battery.sh RUNTIME TRANSCRIPT
# RUNTIME names the run in tests/expected-skips (native, arm64-gicv3-noxs,
# xen-domu, ...). The transcript may carry console prefixes ("(d1) ").
# Prints one line per check of the battery (the table in
# guest/selftest/runner.c), named RUNTIME/CHECK:
#   ok / FAIL: why / ERROR: why     as the guest reported it
#   skip: reason                    a skip the table expects, same reason
#   FAIL                            a skip the table lacks or words
#                                   otherwise, an expected skip that
#                                   passed, a check reported twice
#   ERROR                           a check missing from the transcript,
#                                   or totals that disagree with the lines
# and ends with "N passed, N failed, N skipped"; exits non-zero on any
# FAIL or ERROR.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
table=${EXPECTED_SKIPS:-$root/tests/expected-skips}
battery=${BATTERY_SOURCE:-$root/guest/selftest/runner.c}
[ $# -eq 2 ] || { echo "usage: battery.sh RUNTIME TRANSCRIPT" >&2; exit 2; }
runtime=$1
transcript=$2

if [ ! -r "$transcript" ]; then
	echo "ERROR $runtime/battery: no transcript $transcript"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# The battery's checks, in order, from its table; where the table
# includes conf_areas.h, the conformance areas listed there ("conf_AREA").
areas=${CONF_AREAS_SOURCE:-$(dirname "$battery")/conf_areas.h}
checks=$(awk -v areas="$areas" '
/^[[:space:]]*\{ "[a-z0-9_]+", check_[a-z0-9_]+ \},/ {
	sub(/^[[:space:]]*\{ "/, ""); sub(/".*/, ""); print; next
}
/^#include "conf_areas.h"/ {
	while ((getline l < areas) > 0)
		if (l ~ /^CONF_AREA\([a-z0-9_]+\)$/) {
			sub(/^CONF_AREA\(/, "conf_", l); sub(/\)$/, "", l); print l
		}
}' "$battery")

# The checks of secondary CPUs, which run only when the device tree lists
# several: judged when the transcript reports them.
smp=${SMP_SOURCE:-$(dirname "$battery")/checks_smp.c}
optional=$(sed -n 's/^[[:space:]]*{ \.name = "\([a-z0-9_]*\)".*/\1/p' "$smp" 2>/dev/null)

sed -E 's/\r$//; s/^\((d[0-9]+|XEN)\) //' "$transcript" |
awk -v runtime="$runtime" -v table="$table" -v checks="$checks" \
    -v optional="$optional" '
function report(s) { print s }
BEGIN {
	nchecks = split(checks, order, "\n")
	for (i = 1; i <= nchecks; i++) known[order[i]] = 1
	nopt = split(optional, opt, "\n")
	for (i = 1; i <= nopt; i++) {
		order[++nchecks] = opt[i]; known[opt[i]] = 1; maybe[opt[i]] = 1
	}
	while ((getline l < table) > 0) {
		sub(/#.*/, "", l); sub(/^[ \t]+/, "", l)
		if (split(l, f, /[ \t]+/) < 3 || f[1] != runtime) continue
		why = l; sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", why); sub(/[ \t]+$/, "", why)
		expect[f[2]] = why
	}
}
/^selftest: ok [a-z0-9_]+$/ { seen($3, "ok", ""); next }
/^selftest: (skip|FAIL|ERROR) [a-z0-9_]+: / {
	why = $0; sub(/^selftest: [A-Za-z]+ [a-z0-9_]+: /, "", why)
	name = $3; sub(/:$/, "", name)
	seen(name, $2, why); next
}
/^selftest: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
	totals++; t_pass = $2 + 0; t_fail = $4 + 0; t_skip = $6 + 0; next
}
function seen(name, what, why) {
	if (what == "FAIL") {
		if (!(name in fail_why)) fail_why[name] = why
		return
	}
	if (name in verdict) { twice[name] = 1; return }
	verdict[name] = what; reason[name] = why
}
END {
	for (i = 1; i <= nchecks; i++) {
		c = order[i]; id = runtime "/" c
		if ((c in maybe) && !(c in verdict) && !(c in fail_why))
			continue
		if (c in twice) {
			report("FAIL " id ": reported twice"); fail++; continue
		}
		if (c in fail_why) {
			report("FAIL " id ": " fail_why[c]); fail++; g_fail++; continue
		}
		if (!(c in verdict)) {
			report("ERROR " id ": not in the transcript"); fail++; continue
		}
		g_fail += verdict[c] == "ERROR"
		if (verdict[c] == "ERROR") {
			report("ERROR " id ": " reason[c]); fail++; continue
		}
		if (verdict[c] == "skip") {
			g_skip++
			if (!(c in expect)) {
				report("FAIL " id ": skipped (" reason[c] "), but tests/expected-skips has no row \"" runtime " " c "\""); fail++
			} else if (expect[c] != reason[c]) {
				report("FAIL " id ": skip reason \"" reason[c] "\" is not the table'"'"'s \"" expect[c] "\""); fail++
			} else {
				report("skip " id ": " reason[c]); skip++
			}
			continue
		}
		g_pass++
		if (c in expect) {
			report("FAIL " id ": passed, but tests/expected-skips expects a skip (" expect[c] "): remove the row"); fail++
		} else {
			report("ok " id); pass++
		}
	}
	for (c in verdict) if (!(c in known)) { report("ERROR " runtime "/" c ": not a check of the battery"); fail++ }
	for (c in expect) if (!(c in known)) { report("ERROR " runtime "/" c ": tests/expected-skips names a check the battery lacks"); fail++ }
	if (totals != 1) {
		report("ERROR " runtime "/totals: " totals + 0 " \"selftest: N passed, N failed, N skipped\" lines, want 1"); fail++
	} else if (t_pass != g_pass + 0 || t_fail != g_fail + 0 || t_skip != g_skip + 0) {
		report("ERROR " runtime "/totals: the guest says " t_pass " passed, " t_fail " failed, " t_skip " skipped; its lines say " g_pass + 0 ", " g_fail + 0 ", " g_skip + 0); fail++
	}
	print pass + 0 " passed, " fail + 0 " failed, " skip + 0 " skipped"
	exit fail > 0
}'
