#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Targets that keep one machine for every input must reset all an input
# can change: for pairs of seed inputs A and B, running A, B and A again
# in one process must give A's digest (FUZZ_DIGEST: what the input made
# the code do) both times, the same as A run alone, and B its own alone.
# The emulated targets (fuzz_emu_*) run their first pair once more with
# guest memory watched the other way (XENSIM_EMU_WATCH=mprotect: page
# protection and a fault handler instead of userfaultfd, sim/emu_watch.c).
# A target that reports its coverage too (tests/lib/fuzz_edges.h) must
# give the same edges each time as well: an input whose edges depend on
# what ran before it is one AFL++ counts as unstable, and one libFuzzer
# keeps for what an earlier input did.
# One line per target and pair; the usual summary.
# Usage: fuzz-reset.sh PAIRS SEEDS GENERATED TARGET...
set -u
pairs=$1
seeds=$2
generated=$3
shift 3
pass=0
fail=0

# The digests one process prints for the inputs given, each with the
# edges that follow it, a run of equal ones as one: libFuzzer runs an
# input twice when it allocated (setting up the machine) without
# freeing, to look for leaks.
digests() {
	FUZZ_DIGEST=1 "$@" 2>&1 | awk '
		/^fuzz-digest / { if (d != "") print d; d = $2 }
		/^fuzz-edges / { print d " edges " $2 " " $3; d = "" }
		END { if (d != "") print d }' | uniq
}

# check_pair NAME TARGET A B [WHAT]: one line, counted.
check_pair() {
	name=$1 target=$2 a=$3 b=$4 what=${5:-}
	alone_a=$(digests "$target" "$a")
	alone_b=$(digests "$target" "$b")
	mixed=$(digests "$target" "$a" "$b" "$a" | tr '\n' ' ')
	want=$(printf '%s\n' "$alone_a" "$alone_b" "$alone_a" | uniq |
	       tr '\n' ' ')
	if [ -n "$alone_a" ] && [ -n "$alone_b" ] && [ "$mixed" = "$want" ]; then
		pass=$((pass + 1))
		echo "ok $name ${a##*/} ${b##*/}$what"
	else
		fail=$((fail + 1))
		echo "FAIL $name ${a##*/} ${b##*/}$what: A, B, A gave '$mixed'," \
		     "alone '$alone_a' and '$alone_b'" \
		     "(reproduce: FUZZ_DIGEST=1 $target $a $b $a)"
	fi
}

for target in "$@"; do
	name=${target##*/}
	inputs=$(ls "$seeds/$name"/* "$generated/$name"/* 2>/dev/null |
		 LC_ALL=C sort | head -n $((pairs * 2)))
	set -- $inputs
	if [ $# -lt 2 ]; then
		fail=$((fail + 1))
		echo "FAIL $name: fewer than two seed inputs"
		continue
	fi
	case $name in
	fuzz_emu_*)
		XENSIM_EMU_WATCH=mprotect check_pair "$name" "$target" "$1" \
			"$2" " (mprotect)" ;;
	esac
	while [ $# -ge 2 ]; do
		check_pair "$name" "$target" "$1" "$2"
		shift 2
	done
done
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
