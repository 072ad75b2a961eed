#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Disks from a domain config, end to end: the guest's block self-check
# (bootarg blk-selftest) against dom0's block backend natively with
# features and sector sizes varied, and under the emulated arm64 and arm32
# CPUs; the image checked byte for byte on the host after; the same seed
# gives the same run and the same image; bad images and bad
# --blkback lists refused with the reason. Run from the top of the tree;
# one line per check, then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=15

# disk_cfg NAME IMAGE ACCESS [KERNEL]: a config with one disk, xvda.
disk_cfg() {
	{
		echo "name = \"$1\""
		echo "memory = 64"
		echo "cmdline = \"blk-selftest\""
		[ -n "${4:-}" ] && echo "kernel = \"$4\""
		echo "disk = [ \"format=raw, vdev=xvda, access=$3, target=$2\" ]"
	} >"$dir/$1.cfg"
}

# selftest NAME SIZE [KERNEL] -- XENSIM_OPTIONS...: every step passes and
# the host finds the guest's pattern in the image.
selftest() {
	name=$1 size=$2 kernel=$3
	shift 4
	rm -f "$dir/$name.img"
	truncate -s "$size" "$dir/$name.img"
	disk_cfg "$name" "$dir/$name.img" rw "$kernel"
	"$XENSIM" run --max-insns "$BUDGET" "$@" "$dir/$name.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad_showing "$name" "exit $rc"
	elif ! grep -q "blk-selftest: [1-9][0-9]* passed, 0 failed" "$out"; then
		bad_showing "$name" "the block self-check did not pass"
	elif ! "$BLKPATTERN" check "$dir/$name.img" >"$dir/check" 2>&1; then
		bad_showing "$name" "image: $(cat "$dir/check")"
	else
		ok "$name"
	fi
}

# refused NAME PATTERN -- ARGS...: exit 1 and the reason on the output.
refused() {
	name=$1 pattern=$2
	shift 3
	"$XENSIM" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$pattern" "$out"; then
		ok "$name"
	else
		bad_showing "$name" "exit $rc (want 1), no \"$pattern\""
	fi
}

selftest native-512 2M "" --
selftest native-4096-seed 2M "" -- --seed 7 --blkback sector-size=4096
selftest native-features-off 1M "" -- --blkback no-flush,no-barrier,no-discard,no-indirect,no-persistent,max-queues=1,max-ring-page-order=0
selftest arm64-512 512K build/arm64/Image --
selftest arm32-4096 512K build/arm32/zImage -- --blkback sector-size=4096

# Same seed, same run: transcript and image, byte for byte.
selftest seeded-a 1M "" -- --seed 11 -v
cp "$out" "$dir/out-a"
selftest seeded-b 1M "" -- --seed 11 -v
sed 's/seeded-b/seeded-a/g' "$out" >"$dir/out-b"
if cmp -s "$dir/out-a" "$dir/out-b" &&
   cmp -s "$dir/seeded-a.img" "$dir/seeded-b.img"; then
	ok same-seed-same-run
else
	bad_showing same-seed-same-run "transcripts or images differ"
fi

disk_cfg missing "$dir/nonexistent.img" rw
refused missing-image "disk xvda: disk image .*nonexistent.img: No such file" -- run "$dir/missing.cfg"
truncate -s 1000 "$dir/odd.img"
disk_cfg odd "$dir/odd.img" rw
refused odd-size "not a whole, non-zero number of 512-byte sectors" -- run "$dir/odd.cfg"
disk_cfg notfile "$dir" rw
refused directory-image "is not a regular file" -- run "$dir/notfile.cfg"
truncate -s 6144 "$dir/small.img"
disk_cfg small "$dir/small.img" rw
refused size-not-4096 "4096-byte sectors" -- run --blkback sector-size=4096 "$dir/small.cfg"
refused no-xenstore "PV disks need xenstore" -- run --no-xenstore "$dir/small.cfg"
refused bad-blkback-option "unknown option \"no-such\"" -- run --blkback no-such "$dir/small.cfg"
refused bad-blkback-value "max-queues must be 1 to 4" -- run --blkback max-queues=9 "$dir/small.cfg"

finish
