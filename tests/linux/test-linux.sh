#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Debian's unmodified arm64 Linux as a domU of xensim, driven at its
# busybox shell on hvc0 (build/linux from linux-initramfs.sh): the kernel
# finds Xen, its GIC, grant table and events; its init reads
# /sys/hypervisor and mounts xenfs; at the shell, Debian's xenstore tools
# read the domain's tree through /dev/xen/xenbus, Linux mounts the ext4
# disk the host made (mke2fs -d) and the model's blkback serves as xvda,
# reads the host's marker file, writes a file of its own and unmounts;
# after the run the host reads that file with debugfs and e2fsck finds
# the filesystem clean; poweroff ends the run with exit status 0; in a second
# run Linux pings the project's arm64 guest through netfront. Run from
# the top of the tree; one line per check, ends "N passed, N failed, N
# skipped".
#
# It runs build/xensim (Unicorn 2.1.1), not the sanitized build: the
# sanitized build's Unicorn 2.0.1 refuses an access at a virtual address
# that is not also mapped as a physical one, which stops Linux at its
# first store to the upper half.
set -u
# e2fsprogs lives in /sbin, which a user's PATH may lack.
PATH=$PATH:/sbin:/usr/sbin
XENSIM=${LINUX_XENSIM:-build/xensim}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

for f in "$XENSIM" build/linux/Image build/linux/initramfs.cpio.gz; do
	if [ ! -f "$f" ]; then
		echo "ERROR linux: no $f (make build/linux/initramfs.cpio.gz)"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

# A 4 MiB ext4 disk holding a marker file (mke2fs -d, no root needed).
mkdir "$dir/fs"
printf 'xensim-disk-marker\n' >"$dir/fs/marker"
if ! mke2fs -q -F -t ext4 -L xensim -d "$dir/fs" "$dir/disk.img" 4M >"$dir/mke2fs" 2>&1; then
	echo "ERROR linux: mke2fs failed: $(head -n 3 "$dir/mke2fs")"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
cat >"$dir/linux.cfg" <<CFG
name = "linux"
memory = 256
kernel = "build/linux/Image"
ramdisk = "build/linux/initramfs.cpio.gz"
extra = "console=hvc0 earlycon=xenboot linux.shell"
gic_version = "v3"
disk = [ '$dir/disk.img,raw,xvda,w' ]
CFG
# What is typed at the shell (the kernel's tty keeps it until the shell
# reads it); each answer is marked so it cannot be mistaken for the echo
# of the command.
cat >"$dir/input" <<'IN'
echo "sh: name=$(xenstore-read name)"
echo "sh: vbd-state=$(xenstore-read device/vbd/51712/state)"
xenstore-ls device | grep -c '' | sed 's/^/sh: device-nodes=/'
echo "sh: size=$(cat /sys/block/xvda/size)"
mount -t ext4 /dev/xvda /mnt && echo "sh: mounted"
echo "sh: marker=$(cat /mnt/marker)"
echo linux-wrote-this >/mnt/from-linux && sync && echo "sh: wrote"
umount /mnt && echo "sh: unmounted"
poweroff -f
IN

timeout "${LIMIT:-300}" "$XENSIM" run --console stdio --max-insns 0 \
	--timeout 10min "$dir/linux.cfg" <"$dir/input" >"$out" 2>&1
rc=$?

# has NAME PATTERN: the console printed a line matching PATTERN.
has() {
	if grep -q -- "$2" "$out"; then
		ok "$1"
	else
		bad_showing "$1" "no line matching '$2' in:"
	fi
}

