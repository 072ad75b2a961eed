#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# fetch-deb.sh OUT PACKAGE VERSION_PREFIX SUITE ARCH PINNED_FILE PINNED_SHA256
#
# Downloads a Debian package from deb.debian.org into OUT without
# installing anything. The pinned pool file comes first, checked against
# its SHA-256. Debian removes a pool file once the suite moves on (a
# rebuild or a point release), so when the pinned one is gone the suite's
# current PACKAGE whose version starts with VERSION_PREFIX is taken
# instead, checked along the archive's own chain: InRelease verified by
# gpgv against Debian's keyring (on every Debian 12 system through apt),
# the Packages index against InRelease, the .deb against the index.
# Exits 0 with OUT in place, or 1 with the reason on stderr.
set -eu

[ $# -eq 7 ] || { echo "usage: $0 OUT PACKAGE VERSION_PREFIX SUITE ARCH PINNED_FILE PINNED_SHA256" >&2; exit 2; }
out=$1 pkg=$2 vprefix=$3 suite=$4 arch=$5 pinned=$6 pinned_sha=$7
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "fetch-deb: $*" >&2; }

# sha_ok FILE SHA256
sha_ok() { echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1; }

# pool_path PACKAGE FILE: Debian's pool directory for a source package.
pool_url() {
	case $1 in
	lib*) dir=$(printf %s "$1" | cut -c1-4) ;;
	*) dir=$(printf %s "$1" | cut -c1) ;;
	esac
	echo "$mirror/pool/main/$dir/$1/$2"
}

if [ -f "$out" ] && sha_ok "$out" "$pinned_sha"; then
	exit 0
fi

# 1. The pinned file.
src=${pkg%-dev}
case $pkg in libunicorn-dev) src=unicorn-engine ;; esac
if curl -fsS -o "$work/pinned.deb" "$(pool_url "$src" "$pinned")" 2>/dev/null; then
	if sha_ok "$work/pinned.deb" "$pinned_sha"; then
		mv "$work/pinned.deb" "$out"
		exit 0
	fi
	say "$pinned does not match its pinned SHA-256"
fi
say "$pinned is not in Debian's pool any more; looking up $suite's $pkg $vprefix*"

# 2. The suite's current build, checked through the signed index.
command -v gpgv >/dev/null || { say "gpgv is missing"; exit 1; }
[ -r "$keyring" ] || { say "$keyring is missing"; exit 1; }
curl -fsS -o "$work/InRelease" "$mirror/dists/$suite/InRelease" ||
	{ say "cannot download $suite's InRelease"; exit 1; }
gpgv --keyring "$keyring" --output "$work/Release" "$work/InRelease" 2>/dev/null ||
	{ say "$suite's InRelease does not verify against $keyring"; exit 1; }
index=main/binary-$arch/Packages.xz
index_sha=$(awk -v f="$index" '
	/^SHA256:/ { in_sha = 1; next }
	/^[^ ]/ { in_sha = 0 }
	in_sha && $3 == f { print $1; exit }' "$work/Release")
[ -n "$index_sha" ] || { say "$suite's Release lists no $index"; exit 1; }
curl -fsS -o "$work/Packages.xz" "$mirror/dists/$suite/$index" ||
	{ say "cannot download $index"; exit 1; }
sha_ok "$work/Packages.xz" "$index_sha" ||
	{ say "$index does not match $suite's Release"; exit 1; }
xz -dc "$work/Packages.xz" | awk -v p="$pkg" -v v="$vprefix" '
	/^Package: / { name = $2; ver = ""; file = ""; sha = "" }
	/^Version: / { ver = $2 }
	/^Filename: / { file = $2 }
	/^SHA256: / { sha = $2 }
	/^$/ { if (name == p && index(ver, v) == 1 && file != "" && sha != "")
		{ print file, sha; exit } }' >"$work/found"
read -r file sha <"$work/found" || { say "$suite has no $pkg $vprefix*"; exit 1; }
curl -fsS -o "$work/found.deb" "$mirror/$file" ||
	{ say "cannot download $mirror/$file"; exit 1; }
sha_ok "$work/found.deb" "$sha" ||
	{ say "$file does not match $suite's index"; exit 1; }
say "using $file (checked against $suite's signed index)"
mv "$work/found.deb" "$out"
