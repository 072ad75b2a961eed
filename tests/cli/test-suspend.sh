#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Suspend and resume (xensim run --suspend-resume): dom0's toolstack asks
# for suspends (--suspend-cycles) at virtual times the seed picks; the
# guest quiesces, suspends, and comes back in a new domain (shared_info,
# events 2-level and FIFO, grant frames, console, xenstore and its block
# device rebuilt, the block self-check passing again each time and the
# image holding its pattern) or with the suspend cancelled; natively and
# under the emulated arm64 and arm32 CPUs; the same seed gives the same
# transcript; without --suspend-resume a suspend is kept (exit 7), as on
# Xen 4.17 for ARM. Run from the top of the tree; one line per check,
# then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=15

# cycles NAME WANT_RESUMES PHRASE -- XENSIM_RUN_ARGS...: the run powers
# off, the battery passed, and the guest says PHRASE after each of the
# WANT_RESUMES suspends.
cycles() {
	name=$1 want=$2 phrase=$3
	shift 4
	timeout 120 "$XENSIM" run --max-insns "$BUDGET" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	got=$(grep -c "xensim guest: $phrase" "$out")
	if [ "$rc" -ne 0 ]; then
		bad_showing "$name" "exit $rc (want 0)"
	elif [ "$got" -ne "$want" ]; then
		bad_showing "$name" "$got resumes (want $want)"
	elif ! grep -q "selftest: [0-9]* passed, 0 failed" "$out" ||
	     grep -q "Sanitizer\|ERROR\|FAIL" "$out"; then
		bad_showing "$name" "the battery did not pass"
	else
		ok "$name"
	fi
}

new="resumed in a new domain"
cycles native-new-host 3 "$new" -- --native --suspend-resume \
	--suspend-cycles 3 --bootargs wait-shutdown
cycles native-fifo-seed7 3 "$new" -- --native --suspend-resume \
	--suspend-cycles 3 --seed 7 --bootargs "wait-shutdown evtchn-fifo"
cycles native-cancel 2 "suspend cancelled" -- --native \
	--suspend-resume=cancel --suspend-cycles 2 --seed 2 \
	--bootargs wait-shutdown
cycles arm64-fifo-seed3 2 "$new" -- --suspend-resume --suspend-cycles 2 \
	--seed 3 --bootargs "wait-shutdown evtchn-fifo" build/arm64/Image
cycles arm32-thumb-seed5 2 "$new" -- --suspend-resume --suspend-cycles 2 \
	--seed 5 --bootargs wait-shutdown build/arm32/zImage-thumb

# disk NAME CYCLES SIZE [KERNEL] -- ARGS: the block self-check passes at boot
# and after each resume, on the disk's new backend, and the host finds the
# pattern in the image.
disk() {
	name=$1 n=$2 size=$3 kernel=$4
	shift 5
	rm -f "$dir/$name.img"
	truncate -s "$size" "$dir/$name.img"
	{
		echo "name = \"$name\""
		echo "memory = 64"
		echo "cmdline = \"blk-selftest wait-shutdown\""
		[ -n "$kernel" ] && echo "kernel = \"$kernel\""
		echo "disk = [ \"format=raw, vdev=xvda, access=rw, target=$dir/$name.img\" ]"
	} >"$dir/$name.cfg"
	timeout 120 "$XENSIM" run --max-insns "$BUDGET" --suspend-resume \
		--suspend-cycles "$n" "$@" "$dir/$name.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	passes=$(grep -c "blk-selftest: [1-9][0-9]* passed, 0 failed" "$out")
	if [ "$rc" -ne 0 ]; then
		bad_showing "$name" "exit $rc (want 0)"
	elif [ "$passes" -ne $((n + 1)) ]; then
		bad_showing "$name" "$passes block self-checks passed (want $((n + 1)))"
	elif ! "$BLKPATTERN" check "$dir/$name.img" >"$dir/check" 2>&1; then
		bad_showing "$name" "image: $(cat "$dir/check")"
	else
		ok "$name"
	fi
}

disk disk-native-seed4 3 4M "" -- --seed 4
disk disk-arm64-seed9 1 1M build/arm64/Image -- --seed 9 --max-insns 1000000000

# The same seed, the same transcript, resumes and all.
same() {
	"$XENSIM" run --max-insns "$BUDGET" --native --suspend-resume \
		--suspend-cycles 2 --seed 11 \
		--bootargs "wait-shutdown evtchn-fifo" >"$dir/$1" 2>/dev/null </dev/null
}
same a
same b
if cmp -s "$dir/a" "$dir/b" && [ "$(grep -c "$new" "$dir/a")" -eq 2 ]; then
	ok same-seed-same-transcript
else
	out=$dir/b
	bad_showing same-seed-same-transcript "the two runs differ"
fi

# Every seed of a sweep powers off after its resumes.
timeout 120 "$XENSIM" run --seeds 1-20 --max-insns "$BUDGET" --native \
	--suspend-resume --suspend-cycles 2 --bootargs wait-shutdown \
	>"$out" 2>&1 </dev/null
if [ $? -eq 0 ] && grep -q "20 runs: 20 poweroff" "$out"; then
	ok seeds-1-20-poweroff
else
	bad_showing seeds-1-20-poweroff "not every seed powered off"
fi

# Without --suspend-resume the toolstack's suspend is the last: kept, 7.
expect default-kept-suspended 7 "kept suspended" -- run --native \
	--suspend-cycles 1 --bootargs wait-shutdown
expect bad-mode 1 "wants new-host or cancel" -- run --native \
	--suspend-resume=later
expect refuses-no-xenstore 1 "asks through xenstore" -- run --native \
	--no-xenstore --suspend-cycles 1

finish
