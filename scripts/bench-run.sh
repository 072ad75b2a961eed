#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make bench: each benchmark program in turn, a progress line on stderr
# before each (how many done, the rate, the time left); stops at the first
# that fails. Usage: bench-run.sh PROGRAM...
set -u
. "$(dirname "$0")/progress.sh"
progress_start $# "make bench" programs
done_=0
for b in "$@"; do
	progress_show "$done_" "next: ${b##*/}"
	"$b" || exit 1
	done_=$((done_ + 1))
done
progress_show "$done_" "done"
