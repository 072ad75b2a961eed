#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# dom0-initramfs.sh OUT: assembles, under OUT, a Linux dom0 for real Xen
# 4.17 from Debian 12 arm64 packages only (apt-get download + dpkg -x,
# nothing installed): OUT/vmlinuz (Debian's arm64 kernel) and
# OUT/base.cpio.gz, an initramfs holding busybox-static, Xen's toolstack
# (xl, xenstored, xenconsoled, xen-init-dom0, the xenstore tool), every
# shared library those load (followed through each ELF's DT_NEEDED), the
# kernel modules dom0 needs for its backends, and this project's init,
# hotplug scripts and xl.conf (tests/interop/dom0/). What a run adds (the
# guest, its xl.cfg, the plan) goes into a second archive the kernel
# unpacks on top (tests/interop/run-dom0.sh). Needs apt's arm64 index
# (scripts/deps.sh adds the architecture), readelf, cpio and gzip.
# Exits non-zero with the reason on stderr.
set -eu

out=${1:-build/dom0}
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "dom0-initramfs: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in apt-get apt-cache dpkg readelf cpio gzip; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh installs it)"
done

# The backends and the devices dom0 drives; their dependencies are added
# from each module's own depends= field.
MODULES="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc xen-blkback
xen-netback loop bridge"
# The programs the init script runs; the libraries follow from them.
XEN_PROGS="xl xenstored xenconsoled xen-init-dom0"
# busybox applets the init, plan and hotplug scripts use.
APPLETS="sh cat cmp cut echo grep head ip brctl insmod kill losetup ls
mkdir mount nc ping poweroff printf readlink sed sleep stat sync tail
test tr cp"

debs=$out/deb
stage=$out/stage
root=$out/root
rm -rf "$stage" "$root"
mkdir -p "$debs" "$stage" "$root"

# download PKG...: the arm64 packages into $debs (a stale index gets one
# apt-get update and a second try).
download() {
	(cd "$debs" && { apt-get download -q=2 "$@" 2>/dev/null ||
		{ apt-get update -qq && apt-get download -q=2 "$@"; }; }) ||
		die "apt-get download $* failed"
}

# library_closure PKG...: the library packages PKG... depend on, followed
# through library packages only (the rest, python and udev, is what the
# init script replaces); one apt-cache call per level, as each takes
# seconds.
library_closure() {
	seen=" $* "
	todo=$*
	while [ -n "$todo" ]; do
		next=""
		for d in $(apt-cache depends $(printf '%s:arm64 ' $todo) 2>/dev/null |
			sed -n 's/^ *Depends: \([a-z][^ <>:]*\)\(:arm64\)\{0,1\}$/\1/p' |
			grep -E '^(lib|zlib)' | sort -u); do
			case "$seen" in *" $d "*) continue ;; esac
			seen="$seen$d "
			next="$next $d"
			echo "$d"
		done
		todo=$next
	done
}

# The package list is worked out once (apt-cache takes seconds a call)
# and kept with the downloads, which stay until build/ is cleaned.
if [ ! -s "$debs/packages" ]; then
	# The kernel Debian's metapackage points at today.
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\).*/\1/p' | head -n 1)
	[ -n "$kpkg" ] || die "apt has no linux-image-arm64:arm64 (is the arm64 index configured?)"
	roots="xen-utils-4.17 xen-utils-common xenstore-utils"
	libs=$(library_closure $roots)
	echo $kpkg busybox-static $roots $libs >"$debs/packages.tmp"
	mv "$debs/packages.tmp" "$debs/packages"
fi
pkgs=$(cat "$debs/packages")
kpkg=$(printf '%s\n' $pkgs | grep '^linux-image-')

want=""
for p in $pkgs; do
	ls "$debs/${p}_"*_arm64.deb >/dev/null 2>&1 || want="$want $p:arm64"
done
[ -z "$want" ] || download $want
for p in $pkgs; do
	set -- "$debs/${p}_"*_arm64.deb
	[ -f "$1" ] || die "no $p package in $debs"
	dpkg -x "$1" "$stage"
done