has "the kernel's first line" "^(d1) \[ *0\.000000\] Booting Linux on physical CPU"
has "the kernel finds Xen 4.17" "^(d1) .*Xen 4.17 support found"
has "the GICv3 redistributor is found" "GICv3: CPU0: found redistributor 0"
has "the grant table is set up" "Grant table initialized"
has "events use the FIFO ABI" "xen:events: Using FIFO-based ABI"
has "the console moves to hvc0" "printk: console \[hvc0\] enabled"
has "the initramfs' /init runs" "Run /init as init process"
has "the frontend modules load" "^(d1) init: /proc/xen: capabilities"
has "/sys/hypervisor says xen 4.17" "^(d1) init: hypervisor xen 4.17"
has "/sys/hypervisor lists the aarch64 ABI" "^(d1) init: properties/capabilities: xen-3.0-aarch64"
has "blkfront finds xvda" "^(d1) init: block devices: xvda"
has "the shell prompts on hvc0" "built-in shell (ash)"
has "xenstore-read through /dev/xen/xenbus: the domain's name" "^(d1) sh: name=linux$"
has "xenstore-read: the vbd is connected" "^(d1) sh: vbd-state=4$"
has "xenstore-ls lists the domain's devices" "^(d1) sh: device-nodes=[1-9]"
has "blkfront sees a 4 MiB disk" "^(d1) sh: size=8192$"
has "Linux mounts the ext4 disk on xvda" "^(d1) sh: mounted$"
has "Linux reads the host's marker file" "^(d1) sh: marker=xensim-disk-marker$"
has "Linux writes a file and syncs" "^(d1) sh: wrote$"
has "Linux unmounts the disk" "^(d1) sh: unmounted$"
got=$(debugfs -R 'cat /from-linux' "$dir/disk.img" 2>/dev/null)
if [ "$got" = linux-wrote-this ]; then
	ok "the host reads the file Linux wrote (debugfs)"
else
	bad "the host reads the file Linux wrote (debugfs)" "/from-linux holds '$got'"
fi
if e2fsck -fn "$dir/disk.img" >"$dir/fsck" 2>&1; then
	ok "e2fsck finds the filesystem clean"
else
	bad "e2fsck finds the filesystem clean" "$(tail -n 3 "$dir/fsck")"
fi
has "poweroff powers the domain down" "reboot: Power down"
if [ "$rc" -eq 0 ]; then
	ok "poweroff ends the run with exit status 0"
else
	bad_showing "poweroff ends the run with exit status 0" "exit $rc"
fi
if grep -E -q "Oops|BUG:|WARNING:|Call trace:|Kernel panic|Unable to handle" "$out"; then
	bad "no oops, bug, warning or panic" "$(grep -E "Oops|BUG:|WARNING:|Call trace:|Kernel panic|Unable to handle" "$out" | head -n 3)"
else
	ok "no oops, bug, warning or panic"
fi
# netfront: Linux pings the project's arm64 guest (net-test, 10.0.0.2)
# across dom0's switch, two domains in one run.
cat >"$dir/ping.cfg" <<CFG
name = "linux"
memory = 256
kernel = "build/linux/Image"
ramdisk = "build/linux/initramfs.cpio.gz"
extra = "console=hvc0 linux.ping=2"
gic_version = "v3"
vif = [ '' ]
CFG
cat >"$dir/peer.cfg" <<CFG
name = "peer"
memory = 64
kernel = "${IMAGE:-build/arm64/Image}"
extra = "net-test net-ip=2 net-linger=10000"
gic_version = "v3"
vif = [ '' ]
CFG
timeout "${LIMIT:-300}" "$XENSIM" run --max-insns 0 --timeout 5min \
	"$dir/ping.cfg" "$dir/peer.cfg" >"$out" 2>&1 </dev/null
rc=$?
has "netfront: 3 pings to another domain, 3 replies" "^(d1) init: ping: 3 packets transmitted, 3 packets received"
has "the other domain answered Linux's 3 echo requests" "^(d2) net-test: answered 3 echo request(s)"
if [ "$rc" -eq 0 ]; then
	ok "both domains power off (exit status 0)"
else
	bad_showing "both domains power off (exit status 0)" "exit $rc"
fi
finish
