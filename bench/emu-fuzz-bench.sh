#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The emulated fuzz targets' speed: build/fuzz/fuzz_emu_blkfront and
# fuzz_emu_xs (ASan, UBSan, libFuzzer; the arm64 Image under Unicorn
# 2.1.1, reset from its snapshot for every input), each run for RUNS
# inputs from its seeds with a fixed seed, and the inputs per CPU second
# (user + system, the boot and the snapshot included), libFuzzer's
# coverage (cov: host edges, ft: features, the guest's edges among them)
# and corpus size. A figure, never judged. FUZZ_EMU names other targets.
set -u
BUILD=${BUILD:-build}
TARGETS=${FUZZ_EMU:-"$BUILD/fuzz/fuzz_emu_blkfront $BUILD/fuzz/fuzz_emu_xs"}
RUNS=${RUNS:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

for target in $TARGETS; do
	name=${target##*/}
	rm -rf "$work/corpus" && mkdir "$work/corpus"
	cp tests/fuzz/seeds/"$name"/* "$work/corpus"/
	if ! /usr/bin/time -f '%U %S' -o "$work/.cpu" "$target" \
		-runs="$RUNS" -seed=1 -max_len=8192 "$work/corpus" \
		>"$work/.log" 2>&1; then
		tail -n 20 "$work/.log"
		echo "emu-fuzz-bench: $target failed"
		status=1
		continue
	fi
	last=$(grep -E '^#[0-9]+[[:space:]].*cov: ' "$work/.log" | tail -n 1)
	awk -v runs="$RUNS" -v last="$last" -v name="$name" '{
		cpu = $1 + $2
		cov = last; sub(/.* cov: /, "", cov); sub(/ .*/, "", cov)
		ft = last; sub(/.* ft: /, "", ft); sub(/ .*/, "", ft)
		corp = last; sub(/.* corp: /, "", corp); sub(/\/.*/, "", corp)
		rate = cpu > 0 ? runs / cpu : 0
		fmt = "emu-fuzz-bench: %s %d inputs in %.2f CPU s: "
		fmt = fmt "%.0f inputs per CPU second (cov %s, ft %s, corpus %s)\n"
		printf fmt, name, runs, cpu, rate, cov, ft, corp
	}' "$work/.cpu"
done
exit $status
