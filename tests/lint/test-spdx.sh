#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every source file of the tree names its licence in an SPDX line within
# its first three lines (README.md, "Licence"). One check per kind of
# file; a file without the line is named. Run from the top of the tree.
set -u
pass=0
fail=0
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	list() { git ls-files; }
else
	list() { find . -path ./build -prune -o -type f -print | sed 's|^\./||'; }
fi

# without_spdx: of the files named on stdin, one a line, those without the
# line in their first three lines (one awk for all: a process per file is
# slow). An empty file has no first line: check_kind names those.
without_spdx() {
	xargs -r -d '\n' awk '
	FNR == 1 { if (name != "" && !seen) print name; name = FILENAME; seen = 0 }
	FNR <= 3 && /SPDX-License-Identifier: / { seen = 1 }
	FNR > 3 { if (!seen) print name; name = ""; nextfile }
	END { if (name != "" && !seen) print name }'
}

check_kind() { # NAME GLOB-REGEX
	missing=$(list | grep -E "$2" | without_spdx;
		list | grep -E "$2" | while read -r f; do [ -s "$f" ] || echo "$f"; done)
	count=$(list | grep -cE "$2")
	if [ "$count" -eq 0 ]; then
		fail=$((fail + 1))
		echo "ERROR $1: no such files found (is this the top of the tree?)"
	elif [ -z "$missing" ]; then
		pass=$((pass + 1))
		echo "ok   $1: $count files carry an SPDX line"
	else
		fail=$((fail + 1))
		echo "FAIL $1: without an SPDX line:"
		echo "$missing" | sed 's/^/     /'
	fi
}

check_kind "C sources and headers" '\.(c|h|def)$'
check_kind "assembly and linker scripts" '\.(S|ld)$'
check_kind "shell scripts" '(\.sh|^\.ci/run)$'
check_kind "make and awk files" '(\.mk|^Makefile|\.awk)$'

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