# The kernel and its modules, dependencies first.
kdir=$(ls -d "$stage"/lib/modules/* | head -n 1)
kver=${kdir##*/}
cp "$stage/boot/vmlinuz-$kver" "$out/vmlinuz"
mkdir -p "$root/lib/modules"
order=""
module_file() { find "$kdir/kernel" -name "$1.ko" | head -n 1; }
# add_module NAME: its dependencies first (sh has no locals: the file is
# looked up again after the recursion).
add_module() {
	case " $order " in *" $1 "*) return 0 ;; esac
	[ -n "$(module_file "$1")" ] || die "$kpkg has no module $1"
	for dep in $(tr '\0' '\n' <"$(module_file "$1")" |
		sed -n 's/^depends=//p' | tr ',' ' '); do
		add_module "$dep"
	done
	cp "$(module_file "$1")" "$root/lib/modules/"
	order="$order $1"
}
for m in $MODULES; do add_module "$m"; done
printf '%s\n' $order >"$root/lib/modules/order"

# busybox and its applets.
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
cp "$stage/bin/busybox" "$root/bin/busybox"
for a in $APPLETS; do ln -sf busybox "$root/bin/$a"; done

# Xen's programs and the xenstore tool (one binary, named by argv[0]).
xbin=usr/lib/xen-4.17/bin
mkdir -p "$root/$xbin"
for p in $XEN_PROGS; do
	cp "$stage/$xbin/$p" "$root/$xbin/$p"
	ln -sf "/$xbin/$p" "$root/usr/sbin/$p"
done
cp "$stage/usr/bin/xenstore" "$root/usr/bin/xenstore"
for t in read write ls list rm exists watch chmod; do
	ln -sf xenstore "$root/usr/bin/xenstore-$t"
done

# Every library an ELF in the tree needs, by DT_NEEDED, and the dynamic
# loader it names; found in the unpacked packages' library directories.
libdirs="lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu usr/lib/xen-4.17/lib lib usr/lib"
mkdir -p "$root/lib/aarch64-linux-gnu"
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
interp=$(readelf -l "$root/$xbin/xl" | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
[ -n "$interp" ] || die "cannot read xl's program interpreter"
mkdir -p "$root$(dirname "$interp")"
cp -L "$stage$interp" "$root$interp" || die "no $interp in the unpacked libc6"
have=""
next=""
# add_lib SONAME WHO: copies the library WHO needs, once, and queues it
# for its own DT_NEEDED.
add_lib() {
	case " $have " in *" $1 "*) return 0 ;; esac
	for d in $libdirs; do
		if [ -e "$stage/$d/$1" ]; then
			cp -L "$stage/$d/$1" "$root/lib/aarch64-linux-gnu/$1"
			have="$have $1"
			next="$next $root/lib/aarch64-linux-gnu/$1"
			return 0
		fi
	done
	die "$2 needs $1, which no unpacked package holds"
}
# glibc loads libgcc_s itself (for pthread_cancel): no DT_NEEDED names it.
add_lib libgcc_s.so.1 glibc
todo="$(ls "$root/$xbin"/* "$root/usr/bin/xenstore") $next"
while [ -n "$todo" ]; do
	next=""
	for elf in $todo; do
		for so in $(needed "$elf"); do
			add_lib "$so" "${elf##*/}"
		done
	done
	todo=$next
done

# The project's own init, hotplug scripts and xl settings.
cp "$here/dom0/init" "$root/init"
chmod 755 "$root/init"
mkdir -p "$root/etc/xen/scripts"
for s in block vif-bridge; do
	cp "$here/dom0/$s" "$root/etc/xen/scripts/$s"
	chmod 755 "$root/etc/xen/scripts/$s"
done
cp "$here/dom0/xl.conf" "$root/etc/xen/xl.conf"
for d in proc sys dev run tmp var/log/xen/console var/lib/xen var/lib/xenstored guest; do
	mkdir -p "$root/$d"
done
ln -s ../run "$root/var/run"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >"$out/base.cpio.gz.tmp"
mv "$out/base.cpio.gz.tmp" "$out/base.cpio.gz"
rm -rf "$stage"
say "$kpkg; modules:$order; libraries:$have"
