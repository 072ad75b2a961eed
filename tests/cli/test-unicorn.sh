#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The optimised build/xensim (-O2, linked with mk/unicorn.mk's Unicorn,
# 2.1.1 by default) and the sanitized one the other tests run (Debian 12's
# Unicorn 2.0.1) must run every image alike: same exit status, same
# console transcript byte for byte, the -v -v hypercall log included, and
# the same --seeds lines. Run from the top of the tree; one line per
# check, then "N passed, N failed, N skipped".
set -u
FAST=${FAST_XENSIM:-build/xensim}
XENSIM=${XENSIM:-build/san/xensim}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# alike NAME ARGS...: both builds run ARGS; exit and stdout must agree.
alike() {
	name=$1
	shift
	"$FAST" "$@" >"$dir/fast" 2>"$dir/fast.err" </dev/null
	want=$?
	"$XENSIM" "$@" >"$dir/san" 2>"$dir/san.err" </dev/null
	got=$?
	# A --seeds summary ends with its wall-clock rate: not compared.
	sed -i '/^seeds [0-9]*-[0-9]*: /s/; [0-9.]* s, .*//' "$dir/fast" "$dir/san"
	if [ "$want" -ne "$got" ]; then
		out=$dir/san.err
		bad_showing "$name" "exit $want optimised, $got sanitized"
	elif ! cmp -s "$dir/fast" "$dir/san"; then
		diff "$dir/fast" "$dir/san" >"$out"
		bad_showing "$name" "stdout differs (< optimised, > sanitized)"
	elif [ ! -s "$dir/fast" ]; then
		bad "$name" "nothing on stdout"
	else
		ok "$name"
	fi
}

B="--max-insns $BUDGET"
alike "arm64 Image" run $B build/arm64/Image
alike "arm64 Image, seed 5, GICv3, -v -v" run $B --seed 5 --gic 3 -v -v \
	build/arm64/Image
alike "arm32 zImage, seed 2" run $B --seed 2 build/arm32/zImage
alike "arm32 zImage Thumb-2, -v -v" run $B -v -v build/arm32/zImage-thumb
alike "native" run $B --native
alike "arm64 --seeds 1-3 lines" run $B --seeds 1-3 build/arm64/Image
finish
