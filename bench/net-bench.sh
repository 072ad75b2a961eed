#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Guest-to-guest network figures under arm64: two guests in one run of
# build/xensim, one blasting UDP frames at the other's discard port
# (bootarg net-blast), the other counting them (net-sink). Each size runs
# with a small and a large frame count, best of RUNS, and the figures come
# from the difference (boot and handshake cancel out): frame bytes (Gb/s)
# for 1514-byte frames, frames per second (Mpps) for 64-byte ones.
# Prints figures, asserts nothing on time.
set -u
XENSIM=${XENSIM:-build/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
RUNS=${NET_BENCH_RUNS:-3}
SMALL=${NET_BENCH_SMALL:-2000}
LARGE=${NET_BENCH_LARGE:-20000}
tmp=$(mktemp -d /tmp/net-bench.XXXXXX)
trap 'rm -f "$tmp"/*; rmdir "$tmp"' EXIT

now_ns() { date +%s%N; }

# run FRAMES SIZE: "NS SUNK" of the fastest of RUNS runs.
run() {
	cat >"$tmp/a.cfg" <<CFG
name = "blaster"
memory = 64
kernel = "$IMAGE"
extra = "net-test net-ip=1 net-peer=2 net-count=1 net-linger=0 net-blast=$1 net-size=$2"
vif = [ 'bridge=xensim0' ]
CFG
	cat >"$tmp/b.cfg" <<CFG
name = "sink"
memory = 64
kernel = "$IMAGE"
extra = "net-test net-ip=2 net-linger=0 net-sink=$1"
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
			echo "net-bench: the run of $1 frames of $2 bytes failed (exit $rc):" >&2
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

figure() {
	small=$(run "$SMALL" "$1") && large=$(run "$LARGE" "$1") || exit 1
	echo "$small $large" | awk -v size="$1" -v what="$2" '{
		dt = ($3 - $1) / 1e9; frames = $4 - $2
		printf "net arm64 guest -> guest, %s: %d more frames of %d " \
		       "bytes in %.3f s more: %.3f Gb/s, %.4f Mpps " \
		       "(sunk %d of %d and %d of %d)\n", what, frames, size, dt,
		       frames * size * 8 / dt / 1e9, frames / dt / 1e6,
		       $2, small_n, $4, large_n
	}' small_n="$SMALL" large_n="$LARGE"
}

figure 1514 throughput
figure 64 "frame rate"
