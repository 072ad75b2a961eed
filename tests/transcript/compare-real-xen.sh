#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Holds the real-Xen transcripts of tests/interop/run-interop.sh to the rule
# the simulator's runtimes follow: after tests/transcript/normalise.sh,
# what the guest printed on Xen 4.17 under QEMU must be exactly what it
# prints under xensim for the same image, GIC, RAM size and (missing)
# xenstore. Each dom0less domU is compared with a xensim run of its size
# (64 MiB; domu-bank1 3136 MiB) and vCPUs (the domu-smp* runs 2, domu-smp4 4)
# without xenstore; the dom0 with a run of 128 MiB (its dom0_mem) without
# xenstore, the dom0 rules of the normaliser (--dom0) hiding what makes it
# a dom0. What the normaliser hides and why: fixtures/transcripts/README.md.
# A real-Xen log that is missing, or older than its image, says nothing
# about that image: a FAILURE, never a skip. Xen's own "Invalid HVC imm"
# lines are held to the model's too. make check runs this after
# the interop runs (CHECK_LAST in mk/sim.mk); run it from the top of the
# tree. One line per transcript; ends with "N passed, N failed, N skipped".
set -u
BUILD=${BUILD:-build}
XENSIM=${XENSIM:-$BUILD/san/xensim}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad() {
	fail=$((fail + 1))
	echo "FAIL $1"
}

# invalid_hvc_lines RUN NAME SIMLOG: Xen's own console line for each hvc
# immediate it refused ("(XEN) dNv0 Invalid HVC imm 0x..."; the
# normaliser drops Xen's lines) must come in the same order in both.
invalid_hvc_lines() {
	grep -o 'Invalid HVC imm 0x[0-9a-f]*' "$BUILD/interop/$1.console" \
		>"$tmp/xen.hvc"
	grep -o 'Invalid HVC imm 0x[0-9a-f]*' "$3" >"$tmp/sim.hvc"
	if [ ! -s "$tmp/xen.hvc" ]; then
		bad "$2: real Xen's console has no \"Invalid HVC imm\" line"
	elif diff -u "$tmp/xen.hvc" "$tmp/sim.hvc" >/dev/null; then
		pass=$((pass + 1))
		echo "ok $2"
	else
		bad "$2: Xen's \"Invalid HVC imm\" lines (- Xen, + xensim):"
		diff -u "$tmp/xen.hvc" "$tmp/sim.hvc" | tail -n +3 |
			sed 's/^/     /'
	fi
}

# compare RUN IMAGE MIB GIC [--dom0]: real Xen's RUN against xensim.
# $vcpus and $bootargs: the domain's vCPUs and bootargs (1 and none
# until set).
compare() {
	xen=$BUILD/interop/$1.log
	image=$BUILD/$2
	name="real Xen $1 = xensim $2 ($3 MiB, GICv$4, ${vcpus:-1} vCPU(s)${bootargs:+, $bootargs}, no xenstore)"
	if [ ! -f "$xen" ]; then
		bad "$name: no $xen (tests/interop/run-interop.sh makes it)"
		return
	fi
	if [ ! -f "$image" ] || [ "$xen" -ot "$image" ]; then
		bad "$name: $xen is older than $image (run tests/interop/run-interop.sh)"
		return
	fi
	sim=$tmp/$1.xensim.log
	if ! "$XENSIM" run --max-insns 100000000 -m "$3" --gic "$4" \
			--vcpus "${vcpus:-1}" ${bootargs:+--bootargs "$bootargs"} \
			--no-xenstore "$image" \
			>"$sim" 2>&1 </dev/null; then
		bad "$name: xensim did not power off"
		sed 's/^/     /' "$sim"
		return
	fi
	sh tests/transcript/normalise.sh ${5:-} "$xen" >"$tmp/xen"
	sh tests/transcript/normalise.sh ${5:-} "$sim" >"$tmp/sim"
	if [ "$(grep -c '^selftest: ' "$tmp/xen")" -lt 2 ]; then
		bad "$name: $xen holds no battery"
	elif ! grep -q '^conf: ' "$tmp/xen"; then
		bad "$name: $xen holds no conformance answers (conf: lines)"
	elif diff -u "$tmp/xen" "$tmp/sim" >/dev/null; then
		invalid_hvc_lines "$1" "$name" "$sim"
	else
		bad "$name (normalised; - Xen, + xensim):"
		diff -u "$tmp/xen" "$tmp/sim" | tail -n +3 | sed 's/^/     /'
	fi
}

compare domu-gicv2 arm64/Image 64 2
compare domu arm64/Image 64 3
compare domu-arm32 arm32/zImage 64 3
compare domu-thumb arm32/zImage-thumb 64 3
compare domu-bank1 arm64/Image 3136 3
compare dom0 arm64/Image 128 3 --dom0
# Several vCPUs: the SMP checks print only their verdicts, so the
# transcripts agree line for line whatever the interleaving.
vcpus=2
compare domu-smp arm64/Image 64 3
compare domu-smp-arm32 arm32/zImage 64 3
compare domu-smp-thumb arm32/zImage-thumb 64 3
bootargs=evtchn-fifo
compare domu-smp-fifo arm64/Image 64 3
vcpus=4 bootargs=
compare domu-smp4 arm64/Image 64 3

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
