#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Guest-to-guest network figures: two guests in one run of build/xensim,
# one blasting UDP frames at the other's discard port (bootarg net-blast),
# the other counting them (net-sink); two native guests (the guest built
# into xensim, each a coroutine with its own globals), then two
# arm64 guests. Each size runs with a small and a large frame count, best
# of RUNS, and the figures come from the difference (boot and handshake
# cancel out): frame bytes (Gb/s) for 1514-byte frames, frames per second
# (Mpps) for 64-byte ones. Prints figures, asserts nothing on time.
set -u
XENSIM=${XENSIM:-build/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
RUNS=${NET_BENCH_RUNS:-3}
tmp=$(mktemp -d /tmp/net-bench.XXXXXX)
trap 'rm -f "$tmp"/*; rmdir "$tmp"' EXIT

now_ns() { date +%s%N; }

# run KERNEL FRAMES SIZE: "NS SUNK" of the fastest of RUNS runs.
run() {
	cat >"$tmp/a.cfg" <<CFG
name = "blaster"
memory = 64
kernel = "$1"
extra = "net-test net-ip=1 net-peer=2 net-count=1 net-linger=0 net-blast=$2 net-size=$3"
vif = [ 'bridge=xensim0' ]
CFG
	cat >"$tmp/b.cfg" <<CFG
name = "sink"
memory = 64
kernel = "$1"
extra = "net-test net-ip=2 net-linger=0 net-sink=$2"
vif = [ 'bridge=xensim0' ]
CFG
	best=
	for i in $(seq "$RUNS"); do
		t0=$(now_ns)
		"$XENSIM" run -q "$tmp/a.cfg" "$tmp/b.cfg" >"$tmp/out" 2>&1
		rc=$?
		t1=$(now_ns)
		sunk=$(sed -n 's/^(d2) net-test: sink got \([0-9]*\) frames.*/\1/p' "$tmp/out")
		if [ "$rc" -ne 0 ] || [ -z "$sunk" ]; then
			echo "net-bench: the run of $2 frames of $3 bytes failed (exit $rc):" >&2
			tail -5 "$tmp/out" >&2
			return 1
		fi
		ns=$((t1 - t0))
		if [ -z "$best" ] || [ "$ns" -lt "${best%% *}" ]; then
			best="$ns $sunk"
		fi
	done
	echo "$best"
}

# figure NAME KERNEL SMALL LARGE SIZE WHAT
figure() {
	small=$(run "$2" "$3" "$5") && large=$(run "$2" "$4" "$5") || exit 1
	echo "$small $large" | awk -v name="$1" -v size="$5" -v what="$6" \
		-v small_n="$3" -v large_n="$4" '{
		dt = ($3 - $1) / 1e9; frames = $4 - $2
		printf "net %s guest -> guest, %s: %d more frames of %d " \
		       "bytes in %.3f s more: %.3f Gb/s, %.4f Mpps " \
		       "(sunk %d of %d and %d of %d)\n", name, what, frames,
		       size, dt, frames * size * 8 / dt / 1e9,
		       frames / dt / 1e6, $2, small_n, $4, large_n
	}'
}

N_SMALL=${NET_BENCH_NATIVE_SMALL:-20000}
N_LARGE=${NET_BENCH_NATIVE_LARGE:-400000}
A_SMALL=${NET_BENCH_SMALL:-2000}
A_LARGE=${NET_BENCH_LARGE:-20000}
# xensim's own path is the guest built into it.
figure native "$XENSIM" "$N_SMALL" "$N_LARGE" 1514 throughput
figure native "$XENSIM" "$N_SMALL" "$N_LARGE" 64 "frame rate"
figure arm64 "$IMAGE" "$A_SMALL" "$A_LARGE" 1514 throughput
figure arm64 "$IMAGE" "$A_SMALL" "$A_LARGE" 64 "frame rate"
