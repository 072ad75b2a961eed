#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian packages the build and tests need; does nothing when
# every one of them is already there. Usage: scripts/deps.sh [extra-pkg ...]
set -eu

PKGS="make gcc libc6-dev pkg-config curl gpgv xz-utils libfdt-dev libcmocka-dev libuv1-dev
libunicorn-dev device-tree-compiler clang gcc-aarch64-linux-gnu
gcc-arm-linux-gnueabihf libxen-dev libclang-rt-14-dev xenstore-utils
qemu-system-arm cpio e2fsprogs fio gdb-multiarch tshark chromium libdw-dev libcapstone-dev $*"
# Foreign architectures `apt-get download` needs for the ARM guests'
# libfdt-dev (arm64, armhf) and the real Xen (arm64): those packages are
# unpacked into build/, never installed.
ARCHS="arm64 armhf"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
missing_archs=""
for a in $ARCHS; do
	if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
		missing_archs="$missing_archs $a"
	fi
done
[ -z "$missing" ] && [ -z "$missing_archs" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
for a in $missing_archs; do
	echo "deps: adding dpkg architecture $a" >&2
	$SUDO dpkg --add-architecture "$a"
done
# A mirror in mid-sync fails one index (seen: security, armhf) and makes
# the whole update exit non-zero: go on with the lists apt has; a package
# that really is missing fails below with apt's own message.
$SUDO apt-get update -qq || echo "deps: apt-get update reported errors, going on" >&2
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
