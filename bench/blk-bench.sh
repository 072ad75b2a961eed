#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Block I/O figures: the guest's blk-bench workloads (bootarg blk-bench:
# 64 KiB sequential write and read at depth 4, 4 KiB random read and write
# at depth 1 and 32) natively and under the arm64 Image, each timed on the
# host from the moment its begin line reaches the console to its end line,
# and Debian's fio on the same image file as the bound (psync at depth 1,
# libaio at depth 32; buffered, as dom0's backend is). Wall-clock figures:
# they vary with the machine and its load.
set -eu
XENSIM=${XENSIM:-build/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
BYTES=$((16 * 1024 * 1024))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/bench.img

# guest RUNTIME KERNEL: "RUNTIME WORKLOAD IOPS MIB/S" lines.
guest() {
	"$BLKPATTERN" make "$img" $BYTES
	cat >"$dir/dom.cfg" <<CFG
name = "blk-bench"
memory = 128
kernel = "$2"
extra = "blk-bench"
disk = [ 'format=raw, vdev=xvda, access=rw, target=$img' ]
CFG
	# The workloads need more than the default instruction budget.
	"$XENSIM" run --max-insns 0 --timeout 600s "$dir/dom.cfg" 2>&1 | RT=$1 perl -MTime::HiRes=time -ne '
		if (/blk-bench: begin (\S+)/) { $t{$1} = time; }
		elsif (/blk-bench: end (\S+) (\d+) (\d+)( errors)?/) {
			my $d = time - $t{$1};
			printf "%s %s %.0f %.1f%s\n", $ENV{RT}, $1, $2 / $d,
			       $3 / $d / 1048576, $4 ? " errors" : "";
		}'
}

# fio NAME RW BS ENGINE DEPTH: "fio NAME IOPS MIB/S".
fio_run() {
	fio --name="$1" --filename="$img" --size=$BYTES --rw="$2" --bs="$3" \
	    --ioengine="$4" --iodepth="$5" --runtime=2 --time_based \
	    --minimal 2>/dev/null | awk -F';' -v n="$1" '{
		iops = $8 + $49; kib = $7 + $48;
		printf "fio %s %.0f %.1f\n", n, iops, kib / 1024 }'
}

{
	guest native "$XENSIM"
	guest arm64 build/arm64/Image
	"$BLKPATTERN" make "$img" $BYTES
	fio_run seqwrite-64k write 64k psync 1
	fio_run seqread-64k read 64k psync 1
	fio_run randread-4k-qd1 randread 4k psync 1
	fio_run randwrite-4k-qd1 randwrite 4k psync 1
	fio_run randread-4k-qd32 randread 4k libaio 32
	fio_run randwrite-4k-qd32 randwrite 4k libaio 32
} >"$dir/figures"

echo "block I/O (16 MiB raw image; IOPS, MiB/s in brackets)"
printf '%-18s %20s %20s %20s\n' workload native arm64 "fio (bound)"
for w in seqwrite-64k seqread-64k randread-4k-qd1 randwrite-4k-qd1 \
	 randread-4k-qd32 randwrite-4k-qd32; do
	printf '%-18s' "$w"
	for rt in native arm64 fio; do
		awk -v r="$rt" -v w="$w" '$1 == r && $2 == w {
			printf " %11s (%6s)", $3, $4; found = 1 }
			END { if (!found) printf " %20s", "-" }' "$dir/figures"
	done
	echo
done
