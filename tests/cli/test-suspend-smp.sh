#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Secondary CPUs online across suspends (bootarg smp-suspend, xensim run
# --suspend-resume --suspend-cycles 2): with 2 and 4 vCPUs, the 2-level
# and the FIFO event ABI, natively and under arm64 and arm32 (ARM and
# Thumb-2), every seed of a few powers off with every step passed: each
# secondary busy (IPIs, a bound event, its timer) until CPU 0 parks it,
# each registering its vcpu_info, runstate area, FIFO control block and
# ports again after each resume in a new domain, then IPIs to each CPU,
# the event bound to each, each CPU's timer and smp_shared_ring with CPU 1
# online. Cancelled, nothing is registered again. The check's lines are
# the same whatever the seed and the runtime; the same seed gives the
# same transcript. The emulated sweeps run the optimised build
# ($SMP_XENSIM), the native ones the sanitized one ($XENSIM). Run from the
# top of the tree; one line per check, then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
SMP_XENSIM=${SMP_XENSIM:-build/xensim}
IMAGE=build/arm64/Image
ZIMAGE=build/arm32/zImage
ZIMAGE_THUMB=build/arm32/zImage-thumb
NATIVE_SEEDS=${SMP_SUSPEND_NATIVE_SEEDS:-1-4}
SEEDS=${SMP_SUSPEND_SEEDS:-1-2}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# steps N MODE: the steps one run passes with N vCPUs over two suspends
# (MODE new-host or cancel): per secondary one line at boot, and per
# cycle its registrations, IPIs, bound event and timer; per cycle busy,
# parked, resumed, CPU 0's timer and the shared ring, and in a new domain
# CPU 0 refused CPU 1's registration; then busy and end.
steps() {
	refused=2
	[ "${2:-new-host}" = cancel ] && refused=0
	echo $(( ($1 - 1) * 9 + 12 + refused ))
}

# sweep NAME XENSIM VCPUS SEEDS MODE BOOTARGS [KERNEL]: every seed powers
# off, its transcript with every step passed, the suspends resumed as MODE
# says and each secondary registered again (new-host) or not (cancel)
# after each of them; its smp-suspend lines the same, byte for byte, as
# those of every other seed and runtime with the same vCPUs, ABI and MODE.
sweep() {
	name=$1 xensim=$2 vcpus=$3 seeds=$4 mode=$5 bootargs=$6 kernel=${7:---native}
	rm -rf "$dir/t" && mkdir "$dir/t"
	"$xensim" run --seeds "$seeds" --transcripts "$dir/t" --vcpus "$vcpus" \
		--max-insns "$BUDGET" --suspend-resume="$mode" \
		--suspend-cycles 2 --bootargs "smp-suspend $bootargs" \
		"$kernel" >"$out" 2>&1 </dev/null
	rc=$?
	runs=$(ls "$dir/t" | wc -l)
	want=$(steps "$vcpus" "$mode")
	if [ "$mode" = cancel ]; then
		again="ok kept:" resumed="suspend cancelled"
	else
		again="ok reregistered:" resumed="resumed in a new domain"
	fi
	good=0
	ref=$dir/ref-$vcpus-$mode-${bootargs:-2l}
	for t in "$dir"/t/*.log; do
		[ -f "$t" ] || continue
		grep "smp-suspend:" "$t" >"$dir/lines"
		[ -f "$ref" ] || cp "$dir/lines" "$ref"
		cmp -s "$dir/lines" "$ref" &&
		grep -q "smp-suspend: $want passed, 0 failed" "$t" &&
		[ "$(grep -c "smp-suspend: $again" "$t")" -eq $(( (vcpus - 1) * 2 )) ] &&
		[ "$(grep -c "xensim guest: $resumed" "$t")" -eq 2 ] &&
		! grep -q "Sanitizer\|smp-suspend: FAIL" "$t" &&
		good=$((good + 1))
	done
	if [ "$rc" -eq 0 ] && [ "$runs" -gt 0 ] && [ "$good" -eq "$runs" ] &&
	   grep -q "^seeds $seeds: $runs runs: $runs poweroff" "$out"; then
		ok "$name: seeds $seeds, $want steps each"
	else
		bad_showing "$name" "exit $rc, $good of $runs runs passed all $want steps"
	fi
}

for abi in "" evtchn-fifo; do
	tag=${abi:-2-level}
	tag=${tag#evtchn-}
	for v in 2 4; do
		sweep "native $v vCPUs $tag" "$XENSIM" $v "$NATIVE_SEEDS" \
			new-host "$abi"
		for image in "$IMAGE" "$ZIMAGE" "$ZIMAGE_THUMB"; do
			sweep "${image#build/} $v vCPUs $tag" "$SMP_XENSIM" $v \
				"$SEEDS" new-host "$abi" "$image"
		done
	done
done
sweep "native 4 vCPUs FIFO, cancelled" "$XENSIM" 4 1-2 cancel evtchn-fifo
sweep "arm64 2 vCPUs, cancelled" "$SMP_XENSIM" 2 3-3 cancel "" "$IMAGE"

# The same seed, the same transcript.
for image in --native "$IMAGE"; do
	for n in 1 2; do
		"$SMP_XENSIM" run --max-insns "$BUDGET" --vcpus 4 \
			--suspend-resume --suspend-cycles 2 --seed 9 \
			--bootargs "smp-suspend evtchn-fifo" "$image" \
			>"$dir/run$n" 2>&1 </dev/null
	done
	if cmp -s "$dir/run1" "$dir/run2" &&
	   grep -q "smp-suspend: $(steps 4) passed, 0 failed" "$dir/run1"; then
		ok "$image, seed 9 twice: the same transcript"
	else
		cp "$dir/run2" "$out"
		bad_showing "$image, seed 9 twice" "the runs differ or failed:"
	fi
done

finish
