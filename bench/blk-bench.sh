#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Block I/O figures: the guest's blk-bench workloads (bootarg blk-bench:
# 64 KiB sequential write and read at depth 4, 4 KiB random read and write
# at depth 1 and 32) natively and under the arm64 Image, run by the
# optimised, sanitizer-free build/xensim, beside Debian's fio on the
# same image file as the bound.
#
# Host wall-clock time of the I/O phase only: each workload runs from the
# moment its begin line reaches the console to the moment its end line
# does (read as they arrive, so boot and shutdown are not counted), and
# bootarg blk-bench-scale multiplies its request count so that it lasts
# about a second or more (the seconds column says how long).
#
# fio: same file, same size, same block size and depth, buffered like
# dom0's backend (pread/pwrite on the page cache, no O_DIRECT) and with the
# page cache left warm (invalidate=0) as it is for the guest, which has
# just written the image; psync at depth 1 (and for the 64 KiB sequential
# rows, where the guest keeps 4 in flight), libaio at depth 32. On a
# buffered file libaio submits synchronously, so its depth-32 rows bound
# what one thread of copies does, not a deep device queue.
# Wall-clock figures: they vary with the machine and its load.
set -eu
XENSIM=${XENSIM:-build/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
# Request-count multipliers: native runs are about 5 times as fast.
NATIVE_SCALE=${BLK_BENCH_NATIVE_SCALE:-25}
ARM64_SCALE=${BLK_BENCH_ARM64_SCALE:-10}
BYTES=$((16 * 1024 * 1024))
WORKLOADS="seqwrite-64k seqread-64k randread-4k-qd1 randwrite-4k-qd1
	   randread-4k-qd32 randwrite-4k-qd32"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/bench.img

# guest RUNTIME KERNEL SCALE: "RUNTIME WORKLOAD IOPS MIB/S SECONDS" lines.
guest() {
	"$BLKPATTERN" make "$img" $BYTES
	cat >"$dir/dom.cfg" <<CFG
name = "blk-bench"
memory = 128
kernel = "$2"
extra = "blk-bench blk-bench-scale=$3"
disk = [ 'format=raw, vdev=xvda, access=rw, target=$img' ]
CFG
	# The workloads need more than the default instruction budget.
	"$XENSIM" run --max-insns 0 --timeout 900s "$dir/dom.cfg" 2>&1 |
	RT=$1 perl -MTime::HiRes=time -ne '
		my $now = time;
		if (/blk-bench: begin (\S+)/) { $t{$1} = $now; }
		elsif (/blk-bench: end (\S+) (\d+) (\d+)( errors)?/) {
			my $d = $now - $t{$1};
			printf "%s %s %.0f %.1f %.2f%s\n", $ENV{RT}, $1,
			       $2 / $d, $3 / $d / 1048576, $d,
			       $4 ? " errors" : "";
		}'
}

# fio NAME RW BS ENGINE DEPTH: "fio NAME IOPS MIB/S SECONDS ENGINE".
fio_run() {
	fio --name="$1" --filename="$img" --size=$BYTES --rw="$2" --bs="$3" \
	    --ioengine="$4" --iodepth="$5" --direct=0 --invalidate=0 \
	    --runtime=2 --time_based --minimal 2>/dev/null |
	awk -F';' -v n="$1" -v e="$4,qd$5,buffered" '{
		iops = $8 + $49; kib = $7 + $48;
		printf "fio %s %.0f %.1f 2.00 %s\n", n, iops, kib / 1024, e }'
}

{
	guest native "$XENSIM" "$NATIVE_SCALE"
	guest arm64 build/arm64/Image "$ARM64_SCALE"
	"$BLKPATTERN" make "$img" $BYTES
	fio_run seqwrite-64k write 64k psync 1
	fio_run seqread-64k read 64k psync 1
	fio_run randread-4k-qd1 randread 4k psync 1
	fio_run randwrite-4k-qd1 randwrite 4k psync 1
	fio_run randread-4k-qd32 randread 4k libaio 32
	fio_run randwrite-4k-qd32 randwrite 4k libaio 32
} >"$dir/figures"

echo "block I/O (16 MiB raw image, $XENSIM, blk-bench-scale=$NATIVE_SCALE" \
     "native, $ARM64_SCALE arm64;" \
     "IOPS, MiB/s and seconds timed in brackets; ratios to fio's IOPS)"
printf '%-17s %25s %25s %18s  %-20s %7s %7s\n' workload native arm64 \
       "fio (bound)" "fio engine" nat/fio a64/fio
for w in $WORKLOADS; do
	awk -v w="$w" '
		$2 == w { iops[$1] = $3; mib[$1] = $4; sec[$1] = $5;
			  if ($1 == "fio") eng = $6;
			  else if ($6 == "errors") err = err " " $1 }
		function cell(r, width) {
			if (!(r in iops)) return sprintf("%" width "s", "-")
			return sprintf("%9s (%6s %5ss)", iops[r], mib[r], sec[r])
		}
		function ratio(r) {
			if (!(r in iops) || !iops["fio"]) return sprintf("%7s", "-")
			return sprintf("%6.0f%%", 100 * iops[r] / iops["fio"])
		}
		END {
			printf "%-17s %s %s %9s (%6s)  %-20s %s %s%s\n", w,
			       cell("native", 25), cell("arm64", 25),
			       ("fio" in iops) ? iops["fio"] : "-",
			       ("fio" in iops) ? mib["fio"] : "-", eng,
			       ratio("native"), ratio("arm64"),
			       err ? "  (errors:" err ")" : ""
		}' "$dir/figures"
done
