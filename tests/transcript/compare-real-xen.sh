#!/bin/sh
# Holds the real-Xen transcripts of tests/interop/run-interop.sh to the rule
# the simulator's runtimes follow: after tests/transcript/normalise.sh, a
# dom0less domU booted on Xen 4.17 under QEMU must print exactly what xensim
# printed for the same image and GIC (build/transcripts/, written by
# test_three_runtimes with the domU's 64 MiB). What the normaliser hides and
# why: fixtures/transcripts/README.md. A real-Xen log older than its image
# says nothing about it and is skipped. Run from the top of the tree after
# both; ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
pass=0
fail=0
a=$(mktemp)
b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT

# compare INTEROP_NAME SIM_NAME IMAGE
compare() {
	xen=$BUILD/interop/$1.log
	sim=$BUILD/transcripts/$2.log
	image=$BUILD/$3
	if [ ! -f "$xen" ]; then
		echo "skip $1: no $xen (tests/interop/run-interop.sh makes it)"
		return
	fi
	if [ ! -f "$sim" ]; then
		echo "skip $1: no $sim (test_three_runtimes makes it)"
		return
	fi
	if [ "$xen" -ot "$image" ]; then
		echo "skip $1: $xen is older than $image"
		return
	fi
	sh tests/transcript/normalise.sh "$xen" >"$a"
	sh tests/transcript/normalise.sh "$sim" >"$b"
	if diff -u "$a" "$b" >/dev/null; then
		pass=$((pass + 1))
		echo "ok   real Xen $1 = xensim $2"
	else
		fail=$((fail + 1))
		echo "FAIL real Xen $1 != xensim $2 (normalised; - Xen, + xensim):"
		diff -u "$a" "$b" | tail -n +3 | sed 's/^/     /'
	fi
}

# The interop domU has no xenstore (no dom0): compare with the runs that
# have none either.
compare domu-gicv2 arm64-gicv2-noxs arm64/Image
compare domu arm64-gicv3-noxs arm64/Image
compare domu-arm32 arm32-gicv3-noxs arm32/zImage
compare domu-thumb thumb-gicv3-noxs arm32/zImage-thumb

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
