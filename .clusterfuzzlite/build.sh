#!/bin/sh -eu
# SPDX-License-Identifier: BSD-2-Clause
# Builds every fuzz target the OSS-Fuzz / ClusterFuzzLite way: with the
# runner's $CC, $CFLAGS and $LIB_FUZZING_ENGINE, into $OUT, each with its
# seeds from tests/fuzz/seeds (and those its scripts write, the loader's
# from the ARM images) as
# <target>_seed_corpus.zip, and the arm64 Image the emulated targets
# boot as arm64-Image. Outside a
# runner the defaults build what `make fuzz-build` builds, into
# build/oss-fuzz/out. Needs what `make` needs (scripts/deps.sh).
cd "$(dirname "$0")/.."
: "${CC:=clang}"
: "${CFLAGS:=-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-sanitize-recover=all -g -O1}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=build/oss-fuzz/out}"
build=build/oss-fuzz
mkdir -p "$OUT"
make -j"${JOBS:-2}" BUILD="$build" FUZZ_CC="$CC" FUZZ_FLAGS="$CFLAGS" \
	FUZZ_ENGINE="$LIB_FUZZING_ENGINE" fuzz-targets "$build/fuzz/corpus/.loader-seeds"
# The seeds the shell scripts write, beside the repository's files.
generated=$build/generated-seeds
sh tests/fuzz/seeds/xs_seeds.sh "$generated"
sh tests/fuzz/seeds/net_seeds.sh "$generated"
mkdir -p "$generated/fuzz_domcfg"
cp fixtures/domains/*.cfg "$generated/fuzz_domcfg"/
# The loader's: the ARM images the make above built, whole and cut.
mkdir -p "$generated/fuzz_loader"
cp "$build"/fuzz/corpus/fuzz_loader/* "$generated/fuzz_loader"/
# The emulated targets boot the arm64 Image: it goes beside them.
cp "$build/arm64/Image" "$OUT/arm64-Image"
for target in "$build"/fuzz/fuzz_*; do
	[ -f "$target" ] && [ -x "$target" ] || continue
	name=${target##*/}
	cp "$target" "$OUT/$name"
	rm -f "$OUT/${name}_seed_corpus.zip"
	for seeds in tests/fuzz/seeds/$name "$generated/$name"; do
		if [ -d "$seeds" ] && command -v zip >/dev/null; then
			zip -qj "$OUT/${name}_seed_corpus.zip" "$seeds"/*
		fi
	done
	echo "built $OUT/$name"
done
