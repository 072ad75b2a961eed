#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Whole-process figures: what a user waits for, from fork to exit, running
# build/xensim (-O2, no sanitizers): min, median and max of RUNS runs each
# (bench/proc_time.c), beside the same arm64 Image booted as dom0 on real
# Xen 4.17 under QEMU in the same run (XEN_RUNS runs) when
# qemu-system-aarch64 and build/xen are there. The in-process boot (no
# process start, no engine creation) is bench_unicorn's figure.
set -u
BUILD=${BUILD:-build}
XENSIM=${XENSIM:-$BUILD/xensim}
TIME=${PROC_TIME:-$BUILD/bench/proc_time}
RUNS=${RUNS:-20}
XEN_RUNS=${XEN_RUNS:-5}
IMAGE=$BUILD/arm64/Image
XEN=$BUILD/xen/boot/xen-4.17-arm64
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# measure LABEL RUNS CMD...: one line of figures, kept in $out too.
measure() {
	label=$1 n=$2
	shift 2
	if "$TIME" -n "$n" -w 1 -l "$label" -- "$@" >"$out"; then
		sed 's/^/proc-bench: /' "$out"
	else
		echo "proc-bench: $label: a run failed"
		: >"$out"
	fi
}

# field NAME: the figure NAME (min, median, max) of the last line.
field() {
	sed -n "s/.* $1 \([0-9.]*\) ms.*/\1/p" "$out"
}

echo "proc-bench: whole processes of $XENSIM, from fork to exit"
measure "xensim --help" "$RUNS" "$XENSIM" --help
measure "xensim run --native" "$RUNS" "$XENSIM" run --native
measure "xensim run arm64 Image" "$RUNS" "$XENSIM" run "$IMAGE"
sim_min=$(field min) sim_med=$(field median)
measure "xensim run arm32 zImage" "$RUNS" "$XENSIM" run "$BUILD/arm32/zImage"

if ! command -v qemu-system-aarch64 >/dev/null || [ ! -f "$XEN" ]; then
	echo "proc-bench: real Xen under QEMU: not measured here" \
		"(qemu-system-aarch64 or $XEN missing; make interop)"
	exit 0
fi
measure "same Image as dom0 on Xen 4.17 under QEMU (TCG)" "$XEN_RUNS" \
	qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu cortex-a57 -smp 1 -m 1024 -nographic -no-reboot -nic none \
	-kernel "$XEN" -append \
	"dom0_mem=128M console=dtuart dtuart=/pl011@9000000" \
	-device "guest-loader,addr=0x49000000,kernel=$IMAGE,bootargs=console=hvc0"
xen_min=$(field min) xen_med=$(field median)
if [ -n "$sim_med" ] && [ -n "$xen_med" ]; then
	awk -v sm="$sim_med" -v xm="$xen_med" -v sb="$sim_min" -v xb="$xen_min" \
		'BEGIN { printf "proc-bench: a whole xensim arm64 run is %.1fx" \
		" faster than real Xen under QEMU by the medians, %.1fx by" \
		" the minimums (goal >= 50x)\n", xm / sm, xb / sb }'
fi
