#!/bin/sh
# Installs the Debian packages the build and tests need; does nothing when
# every one of them is already there. Usage: scripts/deps.sh [extra-pkg ...]
set -eu

PKGS="make gcc libc6-dev pkg-config libfdt-dev libcmocka-dev libuv1-dev
libunicorn-dev device-tree-compiler clang gcc-aarch64-linux-gnu
gcc-arm-linux-gnueabihf libxen-dev libclang-rt-14-dev $*"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
