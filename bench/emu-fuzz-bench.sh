#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The emulated fuzz target's speed: build/fuzz/fuzz_emu_blkfront (ASan,
# UBSan, libFuzzer; the arm64 Image under Unicorn 2.1.1, reset from its
# snapshot for every input) run for RUNS inputs from its seeds with a fixed
# seed, and the inputs per CPU second (user + system, the boot and the
# snapshot included), libFuzzer's coverage (cov: host edges, ft: features,
# the guest's edges among them) and corpus size. A figure, never judged.
set -u
BUILD=${BUILD:-build}
TARGET=${FUZZ_EMU:-$BUILD/fuzz/fuzz_emu_blkfront}
RUNS=${RUNS:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp tests/fuzz/seeds/fuzz_emu_blkfront/* "$work"/
if ! /usr/bin/time -f '%U %S' -o "$work/.cpu" "$TARGET" -runs="$RUNS" \
	-seed=1 -max_len=8192 "$work" >"$work/.log" 2>&1; then
	tail -n 20 "$work/.log"
	echo "emu-fuzz-bench: $TARGET failed"
	exit 1
fi
last=$(grep -E '^#[0-9]+[[:space:]].*cov: ' "$work/.log" | tail -n 1)
awk -v runs="$RUNS" -v last="$last" '{
	cpu = $1 + $2
	cov = last; sub(/.* cov: /, "", cov); sub(/ .*/, "", cov)
	ft = last; sub(/.* ft: /, "", ft); sub(/ .*/, "", ft)
	corp = last; sub(/.* corp: /, "", corp); sub(/\/.*/, "", corp)
	rate = cpu > 0 ? runs / cpu : 0
	fmt = "emu-fuzz-bench: fuzz_emu_blkfront %d inputs in %.2f CPU s: "
	fmt = fmt "%.0f inputs per CPU second (cov %s, ft %s, corpus %s)\n"
	printf fmt, runs, cpu, rate, cov, ft, corp
}' "$work/.cpu"
