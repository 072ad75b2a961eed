# SPDX-License-Identifier: BSD-2-Clause
# Judges one test program's output the way XTF judges a test: SUCCESS,
# SKIP, ERROR or FAILURE (worst first: FAILURE, ERROR, SKIP, SUCCESS).
# Only the program's own top-level lines count: a line that a guest
# printed ("(d1) selftest: 3 passed, 0 failed") or that is indented never
# matches. Two formats are read:
#   CMocka  "[ RUN      ] t" followed by "[       OK ] t", "[  FAILED  ] t",
#           "[  SKIPPED ] t" or "[  ERROR   ] t", and the group's totals
#           "[==========] N test(s) run." / "[  PASSED  ] N test(s)." /
#           "[  FAILED  ] N test(s), listed below:" /
#           "[  SKIPPED ] N test(s), listed below:", which must agree.
#   plain   "ok NAME", "FAIL NAME: why", "skip NAME: why", "ERROR NAME: why",
#           and as the last non-empty line "N passed, N failed, N skipped",
#           which must agree with those lines (ERROR counts as failed).
# Every skip must be a row of the expected-skips table (file `table`):
# "WHERE CHECK REASON...", WHERE being the program's name or, for a skip
# named "RUNTIME/CHECK", the battery runtime. A plain skip's reason must be
# the table's. A row for this program that did not skip fails.
# Inputs: -v prog=NAME -v rc=EXIT_STATUS -v table=FILE, the output on stdin.
# Output: "RESULT WORD PASSED FAILED SKIPPED", then lines to show.

function note(s) { notes[++nnotes] = s }

function worse(word) {
	if (rank[word] > rank[result])
		result = word
}

