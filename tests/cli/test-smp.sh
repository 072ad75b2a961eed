#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Several vCPUs natively and under arm64 and arm32 (ARM and Thumb-2): the
# guest starts CPU 1 with PSCI CPU_ON and runs its SMP check (IPIs both
# ways through event channels, an event bound to CPU 1, a counter both
# CPUs hammer with atomics, CPU_OFF and CPU_ON again, both CPUs producing
# into one ring under a lock while CPU 1 consumes it) under many seeds
# with 2 and 4 vCPUs, with the 2-level and the FIFO event ABI; the same
# seed gives the same run byte for byte; one vCPU leaves the battery as
# it was; domains of several vCPUs (native and emulated) run beside others
# in one run. The emulated sweeps of 100 seeds run the optimised build
# ($SMP_XENSIM, an emulated seed costs several times more under ASan);
# the sanitized one ($XENSIM) runs the native sweeps, a few emulated
# seeds of each image and everything else (make soak-smp: all of it
# sanitized, 100 seeds each). Run from the top of the tree; one line per
# check, then "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=build/arm64/Image
ZIMAGE=build/arm32/zImage
ZIMAGE_THUMB=build/arm32/zImage-thumb
SMP_XENSIM=${SMP_XENSIM:-build/xensim}
SEEDS=${SMP_SEEDS:-1-100}
SAN_SEEDS=${SMP_SAN_SEEDS:-1-3}
NATIVE_SEEDS=${SMP_NATIVE_SEEDS:-1-100}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# sweep N [IMAGE [SEEDS [BOOTARGS [XENSIM]]]]: every seed of SEEDS ($SEEDS)
# with N vCPUs powers off, its battery (SMP check included) whole; a
# failing check crashes the guest. IMAGE --native: the native guest.
# XENSIM: the build to run ($SMP_XENSIM).
sweep() {
	image=${2:-$IMAGE}
	seeds=${3:-$SEEDS}
	bootargs=${4:-}
	xensim=${5:-$SMP_XENSIM}
	rm -rf "$dir/t" && mkdir "$dir/t"
	"$xensim" run --seeds "$seeds" --transcripts "$dir/t" --vcpus "$1" \
		${SWEEP_FAULTS:+--faults "$SWEEP_FAULTS"} \
		${bootargs:+--bootargs "$bootargs"} \
		--max-insns "$BUDGET" "$image" >"$out" 2>&1 </dev/null
	rc=$?
	runs=$(ls "$dir/t" | wc -l)
	passed=$(grep -l "selftest: ok smp_shared_ring" \
		$(grep -l "selftest: ok smp_two_cpus" "$dir/t"/*.log) | wc -l)
	if [ "$rc" -eq 0 ] && [ "$runs" -gt 0 ] && [ "$passed" -eq "$runs" ] &&
	   grep -q "^seeds $seeds: $runs runs: $runs poweroff" "$out"; then
		ok "$xensim $image, vcpus $1${bootargs:+, $bootargs}: seeds $seeds all pass ($runs runs)"
	else
		bad_showing "$xensim $image, vcpus $1${bootargs:+, $bootargs}" \
			"exit $rc, $passed of $runs passed:"
	fi
}

for abi in "" evtchn-fifo; do
	sweep 2 --native "$NATIVE_SEEDS" "$abi" "$XENSIM"
	sweep 4 --native "$NATIVE_SEEDS" "$abi" "$XENSIM"
	for image in "$IMAGE" "$ZIMAGE" "$ZIMAGE_THUMB"; do
		sweep 2 "$image" "$SEEDS" "$abi"
		sweep 4 "$image" "$SEEDS" "$abi"
		sweep 2 "$image" "$SAN_SEEDS" "$abi" "$XENSIM"
	done
done

# Xen 4.17's CPU_OFF window, as --faults cpu-off plays it: a CPU_ON just
# after a CPU_OFF hands the new CPU context id 0. The guest takes its boot
# block from the mailbox, so every seed passes; some seeds must have hit.
SWEEP_FAULTS=cpu-off
for image in --native "$IMAGE" "$ZIMAGE" "$ZIMAGE_THUMB"; do
	if [ "$image" = --native ]; then
		sweep 2 "$image" 1-20 "" "$XENSIM"
	else
		sweep 2 "$image" 1-20
	fi
	hit=$(grep -c ', cpu-off [1-9]' "$out")
	if [ "$hit" -gt 0 ]; then
		ok "cpu-off window hit $image in $hit of 20 seeds"
	else
		bad "cpu-off window $image" "no seed of 1-20 lost a context id"
	fi
done
SWEEP_FAULTS=

# The same seed twice: the same interleaving, the same bytes.
for image in "$IMAGE" --native; do
	for n in 1 2; do
		"$XENSIM" run -v -v --seed 11 --vcpus 2 --max-insns "$BUDGET" \
			"$image" >"$dir/run$n" 2>&1 </dev/null
	done
	if cmp -s "$dir/run1" "$dir/run2" &&
	   grep -q "d1v1: vcpu_op" "$dir/run1"; then
		ok "$image, seed 11 twice: the same hypercall log, vCPU 1 in it"
	else
		cp "$dir/run1" "$out"
		bad_showing "$image, seed 11 twice" \
			"the runs differ or vCPU 1 never ran:"
	fi
done

# Domains of several vCPUs in one run: native ones of 2 and 4, an arm64
# and a Thumb-2 one of 2, beside an arm64 one of one vCPU: each SMP check
# passes, every domain powers off, under two seeds.
printf 'name = "two"\nmemory = 64\nvcpus = 2\n' >"$dir/two.cfg"
printf 'name = "four"\nmemory = 64\nvcpus = 4\n' >"$dir/four.cfg"
printf 'name = "a64"\nmemory = 64\nvcpus = 2\nkernel = "%s"\n' \
	"$IMAGE" >"$dir/a64.cfg"
printf 'name = "thumb"\nmemory = 64\nvcpus = 2\nkernel = "%s"\n' \
	"$ZIMAGE_THUMB" >"$dir/thumb.cfg"
for seed in 0 5; do
	"$XENSIM" run --seed "$seed" --max-insns "$BUDGET" "$dir/two.cfg" \
		"$dir/four.cfg" "$dir/a64.cfg" "$dir/thumb.cfg" "$IMAGE" \
		>"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] &&
	   [ "$(grep -c '^(d[1-4]) selftest: ok smp_two_cpus' "$out")" -eq 4 ] &&
	   [ "$(grep -c '^(d[1-4]) selftest: ok smp_shared_ring' "$out")" -eq 4 ] &&
	   [ "$(grep -c '^xensim: d[1-5] .*: poweroff' "$out")" -eq 5 ]; then
		ok "several domains, seed $seed: native, arm64 and Thumb-2 SMP pass"
	else
		bad_showing "several domains, seed $seed" "exit $rc:"
	fi
done

expect "one vCPU: no SMP check" 0 "selftest: 40 passed, 0 failed, 1 skipped" \
	-- run --vcpus 1 "$IMAGE"
if grep -q smp_two_cpus "$out"; then
	bad "one vCPU: no SMP check" "the SMP check ran with one vCPU"
fi
expect "native, 8 vCPUs" 0 "selftest: ok smp_two_cpus" \
	-- run --native --vcpus 8 --seed 3
expect "arm64, 8 vCPUs" 0 "selftest: ok smp_two_cpus" \
	-- run --vcpus 8 --seed 3 "$IMAGE"

finish
