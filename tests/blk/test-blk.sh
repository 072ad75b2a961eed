#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# PV block devices end to end: for each runtime (native, arm64 Image,
# arm32 zImage ARM and Thumb-2), sector size and set of backend features,
# make a fresh raw image in a temporary directory, write an xl.cfg with
# `disk = [ 'format=raw, vdev=xvda, access=rw, target=IMG' ]` and
# `extra = "blk-selftest"`, run it, require the guest's block self-check
# to end "0 failed" with exit 0, the device the guest describes to have
# exactly the features the backend was told to offer, and the image to
# match the pattern byte for byte on the host (build/blkpattern). Runs
# are independent (own image, config, no socket), so BLK_JOBS of them
# (default 2) run at once; their lines are printed in a fixed order. Run
# from the top of the tree; one line per check, then "N passed, N failed,
# N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
BLK_JOBS=${BLK_JOBS:-2}

# The device with every feature on, as the self-check describes it; each
# --blkback switch changes one part (expect_features).
ALL_QUEUES=2 ALL_PAGES=4 ALL_SEGMENTS=16
ALL_FLAGS="flush barrier discard secure-discard persistent"

# expect_features OPTS: what the self-check's description line says after
# "), " for a backend told OPTS.
expect_features() {
	queues=$ALL_QUEUES pages=$ALL_PAGES segments=$ALL_SEGMENTS
	flush=flush barrier=barrier discard=discard secure=secure-discard
	persistent=persistent
	for o in $(echo "$1" | tr , ' '); do
		case $o in
		no-flush) flush=flush-by-barrier ;;
		no-barrier) barrier= ;;
		no-discard) discard= secure= ;;
		no-discard-secure) secure= ;;
		no-persistent) persistent= ;;
		no-indirect|max-indirect-segments=0) segments=11 ;;
		max-ring-page-order=*) pages=$((1 << ${o#*=})) ;;
		max-queues=*) queues=${o#*=} ;;
		esac
	done
	[ -z "$barrier" ] && [ "$flush" = flush-by-barrier ] && flush=
	echo "$queues queue(s) of $pages ring page(s), depth 32," \
	     "$segments segments," $flush $barrier $discard $secure $persistent
}

# one_run DIR NAME KERNEL BYTES BLKBACK_OPTS MORE_BOOTARGS: one run in DIR;
# writes DIR/verdict: "ok NAME" or "FAIL NAME: why", then the lines of
# the run that say why, indented.
one_run() {
	d=$1 name=$2 kernel=$3 bytes=$4 opts=$5 more=$6
	img=$d/disk.img
	if ! "$BLKPATTERN" make "$img" "$bytes"; then
		echo "FAIL $name: cannot make the image" >"$d/verdict"
		return
	fi
	cat >"$d/dom.cfg" <<CFG
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
	asan=${ASAN_OPTIONS:-}
	# Unicorn 2.0.1 keeps no dirty-page bitmap, so every guest store
	# allocates and frees a little; under ASan's default 256 MiB
	# quarantine each allocation lands on a fresh page. 8 MiB halves an
	# emulated run's CPU time; native runs keep the default.
	[ "$kernel" != "$XENSIM" ] && asan=${asan:+$asan:}quarantine_size_mb=8
	ASAN_OPTIONS=$asan "$XENSIM" "$@" "$d/dom.cfg" >"$d/out" 2>&1 </dev/null
	rc=$?
	summary=$(grep "blk-selftest: [0-9]* passed" "$d/out")
	want=$(expect_features "$opts")
	have=$(sed -n 's/.*blk-selftest: device.*), \([0-9]* queue.*\)/\1/p' \
		"$d/out")
	why=
	if [ "$rc" -ne 0 ]; then
		why="exit $rc"
	elif ! echo "$summary" | grep -q " 0 failed"; then
		why="self-check said \"${summary:-nothing}\""
	elif [ "$have" != "$want" ]; then
		why="device has \"$have\", want \"$want\""
	elif ! "$BLKPATTERN" check "$img" 2>"$d/why"; then
		why=$(cat "$d/why")
	fi
	if [ -z "$why" ]; then
		echo "ok $name ($(echo "$summary" | sed 's/.*blk-selftest: //'))"
	else
		echo "FAIL $name: $why"
		sed 's/^/     /' "$d/out" | grep -v "xensim guest\|selftest: ok" |
			tail -n 15
	fi >"$d/verdict"
}

# A job: "$0 --job LINE", LINE as queue() wrote it.
if [ "${1:-}" = --job ]; then
	IFS='|' read -r id name kernel bytes opts more <<LINE
$2
LINE
	one_run "$BLK_DIR/$id" "$name" "$kernel" "$bytes" "$opts" "$more"
	exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
jobs=0

# queue NAME KERNEL BYTES BLKBACK_OPTS [MORE_BOOTARGS]
queue() {
	jobs=$((jobs + 1))
	mkdir "$dir/$jobs"
	printf '%s|%s|%s|%s|%s|%s\n' "$jobs" "$1" "$2" "$3" "$4" "${5:-}" \
		>>"$dir/jobs"
}

OFF=no-flush,no-barrier,no-discard,no-persistent,no-indirect,max-ring-page-order=0,max-queues=1
FEATURES_OFF="no-flush no-barrier no-discard no-discard-secure no-persistent
	no-indirect max-ring-page-order=0 max-queues=1"
MIB=1048576

# Emulated runs get 256 KiB disks: the pattern costs about 1.3 s of CPU
# per MiB under Unicorn, and 256 KiB still takes batches at every depth.
for k in native:$XENSIM:$MIB arm64:build/arm64/Image:262144 \
	 arm32:build/arm32/zImage:262144 thumb:build/arm32/zImage-thumb:262144
do
	rt=${k%%:*} rest=${k#*:}
	kernel=${rest%%:*} bytes=${rest#*:}
	queue "$rt 512-byte sectors, every feature" "$kernel" "$bytes" ""
	queue "$rt 4096-byte sectors, every feature" "$kernel" "$bytes" \
		"sector-size=4096"
	queue "$rt 512-byte sectors, features off" "$kernel" "$bytes" "$OFF"
	queue "$rt 4096-byte sectors, features off" "$kernel" "$bytes" \
		"$OFF,sector-size=4096"
done

# Each feature off on its own, with both sector sizes, natively, under
# arm64 and arm32 ARM; Thumb-2 (the same C, other encodings) takes each
# feature once, the sector sizes alternating. The emulated disks are
# 128 KiB: a run's cost is mostly the frontend's set-up, and 128 KiB
# still takes requests past 11 segments (indirect ones).
thumb_size=512
for f in $FEATURES_OFF; do
	for s in 512 4096; do
		queue "native $s $f" "$XENSIM" $MIB "$f,sector-size=$s"
		queue "arm64 $s $f" build/arm64/Image 131072 "$f,sector-size=$s"
		queue "arm32 $s $f" build/arm32/zImage 131072 \
			"$f,sector-size=$s"
	done
	queue "thumb $thumb_size $f" build/arm32/zImage-thumb 131072 \
		"$f,sector-size=$thumb_size"
	thumb_size=$((4608 - thumb_size))
done
# Reduced rather than off, natively.
queue "native max-ring-page-order=1" "$XENSIM" $MIB max-ring-page-order=1
queue "native max-queues=2" "$XENSIM" $MIB max-queues=2
queue "native 4096-byte logical on 4096 physical" "$XENSIM" $MIB \
	"sector-size=4096,physical-sector-size=4096"
queue "native evtchn-fifo" "$XENSIM" $MIB "" evtchn-fifo

BLK_DIR=$dir XENSIM=$XENSIM BLKPATTERN=$BLKPATTERN \
	xargs -P "$BLK_JOBS" -I LINE sh "$0" --job LINE <"$dir/jobs"
id=0
while [ "$id" -lt "$jobs" ]; do
	id=$((id + 1))
	if [ ! -s "$dir/$id/verdict" ]; then
		bad "run $id of $jobs" "left no verdict"
		continue
	fi
	first=$(head -n 1 "$dir/$id/verdict")
	case $first in
	"ok "*) ok "${first#ok }" ;;
	*) first=${first#FAIL }
	   bad "${first%%: *}" "${first#*: }" ;;
	esac
	tail -n +2 "$dir/$id/verdict"
done

# The host check itself can fail: one flipped byte is noticed.
img=$dir/1/disk.img
cp "$img" "$dir/flip.img"
printf '\377' | dd of="$dir/flip.img" bs=1 seek=4097 conv=notrunc 2>/dev/null
if ! "$BLKPATTERN" check "$img" ||
   "$BLKPATTERN" check "$dir/flip.img" 2>/dev/null; then
	bad "blkpattern notices a wrong image" "check passed"
else
	ok "blkpattern notices a wrong image"
fi

# So does the description check: a backend told nothing must not be
# taken for one with flush turned off.
if [ "$(expect_features no-flush)" = "$(expect_features "")" ] ||
   [ "$(expect_features "")" != "2 queue(s) of 4 ring page(s), depth 32, 16 segments, flush barrier discard secure-discard persistent" ]; then
	bad "feature expectations differ per switch" "they do not"
else
	ok "feature expectations differ per switch"
fi

finish
