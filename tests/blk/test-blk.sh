#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# PV block devices end to end: for each runtime (native, arm64 Image,
# arm32 zImage ARM and Thumb-2), sector size and set of backend features,
# make a fresh raw image in a temporary directory, write an xl.cfg with
# `disk = [ 'format=raw, vdev=xvda, access=rw, target=IMG' ]` and
# `extra = "blk-selftest"`, run it, require the guest's block self-check
# to end "0 failed" with exit 0, and check the image byte for byte against
# the pattern on the host (build/blkpattern). Run from the top of the tree;
# one line per check, then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# blk_bad NAME WHY: a failed check, with the lines of the run that say why.
blk_bad() {
	bad "$1" "$2"
	[ -f "$dir/out" ] && sed 's/^/     /' "$dir/out" | grep -v "xensim guest\|selftest: ok" | tail -n 15
	return 0
}

# run NAME KERNEL BYTES BLKBACK_OPTS [MORE_BOOTARGS]
run() {
	name=$1 kernel=$2 bytes=$3 opts=$4 more=${5:-}
	img=$dir/disk.img
	rm -f "$img" "$dir/out"
	if ! "$BLKPATTERN" make "$img" "$bytes"; then
		blk_bad "$name" "cannot make the image"
		return
	fi
	cat >"$dir/dom.cfg" <<CFG
name = "blk"
memory = 64
kernel = "$kernel"
extra = "blk-selftest $more"
disk = [ 'format=raw, vdev=xvda, access=rw, target=$img' ]
CFG
	# A budget well above a run's needs (about 10^8 under Unicorn for a
	# 256 KiB disk), so a guest that spins still ends.
	set -- run --max-insns 2000000000
	[ -n "$opts" ] && set -- "$@" --blkback "$opts"
	"$XENSIM" "$@" "$dir/dom.cfg" >"$dir/out" 2>&1 </dev/null
	rc=$?
	summary=$(grep "blk-selftest: [0-9]* passed" "$dir/out")
	if [ "$rc" -ne 0 ]; then
		blk_bad "$name" "exit $rc"
	elif ! echo "$summary" | grep -q " 0 failed"; then
		blk_bad "$name" "self-check said \"${summary:-nothing}\""
	elif ! "$BLKPATTERN" check "$img" 2>"$dir/why"; then
		blk_bad "$name" "$(cat "$dir/why")"
	else
		ok "$name ($(echo "$summary" | sed 's/.*blk-selftest: //'))"
	fi
}

OFF=no-flush,no-barrier,no-discard,no-persistent,no-indirect,max-ring-page-order=0,max-queues=1
MIB=1048576

# Emulated runs get 256 KiB disks: the pattern costs about 1.3 s of CPU
# per MiB under Unicorn, and 256 KiB still takes batches at every depth.
for k in native:$XENSIM:$MIB arm64:build/arm64/Image:262144 \
	 arm32:build/arm32/zImage:262144 thumb:build/arm32/zImage-thumb:262144
do
	rt=${k%%:*} rest=${k#*:}
	kernel=${rest%%:*} bytes=${rest#*:}
	run "$rt 512-byte sectors, every feature" "$kernel" "$bytes" ""
	run "$rt 4096-byte sectors, every feature" "$kernel" "$bytes" \
		"sector-size=4096"
	run "$rt 512-byte sectors, features off" "$kernel" "$bytes" "$OFF"
	run "$rt 4096-byte sectors, features off" "$kernel" "$bytes" \
		"$OFF,sector-size=4096"
done

# Each feature off on its own, natively.
for f in no-flush no-barrier no-discard no-discard-secure no-persistent \
	 no-indirect max-ring-page-order=1 max-queues=2; do
	run "native $f" "$XENSIM" $MIB "$f"
done
run "native 4096-byte logical on 4096 physical" "$XENSIM" $MIB \
	"sector-size=4096,physical-sector-size=4096"
run "native evtchn-fifo" "$XENSIM" $MIB "" evtchn-fifo

# The host check itself can fail: one flipped byte is noticed.
cp "$dir/disk.img" "$dir/flip.img"
printf '\377' | dd of="$dir/flip.img" bs=1 seek=4097 conv=notrunc 2>/dev/null
if ! "$BLKPATTERN" check "$dir/disk.img" ||
   "$BLKPATTERN" check "$dir/flip.img" 2>/dev/null; then
	blk_bad "blkpattern notices a wrong image" "check passed"
else
	ok "blkpattern notices a wrong image"
fi

finish
