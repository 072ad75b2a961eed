#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Devices across suspend and resume (xensim run --suspend-resume), with
# the toolstack's suspends at virtual times the seed picks. Block (bootarg
# blk-suspend): writes and reads in flight at each suspend; the answers
# the old backend left on the ring are taken in, the rest resubmitted on
# the new ring; every read returns the last acknowledged write, every
# acknowledged write is read back at the end, and the host finds the
# self-check's pattern in the image; a sweep of seeds counts the requests
# in flight at the suspends; a new backend that closes again while the
# frontend reconnects (--faults reclose) gets it reconnected once more.
# xenstore (bootarg xs-suspend): a transaction
# open across each suspend ends in EAGAIN and is retried, a watch held
# across it is registered again and fires. Natively and under the
# emulated arm64 and arm32 Thumb-2 CPUs. Run from the top of the tree; one line per check,
# then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
SUSPEND_SEEDS=${SUSPEND_SEEDS:-1-40}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=15

# disk_cfg NAME KERNEL: a domain of bootarg blk-suspend on a fresh 1 MiB
# image that does not hold the pattern.
disk_cfg() {
	rm -f "$dir/$1.img"
	"$BLKPATTERN" make "$dir/$1.img" 1048576
	{
		echo "name = \"$1\""
		echo "memory = 64"
		echo "cmdline = \"blk-suspend\""
		[ -n "$2" ] && echo "kernel = \"$2\""
		echo "disk = [ \"format=raw, vdev=xvda, access=rw, target=$dir/$1.img\" ]"
	} >"$dir/$1.cfg"
}

# suspends FILE: "SUSPENDS IN_FLIGHT_SUSPENDS REQUESTS ANSWERED
# RESUBMITTED" over the transcript(s) FILE...
suspends() {
	cat "$@" | awk '
		/blk-suspend: suspend [0-9]+ with/ {
			n++; s += $6; if ($6 > 0) p++
		}
		/resumed: [0-9]+ answer/ {
			a += $6; r += $13
		}
		END { printf "%d %d %d %d %d\n", n, p, s, a, r }'
}

# blk NAME CYCLES KERNEL -- ARGS: one run; it powers off after CYCLES
# resumes, every blk-suspend step passed, and the image is the pattern.
blk() {
	name=$1 n=$2 kernel=$3
	shift 4
	disk_cfg "$name" "$kernel"
	timeout 300 "$XENSIM" run --max-insns 2000000000 --suspend-resume \
		--suspend-cycles "$n" "$@" "$dir/$name.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	set -- $(suspends "$out")
	if [ "$rc" -ne 0 ]; then
		bad_showing "$name" "exit $rc (want 0)"
	elif [ "$1" -ne "$n" ] || ! grep -q "blk-suspend: [1-9][0-9]* passed, 0 failed" "$out" ||
	     grep -q "Sanitizer\|FAIL" "$out"; then
		bad_showing "$name" "$1 of $n suspends, or a step failed"
	elif ! "$BLKPATTERN" check "$dir/$name.img" >"$dir/check" 2>&1; then
		bad_showing "$name" "image: $(cat "$dir/check")"
	elif [ -n "$MUST_SEE" ] && ! grep -q "$MUST_SEE" "$out"; then
		bad_showing "$name" "the transcript never says: $MUST_SEE"
	else
		ok "$name: $1 suspends, $3 request(s) in flight at them, $4 answered before, $5 resubmitted"
	fi
}

MUST_SEE=
blk blk-native-seed4 3 "" -- --seed 4
blk blk-native-seed0 2 "" -- --seed 0
blk blk-arm64-seed9 2 build/arm64/Image -- --seed 9
blk blk-thumb-seed3 2 build/arm32/zImage-thumb -- --seed 3

# The new host's backend closes again while the resumed frontend
# reconnects and resubmits (--faults reclose; these seeds make it close
# before it is Connected, at the first resume): blkfront connects once
# more and resubmits, and every step above still holds.
MUST_SEE="closed again while we reconnected after the resume"
blk blk-reclose-native-seed5 3 "" -- --seed 5 --faults reclose
blk blk-reclose-arm64-seed2 2 build/arm64/Image -- --seed 2 --faults reclose
MUST_SEE=

