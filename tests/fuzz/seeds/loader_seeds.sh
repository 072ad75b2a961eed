#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Seed inputs for fuzz_loader from the images the build made: each whole,
# and each cut to the first 8 KiB (what a fuzzing run's -max_len keeps of
# it), a zImage's end word rewritten to the cut so it is still one the
# loader takes. Crafted headers live beside this script, in fuzz_loader/.
# Usage: loader_seeds.sh CORPUS IMAGE...   (writes CORPUS/fuzz_loader)
set -eu
out=$1/fuzz_loader
shift
cut=8192
mkdir -p "$out"

# A little-endian 32-bit word at byte offset $2 of file $1.
word_at() {
	od -A n -t u4 -j "$2" -N 4 "$1" | tr -d ' '
}

# Four bytes of a little-endian word, as printf octal escapes.
le32() {
	v=$1
	for _ in 1 2 3 4; do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' $((v & 255)))"
		v=$((v >> 8))
	done
}

for image in "$@"; do
	name=${image##*/}
	cp "$image" "$out/$name"
	head -c "$cut" "$image" >"$out/$name-head"
	# zImage magic at 0x24: its end word (0x2c) becomes start + cut.
	if [ "$(word_at "$image" 36)" = "$((0x016f2818))" ]; then
		start=$(word_at "$image" 40)
		{
			head -c 44 "$image"
			le32 $((start + cut))
			tail -c +49 "$out/$name-head"
		} >"$out/$name-head.tmp"
		mv "$out/$name-head.tmp" "$out/$name-head"
	fi
done
