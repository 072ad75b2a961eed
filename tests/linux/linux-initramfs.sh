#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# linux-initramfs.sh OUT: Debian's unmodified arm64 Linux and an initramfs
# for it to boot as a domU, from Debian 12 arm64 packages only (apt-get
# download + dpkg -x into OUT, nothing installed): OUT/Image (Debian's
# vmlinuz, which for arm64 is the Image itself, EFI stub and all),
# OUT/initramfs.cpio.gz (busybox-static, the kernel's Xen frontend
# modules that are not built in (xen-blkfront, xen-netfront, xenfs,
# xen-evtchn and xen-privcmd, which xenfs needs; ext4 and what it needs),
# Debian's xenstore tool
# with the libraries it loads, and this project's init, tests/linux/init)
# and OUT/kernel-package (what was fetched). The
# downloads stay in OUT/deb until build/ is cleaned. Needs apt's arm64
# index (scripts/deps.sh adds the architecture), readelf, cpio and gzip. Exits
# non-zero with the reason on stderr.
set -eu

out=${1:-build/linux}
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "linux-initramfs: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb readelf cpio gzip; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh installs it)"
done

# The busybox applets the init script, the checks and a user at the
# shell use.
APPLETS="sh ash cat cttyhack dd dmesg echo grep head insmod ip ls mkdir
mount od ping poweroff printf reboot sed setsid sleep sync tail uname
umount"
# The kernel's modules the init script loads, each after those it needs
# (their depends= fields: xenfs needs xen-privcmd; ext4 needs jbd2,
# mbcache and crc16, and ext4 and jbd2 ask the crypto API for crc32c,
# which without modprobe must already be loaded: crc32c_generic).
MODULES="drivers/xen/xen-privcmd.ko drivers/xen/xenfs/xenfs.ko
drivers/xen/xen-evtchn.ko drivers/block/xen-blkfront.ko
drivers/net/xen-netfront.ko lib/crc16.ko fs/mbcache.ko
crypto/crc32c_generic.ko fs/jbd2/jbd2.ko fs/ext4/ext4.ko"
# Debian's xenstore tool (one binary, named by argv[0]) and its libraries.
XS_PKGS="xenstore-utils libxenstore4 libxentoolcore1 libc6"

debs=$out/deb
stage=$out/stage
root=$out/root
mkdir -p "$debs"
rm -rf "$stage" "$root"
mkdir -p "$stage" "$root"

# The kernel Debian's metapackage points at today, worked out once.
if [ ! -s "$debs/packages" ]; then
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\).*/\1/p' | head -n 1)
	[ -n "$kpkg" ] || die "apt has no linux-image-arm64:arm64 (is the arm64 index configured?)"
	echo "$kpkg busybox-static $XS_PKGS" >"$debs/packages.tmp"
	mv "$debs/packages.tmp" "$debs/packages"
fi
pkgs=$(cat "$debs/packages")
kpkg=$(printf '%s\n' $pkgs | grep '^linux-image-')

want=""
for p in $pkgs; do
	ls "$debs/${p}_"*_arm64.deb >/dev/null 2>&1 || want="$want $p:arm64"
done
if [ -n "$want" ]; then
	# A stale index gets one apt-get update and a second try.
	(cd "$debs" && { apt-get download -q=2 $want 2>/dev/null ||
		{ apt-get update -qq && apt-get download -q=2 $want; }; }) ||
		die "apt-get download$want failed"
fi

# Only the kernel's /boot and the modules above, and busybox.
set -- "$debs/${kpkg}_"*_arm64.deb
[ -f "$1" ] || die "no $kpkg package in $debs"
wanted="./boot"
for m in $MODULES; do wanted="$wanted ./lib/modules/*/kernel/$m"; done
dpkg-deb --fsys-tarfile "$1" | tar -x -C "$stage" --wildcards $wanted ||
	die "$kpkg lacks a module of: $MODULES"
for p in busybox-static $XS_PKGS; do
	set -- "$debs/${p}_"*_arm64.deb
	[ -f "$1" ] || die "no $p package in $debs"
	dpkg-deb -x "$1" "$stage"
done

set -- "$stage"/boot/vmlinuz-*
[ -f "$1" ] || die "$kpkg holds no /boot/vmlinuz-*"
cp "$1" "$out/Image.tmp"
mv "$out/Image.tmp" "$out/Image"
echo "$kpkg" >"$out/kernel-package"

mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$stage/bin/busybox" "$root/bin/busybox"
for a in $APPLETS; do ln -sf busybox "$root/bin/$a"; done
ln -s bin "$root/sbin"
mkdir -p "$root/lib/modules" "$root/usr/bin" "$root/mnt"
for m in $MODULES; do
	cp "$stage"/lib/modules/*/kernel/"$m" "$root/lib/modules/"
	echo "${m##*/}" >>"$root/lib/modules/order"
done

# xenstore and what it loads: its DT_NEEDED libraries, theirs, and the
# dynamic loader it names, from the unpacked packages.
cp "$stage/usr/bin/xenstore" "$root/usr/bin/xenstore"
for t in read write ls list rm exists; do
	ln -sf xenstore "$root/usr/bin/xenstore-$t"
done
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
interp=$(readelf -l "$root/usr/bin/xenstore" |
	sed -n 's/.*program interpreter: \(.*\)]/\1/p')
[ -n "$interp" ] || die "cannot read xenstore's program interpreter"
mkdir -p "$root$(dirname "$interp")" "$root/lib/aarch64-linux-gnu"
cp -L "$stage$interp" "$root$interp"
todo="$root/usr/bin/xenstore"
have=""
while [ -n "$todo" ]; do
	next=""
	for elf in $todo; do
		for so in $(needed "$elf"); do
			case " $have " in *" $so "*) continue ;; esac
			found=""
			for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
				[ -e "$stage/$d/$so" ] && found=$stage/$d/$so && break
			done
			[ -n "$found" ] || die "${elf##*/} needs $so, which no unpacked package holds"
			cp -L "$found" "$root/lib/aarch64-linux-gnu/$so"
			have="$have $so"
			next="$next $root/lib/aarch64-linux-gnu/$so"
		done
	done
	todo=$next
done
cp "$here/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -9 >"$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
rm -rf "$stage" "$root"
say "$kpkg, busybox-static, xenstore-utils (libraries:$have): $out/Image, $out/initramfs.cpio.gz"