# The sweep: every seed's suspends come with requests in flight, some
# answered before the suspend and taken from the old ring, the rest
# resubmitted, and the two add up to what was in flight.
sweep() {
	name=$1 seeds=$2 kernel=$3
	disk_cfg "$name" "$kernel"
	mkdir -p "$dir/$name"
	timeout 600 "$XENSIM" run --seeds "$seeds" --transcripts "$dir/$name" \
		--max-insns 2000000000 --suspend-resume --suspend-cycles 3 \
		"$dir/$name.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	runs=$(ls "$dir/$name" | wc -l)
	passed=$(grep -l "blk-suspend: [1-9][0-9]* passed, 0 failed" "$dir/$name"/*.log | wc -l)
	set -- $(suspends "$dir/$name"/*.log)
	if [ "$rc" -ne 0 ] || [ "$passed" -ne "$runs" ] || [ "$runs" -eq 0 ]; then
		bad_showing "$name" "exit $rc, $passed of $runs runs passed"
	elif [ "$1" -ne $((runs * 3)) ] || [ $(($2 * 4)) -lt $(($1 * 3)) ]; then
		bad "$name" "$1 suspends ($((runs * 3)) wanted), $2 with requests in flight"
	elif [ "$4" -eq 0 ] || [ "$5" -eq 0 ] || [ $(($4 + $5)) -ne "$3" ]; then
		bad "$name" "$3 in flight, $4 answered before the suspend, $5 resubmitted"
	else
		ok "$name: $runs seeds, $1 suspends, $2 with requests in flight, $3 requests in flight in all: $4 answered before the suspend, $5 resubmitted"
	fi
}

sweep blk-native-seeds "$SUSPEND_SEEDS" ""
sweep blk-arm64-seeds 1-6 build/arm64/Image

# Cancelled suspends: the same rings, nothing resubmitted, all answered.
disk_cfg cancel ""
expect blk-cancel 0 "blk-suspend: [1-9][0-9]* passed, 0 failed" -- run \
	--native --suspend-resume=cancel --suspend-cycles 2 --seed 5 \
	"$dir/cancel.cfg"

# The same seed, the same transcript.
same() {
	disk_cfg same ""
	"$XENSIM" run --max-insns "$BUDGET" --suspend-resume --suspend-cycles 2 \
		--seed 13 "$dir/same.cfg" >"$dir/$1" 2>/dev/null </dev/null
}
same a
same b
if cmp -s "$dir/a" "$dir/b" && grep -q "blk-suspend: suspend 2 with" "$dir/a"; then
	ok blk-same-seed-same-transcript
else
	out=$dir/b
	bad_showing blk-same-seed-same-transcript "the two runs differ"
fi

# xenstore (bootarg xs-suspend): each suspend comes with a transaction
# open; in a new domain its next request ends in EAGAIN and the retry
# commits; the watch held across it fires again (registered again) and
# on a write after it. Cancelled, the transaction just goes on.
xs() {
	name=$1 n=$2 retried=$3
	shift 4
	timeout 300 "$XENSIM" run --max-insns 2000000000 --suspend-cycles "$n" \
		--bootargs xs-suspend "$@" >"$out" 2>&1 </dev/null
	rc=$?
	got=$(grep -c "xs-suspend: ok $retried: " "$out")
	again=$(grep -c "xs-suspend: ok watch-registered-again: " "$out")
	fires=$(grep -c "xs-suspend: ok watch-fires-after-resume: " "$out")
	if [ "$rc" -ne 0 ] || ! grep -q "xs-suspend: [1-9][0-9]* passed, 0 failed" "$out" ||
	   grep -q "Sanitizer\|FAIL" "$out"; then
		bad_showing "$name" "exit $rc, or a step failed"
	elif [ "$got" -ne "$n" ] || [ "$fires" -ne "$n" ] ||
	     { [ "$retried" = txn-eagain-retried ] && [ "$again" -ne "$n" ]; }; then
		bad_showing "$name" "$got $retried, $again watches registered again, $fires fired, of $n"
	else
		ok "$name: $got transaction(s) open at a suspend, $again watch(es) registered again"
	fi
}

xs xs-native-seed3 3 txn-eagain-retried -- --native --suspend-resume --seed 3
xs xs-native-fifo-seed8 2 txn-eagain-retried -- --native --suspend-resume \
	--seed 8 --bootargs "xs-suspend evtchn-fifo"
xs xs-native-cancel 2 txn-kept-when-cancelled -- --native \
	--suspend-resume=cancel --seed 2
xs xs-arm64-seed5 2 txn-eagain-retried -- --suspend-resume --seed 5 \
	build/arm64/Image
xs xs-thumb-seed2 2 txn-eagain-retried -- --suspend-resume --seed 2 \
	build/arm32/zImage-thumb

finish