function load_table(    line, f, where, check, reason) {
	while ((getline line < table) > 0) {
		sub(/#.*/, "", line)
		sub(/^[ \t]+/, "", line)
		if (split(line, f, /[ \t]+/) < 3)
			continue
		where = f[1]; check = f[2]
		reason = line
		sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", reason)
		sub(/[ \t]+$/, "", reason)
		expected[where SUBSEP check] = reason
		if (where == prog)
			mine[check] = reason
	}
	close(table)
}

# A skip of check `name`, with the reason the program gave ("" if none).
function judge_skip(name, why,    key, where, check, slash) {
	where = prog; check = name
	slash = index(name, "/")
	if (slash > 0 && ((substr(name, 1, slash - 1) SUBSEP substr(name, slash + 1)) in expected)) {
		where = substr(name, 1, slash - 1)
		check = substr(name, slash + 1)
	}
	key = where SUBSEP check
	skipped_name[name] = 1
	if (!(key in expected)) {
		failed++
		worse("FAILURE")
		note("FAIL " name ": skipped (" (why == "" ? "no reason given" : why) ") but tests/expected-skips has no row \"" where " " check "\"")
		return
	}
	if (why != "" && why != expected[key]) {
		failed++
		worse("FAILURE")
		note("FAIL " name ": skip reason \"" why "\" is not the table's \"" expected[key] "\"")
		return
	}
	skipped++
	worse("SKIP")
	note("skip " name ": " expected[key])
}

# "NAME: why" -> sets cname and cwhy.
function split_reason(s,    p) {
	p = index(s, ": ")
	if (p > 0) { cname = substr(s, 1, p - 1); cwhy = substr(s, p + 2) }
	else { cname = s; cwhy = "" }
}

function judge_cmocka(    i, l, cur, name, runs, total, sum_pass, sum_fail, sum_skip) {
	runs = 0; sum_pass = -1; sum_fail = 0; sum_skip = 0
	for (i = 1; i <= n; i++) {
		l = line[i]
		if (l ~ /^\[ RUN      \] /) { cur = substr(l, 14); continue }
		if (l ~ /^\[==========\] [0-9]+ test\(s\) run\.$/) {
			runs++; total = l; sub(/^\[==========\] /, "", total); total += 0
			continue
		}
		if (l ~ /^\[  PASSED  \] [0-9]+ test\(s\)\.$/) {
			sum_pass = substr(l, 14) + 0; continue
		}
		if (l ~ /^\[  FAILED  \] [0-9]+ test\(s\), listed below:$/) {
			sum_fail = substr(l, 14) + 0; continue
		}
		if (l ~ /^\[  SKIPPED \] [0-9]+ test\(s\), listed below:$/) {
			sum_skip = substr(l, 14) + 0; continue
		}
		if (cur == "")
			continue
		name = substr(l, 14)
		if (name != cur)
			continue
		if (l ~ /^\[       OK \] /) { passed++; ok_name[cur] = 1; cur = "" }
		else if (l ~ /^\[  FAILED  \] /) { failed++; worse("FAILURE"); note("FAIL " cur); cur = "" }
		else if (l ~ /^\[  ERROR   \] /) { failed++; worse("ERROR"); note("ERROR " cur); cur = "" }
		else if (l ~ /^\[  SKIPPED \] /) { judge_skip(cur, ""); cmocka_skips++; cur = "" }
	}
	if (runs != 1) {
		worse("ERROR")
		note("ERROR " prog ": " runs " CMocka \"test(s) run.\" lines, want exactly 1")
		return
	}
	if (sum_pass < 0 || sum_pass != passed || sum_fail + sum_skip + sum_pass != total ||
	    sum_skip != cmocka_skips || passed + failed + cmocka_skips != total) {
		worse("ERROR")
		note("ERROR " prog ": CMocka's totals (" total " run, " (sum_pass < 0 ? "no" : sum_pass) " passed, " sum_fail " failed, " sum_skip " skipped) disagree with its per-test lines (" passed " ok, " failed " failed, " cmocka_skips " skipped)")
	}
}

function judge_plain(    i, l, last, f, want_pass, want_fail, want_skip) {
	last = 0
	for (i = n; i >= 1; i--)
		if (line[i] ~ /[^ \t]/) { last = i; break }
	for (i = 1; i < last; i++) {
		l = line[i]
		if (l ~ /^ok +[^ ]/) {
			sub(/^ok +/, "", l); passed++; ok_name[l] = 1
		} else if (l ~ /^FAIL +[^ ]/) {
			sub(/^FAIL +/, "", l); failed++; worse("FAILURE")
		} else if (l ~ /^ERROR +[^ ]/) {
			sub(/^ERROR +/, "", l); failed++; worse("ERROR")
		} else if (l ~ /^skip +[^ ]/) {
			sub(/^skip +/, "", l); split_reason(l)
			plain_skips++
			judge_skip(cname, cwhy)
		}
	}
	if (last == 0 || line[last] !~ /^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/) {
		worse("ERROR")
		note("ERROR " prog ": its last line is not \"N passed, N failed, N skipped\"" (last ? ": " line[last] : " (no output)"))
		return
	}
	split(line[last], f, /[ ,]+/)
	want_pass = f[1] + 0; want_fail = f[3] + 0; want_skip = f[5] + 0
	if (want_pass != passed || want_skip != plain_skips ||
	    want_fail != failed - unexpected_skips()) {
		worse("ERROR")
		note("ERROR " prog ": summary \"" line[last] "\" disagrees with its lines (" passed + 0 " ok, " failed - unexpected_skips() " FAIL/ERROR, " plain_skips + 0 " skip)")
	}
}

# Unexpected or mis-reasoned skips were counted as failures by judge_skip.
function unexpected_skips() { return plain_skips - skipped }

BEGIN {
	passed = failed = skipped = plain_skips = cmocka_skips = 0
	rank["SUCCESS"] = 0; rank["SKIP"] = 1; rank["ERROR"] = 2; rank["FAILURE"] = 3
	result = "SUCCESS"
	load_table()
}

{ sub(/\r$/, ""); line[++n] = $0 }

END {
	cmocka = 0
	for (i = 1; i <= n; i++)
		if (line[i] ~ /^\[==========\] [0-9]+ test\(s\) run\.$/)
			cmocka = 1
	if (cmocka)
		judge_cmocka()
	else
		judge_plain()
	for (c in mine) {
		if (c in skipped_name)
			continue
		failed++
		worse("FAILURE")
		if (c in ok_name)
			note("FAIL " c ": passed, but tests/expected-skips expects it to skip (" mine[c] "): remove the row")
		else
			note("FAIL " c ": tests/expected-skips expects a skip (" mine[c] ") that was not reported")
	}
	if (rc != 0 && failed == 0) {
		worse("ERROR")
		note("ERROR " prog ": exit status " rc " but no failure reported" (rc > 128 ? " (killed by signal " rc - 128 ")" : ""))
	}
	if (rc == 0 && failed > 0) {
		worse("ERROR")
		note("ERROR " prog ": failures reported but exit status 0")
	}
	if (passed + failed + skipped == 0) {
		worse("ERROR")
		note("ERROR " prog ": checked nothing")
	}
	print "RESULT " result " " passed + 0 " " failed + 0 " " skipped + 0
	for (i = 1; i <= nnotes; i++)
		print notes[i]
}
